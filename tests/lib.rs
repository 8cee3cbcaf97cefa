//! Shared support code for the workspace-level integration tests in `tests/tests/*.rs`.
//!
//! - [`support::http`]: a small real HTTP/1.1 server (tokio, 127.0.0.1, random port) with canned
//!   responses and deliberate misbehaviours for transport failure tests.
//! - [`support::schema`]: XML Schema validation with the real `xmllint` (Debian `libxml2-utils`),
//!   against the schemas embedded in a WSDL file and against SOAP 1.1/1.2 envelope schemas.
//!
//! Run the tests with `scripts/test.sh`, which installs `xmllint` when it is missing.

pub mod support;
