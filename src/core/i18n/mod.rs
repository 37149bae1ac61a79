//! The translation catalogue: every string a member reads, in every language.
//!
//! Each language is a table of `(Key, text)` pairs in its own file. Texts may
//! hold `{name}`-style placeholders, filled by [`fill`]. A missing text falls
//! back to English at run time; the tests make sure none is missing.

mod en;
mod es;
mod names;
mod pt;
mod zh;

pub use names::Named;

use super::command::Refusal;

/// A language the app speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    Es,
    /// Brazilian Portuguese.
    Pt,
    /// Simplified Chinese.
    Zh,
}

impl Lang {
    pub const ALL: [Self; 4] = [Self::En, Self::Es, Self::Pt, Self::Zh];

    /// The BCP 47 tag, for `<html lang>` and settings.
    pub const fn tag(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Es => "es",
            Self::Pt => "pt-BR",
            Self::Zh => "zh-CN",
        }
    }

    /// The language's own name for itself, for the language picker.
    pub const fn own_name(self) -> &'static str {
        match self {
            Self::En => "English",
            Self::Es => "Español",
            Self::Pt => "Português",
            Self::Zh => "中文",
        }
    }

    /// Picks the language for a browser tag such as "es-MX"; `None` if the
    /// app does not speak it.
    /// Any Portuguese gets Brazilian Portuguese, any Chinese gets Simplified.
    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = |tag: &str| {
            tag.split(['-', '_'])
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase()
        };
        let wanted = primary(tag);
        Self::ALL
            .into_iter()
            .find(|lang| primary(lang.tag()) == wanted)
    }

    fn table(self) -> &'static [(Key, &'static str)] {
        match self {
            Self::En => en::TEXTS,
            Self::Es => es::TEXTS,
            Self::Pt => pt::TEXTS,
            Self::Zh => zh::TEXTS,
        }
    }

    /// The text for a key in this language (English if it is missing).
    pub fn text(self, key: Key) -> &'static str {
        lookup(self.table(), key)
            .or_else(|| lookup(en::TEXTS, key))
            .unwrap_or("")
    }
}

fn lookup(table: &'static [(Key, &'static str)], key: Key) -> Option<&'static str> {
    table.iter().find(|(k, _)| *k == key).map(|(_, text)| *text)
}

/// Replaces each `{name}` in a text with its value.
pub fn fill(text: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(text.to_owned(), |out, (name, value)| {
        out.replace(&format!("{{{name}}}"), value)
    })
}

macro_rules! keys {
    ($($key:ident),* $(,)?) => {
        /// Every string the app shows.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Key { $($key),* }

        impl Key {
            pub const ALL: &'static [Key] = &[$(Key::$key),*];
        }
    };
}

