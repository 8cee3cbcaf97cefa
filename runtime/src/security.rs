//! WS-Security (OASIS Web Services Security 1.0/1.1) `UsernameToken`: the `wsse:Security`
//! header that services behind a `sp:UsernameToken` policy (usually over TLS, as
//! `sp:TransportBinding` with signed supporting tokens) expect with every request.
//!
//! The password goes as text (`#PasswordText`, for TLS) or as a digest
//! (`#PasswordDigest`: Base64(SHA-1(nonce + created + password)), with a fresh nonce and the
//! creation time); an optional `wsu:Timestamp` bounds the message's lifetime. See
//! [`SoapClient::set_username_token`](crate::SoapClient::set_username_token).
//!
//! Responses: a `wsse:Security` header in a reply (a timestamp, as CXF and WCF send back) is
//! accepted even when marked `mustUnderstand`. Nothing in it is verified: this client relies on
//! TLS and implements no message-level signatures or encryption.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::DateTime;
use crate::xml::XmlWriter;

/// The WS-Security 1.0 "secext" namespace (`wsse`).
pub const WSSE_NS: &str = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
/// The WS-Security utility namespace (`wsu`: `Timestamp`, `Created`, `Id`).
pub const WSU_NS: &str = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
const TOKEN_PROFILE: &str = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0";
const BASE64_BINARY: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary";

/// Whether header entries in namespace `ns` are WS-Security headers.
pub fn is_security_ns(ns: &str) -> bool {
    ns == WSSE_NS || ns == WSU_NS
}

/// How the password travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PasswordType {
    /// In clear (`#PasswordText`): for TLS connections, what most services expect.
    #[default]
    Text,
    /// `Base64(SHA-1(nonce + created + password))` (`#PasswordDigest`), with a nonce and a
    /// creation time of its own in every request.
    Digest,
}

/// A WS-Security (OASIS Web Services Security 1.0/1.1) `UsernameToken` to send in a
/// `wsse:Security` header with every request: what services behind a `sp:UsernameToken`
/// policy (usually over TLS, as `sp:TransportBinding` with signed supporting tokens) expect.
/// Set it with [`SoapClient::set_username_token`](crate::SoapClient::set_username_token).
///
/// The password goes as text (`#PasswordText`, for TLS) or as a digest (`#PasswordDigest`:
/// Base64(SHA-1(nonce + created + password)), with a fresh nonce and the creation time in
/// every request); an optional `wsu:Timestamp` bounds the message's lifetime. `Debug` does
/// not show the password.
///
/// A `wsse:Security` header in a reply (a timestamp, as CXF and WCF send back) is accepted even
/// when marked `mustUnderstand`. Nothing in it is verified: this client relies on TLS and
/// implements no message-level signatures or encryption.
///
/// ```
/// use std::time::Duration;
/// use wsdlgen_runtime::{PasswordType, SoapClient, UsernameToken};
///
/// let token = UsernameToken::new("jane", "s3cret")
///     .with_password_type(PasswordType::Digest)
///     .with_timestamp(Duration::from_secs(300));
/// assert!(!format!("{token:?}").contains("s3cret"));
///
/// let mut client = SoapClient::new("https://example.com/Service.svc");
/// client.set_username_token(Some(token));
/// assert_eq!(client.username_token().map(UsernameToken::username), Some("jane"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct UsernameToken {
    username: String,
    password: String,
    password_type: PasswordType,
    timestamp: Option<Duration>,
}

impl fmt::Debug for UsernameToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UsernameToken")
            .field("username", &self.username)
            .field("password", &format_args!("<redacted>"))
            .field("password_type", &self.password_type)
            .field("timestamp", &self.timestamp)
            .finish()
    }
}

impl UsernameToken {
    /// A token with the password as text.
    pub fn new(username: impl Into<String>, password: impl Into<String>) -> Self {
        Self {
            username: username.into(),
            password: password.into(),
            password_type: PasswordType::Text,
            timestamp: None,
        }
    }

    /// Sends the password as a digest instead (with a nonce and a creation time).
    pub fn with_password_type(mut self, password_type: PasswordType) -> Self {
        self.password_type = password_type;
        self
    }

    /// Adds a `wsu:Timestamp` whose `Expires` is `ttl` after its `Created` (services whose
    /// policy has `sp:IncludeTimestamp` want one).
    pub fn with_timestamp(mut self, ttl: Duration) -> Self {
        self.timestamp = Some(ttl);
        self
    }

    /// The user name.
    pub fn username(&self) -> &str {
        &self.username
    }

