//! A WS-Security `UsernameToken` as a request carries it, and checking its password.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::security::{WSSE_NS, WSU_NS, password_digest};
use crate::xml::{DecodeError, Start, XmlReader};

const PASSWORD_DIGEST: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest";

/// The `wsse:UsernameToken` of a request's `wsse:Security` header. Nothing in it has been
/// checked; `Debug` does not show the password.
#[derive(Clone, PartialEq, Eq)]
pub struct ReceivedUsernameToken {
    username: String,
    password: String,
    digest: bool,
    nonce: Option<Vec<u8>>,
    created: Option<String>,
}

impl fmt::Debug for ReceivedUsernameToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReceivedUsernameToken")
            .field("username", &self.username)
            .field("password", &format_args!("<redacted>"))
            .field("digest", &self.digest)
            .field("created", &self.created)
            .finish_non_exhaustive()
    }
}

impl ReceivedUsernameToken {
    /// The user name.
    pub fn username(&self) -> &str {
        &self.username
    }

    /// Whether the password came as a digest (`#PasswordDigest`) rather than as text.
    pub fn is_digest(&self) -> bool {
        self.digest
    }

    /// The token's `wsu:Created` time as sent (digests include it; checking that it is recent
    /// is how a service refuses replays).
    pub fn created(&self) -> Option<&str> {
        self.created.as_deref()
    }

    /// Whether the token proves knowledge of `password`: equal text, or a digest
    /// `Base64(SHA-1(nonce + created + password))` equal to the one sent. Compared in
    /// constant time.
    pub fn verify(&self, password: &str) -> bool {
        let expected = if self.digest {
            let (Some(nonce), Some(created)) = (&self.nonce, &self.created) else {
                return false;
            };
            password_digest(nonce, created, password)
        } else {
            password.to_owned()
        };
        constant_time_eq(expected.as_bytes(), self.password.as_bytes())
    }

    /// Reads the `UsernameToken` out of a `wsse:Security` header entry (`None` if it has none).
    pub(crate) fn read<'a>(r: &mut XmlReader<'a>, security: &Start<'a>) -> Result<Option<Self>, DecodeError> {
        let _ = security;
        let mut found = None;
        while let Some(child) = r.next_child()? {
            if !child.is(WSSE_NS, "UsernameToken") {
                r.skip(&child)?;
                continue;
            }
            let mut token = ReceivedUsernameToken {
                username: String::new(),
                password: String::new(),
                digest: false,
                nonce: None,
                created: None,
            };
            while let Some(part) = r.next_child()? {
                match (part.ns(), part.local()) {
                    (WSSE_NS, "Username") => token.username = r.text(&part)?.trim().to_owned(),
                    (WSSE_NS, "Password") => {
                        token.digest = r.attribute(&part, "", "Type")?.is_some_and(|t| t == PASSWORD_DIGEST);
                        token.password = r.text(&part)?.into_owned();
                    }
                    (WSSE_NS, "Nonce") => token.nonce = STANDARD.decode(r.text(&part)?.trim()).ok(),
                    (WSU_NS, "Created") => token.created = Some(r.text(&part)?.trim().to_owned()),
                    _ => r.skip(&part)?,
                }
            }
            found = Some(token);
        }
        Ok(found)
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::security::UsernameToken;
    use crate::xml::XmlWriter;
    use std::time::Duration;

    fn received(token: &UsernameToken) -> ReceivedUsernameToken {
        let mut w = XmlWriter::new();
        w.open("s:Header");
        w.attribute("xmlns:s", "http://schemas.xmlsoap.org/soap/envelope/");
        w.close_open();
        token.write_at(&mut w, "s", Duration::from_secs(1_800_000_000), [7; 16]);
        w.end("s:Header");
        let xml = w.into_inner();
        let mut r = XmlReader::new(&xml);
        r.root().unwrap();
        let security = r.next_child().unwrap().unwrap();
        ReceivedUsernameToken::read(&mut r, &security).unwrap().expect("a token")
    }

    #[test]
    fn text_and_digest_passwords_verify() {
        let text = received(&UsernameToken::new("jane", "s3cr&t"));
        assert_eq!(text.username(), "jane");
        assert!(!text.is_digest());
        assert!(text.verify("s3cr&t"));
        assert!(!text.verify("s3cr&u"));

        let digest =
            received(&UsernameToken::new("jane", "s3cr&t").with_password_type(crate::security::PasswordType::Digest));
        assert!(digest.is_digest());
        assert_eq!(digest.created(), Some("2027-01-15T08:00:00.000Z"));
        assert!(digest.verify("s3cr&t"));
        assert!(!digest.verify("s3cr&"));
        assert!(!format!("{digest:?}").contains("s3cr"));
    }
}
