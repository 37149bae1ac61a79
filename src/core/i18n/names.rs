//! The member's word for each fixed value the model stores.

use super::Key;
use crate::core::command::Role;
use crate::core::model::{
    ActionStatus, AidCategory, AidKind, AidStatus, Category, Condition, LogKind, PlotStatus,
    ShiftKind, Urgency,
};

/// A value shown to members by name.
pub trait Named: Copy {
    fn key(self) -> Key;
}

macro_rules! named {
    ($type:ty { $($value:ident => $key:path),+ $(,)? }) => {
        impl Named for $type {
            fn key(self) -> Key {
                match self {
                    $(Self::$value => $key,)+
                    #[allow(unreachable_patterns, reason = "Role has no unknown value")]
                    _ => Key::UnknownValue,
                }
            }
        }
    };
}

named!(PlotStatus {
    Available => Key::StatusAvailable,
    Assigned => Key::StatusAssigned,
    NeedsAttention => Key::StatusNeedsAttention,
    Fallow => Key::StatusFallow,
});
named!(Category {
    Tool => Key::CategoryTool,
    Equipment => Key::CategoryEquipment,
    Seeds => Key::CategorySeeds,
    Space => Key::CategorySpace,
});
named!(Condition {
    Available => Key::StandingAvailable,
    NeedsRepair => Key::StandingNeedsRepair,
    Missing => Key::StandingMissing,
    Retired => Key::StandingRetired,
});
named!(AidKind {
    Ask => Key::KindAsk,
    Offer => Key::KindOffer,
});
named!(AidCategory {
    Food => Key::AidFood,
    Transport => Key::AidTransport,
    Childcare => Key::AidChildcare,
    Housing => Key::AidHousing,
    Health => Key::AidHealth,
    Errands => Key::AidErrands,
    Other => Key::AidOther,
});
named!(Urgency {
    Normal => Key::UrgencyNormal,
    Soon => Key::UrgencySoon,
    Urgent => Key::UrgencyUrgent,
});
named!(AidStatus {
    Open => Key::AidOpen,
    Matched => Key::AidMatched,
    Done => Key::AidDoneStatus,
});
named!(ShiftKind {
    WorkDay => Key::ShiftWorkDay,
    Watering => Key::ShiftWatering,
});
named!(LogKind {
    Harvest => Key::LogHarvest,
    Observation => Key::LogObservation,
    Watering => Key::LogWatering,
    Pest => Key::LogPest,
});
named!(ActionStatus {
    Open => Key::ActionOpen,
    Done => Key::ActionDone,
    CarriedOver => Key::ActionCarried,
});
named!(Role {
    Facilitator => Key::RoleFacilitator,
    NoteTaker => Key::RoleNoteTaker,
    Timekeeper => Key::RoleTimekeeper,
});
