//! Scenarios: the TOML format of MODEL.md §2, its validation, and the resolved `Scenario` the
//! simulation runs on.

pub mod dist;
pub mod types;

pub use dist::{Dist, SizeDist};
pub use types::*;

use std::path::Path;

/// Every problem found in a scenario file, collected before anything runs.
#[derive(Debug, thiserror::Error)]
#[error("scenario {file} is invalid")]
pub struct ScenarioError {
    pub file: String,
}

/// Read and validate a scenario file.
pub fn load_file(path: &Path) -> Result<Scenario, ScenarioError> {
    let _ = path;
    unimplemented!("scenario loader")
}

/// Validate scenario text; `file` names it in messages.
pub fn load_str(src: &str, file: &str) -> Result<Scenario, ScenarioError> {
    let _ = (src, file);
    unimplemented!("scenario loader")
}
