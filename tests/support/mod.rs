//! Reusable test support modules.

pub mod http;
pub mod schema;
