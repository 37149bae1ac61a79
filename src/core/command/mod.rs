//! What a member can do to a group document: validated edits.
//!
//! A command is checked against the current state first; a refused command
//! changes nothing. An accepted one is written with autosurgeon and committed
//! as one automerge change, stamped with the time the shell passed in and,
//! in its message, the member who made it (see [`super::history`]).

mod aid;
mod garden;
mod library;
mod meeting;
mod members;
mod write;

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{AutoCommit, ObjId, ObjType, ROOT, ReadDoc, Value};
use autosurgeon::{Reconcile, hydrate, reconcile, reconcile_prop};

pub use meeting::{
    MeetingCommand, NotesCopy, Role, apply_meeting, caret_after_merge, edit_notes, edit_notes_from,
    heal_meeting, new_meeting, notes_now, read_meeting,
};

use super::date::Date;
use super::history::Stamp;
use super::model::{
    AidCategory, AidKind, Category, Condition, Group, LogKind, PlotStatus, SCHEMA_VERSION,
    ShiftKind, Urgency,
};
use super::text::{char_len, clean_line};

pub const MAX_NAME: usize = 80;
pub const MAX_LABEL: usize = 24;
pub const MAX_SIZE: usize = 40;
/// Notes, details and decisions: a few paragraphs.
pub const MAX_NOTE: usize = 2000;
/// Short free text: a place, an area, a contact, a unit.
pub const MAX_SHORT: usize = 120;

/// When and by whom a command is made: passed in by the shell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct At {
    /// Milliseconds since the Unix epoch.
    pub now: i64,
    /// The day it is on the member's own calendar.
    pub today: Date,
    /// The member this phone says it is ("this is me"), if chosen.
    pub by: Option<String>,
}

impl At {
    /// A moment with today's date taken in UTC and no member: for tests and
    /// tools; the app passes the member's local day.
    pub const fn utc(now: i64) -> Self {
        Self {
            now,
            today: Date::from_unix_ms(now, 0),
            by: None,
        }
    }

    #[must_use]
    pub fn by(mut self, member: &str) -> Self {
        self.by = Some(member.to_owned());
        self
    }

    /// The garden season (calendar year) today falls in.
    pub const fn season(&self) -> i64 {
        self.today.year()
    }
}

impl From<i64> for At {
    fn from(now: i64) -> Self {
        Self::utc(now)
    }
}

