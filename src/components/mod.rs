pub mod celebration;
pub mod children_badges;
pub mod content_gate;
pub mod keep_badge;
pub mod nav;
pub mod progress_bar;
pub mod sync_status;
pub mod update_banner;
