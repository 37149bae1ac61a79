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
    ($type:ty { $($value:ident => $key:ident),+ $(,)? }) => {
        impl Named for $type {
            fn key(self) -> Key {
                match self {
                    $(Self::$value => Key::$key),+
                }
            }
        }
    };
}

named!(PlotStatus {
    Available => StatusAvailable,
    Assigned => StatusAssigned,
    NeedsAttention => StatusNeedsAttention,
    Fallow => StatusFallow,
});
named!(Category {
    Tool => CategoryTool,
    Equipment => CategoryEquipment,
    Seeds => CategorySeeds,
    Space => CategorySpace,
});
named!(Condition {
    Available => StandingAvailable,
    NeedsRepair => StandingNeedsRepair,
    Missing => StandingMissing,
    Retired => StandingRetired,
});
named!(AidKind {
    Ask => KindAsk,
    Offer => KindOffer,
});
named!(AidCategory {
    Food => AidFood,
    Transport => AidTransport,
    Childcare => AidChildcare,
    Housing => AidHousing,
    Health => AidHealth,
    Errands => AidErrands,
    Other => AidOther,
});
named!(Urgency {
    Normal => UrgencyNormal,
    Soon => UrgencySoon,
    Urgent => UrgencyUrgent,
});
named!(AidStatus {
    Open => AidOpen,
    Matched => AidMatched,
    Done => AidDoneStatus,
});
named!(ShiftKind {
    WorkDay => ShiftWorkDay,
    Watering => ShiftWatering,
});
named!(LogKind {
    Harvest => LogHarvest,
    Observation => LogObservation,
    Watering => LogWatering,
    Pest => LogPest,
});
named!(ActionStatus {
    Open => ActionOpen,
    Done => ActionDone,
    CarriedOver => ActionCarried,
});
named!(Role {
    Facilitator => RoleFacilitator,
    NoteTaker => RoleNoteTaker,
    Timekeeper => RoleTimekeeper,
});
