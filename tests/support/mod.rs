//! Reusable test support modules.

pub mod http;
pub mod instance;
pub mod schema;