keys! {
    AppName,
    SavedOnPhone,
    Saving,
    NotSaved,
    Offline,
    OfflineReady,
    Back,
    Save,
    Cancel,
    Delete,
    YourGroups,
    NoGroupsYet,
    StartGroup,
    GroupName,
    CreateGroup,
    Language,
    Gardens,
    NoGardensYet,
    AddGarden,
    GardenName,
    PlotsCount,
    Members,
    NoMembersYet,
    AddMember,
    MemberName,
    Plots,
    NoPlotsYet,
    AddPlot,
    PlotLabel,
    PlotSize,
    PlotSizeHint,
    Status,
    StatusAvailable,
    StatusAssigned,
    StatusNeedsAttention,
    HeldBy,
    Holder,
    Nobody,
    EditPlot,
    DeletePlot,
    ConfirmDeletePlot,
    Saved,
    GroupNotFound,
    PlotNotFound,
    SiteNotFound,
    PageNotFound,
    ErrNameEmpty,
    ErrNameTooLong,
    ErrLabelEmpty,
    ErrLabelTooLong,
    ErrSizeTooLong,
    ErrDuplicateLabel,
    ErrNoSuchSite,
    ErrNoSuchPlot,
    ErrNoSuchMember,
    ErrIdTaken,
    ErrUnreadable,
    ErrNewerSchema,
    ErrCorruptChunks,
    ErrStorage,
    SyncedWith,
    ConnectingTo,
    RetryingIn,
    BadServerAddress,
    OtherTabsCount,
    UnsharedCount,
    AllShared,
    LastSynced,
    NotSyncing,
    ErrSyncUnreadable,
    ErrSyncVersion,
    ErrSyncPeerSaid,
    SyncAndInvite,
    SyncServer,
    SyncServerHint,
    ErrServerAddress,
    StopSyncing,
    InviteLink,
    InviteHint,
    InviteNeedsServer,
    CopyLink,
    Copied,
    InviteQr,
    FetchingGroup,
    ErrNotOnServer,
    NewGroupArriving,
    Meetings,
    NoMeetingsYet,
    AddMeeting,
    MeetingTitle,
    MeetingNotes,
    MeetingNotFound,
    AlsoHere,
    YourName,
    Someone,
    ErrTextTooLong,
    ErrNoSuchEntry,
    ErrNoSuchShift,
    ErrNoSuchResource,
    ErrNoSuchLoan,
    ErrNoSuchPost,
    ErrNoSuchItem,
    ErrDateInvalid,
    ErrTimeInvalid,
    ErrDateInPast,
    ErrDateInFuture,
    ErrDueBeforeOut,
    ErrNumberInvalid,
    ErrGridTooLarge,
    ErrPlotOffMap,
    ErrCellTaken,
    ErrPlotTaken,
    ErrNotHeld,
    ErrWrongGarden,
    ErrNoFirstNotice,
    ErrFinalBeforeFirst,
    ErrShiftFull,
    ErrAlreadySignedUp,
    ErrNotSignedUp,
    ErrTooManyMinutes,
    ErrCropEmpty,
    ErrOnLoan,
    ErrNotLendable,
    ErrHeldFor,
    ErrOthersWaiting,
    ErrAlreadyReturned,
    ErrNotOnLoan,
    ErrAlreadyHolding,
    ErrNotSeeds,
    ErrNotEnoughSeeds,
    ErrMemberHoldsPlot,
    ErrMemberHasLoan,
    StatusFallow,
    ChooseMember,
    Filter,
    History,
    ChangedBy,
    SomeoneUnknown,
    GroupSections,
    Library,
    MutualAid,
    Export,
    ItemsCount,
    OpenPostsCount,
    PeopleCount,
    Coordinator,
    PointPerson,
    ThisIsYou,
    IsThisYou,
    ThisIsYouOnThisPhone,
    ThisIsMe,
    NotMe,
    PlotsThisSeason,
    NoneYet,
    OnLoanNow,
    OverdueSince,
    DueOn,
    HoursThisSeason,
    Details,
    LanguagesSpoken,
    LanguagesHint,
    Contact,
    ContactHint,
    RemoveMember,
    WorkDays,
    GardenLog,
    ChoosePlot,
    PlotMap,
    NoMapYet,
    MapHint,
    Square,
    SquaresChosen,
    NewPlotHere,
    MakePlot,
    OrAddToPlot,
    AddSquares,
    LayOutMap,
    Rows,
    Columns,
    SaveMapSize,
    Waitlist,
    NobodyWaiting,
    NoFreePlots,
    PlotToOffer,
    PriorityBecause,
    WaitingSince,
    OfferToNext,
    TakeOffList,
    AddToWaitlist,
    PersonName,
    PriorityReason,
    PriorityHint,
    HoldersIn,
    GivePlot,
    AddCoHolder,
    ReleasePlot,
    FollowUp,
    WhatNeedsDoing,
    MarkNeedsAttention,
    FirstNoticeOn,
    FinalNoticeOn,
    NoticeDate,
    RecordFirstNotice,
    RecordFinalNotice,
    LookedAfterAgain,
    PlotNotes,
    HarvestThisSeason,
    CategoryTool,
    CategoryEquipment,
    CategorySeeds,
    CategorySpace,
    StandingAvailable,
    StandingOnLoan,
    StandingOverdue,
    StandingNeedsRepair,
    StandingMissing,
    StandingRetired,
    NothingInLibrary,
    WithName,
    WaitingCount,
    PacketsLeft,
    AddToLibrary,
    ItemName,
    Category,
    KeptAt,
    KeptAtHint,
    PacketsInLibrary,
    KeptIn,
    Who,
    SomeoneElse,
    Packets,
    TakePackets,
    GivePacketsBack,
    WhoHasIt,
    NobodyHasIt,
    LentOn,
    RenewedTimes,
    MarkReturned,
    NewDueDate,
    Renew,
    JoinQueue,
    PlaceHold,
    LendIt,
    Borrower,
    DueDate,
    Lend,
    Condition,
    DidLend,
    DidReturn,
    DidRenew,
    DidAssign,
    DidRelease,
    DidNotice,
    DidHold,
    DidSeeds,
    DidAdd,
    DidChange,
    KindAsk,
    KindOffer,
    AidFood,
    AidTransport,
    AidChildcare,
    AidHousing,
    AidHealth,
    AidErrands,
    AidOther,
    UrgencyNormal,
    UrgencySoon,
    UrgencyUrgent,
    AidOpen,
    AidMatched,
    AidDoneStatus,
    ShiftWorkDay,
    ShiftWatering,
    LogHarvest,
    LogObservation,
    LogWatering,
    LogPest,
    ActionOpen,
    ActionDone,
    ActionCarried,
    RoleFacilitator,
    RoleNoteTaker,
    RoleTimekeeper,
    NoAidYet,
    PostAid,
    AidKindLabel,
    AidTitle,
    AidDetails,
    AidCategoryLabel,
    UrgencyLabel,
    Area,
    Post,
    MatchWith,
    Match,
    MarkResolved,
    Reopen,
    PostedBy,
    PostedOn,
    MatchedWithName,
    Show,
    ShowAll,
    ShowAsks,
    ShowOffers,
    AidExpiryLabel,
    AidExpiryHint,
    NoShiftsYet,
    AddShift,
    ShiftKindLabel,
    ShiftTitle,
    Date,
    TimeOptional,
    Spots,
    SpotsHint,
    SpotsLeft,
    Full,
    SignUp,
    TakeOff,
    NobodySignedUp,
    RecordHours,
    HoursWorked,
    Hours,
    ComingUp,
    Past,
    HoursBySeason,
    NoHoursYet,
    NoLogYet,
    AddLogEntry,
    LogKindLabel,
    Crop,
    Quantity,
    Unit,
    UnitHint,
    LogNote,
    PlotOptional,
    WholeGarden,
    HarvestIn,
    NoHarvestYet,
    ByPlot,
    Season,
    WrittenBy,
    Write,
    MeetingDetails,
    Time,
    Place,
    Roles,
    Attendance,
    PresentCount,
    Agenda,
    NoAgendaYet,
    AddAgendaItem,
    Commitments,
    NoCommitments,
    CarryOver,
    MarkDone,
    FromMeeting,
    Decisions,
    NoDecisionsYet,
    AddDecision,
    DecisionWording,
    ShowOfHands,
    Agree,
    Abstain,
    Disagree,
    Block,
    TallyLine,
    ActionItems,
    NoActionsYet,
    AddAction,
    ActionText,
    Owner,
    DueOptional,
    ByDate,
    PrintableMinutes,
    Print,
    Minutes,
    Notes,
    NeedsMe,
    PickYourself,
    YourPlots,
    YourLoans,
    YourActions,
    YourShifts,
    OpenAsks,
    AllClear,
    ExportIntro,
    ExportPlots,
    ExportLoans,
    ExportAid,
    ExportActions,
    ExportMinutes,
    Garden,
    Plot,
    Squares,
    Item,
    LentOut,
    Returned,
    Renewals,
    Overdue,
    Yes,
    PostedByCol,
    PostedOnCol,
    Meeting,
    ConfirmDeleteShift,
    ConfirmDeleteLog,
    ErrStillHeld,
    ErrAlreadyWaiting,
    PhonesHere,
    PhonesIntro,
    HostPhones,
    JoinPhones,
    MakingCode,
    OfferCode,
    OfferCodeHint,
    AnswerCode,
    AnswerCodeHint,
    CopyCode,
    ReadAnswer,
    ReadHostCode,
    ScanWithCamera,
    StopCamera,
    ReadFromPhoto,
    OrPasteCode,
    Connect,
    PhonesConnected,
    NoPhonesYet,
    APhone,
    PhoneConnecting,
    PhoneSyncing,
    PhoneUpToDate,
    PhoneFailed,
    PhoneLeft,
    StopPhones,
    ErrCodeGarbled,
    ErrCodeNewer,
    ErrCodeWrongSide,
    ErrCodeOtherGroup,
    ErrCodeForYourOtherGroup,
    ErrCodeStale,
    ErrConnectFailed,
    ErrNoNetwork,
    ErrNoCodeInPhoto,
    ErrCameraBlocked,
    UpdatesFile,
    UpdatesFileHint,
    SaveUpdatesFile,
    OpenUpdatesFile,
    UpdatesMerged,
    UpdatesNothingNew,
    ErrFileDamaged,
    ErrFileNewer,
    ErrFileOtherGroup,
    MoreSettings,
    StunServer,
    StunHint,
    ErrStunAddress,
    GroupFromFile,
    GroupFromFileHint,

    Settings,
    SettingsHint,
    Welcome,
    ChooseLanguage,
    LanguageLater,
    Continue,
    NobodyInQueue,
    // issue 16
    ErrSyncPeerUnreadable,
    ErrSyncPeerHostile,
    AnotherTab,
    ServerHeld,
    ConnectAgain,
    StopUsingServer,
    InviteTitle,
    InviteAsk,
    InviteServer,
    InviteNoServer,
    InviteJoin,
    InviteNotNow,
    InviteChangeServer,
    InviteKeepServer,
    InviteIncomplete,
    InviteGroupUnknown,
    InviteSwitch,
    // issue 14
    UnknownValue,
    ChangedElsewhere,
    ChangedByName,
    EmptyValue,
    KeepMine,
    TakeTheirs,
    GroupStale,
    ShiftOn,
    ActionDueOn,
    ActionOverdue,
    FirstNoticeCol,
    FinalNoticeCol,
    PhoneUpToDateOn,
    No,

    // issue 15
    NotSavedIn,
    DiskFull,
    DiskFullShort,
    SaveFailed,
    TryAgain,
    RemoveFromPhone,
    RemoveConfirm,
    SaveAsFile,
    Remove,
    StorageHeading,
    StorageKept,
    StorageMayDelete,
    StorageSafari,
    StoragePrivate,
    NewVersion,
    Reload,
    UnsavedWarning,
    // issue 16
    InviteAskNamed,
    // issue 17
    ShowMorePlots,
    PlotsShown,
    // issue 15, continued
    ServerMissingCount,
    PhoneMissingCount,
    SavedShort,
    UnsharedShort,
    SyncedShort,
    ConnectingShort,
    UnreachableShort,
    SyncPausedShort,
    NoServerShort,
    PersistGranted,
    PersistRefused,
    PersistUnknown,
    // issue 18
    PageUnfetched,
    GettingReady,
    EngineUnfetched,
    // issue 19
    SealedGroup,
    SealOffer,
    SealGroup,
    SealedOn,
    SealServerSees,
    SealBeforeKept,
    SealRefused,
    InviteSealed,
    SealOnCreate,
    ChangeKey,
    ChangeKeyHint,
    // issue 20
    LetNextIn,
    NextPersonHint,
    YouAreIn,
    KeepsReading,
    LoopRefused,
    PhoneLeftPairAgain,
    RoomUpToDate,
    RoomCatchingUp,
    RoomShort,
    // issue 19
    SealNeedsKey,
    SealKeyChanged,
    UpdatesWithKey,
    UpdatesWithKeyHint,
}

