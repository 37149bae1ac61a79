//! Documents, their automerge-repo compatible ids, how they are stored, and
//! how they are synced: the wire protocol and the sans-IO sync engine.

mod document_id;
pub mod guard;
pub mod message;
pub mod saving;
mod storage;
pub mod sync;

pub use document_id::{DocumentId, DocumentIdError};
pub use storage::{
    ChunkInfo, ChunkKey, ChunkKind, LoadReport, SavePlan, StoredDoc, hex, should_compact,
};