/// A member's edit of a group document. Ids of new things are chosen by the
/// shell (random) and passed in. Dates are `YYYY-MM-DD` as typed.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Changes nothing: makes sure the copy commands run on is current
    /// (refused with [`Refusal::Stale`] while it cannot be read).
    Verify,
    RenameGroup {
        name: String,
    },
    SetAidExpiry {
        days: i64,
    },
    AddMember {
        id: String,
        name: String,
    },
    EditMember {
        member: String,
        details: MemberDetails,
    },
    /// Refused while they hold a plot, a loan or a hold.
    RemoveMember {
        member: String,
    },
    AddSite {
        id: String,
        name: String,
    },
    RenameSite {
        site: String,
        name: String,
    },
    /// Sets the plot map's grid; refused if a plot would fall outside it.
    LayOutSite {
        site: String,
        rows: i64,
        cols: i64,
    },
    AddPlot {
        id: String,
        site: String,
        label: String,
        size: String,
        status: PlotStatus,
    },
    /// Changes only the fields given (`Some`): what the member changed.
    EditPlot {
        plot: String,
        label: Option<String>,
        size: Option<String>,
        status: Option<PlotStatus>,
    },
    SetPlotNotes {
        plot: String,
        notes: String,
    },
    /// Puts a plot on the map: the cells it covers (none to take it off).
    PlacePlot {
        plot: String,
        cells: Vec<(u64, u64)>,
    },
    /// Gives a plot to a member for a season; `alongside` adds a co-holder
    /// to a plot already held, otherwise a held plot is refused.
    AssignPlot {
        plot: String,
        season: i64,
        member: String,
        alongside: bool,
    },
    /// Frees a plot for a season: no holders, available, notices cleared.
    ReleasePlot {
        plot: String,
        season: i64,
    },
    MarkAttention {
        plot: String,
        note: String,
    },
    RecordNotice {
        plot: String,
        last: bool,
        date: String,
    },
    /// The plot is looked after again: notices cleared.
    ClearAttention {
        plot: String,
    },
    DeletePlot {
        plot: String,
    },
    JoinWaitlist {
        id: String,
        site: String,
        name: String,
        contact: String,
        member: Option<String>,
        priority: String,
    },
    LeaveWaitlist {
        entry: String,
    },
    /// Offers a plot to someone on the waitlist: they become its holder
    /// (and a member, as `new_member`, if they were not one).
    OfferPlot {
        plot: String,
        entry: String,
        season: i64,
        new_member: String,
    },
    AddShift {
        id: String,
        site: String,
        kind: ShiftKind,
        title: String,
        date: String,
        time: String,
        spots: i64,
    },
    SignUp {
        shift: String,
        member: String,
    },
    LeaveShift {
        shift: String,
        member: String,
    },
    RecordHours {
        shift: String,
        member: String,
        minutes: i64,
    },
    DeleteShift {
        shift: String,
    },
    AddLog {
        id: String,
        site: String,
        plot: Option<String>,
        kind: LogKind,
        date: String,
        crop: String,
        quantity: f64,
        unit: String,
        note: String,
    },
    DeleteLog {
        entry: String,
    },
    AddResource {
        id: String,
        name: String,
        category: Category,
        kept_at: String,
        notes: String,
        packets: i64,
    },
    /// Changes only the fields given (`Some`).
    EditResource {
        resource: String,
        name: Option<String>,
        category: Option<Category>,
        condition: Option<Condition>,
        kept_at: Option<String>,
        notes: Option<String>,
    },
    Lend {
        id: String,
        resource: String,
        borrower: String,
        due: String,
    },
    Renew {
        loan: String,
        due: String,
    },
    Return {
        loan: String,
    },
    PlaceHold {
        id: String,
        resource: String,
        member: String,
    },
    CancelHold {
        hold: String,
    },
    /// Seed packets out of (`packets` > 0 taken) or back into the library.
    TakeSeeds {
        id: String,
        resource: String,
        member: Option<String>,
        packets: i64,
    },
    GiveSeeds {
        id: String,
        resource: String,
        member: Option<String>,
        packets: i64,
    },
    PostAid {
        id: String,
        kind: AidKind,
        title: String,
        details: String,
        category: AidCategory,
        urgency: Urgency,
        area: String,
    },
    MatchAid {
        post: String,
        member: String,
    },
    AidDone {
        post: String,
    },
    ReopenAid {
        post: String,
    },
    /// Lists a meeting whose document was made with [`new_meeting`].
    AddMeeting {
        id: String,
        title: String,
    },
    /// Keeps the group's list in step with a meeting's title and date.
    ListMeeting {
        id: String,
        title: String,
        date: String,
    },
}

/// What a member says about themself: only the fields given (`Some`)
/// change, so two people editing different fields both keep theirs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MemberDetails {
    pub name: Option<String>,
    pub languages: Option<String>,
    pub contact: Option<String>,
    pub coordinator: Option<bool>,
    pub point_person: Option<bool>,
}

