pub mod content_gate;
pub mod sync_status;