/// The message for a refused command, in the member's language.
pub fn refusal(lang: Lang, why: &Refusal) -> String {
    let max = |key, max: &usize| fill(lang.text(key), &[("max", &max.to_string())]);
    let with = |key, name: &str, value: &str| fill(lang.text(key), &[(name, value)]);
    let key = match why {
        Refusal::NameTooLong { max: n } => return max(Key::ErrNameTooLong, n),
        Refusal::LabelTooLong { max: n } => return max(Key::ErrLabelTooLong, n),
        Refusal::SizeTooLong { max: n } => return max(Key::ErrSizeTooLong, n),
        Refusal::TextTooLong { max: n } => return max(Key::ErrTextTooLong, n),
        Refusal::GridTooLarge { max: n } => {
            return fill(lang.text(Key::ErrGridTooLarge), &[("max", &n.to_string())]);
        }
        Refusal::DuplicateLabel { label } => return with(Key::ErrDuplicateLabel, "label", label),
        Refusal::PlotOffMap { label } => return with(Key::ErrPlotOffMap, "label", label),
        Refusal::CellTaken { label } => return with(Key::ErrCellTaken, "label", label),
        Refusal::MemberHoldsPlot { label } => {
            return with(Key::ErrMemberHoldsPlot, "label", label);
        }
        Refusal::PlotTaken { by } => return with(Key::ErrPlotTaken, "by", by),
        Refusal::OnLoan { to } => return with(Key::ErrOnLoan, "to", to),
        Refusal::HeldFor { name } => return with(Key::ErrHeldFor, "name", name),
        Refusal::MemberHasLoan { name } => return with(Key::ErrMemberHasLoan, "name", name),
        Refusal::StillHeld { by } => return with(Key::ErrStillHeld, "by", by),
        Refusal::AlreadyWaiting { name } => return with(Key::ErrAlreadyWaiting, "name", name),
        Refusal::NotEnoughSeeds { left } => {
            return with(Key::ErrNotEnoughSeeds, "left", &left.to_string());
        }
        Refusal::NameEmpty => Key::ErrNameEmpty,
        Refusal::LabelEmpty => Key::ErrLabelEmpty,
        Refusal::NoSuchSite => Key::ErrNoSuchSite,
        Refusal::NoSuchPlot => Key::ErrNoSuchPlot,
        Refusal::NoSuchMember => Key::ErrNoSuchMember,
        Refusal::NoSuchEntry => Key::ErrNoSuchEntry,
        Refusal::NoSuchShift => Key::ErrNoSuchShift,
        Refusal::NoSuchResource => Key::ErrNoSuchResource,
        Refusal::NoSuchLoan => Key::ErrNoSuchLoan,
        Refusal::NoSuchPost => Key::ErrNoSuchPost,
        Refusal::NoSuchItem => Key::ErrNoSuchItem,
        Refusal::IdTaken => Key::ErrIdTaken,
        Refusal::DateInvalid => Key::ErrDateInvalid,
        Refusal::TimeInvalid => Key::ErrTimeInvalid,
        Refusal::DateInPast => Key::ErrDateInPast,
        Refusal::DateInFuture => Key::ErrDateInFuture,
        Refusal::DueBeforeOut => Key::ErrDueBeforeOut,
        Refusal::NumberInvalid => Key::ErrNumberInvalid,
        Refusal::NotHeld => Key::ErrNotHeld,
        Refusal::WrongGarden => Key::ErrWrongGarden,
        Refusal::NoFirstNotice => Key::ErrNoFirstNotice,
        Refusal::FinalBeforeFirst => Key::ErrFinalBeforeFirst,
        Refusal::ShiftFull => Key::ErrShiftFull,
        Refusal::AlreadySignedUp => Key::ErrAlreadySignedUp,
        Refusal::NotSignedUp => Key::ErrNotSignedUp,
        Refusal::TooManyMinutes => Key::ErrTooManyMinutes,
        Refusal::CropEmpty => Key::ErrCropEmpty,
        Refusal::NotLendable => Key::ErrNotLendable,
        Refusal::OthersWaiting => Key::ErrOthersWaiting,
        Refusal::AlreadyReturned => Key::ErrAlreadyReturned,
        Refusal::NotOnLoan => Key::ErrNotOnLoan,
        Refusal::AlreadyHolding => Key::ErrAlreadyHolding,
        Refusal::NotSeeds => Key::ErrNotSeeds,
        Refusal::Unreadable => Key::ErrUnreadable,
        Refusal::NewerSchema => Key::ErrNewerSchema,
        Refusal::Stale => Key::GroupStale,
    };
    lang.text(key).to_owned()
}