/// Why a command was refused. Each has a message in every language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    NameEmpty,
    NameTooLong {
        max: usize,
    },
    LabelEmpty,
    LabelTooLong {
        max: usize,
    },
    SizeTooLong {
        max: usize,
    },
    TextTooLong {
        max: usize,
    },
    DuplicateLabel {
        label: String,
    },
    NoSuchSite,
    NoSuchPlot,
    NoSuchMember,
    NoSuchEntry,
    NoSuchShift,
    NoSuchResource,
    NoSuchLoan,
    NoSuchPost,
    NoSuchItem,
    IdTaken,
    DateInvalid,
    TimeInvalid,
    /// A date that must not be before today (a due date, a work day).
    DateInPast,
    /// A date of something that already happened, set in the future.
    DateInFuture,
    DueBeforeOut,
    NumberInvalid,
    GridTooLarge {
        max: u64,
    },
    PlotOffMap {
        label: String,
    },
    CellTaken {
        label: String,
    },
    PlotTaken {
        by: String,
    },
    NotHeld,
    WrongGarden,
    NoFirstNotice,
    FinalBeforeFirst,
    ShiftFull,
    AlreadySignedUp,
    /// A plot someone holds this season cannot be made available.
    StillHeld {
        by: String,
    },
    /// The same person is already waiting in this garden.
    AlreadyWaiting {
        name: String,
    },
    NotSignedUp,
    TooManyMinutes,
    CropEmpty,
    OnLoan {
        to: String,
    },
    NotLendable,
    HeldFor {
        name: String,
    },
    OthersWaiting,
    AlreadyReturned,
    NotOnLoan,
    AlreadyHolding,
    NotSeeds,
    NotEnoughSeeds {
        left: i64,
    },
    MemberHoldsPlot {
        label: String,
    },
    MemberHasLoan {
        name: String,
    },
    /// The document does not have the shape this version understands.
    Unreadable,
    /// A newer version of the app wrote this document; editing it here could
    /// lose what this version does not know about.
    NewerSchema,
    /// The copy on this phone could not be read again after another phone
    /// changed it: editing it would write old values over newer ones.
    Stale,
}

// ---- checks shared by every area ----

fn name(text: &str) -> Result<String, Refusal> {
    let text = clean_line(text);
    if text.is_empty() {
        Err(Refusal::NameEmpty)
    } else if char_len(&text) > MAX_NAME {
        Err(Refusal::NameTooLong { max: MAX_NAME })
    } else {
        Ok(text)
    }
}

/// One line of optional text, up to `max` characters.
fn line(text: &str, max: usize) -> Result<String, Refusal> {
    let text = clean_line(text);
    if char_len(&text) > max {
        Err(Refusal::TextTooLong { max })
    } else {
        Ok(text)
    }
}

/// Text that keeps its line breaks (notes, decisions), trimmed.
fn note(text: &str) -> Result<String, Refusal> {
    let text = text.trim().replace("\r\n", "\n");
    if char_len(&text) > MAX_NOTE {
        Err(Refusal::TextTooLong { max: MAX_NOTE })
    } else {
        Ok(text)
    }
}

fn date(text: &str) -> Result<Date, Refusal> {
    Date::parse(text).ok_or(Refusal::DateInvalid)
}

/// A date that must be today or later.
fn coming(text: &str, at: &At) -> Result<Date, Refusal> {
    let day = date(text)?;
    if day < at.today {
        Err(Refusal::DateInPast)
    } else {
        Ok(day)
    }
}

/// A date of something that happened: today or before.
fn happened(text: &str, at: &At) -> Result<Date, Refusal> {
    let day = date(text)?;
    if day > at.today {
        Err(Refusal::DateInFuture)
    } else {
        Ok(day)
    }
}

/// `HH:MM`, or empty.
fn time(text: &str) -> Result<String, Refusal> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(String::new());
    }
    let fine = text.len() == 5
        && text.as_bytes()[2] == b':'
        && text[..2].parse::<u8>().is_ok_and(|h| h < 24)
        && text[3..].parse::<u8>().is_ok_and(|m| m < 60);
    if fine {
        Ok(text.to_owned())
    } else {
        Err(Refusal::TimeInvalid)
    }
}

fn fresh(taken: bool) -> Result<(), Refusal> {
    if taken { Err(Refusal::IdTaken) } else { Ok(()) }
}

fn member(group: &Group, id: &str) -> Result<(), Refusal> {
    if group.members.contains_key(id) {
        Ok(())
    } else {
        Err(Refusal::NoSuchMember)
    }
}

fn member_name(group: &Group, id: &str) -> String {
    group.member_name(id).unwrap_or_default().to_owned()
}

