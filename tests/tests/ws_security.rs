//! WS-Security `UsernameToken` (`SoapClient::set_username_token`) over a real HTTP server:
//! the `wsse:Security` header with the password as text or as a digest (checked against the
//! nonce and creation time the request carries), an optional timestamp, nothing without a
//! token, and replies carrying a `wsse:Security` header marked mustUnderstand.

mod addressing {
    include!("../snapshots/addressing.rs");
}

use std::time::Duration;

use addressing::IClockClient;
use roxmltree::{Document, Node};
use wsdlgen_runtime::Base64Binary;
use wsdlgen_runtime::codegen::SimpleType;
use wsdlgen_runtime::codegen::security::{PasswordType, UsernameToken, WSSE_NS, WSU_NS, password_digest};
use wsdlgen_tests::support::http::{Request, Response, TestServer};
use wsdlgen_tests::support::instance::{SOAP11_NS, standalone};

const NOW_RESPONSE: &str =
    r#"<NowResponse xmlns="http://tempuri.org/"><NowResult>2026-11-29T08:00:00Z</NowResult></NowResponse>"#;

fn reply(header: &str) -> Response {
    Response::xml(
        200,
        format!(
            r#"<s:Envelope xmlns:s="{SOAP11_NS}"><s:Header>{header}</s:Header><s:Body>{NOW_RESPONSE}</s:Body></s:Envelope>"#
        ),
    )
}

/// The text of the first element `{ns}local` under `node`.
fn text<'a>(node: Node<'a, '_>, ns: &str, local: &str) -> Option<&'a str> {
    node.descendants().find(|n| n.has_tag_name((ns, local))).and_then(|n| n.text())
}

fn security_header(request: &Request) -> Option<String> {
    let body = request.body_text();
    let doc = Document::parse(&body).unwrap();
    let header = doc.descendants().find(|n| n.has_tag_name((SOAP11_NS, "Header")))?;
    let security = header.children().find(|n| n.has_tag_name((WSSE_NS, "Security")))?;
    assert_eq!(security.attribute((SOAP11_NS, "mustUnderstand")), Some("1"));
    Some(standalone(security))
}

#[tokio::test]
async fn username_token_with_the_password_as_text() {
    let server = TestServer::always(reply(""));
    let mut client = IClockClient::new(server.url());
    client.soap_client_mut().set_username_token(Some(UsernameToken::new("jane", "s3cr&t <x>")));
    assert!(!format!("{client:?}").contains("s3cr&t"), "the password shows in Debug");
    client.now().await.unwrap();

    let xml = security_header(&server.requests()[0]).expect("a wsse:Security header");
    let doc = Document::parse(&xml).unwrap();
    let root = doc.root_element();
    assert_eq!(text(root, WSSE_NS, "Username"), Some("jane"));
    let password = root.descendants().find(|n| n.has_tag_name((WSSE_NS, "Password"))).unwrap();
    assert_eq!(password.text(), Some("s3cr&t <x>"));
    assert!(password.attribute("Type").unwrap().ends_with("#PasswordText"));
    // No digest parts and no timestamp unless asked for.
    assert_eq!(text(root, WSSE_NS, "Nonce"), None);
    assert!(root.descendants().all(|n| !n.has_tag_name((WSU_NS, "Timestamp"))));
}

#[tokio::test]
async fn username_token_with_a_password_digest_and_a_timestamp() {
    let server = TestServer::always(reply(""));
    let mut client = IClockClient::new(server.url());
    let token = UsernameToken::new("jane", "s3cr&t")
        .with_password_type(PasswordType::Digest)
        .with_timestamp(Duration::from_secs(300));
    client.soap_client_mut().set_username_token(Some(token));
    client.now().await.unwrap();
    client.now().await.unwrap();

    let mut nonces = Vec::new();
    for request in server.requests() {
        let xml = security_header(&request).expect("a wsse:Security header");
        let doc = Document::parse(&xml).unwrap();
        let root = doc.root_element();
        let token = root.descendants().find(|n| n.has_tag_name((WSSE_NS, "UsernameToken"))).unwrap();
        let password = token.descendants().find(|n| n.has_tag_name((WSSE_NS, "Password"))).unwrap();
        assert!(password.attribute("Type").unwrap().ends_with("#PasswordDigest"));
        let nonce = text(token, WSSE_NS, "Nonce").unwrap();
        let created = text(token, WSU_NS, "Created").unwrap();
        let nonce_bytes = <Base64Binary as SimpleType>::parse_text(nonce).unwrap().to_vec();
        assert_eq!(nonce_bytes.len(), 16);
        // The digest is of this request's own nonce and creation time (the digest function
        // itself has a known-answer test in the runtime).
        assert_eq!(password.text(), Some(password_digest(&nonce_bytes, created, "s3cr&t").as_str()));
        assert!(!xml.contains("s3cr&amp;t"), "the password itself is not sent: {xml}");
        // The timestamp: created now, expiring 300 s later.
        let ts = root.descendants().find(|n| n.has_tag_name((WSU_NS, "Timestamp"))).unwrap();
        let (ts_created, expires) = (text(ts, WSU_NS, "Created").unwrap(), text(ts, WSU_NS, "Expires").unwrap());
        assert_eq!(ts_created, created);
        let seconds = |t: &str| -> i64 {
            let hms: Vec<i64> = t[11..19].split(':').map(|p| p.parse().unwrap()).collect();
            hms[0] * 3600 + hms[1] * 60 + hms[2]
        };
        assert_eq!((seconds(expires) - seconds(created)).rem_euclid(86_400), 300, "{created} {expires}");
        nonces.push(nonce.to_owned());
    }
    assert_ne!(nonces[0], nonces[1], "a fresh nonce per request");
}

#[tokio::test]
async fn no_token_no_security_header_and_replies_may_carry_one() {
    let timestamp = format!(
        r#"<o:Security xmlns:o="{WSSE_NS}" xmlns:u="{WSU_NS}" s:mustUnderstand="1"><u:Timestamp><u:Created>2026-11-29T08:00:00Z</u:Created><u:Expires>2026-11-29T08:05:00Z</u:Expires></u:Timestamp></o:Security>"#
    );
    let server = TestServer::always(reply(&timestamp));
    let client = IClockClient::new(server.url());
    let now = client.now().await.unwrap();
    assert_eq!(now.to_string(), "2026-11-29T08:00:00Z");
    assert_eq!(security_header(&server.requests()[0]), None);
}