/// A count with its noun, in the form the language uses for that number:
/// the key's text holds one form per plural category, split by `|`
/// ("{count} plot|{count} plots"; Chinese has one form).
pub fn counted(lang: Lang, key: Key, count: i64) -> String {
    #[expect(clippy::cast_precision_loss, reason = "counts are far below 2^52")]
    measured(lang, key, count as f64)
}

/// A measure with its unit word, such as hours worked ("1.5 hours").
pub fn measured(lang: Lang, key: Key, value: f64) -> String {
    fill(lang.form(key, value), &[("count", &lang.number(value))])
}

/// The plural categories the catalogue tells apart (CLDR's names).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plural {
    One,
    Other,
}

impl Lang {
    /// The plural category of a number as written (with at most two
    /// decimals), by the CLDR rules of each language.
    pub fn plural(self, value: f64) -> Plural {
        let one = match self {
            // "1 plot", but "0 plots" and "1.5 hours".
            Self::En | Self::Es => self.number(value) == self.number(1.0),
            // Brazilian Portuguese counts 0 and 1 alike: "0 canteiro", "1,5 hora".
            Self::Pt => (0.0..2.0).contains(&value),
            // Chinese nouns do not change with the number.
            Self::Zh => false,
        };
        if one { Plural::One } else { Plural::Other }
    }