/// Reads the group out of its document, leniently (see
/// [`crate::core::model`]'s `lenient`): what another automerge app wrote
/// reads, and an entry that cannot be read is left out rather than hiding
/// the rest.
///
/// # Errors
/// [`Refusal::Unreadable`] when the document is not a group document at
/// all: no group name and no members, or a meeting.
pub fn read(doc: &AutoCommit) -> Result<Group, Refusal> {
    let has = |key: &str| matches!(doc.get(ROOT, key), Ok(Some(_)));
    let is_group = (has("name") || has("members") || has("plots")) && !has("group");
    if !is_group {
        return Err(Refusal::Unreadable);
    }
    // One walk over the document, then every field from memory.
    hydrate(&crate::core::model::OnePass::new(doc)).map_err(|_| Refusal::Unreadable)
}

/// Creates a new group document, with every container it will hold made up
/// front so that later concurrent edits never race to create one.
///
/// # Errors
/// When the name is empty or too long.
pub fn new_group(
    actor: automerge::ActorId,
    group_name: &str,
    now: i64,
) -> Result<(AutoCommit, Group), Refusal> {
    let group = Group {
        schema: SCHEMA_VERSION,
        name: name(group_name)?,
        created_at: now,
        aid_expiry_days: 30,
        ..Group::default()
    };
    let mut doc = AutoCommit::new().with_actor(actor);
    reconcile(&mut doc, &group).map_err(|_| Refusal::Unreadable)?;
    doc.commit_with(
        CommitOptions::default()
            .with_time(now / 1000)
            .with_message("create group"),
    );
    Ok((doc, group))
}

/// Applies a command to a group document and returns the group as it is now.
///
/// # Errors
/// The refusal, when the command does not fit the group; the document is
/// then unchanged.
pub fn apply(doc: &mut AutoCommit, command: &Command, at: impl Into<At>) -> Result<Group, Refusal> {
    let mut group = read(doc)?;
    apply_on(doc, &mut group, command, &at.into())?;
    Ok(group)
}

/// Applies a command given the group as already read from `doc`, and keeps
/// that copy up to date. Only the entries the command touched are written,
/// so a command costs the same in a garden of 5 plots as in one of 500.
///
/// # Errors
/// The refusal; the document and `group` are then unchanged.
pub fn apply_on(
    doc: &mut AutoCommit,
    group: &mut Group,
    command: &Command,
    at: &At,
) -> Result<(), Refusal> {
    // Never edit a copy that is no longer current: re-read it first, and
    // refuse while it cannot be read (writing from an old copy would put
    // old values over newer ones).
    if group.read_at.0 != doc.get_heads() {
        *group = read(doc).map_err(|_| Refusal::Stale)?;
    }
    if matches!(command, Command::Verify) {
        return Ok(());
    }
    if group.schema > SCHEMA_VERSION {
        return Err(Refusal::NewerSchema);
    }
    let touched = edit(group, command, at)?;
    if write(doc, group, &touched).is_err() {
        // The document is not the shape it claims to be: undo and re-read.
        doc.rollback();
        *group = read(doc)?;
        return Err(Refusal::Unreadable);
    }
    let stamp = Stamp {
        action: action(command).to_owned(),
        items: subjects(group, &touched),
        by: at.by.clone(),
    };
    doc.commit_with(
        CommitOptions::default()
            .with_time(at.now / 1000)
            .with_message(stamp.encode()),
    );
    group.read_at = super::model::ReadAt(doc.get_heads());
    Ok(())
}

/// The ids a change is about: the entries it touched, and for a loan, hold
/// or seed packets the item and the member, so their histories show it.
fn subjects(group: &Group, touched: &[Touched]) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    let mut add = |id: &str| {
        if !ids.iter().any(|known| known == id) {
            ids.push(id.to_owned());
        }
    };
    for change in touched {
        let Some(id) = change.id() else { continue };
        add(id);
        if let Touched::Put(field, _) = change {
            match field {
                Field::Loans => {
                    if let Some(loan) = group.loans.get(id) {
                        add(&loan.resource);
                        add(&loan.borrower);
                    }
                }
                Field::Holds => {
                    if let Some(hold) = group.holds.get(id) {
                        add(&hold.resource);
                    }
                }
                Field::SeedMoves => {
                    if let Some(moved) = group.seed_moves.get(id) {
                        add(&moved.resource);
                    }
                }
                _ => {}
            }
        }
    }
    ids
}