    #[doc(hidden)]
    /// Writes the `wsse:Security` header entry for a request sent now; `env` is the prefix of
    /// the envelope namespace.
    pub fn write(&self, w: &mut XmlWriter, env: &str) {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
        self.write_at(w, env, now, crate::addressing::unique_bytes());
    }

    #[doc(hidden)]
    /// [`write`](Self::write) for a given time (since the Unix epoch) and nonce.
    pub fn write_at(&self, w: &mut XmlWriter, env: &str, now: Duration, nonce: [u8; 16]) {
        let created = utc_timestamp(now);
        w.open("wsse:Security");
        w.attribute("xmlns:wsse", WSSE_NS);
        w.attribute("xmlns:wsu", WSU_NS);
        w.attribute(&format!("{env}:mustUnderstand"), "1");
        w.close_open();
        if let Some(ttl) = self.timestamp {
            w.open("wsu:Timestamp");
            w.attribute("wsu:Id", "TS-1");
            w.close_open();
            w.start("wsu:Created");
            w.text(&created);
            w.end("wsu:Created");
            w.start("wsu:Expires");
            w.text(&utc_timestamp(now + ttl));
            w.end("wsu:Expires");
            w.end("wsu:Timestamp");
        }
        w.open("wsse:UsernameToken");
        w.attribute("wsu:Id", "UsernameToken-1");
        w.close_open();
        w.start("wsse:Username");
        w.text(&self.username);
        w.end("wsse:Username");
        w.open("wsse:Password");
        match self.password_type {
            PasswordType::Text => {
                w.attribute("Type", &format!("{TOKEN_PROFILE}#PasswordText"));
                w.close_open();
                w.text(&self.password);
                w.end("wsse:Password");
            }
            PasswordType::Digest => {
                w.attribute("Type", &format!("{TOKEN_PROFILE}#PasswordDigest"));
                w.close_open();
                w.text(&password_digest(&nonce, &created, &self.password));
                w.end("wsse:Password");
                w.open("wsse:Nonce");
                w.attribute("EncodingType", BASE64_BINARY);
                w.close_open();
                w.text(&STANDARD.encode(nonce));
                w.end("wsse:Nonce");
                w.start("wsu:Created");
                w.text(&created);
                w.end("wsu:Created");
            }
        }
        w.end("wsse:UsernameToken");
        w.end("wsse:Security");
    }
}

/// `Base64(SHA-1(nonce + created + password))`, the UsernameToken profile's password digest.
pub fn password_digest(nonce: &[u8], created: &str, password: &str) -> String {
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY);
    ctx.update(nonce);
    ctx.update(created.as_bytes());
    ctx.update(password.as_bytes());
    STANDARD.encode(ctx.finish().as_ref())
}

/// `since_epoch` as an `xs:dateTime` in UTC with milliseconds: `2026-11-29T08:47:00.123Z`
/// (through the crate's one calendar, [`DateTime`]'s).
pub fn utc_timestamp(since_epoch: Duration) -> String {
    let millis = since_epoch.subsec_millis();
    let at = UNIX_EPOCH.checked_add(Duration::from_secs(since_epoch.as_secs()));
    at.and_then(|at| DateTime::try_from(at).ok())
        .and_then(|t| t.with_nanos(millis * 1_000_000, 3).ok())
        // A clock more than two billion years ahead: the latest instant XML Schema can write here.
        .unwrap_or_else(|| DateTime::new(i32::MAX, 12, 31, 23, 59, 59).unwrap_or_default())
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_utc_with_milliseconds() {
        assert_eq!(utc_timestamp(Duration::ZERO), "1970-01-01T00:00:00.000Z");
        assert_eq!(utc_timestamp(Duration::from_millis(1_700_000_000_123)), "2023-11-14T22:13:20.123Z");
        // 2024 is a leap year; 2100 is not.
        assert_eq!(utc_timestamp(Duration::from_secs(1_709_164_800)), "2024-02-29T00:00:00.000Z");
        assert_eq!(utc_timestamp(Duration::from_secs(4_107_542_400)), "2100-03-01T00:00:00.000Z");
    }

    /// Known answer, computed independently (Python's hashlib and base64) for this nonce,
    /// creation time and password.
    #[test]
    fn password_digest_known_answer() {
        let nonce: Vec<u8> = (0u8..16).collect();
        assert_eq!(password_digest(&nonce, "2026-11-29T08:00:00.000Z", "s3cr&t"), "VsRED2CJg3k/RPcG8uRtZ5LP520=");
    }

    #[test]
    fn the_password_is_not_in_debug_output() {
        let token = UsernameToken::new("jane", "hunter2");
        assert!(!format!("{token:?}").contains("hunter2"));
    }
}
