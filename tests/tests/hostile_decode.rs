//! Decoding hostile and unusual responses with the generated `services87` decoders:
//! strict about what would lose data, lenient about what is harmless, bounded in depth (and so
//! in stack), list length and time, and able to decode a realistic 10,000-row list with the
//! default limits.

use std::time::{Duration, Instant};

use services87::runtime::codegen::decode_response;
use services87::runtime::{DecodeErrorKind, DecodeLimits, Error, Nillable};
use services87::user::{GetUserInfoList, SaveCredential, UserClient, UserType};
use wsdlgen_tests::support::http::{Response, TestServer};

const NS: &str = "http://www.superoffice.net/ws/crm/NetServer/Services87";
const SOAP11_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";

type UserError = services87::user::Error;

fn envelope(header: &str, body: &str) -> String {
    format!(r#"<s:Envelope xmlns:s="{SOAP11_NS}"><s:Header>{header}</s:Header><s:Body>{body}</s:Body></s:Envelope>"#)
}

fn save_credential_body(response: &str) -> String {
    format!(r#"<SaveCredentialResponse xmlns="{NS}">{response}</SaveCredentialResponse>"#)
}

fn decode_save(input: &str) -> Result<Option<bool>, UserError> {
    decode_response::<SaveCredential>(input.as_bytes(), DecodeLimits::default()).map(|reply| reply.body.response)
}

fn decode_error(e: UserError) -> services87::runtime::DecodeError {
    match e {
        Error::Decode(e) => e,
        other => panic!("expected a decode error, got {other:?}"),
    }
}

/// Runs `f` on a thread with a 2 MiB stack, the default for spawned threads and tokio workers.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new().stack_size(2 * 1024 * 1024).spawn(f).expect("spawn").join().expect("no panic")
}

// ---------------------------------------------------------------------------------------------
// strict about what would lose data
// ---------------------------------------------------------------------------------------------

#[test]
fn a_value_that_does_not_parse_names_the_element_path() {
    let e = decode_error(decode_save(&envelope("", &save_credential_body("<Response>yes</Response>"))).unwrap_err());
    assert!(matches!(e.kind, DecodeErrorKind::Value(_)), "{e}");
    assert_eq!(e.path, "Envelope/Body/SaveCredentialResponse/Response");
    assert!(e.to_string().contains("\"yes\""), "{e}");

    // In a header entry.
    let header = format!(r#"<h:Succeeded xmlns:h="{NS}">maybe</h:Succeeded>"#);
    let e =
        decode_error(decode_save(&envelope(&header, &save_credential_body("<Response>true</Response>"))).unwrap_err());
    assert_eq!(e.path, "Envelope/Header/Succeeded");
}

/// A response element is expected: an empty body is an error at `Envelope/Body` (only
/// operations whose output has no part, or none at all, accept one).
#[test]
fn an_empty_body_where_a_response_is_expected_is_an_error() {
    for body in ["", "   "] {
        let e = decode_error(decode_save(&envelope("", body)).unwrap_err());
        assert_eq!(e.path, "Envelope/Body");
        assert!(matches!(&e.kind, DecodeErrorKind::Envelope(m) if m == "the Body is empty"), "{e}");
    }
}

#[test]
fn a_missing_required_element_names_the_element_path() {
    // A dictionary entry's `Value` is required (nillable, but it must be there).
    let header = format!(
        r#"<h:ExtraInfo xmlns:h="{NS}" xmlns="{NS}"><ExtraInfoNameValuePair><Key>ServerVersion</Key></ExtraInfoNameValuePair></h:ExtraInfo>"#
    );
    let e =
        decode_error(decode_save(&envelope(&header, &save_credential_body("<Response>true</Response>"))).unwrap_err());
    assert_eq!(e.kind, DecodeErrorKind::Missing("Value".into()));
    assert_eq!(e.path, "Envelope/Header/ExtraInfo/ExtraInfoNameValuePair/Value");
}

#[test]
fn a_duplicate_of_a_non_repeating_element_is_an_error() {
    let e = decode_error(
        decode_save(&envelope("", &save_credential_body("<Response>true</Response><Response>false</Response>")))
            .unwrap_err(),
    );
    assert_eq!(e.kind, DecodeErrorKind::Duplicate("Response".into()));
    assert_eq!(e.path, "Envelope/Body/SaveCredentialResponse/Response");

    // A duplicate header entry.
    let succeeded = format!(r#"<h:Succeeded xmlns:h="{NS}">true</h:Succeeded>"#);
    let e = decode_error(
        decode_save(&envelope(&succeeded.repeat(2), &save_credential_body("<Response>true</Response>"))).unwrap_err(),
    );
    assert_eq!(e.kind, DecodeErrorKind::Duplicate("Succeeded".into()));

    // A second response element in the body.
    let body = save_credential_body("<Response>true</Response>");
    let e = decode_error(decode_save(&envelope("", &body.repeat(2))).unwrap_err());
    assert_eq!(e.kind, DecodeErrorKind::Duplicate("SaveCredentialResponse".into()));
}

#[test]
fn an_unknown_must_understand_header_is_reported() {
    let header = r#"<w:Security xmlns:w="urn:wsse" s:mustUnderstand="1">x</w:Security>"#;
    let e =
        decode_error(decode_save(&envelope(header, &save_credential_body("<Response>true</Response>"))).unwrap_err());
    assert_eq!(e.kind, DecodeErrorKind::MustUnderstand { ns: "urn:wsse".into(), local: "Security".into() });
    assert_eq!(e.path, "Envelope/Header/Security");
    // Without the mark it is skipped.
    let header = r#"<w:Security xmlns:w="urn:wsse">x</w:Security>"#;
    assert_eq!(decode_save(&envelope(header, &save_credential_body("<Response>true</Response>"))).unwrap(), Some(true));
}

// ---------------------------------------------------------------------------------------------
// lenient about what is harmless
// ---------------------------------------------------------------------------------------------

#[test]
fn unknown_elements_whitespace_comments_pis_and_xsi_type_of_the_declared_type_are_accepted() {
    let header = format!(
        r#"
        <!-- a comment --><?trace id="1"?>
        <x:Unknown xmlns:x="urn:unknown"><x:Nested a="1"><x:Deeper/></x:Nested></x:Unknown>
        <h:Succeeded xmlns:h="{NS}"> true </h:Succeeded>
        "#
    );
    let body = format!(
        r#"
        <?pi?><r:SaveCredentialResponse xmlns:r="{NS}" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"
              xmlns:xs="http://www.w3.org/2001/XMLSchema">
          <r:AddedInAFutureVersion><r:Anything/></r:AddedInAFutureVersion>
          <!-- c --><r:Response i:type="xs:boolean">
            <!-- c -->true<?pi?>
          </r:Response>
          <Unqualified/>
        </r:SaveCredentialResponse>
        "#
    );
    let reply =
        decode_response::<SaveCredential>(envelope(&header, &body).as_bytes(), DecodeLimits::default()).unwrap();
    assert_eq!(reply.body.response, Some(true));
    assert_eq!(reply.headers.succeeded, Some(true));
}

// ---------------------------------------------------------------------------------------------
// depth, stack, list length
// ---------------------------------------------------------------------------------------------

/// An `ExceptionInfo` header whose `InnerException`s nest so that the innermost (nil) one sits
/// at element depth `depth` (the envelope is depth 1, the header entry depth 3).
fn nested_exceptions(depth: usize) -> String {
    let levels = depth - 3;
    let mut header = format!(
        r#"<h:ExceptionInfo xmlns:h="{NS}" xmlns="{NS}" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><Message>level 0</Message>"#
    );
    for level in 1..levels {
        header.push_str(&format!("<InnerException><Message>level {level}</Message>"));
    }
    header.push_str(r#"<InnerException i:nil="true"/>"#);
    header.push_str(&"</InnerException>".repeat(levels - 1));
    header.push_str("</h:ExceptionInfo>");
    header.push_str(&format!(r#"<h:Succeeded xmlns:h="{NS}">false</h:Succeeded>"#));
    envelope(&header, &save_credential_body("<Response>false</Response>"))
}

#[test]
fn recursion_to_the_depth_limit_fits_a_2_mib_stack() {
    // The generated decoder recurses once per InnerException: 61 levels at the default limit
    // of 64. This runs in a debug build, whose frames are the largest.
    let limit = DecodeLimits::default().max_depth;
    let input = nested_exceptions(limit);
    let info =
        on_small_stack(move || match decode_response::<SaveCredential>(input.as_bytes(), DecodeLimits::default()) {
            Err(Error::Service(info)) => info,
            other => panic!("expected the service error, got {other:?}"),
        });
    let mut levels = 1;
    let mut e = &*info;
    while let Nillable::Value(inner) = &e.inner_exception {
        levels += 1;
        e = inner;
    }
    assert_eq!(levels, limit - 3, "the innermost InnerException is nil");

    // Twice the default still fits comfortably: the default leaves headroom.
    let input = nested_exceptions(2 * limit);
    let limits = DecodeLimits::default().with_max_depth(2 * limit);
    on_small_stack(move || {
        assert!(matches!(decode_response::<SaveCredential>(input.as_bytes(), limits), Err(Error::Service(_))))
    });
}

#[test]
fn recursion_beyond_the_depth_limit_is_a_depth_error() {
    let input = nested_exceptions(100_000);
    let started = Instant::now();
    let e = on_small_stack(move || {
        decode_response::<SaveCredential>(input.as_bytes(), DecodeLimits::default()).unwrap_err()
    });
    assert!(started.elapsed() < Duration::from_secs(2));
    let e = decode_error(e);
    assert_eq!(e.kind, DecodeErrorKind::Limit { what: "element nesting depth", limit: 64 });
    assert!(e.path.starts_with("Envelope/Header/ExceptionInfo/InnerException/InnerException"), "{}", e.path);
}

/// One WCF-style `UserInfo` row as SuperOffice sends it, with `FieldProperties` and licences.
fn user_info_row(i: usize) -> String {
    let field = |name: &str, length: i32| {
        format!(
            "<FieldPropertyDictionaryKeyValuePair><Key>{name}</Key><Value><FieldRight><Mask>Read Write</Mask><Reason/></FieldRight>\
             <FieldType>System.String</FieldType><FieldLength>{length}</FieldLength></Value></FieldPropertyDictionaryKeyValuePair>"
        )
    };
    format!(
        "<UserInfo><TableRight><Mask>Select Update Insert Delete</Mask><Reason/></TableRight><FieldProperties>{}{}{}</FieldProperties>\
         <Deleted>false</Deleted><UserInfoId>{i}</UserInfoId><UserName>user.{i}@example.com</UserName><PersonId>{}</PersonId>\
         <Rank>{}</Rank><Tooltip>User number {i} &amp; friends</Tooltip><UserGroupId>7</UserGroupId><EjUserId>0</EjUserId>\
         <UserType>InternalAssociate</UserType><GrantedLicenses><b:string>SuperOffice.Sales.User</b:string>\
         <b:string>SuperOffice.Service.User</b:string><b:string>SuperOffice.Marketing.User</b:string></GrantedLicenses>\
         <CanLogon>true</CanLogon><RoleName>User (full rights)</RoleName><RoleTooltip>Role for sales people</RoleTooltip>\
         <UserGroupName>Sales Norway</UserGroupName><UserGroupTooltip>Sales team in Oslo</UserGroupTooltip></UserInfo>",
        field("UserName", 254),
        field("Tooltip", 2000),
        field("RoleName", 254),
        1000 + i,
        i % 100,
    )
}

/// A `GetUserInfoList` response with `rows` rows.
fn user_info_list(rows: usize) -> String {
    let mut body = format!(
        r#"<GetUserInfoListResponse xmlns="{NS}"><Response xmlns:b="http://schemas.microsoft.com/2003/10/Serialization/Arrays" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">"#
    );
    for i in 0..rows {
        body.push_str(&user_info_row(i));
    }
    body.push_str("</Response></GetUserInfoListResponse>");
    let header = format!(r#"<h:Succeeded xmlns:h="{NS}">true</h:Succeeded>"#);
    envelope(&header, &body)
}

#[test]
fn a_10000_row_user_info_list_decodes_with_the_default_limits() {
    let input = user_info_list(10_000);
    // Well inside the default response size limit.
    assert!(input.len() < services87::runtime::DEFAULT_MAX_RESPONSE_SIZE / 4, "{} bytes", input.len());
    let reply = decode_response::<GetUserInfoList>(input.as_bytes(), DecodeLimits::default()).unwrap();
    let rows = reply.body.response.into_option().unwrap();
    assert_eq!(rows.len(), 10_000);
    let last = rows[9_999].as_ref().unwrap();
    assert_eq!(last.user_info_id, Some(9_999));
    assert_eq!(last.user_type, Some(UserType::InternalAssociate));
    assert_eq!(last.tooltip.value().map(String::as_str), Some("User number 9999 & friends"));
    assert_eq!(last.field_properties.value().unwrap().len(), 3);
}

#[tokio::test]
async fn a_10000_row_user_info_list_passes_the_default_limits_over_http() {
    let server = TestServer::always(Response::xml(200, user_info_list(10_000)));
    let client = UserClient::new(server.url());
    let rows = tokio::time::timeout(Duration::from_secs(60), client.get_user_info_list(vec![1, 2, 3]))
        .await
        .expect("the call did not finish in time")
        .unwrap();
    assert_eq!(rows.len(), 10_000);
}

#[test]
fn too_many_list_items_are_refused() {
    // Empty items are cheap on the wire and not in memory; the item limit bounds them.
    let limit = DecodeLimits::default().max_list_items;
    let mut body = format!(r#"<GetUserInfoListResponse xmlns="{NS}"><Response>"#);
    body.push_str(&"<UserInfo/>".repeat(limit + 1));
    body.push_str("</Response></GetUserInfoListResponse>");
    let e = decode_error(
        decode_response::<GetUserInfoList>(envelope("", &body).as_bytes(), DecodeLimits::default()).unwrap_err(),
    );
    assert_eq!(e.kind, DecodeErrorKind::Limit { what: "number of list items", limit });
    assert_eq!(e.path, "Envelope/Body/GetUserInfoListResponse/Response/UserInfo");

    // Exactly at the limit is fine.
    let body = body.replacen("<UserInfo/>", "", 1);
    let reply = decode_response::<GetUserInfoList>(envelope("", &body).as_bytes(), DecodeLimits::default()).unwrap();
    assert_eq!(reply.body.response.into_option().unwrap().len(), limit);
}