/// A map at the root of the group document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Members,
    Sites,
    Plots,
    Meetings,
    Waitlist,
    Shifts,
    Log,
    Resources,
    Loans,
    Holds,
    SeedMoves,
    Aid,
}

impl Field {
    /// Its name in the document.
    pub const fn key(self) -> &'static str {
        match self {
            Self::Members => "members",
            Self::Sites => "sites",
            Self::Plots => "plots",
            Self::Meetings => "meetings",
            Self::Waitlist => "waitlist",
            Self::Shifts => "shifts",
            Self::Log => "log",
            Self::Resources => "resources",
            Self::Loans => "loans",
            Self::Holds => "holds",
            Self::SeedMoves => "seed_moves",
            Self::Aid => "aid",
        }
    }

    pub const ALL: [Self; 12] = [
        Self::Members,
        Self::Sites,
        Self::Plots,
        Self::Meetings,
        Self::Waitlist,
        Self::Shifts,
        Self::Log,
        Self::Resources,
        Self::Loans,
        Self::Holds,
        Self::SeedMoves,
        Self::Aid,
    ];
}

/// An entry of the group a command changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Touched {
    Name,
    AidExpiry,
    Put(Field, String),
    Removed(Field, String),
}

impl Touched {
    fn id(&self) -> Option<&str> {
        match self {
            Self::Put(_, id) | Self::Removed(_, id) => Some(id),
            Self::Name | Self::AidExpiry => None,
        }
    }
}

/// The map at a root field, made if a group from an earlier version lacks it.
pub(crate) fn root_map(doc: &mut AutoCommit, field: &str) -> Result<ObjId, Refusal> {
    match doc.get(ROOT, field) {
        Ok(Some((Value::Object(ObjType::Map), id))) => Ok(id),
        Ok(None) => doc
            .put_object(ROOT, field, ObjType::Map)
            .map_err(|_| Refusal::Unreadable),
        _ => Err(Refusal::Unreadable),
    }
}

/// Writes what a command changed of one entry. The copy the command ran on
/// was current (`apply_on` makes sure), so the entry as the document holds
/// it now is the entry as the command found it: only what differs from it
/// is written.
fn put<T: Reconcile + autosurgeon::Hydrate>(
    doc: &mut AutoCommit,
    field: Field,
    id: &str,
    value: Option<&T>,
) -> Result<(), Refusal> {
    let map = root_map(doc, field.key())?;
    let value = value.ok_or(Refusal::Unreadable)?;
    let before: Option<T> = autosurgeon::hydrate_prop(doc, &map, id).ok();
    write::entry(doc, &map, id, before.as_ref(), value)
}

fn write(doc: &mut AutoCommit, group: &Group, touched: &[Touched]) -> Result<(), Refusal> {
    for change in touched {
        match change {
            Touched::Name => {
                reconcile_prop(doc, ROOT, "name", &group.name).map_err(|_| Refusal::Unreadable)?;
            }
            Touched::AidExpiry => {
                reconcile_prop(
                    doc,
                    ROOT,
                    "aid_expiry_days",
                    super::model::signed(&group.aid_expiry_days),
                )
                .map_err(|_| Refusal::Unreadable)?;
            }
            Touched::Removed(field, id) => {
                let map = root_map(doc, field.key())?;
                doc.delete(&map, id.as_str())
                    .map_err(|_| Refusal::Unreadable)?;
            }
            Touched::Put(field, id) => {
                let key = id.as_str();
                macro_rules! put_in {
                    ($map:ident) => {
                        put(doc, *field, key, group.$map.get(key))
                    };
                }
                match field {
                    Field::Members => put_in!(members),
                    Field::Sites => put_in!(sites),
                    Field::Plots => put_in!(plots),
                    Field::Meetings => put_in!(meetings),
                    Field::Waitlist => put_in!(waitlist),
                    Field::Shifts => put_in!(shifts),
                    Field::Log => put_in!(log),
                    Field::Resources => put_in!(resources),
                    Field::Loans => put_in!(loans),
                    Field::Holds => put_in!(holds),
                    Field::SeedMoves => put_in!(seed_moves),
                    Field::Aid => put_in!(aid),
                }?;
            }
        }
    }
    Ok(())
}

