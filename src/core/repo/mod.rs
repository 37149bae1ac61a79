//! Documents, their automerge-repo compatible ids, and how they are stored.

mod document_id;
mod storage;

pub use document_id::{DocumentId, DocumentIdError};
pub use storage::{
    ChunkInfo, ChunkKey, ChunkKind, LoadReport, SavePlan, StoredDoc, should_compact,
};
