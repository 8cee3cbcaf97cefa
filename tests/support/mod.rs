//! Reusable test support modules.

pub mod examples;
pub mod http;
pub mod instance;
pub mod instance_any;
pub mod schema;
pub mod xmltext;
pub mod xsd;
pub mod xsd_regex;