    /// How many plural forms each counted text has in this language.
    pub const fn plural_forms(self) -> usize {
        match self {
            Self::Zh => 1,
            Self::En | Self::Es | Self::Pt => 2,
        }
    }

    /// The form of a counted text for a number.
    fn form(self, key: Key, value: f64) -> &'static str {
        let text = self.text(key);
        let mut forms = text.split('|');
        let first = forms.next().unwrap_or(text);
        match self.plural(value) {
            Plural::One => first,
            Plural::Other => forms.next().unwrap_or(first),
        }
    }

    /// The decimal mark and the thousands separator.
    const fn separators(self) -> (char, char) {
        match self {
            Self::En | Self::Zh => ('.', ','),
            Self::Es | Self::Pt => (',', '.'),
        }
    }

    /// A number as the language writes it, with at most two decimals:
    /// 1234.5 is "1,234.5" in English, "1.234,5" in Portuguese and "1234,5"
    /// in Spanish (which groups only from five digits).
    pub fn number(self, value: f64) -> String {
        let (mark, group) = self.separators();
        let fixed = format!("{:.2}", value.abs());
        let (whole, decimals) = fixed.split_once('.').unwrap_or((&fixed, ""));
        let decimals = decimals.trim_end_matches('0');
        let grouped = if self == Self::Es && whole.len() <= 4 {
            whole.to_owned()
        } else {
            let mut out = String::new();
            for (i, digit) in whole.chars().enumerate() {
                if i > 0 && (whole.len() - i) % 3 == 0 {
                    out.push(group);
                }
                out.push(digit);
            }
            out
        };
        let sign = if value < 0.0 && (whole != "0" || !decimals.is_empty()) {
            "-"
        } else {
            ""
        };
        if decimals.is_empty() {
            format!("{sign}{grouped}")
        } else {
            format!("{sign}{grouped}{mark}{decimals}")
        }
    }

    /// Reads a number a member typed: "2,5" or "2.5" in Spanish and
    /// Portuguese, "2.5" in English and Chinese, with or without thousands
    /// separators. `None` if it is not a number.
    pub fn parse_number(self, text: &str) -> Option<f64> {
        let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let (mark, group) = self.separators();
        let plain = if text.contains(mark) {
            text.replace(group, "").replace(mark, ".")
        } else if mark == ',' && is_grouped(&text, '.') {
            // "1.500" in Portuguese is fifteen hundred.
            text.replace('.', "")
        } else if mark == '.' && is_grouped(&text, ',') {
            text.replace(',', "")
        } else {
            // A phone keypad may offer the other mark: "2.5" is read as 2,5.
            text.replace(',', ".")
        };
        let valid = !plain.is_empty()
            && plain.chars().filter(|c| *c == '.').count() <= 1
            && plain
                .strip_prefix('-')
                .unwrap_or(&plain)
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.');
        if !valid {
            return None;
        }
        plain.parse().ok().filter(|n: &f64| n.is_finite())
    }
}

