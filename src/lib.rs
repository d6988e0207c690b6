//! clearance: a discrete-event simulation of backlog clearance through registration, screening,
//! health checks, bus transport and port-of-entry queues, with Monte-Carlo replications.
//!
//! Layers, dependencies pointing one way: `cli` -> `experiment` -> `model` -> `engine`;
//! `scenario` feeds the model; `stats` and `output` are leaves that read result structs.

pub mod bytes;
pub mod calibrate;
pub mod cli;
pub mod engine;
pub mod experiment;
pub mod model;
pub mod observed;
pub mod output;
pub mod scenario;
pub mod stats;