/// Two phones with a group from an earlier version may each create one of
/// its new maps while apart; automerge then keeps one map and hides the
/// other. This moves every entry of the hidden maps into the one shown, so
/// nothing either phone added is lost, and empties the hidden ones in the
/// same change, so nothing is adopted twice and an entry deleted after the
/// repair stays deleted. Entries are copied as stored, fields this version
/// does not know included. Returns true if it changed anything (the change
/// is committed).
pub fn heal(doc: &mut AutoCommit, now: i64) -> bool {
    let keys: Vec<&str> = Field::ALL.iter().map(|f| f.key()).collect();
    heal_maps(doc, &keys, now)
}

/// [`heal`] for the given root maps of any document.
pub(crate) fn heal_maps(doc: &mut AutoCommit, keys: &[&str], now: i64) -> bool {
    let mut healed = false;
    for key in keys {
        let Ok(all) = doc.get_all(ROOT, *key) else {
            continue;
        };
        let Ok(Some((Value::Object(ObjType::Map), shown))) = doc.get(ROOT, *key) else {
            continue;
        };
        let hidden: Vec<ObjId> = all
            .into_iter()
            .filter_map(|(value, id)| {
                (matches!(value, Value::Object(ObjType::Map)) && id != shown).then_some(id)
            })
            .collect();
        for map in hidden {
            healed |= adopt(doc, &shown, &map);
        }
    }
    if healed {
        doc.commit_with(
            CommitOptions::default()
                .with_time(now / 1000)
                .with_message("merge maps made twice"),
        );
    }
    healed
}

/// Moves the entries of `hidden` into `shown` (those `shown` lacks) and
/// deletes them from `hidden`.
fn adopt(doc: &mut AutoCommit, shown: &ObjId, hidden: &ObjId) -> bool {
    let ids: Vec<String> = doc.keys(hidden).collect();
    let mut moved = false;
    for id in ids {
        if matches!(doc.get(shown, id.as_str()), Ok(None))
            && let Some(entry) = write::Tree::read(doc, hidden, id.as_str())
        {
            moved |= entry.put(doc, shown, &id).is_ok();
        }
        moved |= doc.delete(hidden, id.as_str()).is_ok();
    }
    moved
}

/// The words a change is remembered by in an item's history.
fn action(command: &Command) -> &'static str {
    match command {
        Command::Verify => "verify",
        Command::RenameGroup { .. } => "rename group",
        Command::SetAidExpiry { .. } => "set aid expiry",
        Command::AddMember { .. } => "add member",
        Command::EditMember { .. } => "edit member",
        Command::RemoveMember { .. } => "remove member",
        Command::AddSite { .. } => "add site",
        Command::RenameSite { .. } => "rename site",
        Command::LayOutSite { .. } => "lay out site",
        Command::AddPlot { .. } => "add plot",
        Command::EditPlot { .. } => "edit plot",
        Command::SetPlotNotes { .. } => "edit plot notes",
        Command::PlacePlot { .. } => "place plot",
        Command::AssignPlot { .. } => "assign plot",
        Command::ReleasePlot { .. } => "release plot",
        Command::MarkAttention { .. } => "mark attention",
        Command::RecordNotice { last: false, .. } => "first notice",
        Command::RecordNotice { last: true, .. } => "final notice",
        Command::ClearAttention { .. } => "clear attention",
        Command::DeletePlot { .. } => "delete plot",
        Command::JoinWaitlist { .. } => "join waitlist",
        Command::LeaveWaitlist { .. } => "leave waitlist",
        Command::OfferPlot { .. } => "offer plot",
        Command::AddShift { .. } => "add shift",
        Command::SignUp { .. } => "sign up",
        Command::LeaveShift { .. } => "leave shift",
        Command::RecordHours { .. } => "record hours",
        Command::DeleteShift { .. } => "delete shift",
        Command::AddLog { .. } => "add log",
        Command::DeleteLog { .. } => "delete log",
        Command::AddResource { .. } => "add resource",
        Command::EditResource { .. } => "edit resource",
        Command::Lend { .. } => "lend",
        Command::Renew { .. } => "renew",
        Command::Return { .. } => "return",
        Command::PlaceHold { .. } => "place hold",
        Command::CancelHold { .. } => "cancel hold",
        Command::TakeSeeds { .. } => "take seeds",
        Command::GiveSeeds { .. } => "give seeds",
        Command::PostAid { .. } => "post aid",
        Command::MatchAid { .. } => "match aid",
        Command::AidDone { .. } => "aid done",
        Command::ReopenAid { .. } => "reopen aid",
        Command::AddMeeting { .. } => "add meeting",
        Command::ListMeeting { .. } => "list meeting",
    }
}