/// Whether `text` is digits split into groups of three by `group`, as in
/// "12,500" (not "2,5").
fn is_grouped(text: &str, group: char) -> bool {
    let mut parts = text.split(group);
    let first = parts.next().unwrap_or_default();
    let rest: Vec<_> = parts.collect();
    !rest.is_empty()
        && (1..=3).contains(&first.trim_start_matches('-').len())
        && rest
            .iter()
            .all(|p| p.len() == 3 && p.bytes().all(|b| b.is_ascii_digit()))
}

/// What a change in an item's history did, from its stamp's action words
/// (see `history::Stamp`), in a word a member knows.
pub fn history_key(action: &str) -> Key {
    match action {
        "lend" => Key::DidLend,
        "return" => Key::DidReturn,
        "renew" => Key::DidRenew,
        "assign plot" | "offer plot" => Key::DidAssign,
        "release plot" => Key::DidRelease,
        "first notice" | "final notice" => Key::DidNotice,
        "place hold" | "cancel hold" => Key::DidHold,
        "take seeds" | "give seeds" => Key::DidSeeds,
        action
            if action.starts_with("add ") || action == "join waitlist" || action == "post aid" =>
        {
            Key::DidAdd
        }
        _ => Key::DidChange,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn placeholders(text: &str) -> BTreeSet<String> {
        text.split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}'))
            .map(|(name, _)| name.to_owned())
            .collect()
    }

    #[test]
    fn every_language_has_every_key_once() {
        for lang in Lang::ALL {
            for key in Key::ALL {
                let found = lang.table().iter().filter(|(k, _)| k == key).count();
                assert_eq!(found, 1, "{lang:?} has {found} texts for {key:?}");
            }
            assert_eq!(
                lang.table().len(),
                Key::ALL.len(),
                "{lang:?} has texts for unknown keys"
            );
        }
    }

    #[test]
    fn every_text_is_filled_in_and_keeps_the_placeholders() {
        for lang in Lang::ALL {
            for key in Key::ALL {
                let text = lookup(lang.table(), *key).unwrap_or_default();
                assert!(!text.trim().is_empty(), "{lang:?} {key:?} is blank");
                assert_eq!(
                    placeholders(text),
                    placeholders(Lang::En.text(*key)),
                    "{lang:?} {key:?}"
                );
            }
        }
    }

    #[test]
    fn every_language_is_translated() {
        for lang in [Lang::Es, Lang::Pt, Lang::Zh] {
            let same: Vec<_> = Key::ALL
                .iter()
                .filter(|key| !matches!(key, Key::AppName | Key::Status | Key::No))
                .filter(|key| lang.text(**key) == Lang::En.text(**key))
                .collect();
            assert!(same.is_empty(), "{lang:?} untranslated: {same:?}");
        }
    }

    #[test]
    fn picks_language_from_browser_tag() {
        assert_eq!(Lang::from_tag("es-MX"), Some(Lang::Es));
        assert_eq!(Lang::from_tag("EN_us"), Some(Lang::En));
        assert_eq!(Lang::from_tag("pt-PT"), Some(Lang::Pt));
        assert_eq!(Lang::from_tag("zh-Hans-CN"), Some(Lang::Zh));
        assert_eq!(Lang::from_tag(Lang::Pt.tag()), Some(Lang::Pt));
        assert_eq!(Lang::from_tag("de"), None);
    }

    #[test]
    fn refusals_read_naturally() {
        let why = Refusal::DuplicateLabel { label: "A3".into() };
        assert_eq!(
            refusal(Lang::En, &why),
            "There is already a plot called A3 in this garden."
        );
        assert_eq!(
            refusal(Lang::Es, &why),
            "Ya hay una parcela llamada A3 en este huerto."
        );
        assert_eq!(counted(Lang::Es, Key::PlotsCount, 1), "1 parcela");
        assert_eq!(counted(Lang::En, Key::PlotsCount, 3), "3 plots");
        assert_eq!(counted(Lang::En, Key::PeopleCount, 1), "1 person");
        assert_eq!(history_key("lend"), Key::DidLend);
        assert_eq!(history_key("add plot"), Key::DidAdd);
        assert_eq!(history_key("a future action"), Key::DidChange);
    }

    #[test]
    fn counts_take_each_languages_plural_form() {
        let plots = |lang, n| counted(lang, Key::PlotsCount, n);
        assert_eq!(plots(Lang::En, 0), "0 plots");
        assert_eq!(plots(Lang::En, 1), "1 plot");
        assert_eq!(plots(Lang::Es, 0), "0 parcelas");
        assert_eq!(plots(Lang::Es, 1), "1 parcela");
        // Portuguese says "0 canteiro", as it says "1 canteiro".
        assert_eq!(plots(Lang::Pt, 0), "0 canteiro");
        assert_eq!(plots(Lang::Pt, 2), "2 canteiros");
        assert_eq!(plots(Lang::Zh, 1), "1块地");
        assert_eq!(plots(Lang::Zh, 2500), "2,500块地");
        assert_eq!(plots(Lang::Pt, 2500), "2.500 canteiros");
        assert_eq!(measured(Lang::En, Key::Hours, 1.5), "1.5 hours");
        assert_eq!(measured(Lang::En, Key::Hours, 1.0), "1 hour");
        assert_eq!(measured(Lang::Pt, Key::Hours, 1.5), "1,5 hora");
        assert_eq!(measured(Lang::Es, Key::Hours, 1.5), "1,5 horas");
        assert_eq!(counted(Lang::En, Key::RenewedTimes, 1), "Renewed once");
        assert_eq!(counted(Lang::Es, Key::RenewedTimes, 3), "Renovado 3 veces");
    }

    #[test]
    fn every_counted_text_has_each_plural_form() {
        for lang in Lang::ALL {
            for key in Key::ALL {
                let counted = Lang::En.text(*key).contains('|');
                let forms = lang.text(*key).split('|').count();
                let wanted = if counted { lang.plural_forms() } else { 1 };
                assert_eq!(forms, wanted, "{lang:?} {key:?}");
            }
        }
    }

    #[test]
    fn numbers_are_written_and_read_the_local_way() {
        assert_eq!(Lang::En.number(1234.5), "1,234.5");
        assert_eq!(Lang::Zh.number(0.25), "0.25");
        assert_eq!(Lang::Pt.number(1234.5), "1.234,5");
        assert_eq!(Lang::Es.number(1234.5), "1234,5");
        assert_eq!(Lang::Es.number(12345.0), "12.345");
        assert_eq!(Lang::En.number(2.0), "2");
        assert_eq!(Lang::En.number(1_000_000.0), "1,000,000");
        assert_eq!(Lang::Pt.number(-3.5), "-3,5");
        assert_eq!(Lang::En.number(2.0 / 3.0), "0.67");

        assert_eq!(Lang::Pt.parse_number("2,5"), Some(2.5));
        assert_eq!(Lang::Pt.parse_number(" 2.5 "), Some(2.5));
        assert_eq!(Lang::Pt.parse_number("1.500"), Some(1500.0));
        assert_eq!(Lang::Pt.parse_number("1.234,5"), Some(1234.5));
        assert_eq!(Lang::Es.parse_number("0,75"), Some(0.75));
        assert_eq!(Lang::En.parse_number("1,234.5"), Some(1234.5));
        assert_eq!(Lang::En.parse_number("12,500"), Some(12500.0));
        assert_eq!(Lang::En.parse_number("2,5"), Some(2.5));
        assert_eq!(Lang::Zh.parse_number("3"), Some(3.0));
        assert_eq!(Lang::En.parse_number("-2"), Some(-2.0));
        for bad in [
            "", "abc", "2..5", "2,5,5", "1e9", "NaN", "inf", "2 kg", "--1",
        ] {
            assert_eq!(Lang::Pt.parse_number(bad), None, "{bad}");
            assert_eq!(Lang::En.parse_number(bad), None, "{bad}");
        }
        for lang in Lang::ALL {
            for value in [0.0, 0.5, 2.25, 999.0, 1234.5, 98_765.43] {
                assert_eq!(
                    lang.parse_number(&lang.number(value)),
                    Some(value),
                    "{lang:?}"
                );
            }
        }
    }
}
