//! The domain: a community group, its gardens (sites), plots and members,
//! as they are stored in the group's automerge document (see docs/schema.md).

mod group;

pub use group::{Group, Member, Plot, PlotStatus, SCHEMA_VERSION, Site, natural_cmp};