/// The pure edit of the hydrated group: validation and change together.
/// Returns the entries that changed.
///
/// Every check comes before the first change, so a refusal leaves `group`
/// as it was.
///
/// # Errors
/// The refusal; `group` is then unchanged.
pub fn edit(group: &mut Group, command: &Command, at: &At) -> Result<Vec<Touched>, Refusal> {
    match command {
        Command::Verify => Ok(Vec::new()),
        Command::RenameGroup { name: new } => {
            group.name = name(new)?;
            Ok(vec![Touched::Name])
        }
        Command::SetAidExpiry { days } => {
            group.aid_expiry_days = u64::try_from(*days)
                .ok()
                .filter(|d| *d <= 3650)
                .ok_or(Refusal::NumberInvalid)?;
            Ok(vec![Touched::AidExpiry])
        }
        Command::AddMember { .. } | Command::EditMember { .. } | Command::RemoveMember { .. } => {
            members::edit(group, command, at)
        }
        Command::AddSite { .. }
        | Command::RenameSite { .. }
        | Command::LayOutSite { .. }
        | Command::AddPlot { .. }
        | Command::EditPlot { .. }
        | Command::SetPlotNotes { .. }
        | Command::PlacePlot { .. }
        | Command::AssignPlot { .. }
        | Command::ReleasePlot { .. }
        | Command::MarkAttention { .. }
        | Command::RecordNotice { .. }
        | Command::ClearAttention { .. }
        | Command::DeletePlot { .. }
        | Command::JoinWaitlist { .. }
        | Command::LeaveWaitlist { .. }
        | Command::OfferPlot { .. }
        | Command::AddShift { .. }
        | Command::SignUp { .. }
        | Command::LeaveShift { .. }
        | Command::RecordHours { .. }
        | Command::DeleteShift { .. }
        | Command::AddLog { .. }
        | Command::DeleteLog { .. } => garden::edit(group, command, at),
        Command::AddResource { .. }
        | Command::EditResource { .. }
        | Command::Lend { .. }
        | Command::Renew { .. }
        | Command::Return { .. }
        | Command::PlaceHold { .. }
        | Command::CancelHold { .. }
        | Command::TakeSeeds { .. }
        | Command::GiveSeeds { .. } => library::edit(group, command, at),
        Command::PostAid { .. }
        | Command::MatchAid { .. }
        | Command::AidDone { .. }
        | Command::ReopenAid { .. } => aid::edit(group, command, at),
        Command::AddMeeting { id, title } => {
            fresh(group.meetings.contains_key(id))?;
            let entry = super::model::MeetingEntry {
                title: name(title)?,
                created_at: at.now,
                date: String::new(),
            };
            group.meetings.insert(id.clone(), entry);
            Ok(vec![Touched::Put(Field::Meetings, id.clone())])
        }
        Command::ListMeeting {
            id,
            title,
            date: day,
        } => {
            let title = name(title)?;
            let day = if day.trim().is_empty() {
                String::new()
            } else {
                date(day)?.to_string()
            };
            let entry = group.meetings.get_mut(id).ok_or(Refusal::NoSuchItem)?;
            entry.title = title;
            entry.date = day;
            Ok(vec![Touched::Put(Field::Meetings, id.clone())])
        }
    }
}
