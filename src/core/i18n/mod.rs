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
    PlotsOne,
    PlotsOther,
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
    OtherTabsOne,
    OtherTabsOther,
    UnsharedOne,
    UnsharedOther,
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
    PeopleOne,
    SquaresChosenOne,
    PacketsLeftOne,
    RenewedOnce,
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
    SpotsLeftOne,
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
    PresentOne,
    Agenda,
    NoAgendaYet,
    AddAgendaItem,
    AgendaItem,
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
    SeeAll,
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
    };
    lang.text(key).to_owned()
}

/// A count with its noun: `one` for exactly one, `other` otherwise.
pub fn counted(lang: Lang, one: Key, other: Key, count: i64) -> String {
    let key = if count == 1 { one } else { other };
    fill(lang.text(key), &[("count", &count.to_string())])
}

/// "1 plot" / "5 plots".
pub fn plot_count(lang: Lang, count: usize) -> String {
    counted(
        lang,
        Key::PlotsOne,
        Key::PlotsOther,
        i64::try_from(count).unwrap_or(i64::MAX),
    )
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
                .filter(|key| !matches!(key, Key::AppName | Key::Status))
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
        assert_eq!(plot_count(Lang::Es, 1), "1 parcela");
        assert_eq!(plot_count(Lang::En, 3), "3 plots");
        assert_eq!(
            counted(Lang::En, Key::PeopleOne, Key::PeopleCount, 1),
            "1 person"
        );
        assert_eq!(history_key("lend"), Key::DidLend);
        assert_eq!(history_key("add plot"), Key::DidAdd);
        assert_eq!(history_key("a future action"), Key::DidChange);
    }
}
