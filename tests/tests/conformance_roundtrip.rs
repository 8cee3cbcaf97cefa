//! Round trips of every generated type: decode → encode → decode gives an equal value, and the
//! encoding is the instance's canonical form.
//!
//! The values are random instances of every global element of the User WSDL (each named type has
//! one, WCF style; the 166 operation wrappers have theirs; the WCF serialization namespace adds
//! every built-in: `float`/`double` with `INF`, `-INF`, `NaN`, `decimal`, `duration`, `guid`,
//! `base64Binary`, `anyType`...) and of the mapping fixture's `Echo` (dates, times, lists of
//! integers, unqualified elements, element references). They are written by
//! `wsdlgen_tests::support::instance`, driven by a proptest tape (shrinking the tape simplifies
//! the instance): text with `<`, `&`, `]]>`, quotes, non-ASCII, leading/trailing whitespace, CR;
//! empty string vs absent vs nil; extreme integers; dateTimes with and without offset and with
//! 0-7 fractional digits; enumeration values the schema does not list; empty and long lists;
//! and, in the wire form, the equivalent lexical forms a peer may send (`+7`, `007`, whitespace,
//! `1`/`0`, CDATA, character references, `xsi:type`, default namespaces, indentation).
//!
//! Floating point values are compared through `Debug` as well (`NaN != NaN` for `PartialEq`).

use std::fmt::Debug;
use std::path::Path;

use proptest::prelude::*;
use services87::user;
use wsdlgen_runtime::codegen::xml::from_xml;
use wsdlgen_runtime::codegen::{Codec, XmlReader, XmlWriter};
use wsdlgen_runtime::{Base64Binary, DateTime, Decimal, Decode, Duration, Encode, RawXml, Uuid};
use wsdlgen_tests::support::instance::{
    Builder, Entropy, Fill, Instance, Options, QName, Resolved, SER_NS, Schema, SplitMix, Style, Tape, TypeRef, XS_NS,
    assert_same_xml,
};

mod mapping {
    include!("../snapshots/mapping.rs");
}

/// Decodes `inst`, encodes the value, decodes that again and compares (value and canonical XML).
type Check = fn(&Instance, &QName, &'static [(&'static str, &'static str)]) -> Result<(), String>;

const USER_NAMESPACES: &[(&str, &str)] = &[("n0", user::NS0), ("n1", user::NS1), ("n2", SER_NS)];

fn tag(element: &QName, namespaces: &[(&str, &str)]) -> String {
    match namespaces.iter().find(|(_, uri)| *uri == element.ns) {
        Some((prefix, _)) => format!("{prefix}:{}", element.local),
        None if element.ns.is_empty() => element.local.clone(),
        None => panic!("no prefix for {}", element.ns),
    }
}

fn same_value<T: Debug + PartialEq>(first: &T, second: &T, what: &str) -> Result<(), String> {
    let (a, b) = (format!("{first:?}"), format!("{second:?}"));
    // Debug equality also covers NaN (and tells -0.0 from 0.0); PartialEq is required wherever
    // no NaN is involved.
    if a != b || (first != second && !a.contains("NaN")) {
        return Err(format!("{what}:\n  first:  {a}\n  second: {b}"));
    }
    Ok(())
}

/// The wire form (lexical variants, `xsi:type`, default namespaces...) and the canonical form
/// must decode to the same value. `RawXml` (anyType content) also records the namespace
/// bindings in scope where it was read, which differ between the two forms by design; for it
/// the two values must encode to the same XML.
fn wire_equals_canonical<T: Debug + PartialEq>(
    wire: &T,
    canonical: &T,
    wire_xml: &str,
    canonical_xml: &str,
) -> Result<(), String> {
    match same_value(wire, canonical, "the wire and canonical forms decode differently") {
        Ok(()) => Ok(()),
        Err(e) if format!("{wire:?}").contains("RawXml") => assert_same_xml(canonical_xml, wire_xml).map_err(|d| {
            format!(
                "{e}
  and they encode differently: {d}"
            )
        }),
        Err(e) => Err(e),
    }
}

fn check_value<T: Decode + Encode + Debug + PartialEq>(
    inst: &Instance,
    element: &QName,
    namespaces: &'static [(&'static str, &'static str)],
) -> Result<(), String> {
    let (ns, local) = (element.ns.as_str(), element.local.as_str());
    let value: T = from_xml(inst.wire.as_bytes(), ns, local).map_err(|e| format!("decoding the wire form: {e}"))?;
    let canonical: T =
        from_xml(inst.canonical.as_bytes(), ns, local).map_err(|e| format!("decoding the canonical form: {e}"))?;
    let encode = |v: &T| {
        let mut w = XmlWriter::new();
        w.declare_on_next(namespaces);
        v.encode(&mut w, &tag(element, namespaces));
        String::from_utf8(w.into_inner()).expect("UTF-8")
    };
    let xml = encode(&value);
    wire_equals_canonical(&value, &canonical, &xml, &encode(&canonical))?;
    let back: T = from_xml(xml.as_bytes(), ns, local).map_err(|e| format!("decoding our own encoding: {e}\n{xml}"))?;
    same_value(&value, &back, "encode -> decode changed the value")?;
    assert_same_xml(&inst.canonical, &xml)
        .map_err(|d| format!("the encoding differs from the instance: {d}\nours: {xml}"))
}

fn decode_codec<C: Codec>(input: &[u8], element: &QName) -> Result<C::Value, String> {
    let mut r = XmlReader::new(input);
    let root = r.root().map_err(|e| e.to_string())?;
    r.expect(&root, &element.ns, &element.local).map_err(|e| e.to_string())?;
    let value = C::decode(&mut r, &root).map_err(|e| e.to_string())?;
    r.finish().map_err(|e| e.to_string())?;
    Ok(value)
}

fn check_codec<C: Codec>(
    inst: &Instance,
    element: &QName,
    namespaces: &'static [(&'static str, &'static str)],
) -> Result<(), String>
where
    C::Value: Debug + PartialEq,
{
    let value = decode_codec::<C>(inst.wire.as_bytes(), element).map_err(|e| format!("decoding the wire form: {e}"))?;
    let canonical = decode_codec::<C>(inst.canonical.as_bytes(), element)
        .map_err(|e| format!("decoding the canonical form: {e}"))?;
    let encode = |v: &C::Value| {
        let mut w = XmlWriter::new();
        w.declare_on_next(namespaces);
        C::encode(v, &mut w, &tag(element, namespaces));
        String::from_utf8(w.into_inner()).expect("UTF-8")
    };
    let xml = encode(&value);
    wire_equals_canonical(&value, &canonical, &xml, &encode(&canonical))?;
    let back =
        decode_codec::<C>(xml.as_bytes(), element).map_err(|e| format!("decoding our own encoding: {e}\n{xml}"))?;
    same_value(&value, &back, "encode -> decode changed the value")?;
    assert_same_xml(&inst.canonical, &xml)
        .map_err(|d| format!("the encoding differs from the instance: {d}\nours: {xml}"))
}

macro_rules! xml_name {
    ($rust:ident) => {
        stringify!($rust)
    };
    ($rust:ident, $xml:literal) => {
        $xml
    };
}

/// Generated types that are `Encode + Decode` (structs, enumerations, flag sets), by XML type name.
macro_rules! value_types {
    ($($rust:ident $(= $xml:literal)?),* $(,)?) => {
        vec![$((xml_name!($rust $(, $xml)?), check_value::<user::$rust> as Check)),*]
    };
}

/// Generated codecs (`ArrayOfX` wrappers, dictionaries), by XML type name.
macro_rules! codec_types {
    ($($rust:ident $(= $xml:literal)?),* $(,)?) => {
        vec![$((xml_name!($rust $(, $xml)?), check_codec::<user::$rust> as Check)),*]
    };
}

/// The generated User types by XML type name (the lists are those of the generated code; the
/// test checks that every global element of the WSDL finds its type here).
fn named_types() -> Vec<(&'static str, Check)> {
    let mut types = value_types!(
        ServiceAuth,
        Carrier,
        TableRight,
        FieldProperty,
        FieldRight,
        SoCredentials,
        SoTimeZone,
        SoExceptionInfo,
        RoleEntity,
        Associate,
        DataRights,
        RelationToOwner,
        EntityName,
        DataRight,
        UntrustedCredentials,
        User,
        LicenseOwner,
        ModuleLicenseLink,
        Role,
        UserGroup,
        Person,
        Credential,
        CredentialType,
        MdoListItem = "MDOListItem",
        CustomCommand,
        CommandResult,
        CredentialsGroup,
        CredentialsGroupUsers,
        CredentialUser,
        SelectableMdoListItem = "SelectableMDOListItem",
        UserValidationResult,
        ResolvedUser,
        UserInfo,
        // enumerations and flag lists
        ETableRight,
        EFieldRight,
        RoleType,
        UserType,
        CredentialControlType,
        CommandAction,
        CommandActionResult,
        RoleRelationToOwner,
        ExternalUserInfoModification,
    );
    types.extend(codec_types!(
        FieldPropertyDictionary,
        SoExceptionInfoParameters,
        SoExtraInfo,
        ArrayOfRelationToOwner,
        ArrayOfEntityName,
        ArrayOfArrayOfDataRight,
        ArrayOfDataRight,
        ArrayOfLicenseOwner,
        ArrayOfModuleLicenseLink,
        ArrayOfUserGroup,
        ArrayOfCredential,
        ArrayOfMdoListItem = "ArrayOfMDOListItem",
        StringDictionary,
        ArrayOfCustomCommand,
        ArrayOfCredentialsGroup,
        ArrayOfstring,
        ArrayOfCredentialUser,
        ArrayOfSelectableMdoListItem = "ArrayOfSelectableMDOListItem",
        ArrayOfint,
        ArrayOfCredentialType,
        ArrayOfUntrustedCredentials,
        ArrayOfUser,
        ArrayOfUserInfo,
    ));
    types
}

/// The anonymous types of the operation wrapper elements, by element name.
fn element_types() -> Vec<(&'static str, Check)> {
    value_types!(
        CreateDefaultServiceAuth,
        CreateDefaultServiceAuthResponse,
        SaveServiceAuth,
        SaveServiceAuthResponse,
        DeleteServiceAuth,
        DeleteServiceAuthResponse,
        CreateDefaultRoleEntity,
        CreateDefaultRoleEntityResponse,
        SaveRoleEntity,
        SaveRoleEntityResponse,
        CreateDefaultUntrustedCredentials,
        CreateDefaultUntrustedCredentialsResponse,
        CreateDefaultUser,
        CreateDefaultUserResponse,
        SaveUser,
        SaveUserResponse,
        GetUserCommands,
        GetUserCommandsResponse,
        ExecuteUserCommand,
        ExecuteUserCommandResponse,
        DeleteUser,
        DeleteUserResponse,
        SaveCredential,
        SaveCredentialResponse,
        DeleteCredential,
        DeleteCredentialResponse,
        FindCredentialsGroups,
        FindCredentialsGroupsResponse,
        FindCredentialUsers,
        FindCredentialUsersResponse,
        GetCredentialUsersInGroup,
        GetCredentialUsersInGroupResponse,
        GetServiceAuth,
        GetServiceAuthResponse,
        GetRole,
        GetRoleResponse,
        GetRoleEntity,
        GetRoleEntityResponse,
        DeleteRole,
        DeleteRoleResponse,
        GetAllRoles,
        GetAllRolesResponse,
        GetAllFunctionalRights,
        GetAllFunctionalRightsResponse,
        GetFunctionalRights,
        GetFunctionalRightsResponse,
        SetFunctionalRights,
        SetFunctionalRightsResponse,
        SetDataRight,
        SetDataRightResponse,
        GetDataRight,
        GetDataRightResponse,
        GetDataRights,
        GetDataRightsResponse,
        CreateDefaultRoleEntityFromType,
        CreateDefaultRoleEntityFromTypeResponse,
        FindRolesWithFunctionalRight,
        FindRolesWithFunctionalRightResponse,
        FindRolesWithFunctionalRights,
        FindRolesWithFunctionalRightsResponse,
        FindRolesWithoutFunctionalRights,
        FindRolesWithoutFunctionalRightsResponse,
        GetUser,
        GetUserResponse,
        GetUserFromName,
        GetUserFromNameResponse,
        SaveUserFromName,
        SaveUserFromNameResponse,
        DeleteUserFromName,
        DeleteUserFromNameResponse,
        GetCredentialTypes,
        GetCredentialTypesResponse,
        GetCredentialTypesForUserType,
        GetCredentialTypesForUserTypeResponse,
        SaveUntrustedCredentials,
        SaveUntrustedCredentialsResponse,
        GetUntrustedCredentials,
        GetUntrustedCredentialsResponse,
        GetUntrustedCredentialsForAssociate,
        GetUntrustedCredentialsForAssociateResponse,
        SaveUntrustedCredentialsForAssociate,
        SaveUntrustedCredentialsForAssociateResponse,
        RemoveUntrustedCredentials,
        RemoveUntrustedCredentialsResponse,
        RemoveUntrustedCredentialsForAssociate,
        RemoveUntrustedCredentialsForAssociateResponse,
        CreateExternalUser,
        CreateExternalUserResponse,
        DeleteExternalUser,
        DeleteExternalUserResponse,
        SetExternalUserInfo,
        SetExternalUserInfoResponse,
        GenerateNewPasswordForExternalUser,
        GenerateNewPasswordForExternalUserResponse,
        CanChangePassword,
        CanChangePasswordResponse,
        ChangePassword,
        ChangePasswordResponse,
        GetUserFromPersonId,
        GetUserFromPersonIdResponse,
        CreateDefaultUserFromUserTypeAndPersonId,
        CreateDefaultUserFromUserTypeAndPersonIdResponse,
        CreateDefaultUserFromUserType,
        CreateDefaultUserFromUserTypeResponse,
        GetUserFromEjUserId,
        GetUserFromEjUserIdResponse,
        SetPasswordFromName,
        SetPasswordFromNameResponse,
        SetPassword,
        SetPasswordResponse,
        ChangeOwnPassword,
        ChangeOwnPasswordResponse,
        ChangePasswordFromName,
        ChangePasswordFromNameResponse,
        IsUserNameValid,
        IsUserNameValidResponse,
        IsPasswordValid,
        IsPasswordValidResponse,
        SetGeneratedPassword,
        SetGeneratedPasswordResponse,
        SetGeneratedPasswordFromName,
        SetGeneratedPasswordFromNameResponse,
        IsPasswordValidWithReason,
        IsPasswordValidWithReasonResponse,
        IsUserNameValidWithReason,
        IsUserNameValidWithReasonResponse,
        ChangeUserType,
        ChangeUserTypeResponse,
        CreateDefaultUserFromUserTypeAndCredential,
        CreateDefaultUserFromUserTypeAndCredentialResponse,
        GetValidUserName,
        GetValidUserNameResponse,
        RemoveLicenses,
        RemoveLicensesResponse,
        MakeRetired,
        MakeRetiredResponse,
        AddOwnerContact,
        AddOwnerContactResponse,
        RemoveOwnerContact,
        RemoveOwnerContactResponse,
        ResolveUserFromInfo,
        ResolveUserFromInfoResponse,
        GetAccessToken,
        GetAccessTokenResponse,
        GetValidUserNameForNewUser,
        GetValidUserNameForNewUserResponse,
        GetDefaultAssociateUserName,
        GetDefaultAssociateUserNameResponse,
        IsNickNameUnique,
        IsNickNameUniqueResponse,
        GetUserGroup,
        GetUserGroupResponse,
        SaveUserGroup,
        SaveUserGroupResponse,
        GetAllUserGroups,
        GetAllUserGroupsResponse,
        CreateUserGroup,
        CreateUserGroupResponse,
        DeleteUserGroup,
        DeleteUserGroupResponse,
        GetUserGroupList,
        GetUserGroupListResponse,
        GetUserInfo,
        GetUserInfoResponse,
        GetUserInfoList,
        GetUserInfoListResponse,
    )
}

/// The Rust type of each XML Schema built-in (README "Type mapping"), and WCF's `guid`.
fn builtin_check(local: &str) -> Option<Check> {
    Some(match local {
        "string" | "anyURI" | "QName" => check_value::<String>,
        "boolean" => check_value::<bool>,
        "byte" => check_value::<i8>,
        "short" => check_value::<i16>,
        "int" => check_value::<i32>,
        "long" => check_value::<i64>,
        "unsignedByte" => check_value::<u8>,
        "unsignedShort" => check_value::<u16>,
        "unsignedInt" => check_value::<u32>,
        "unsignedLong" => check_value::<u64>,
        "float" => check_value::<f32>,
        "double" => check_value::<f64>,
        "decimal" => check_value::<Decimal>,
        "dateTime" => check_value::<DateTime>,
        "duration" => check_value::<Duration>,
        "base64Binary" => check_value::<Base64Binary>,
        "anyType" => check_value::<RawXml>,
        "guid" => check_value::<Uuid>,
        _ => return None,
    })
}

/// The check for a global element, from its type.
fn check_for(schema: &Schema, element: &QName, named: &[(&str, Check)], anonymous: &[(&str, Check)]) -> Check {
    let decl = schema.element(element);
    match &decl.ty {
        TypeRef::Anonymous(_) => anonymous.iter().find(|(n, _)| *n == element.local).map(|(_, c)| *c),
        TypeRef::Named(q) if q.ns == XS_NS => builtin_check(&q.local),
        TypeRef::Named(q) if q.ns == SER_NS && q.local == "guid" => builtin_check("guid"),
        TypeRef::Named(q) if q.ns == SER_NS => match schema.resolve(&decl.ty) {
            // `char` and `duration` are restrictions of built-ins
            Resolved::Simple(wsdlgen_tests::support::instance::Simple::Restriction {
                base: TypeRef::Named(base),
                ..
            }) => builtin_check(&base.local),
            _ => None,
        },
        TypeRef::Named(q) => named.iter().find(|(n, _)| *n == q.local).map(|(_, c)| *c),
        TypeRef::ElementRef(_) => None,
    }
    .unwrap_or_else(|| panic!("no generated type for the global element {element}"))
}

struct Suite {
    schema: Schema,
    cases: Vec<(QName, Check)>,
    mapping: Schema,
}

fn suite() -> Suite {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let schema = Schema::from_wsdl(root.join("../wsdl/Services87-User.wsdl"));
    let named = named_types();
    let anonymous = element_types();
    let cases: Vec<(QName, Check)> =
        schema.elements.keys().map(|e| (e.clone(), check_for(&schema, e, &named, &anonymous))).collect();
    // Every generated type is reached by some global element.
    for (name, _) in named.iter().chain(&anonymous) {
        assert!(
            schema.elements.values().any(|e| schema.type_name(&e.ty).is_some_and(|t| t.local == *name)
                || (matches!(e.ty, TypeRef::Anonymous(_)) && e.name.local == *name)),
            "no global element has the type {name}"
        );
    }
    let mapping = Schema::from_wsdl(root.join("wsdl/mapping.wsdl"));
    Suite { schema, cases, mapping }
}

fn mapping_check(inst: &Instance, element: &QName) -> Result<(), String> {
    match element.local.as_str() {
        "Echo" => check_value::<mapping::Echo>(inst, element, mapping::NAMESPACES),
        "EchoResponse" => check_value::<mapping::EchoResponse>(inst, element, mapping::NAMESPACES),
        "Extra" => check_value::<String>(inst, element, mapping::NAMESPACES),
        other => panic!("unexpected global element {other} in mapping.wsdl"),
    }
}

fn options(fill: Fill, style: u8) -> Options {
    let mut o = Options::wcf(fill);
    o.unknown_enum_values = true;
    o.style = match style % 3 {
        0 => Style::Prefixed,
        1 => Style::DefaultNamespace { root_prefix: None },
        _ => Style::DefaultNamespace { root_prefix: Some("h".into()) },
    };
    o.pretty = style.is_multiple_of(2);
    o.xsi_type_every = u64::from(style % 4);
    o
}

/// Runs every case with instances from `entropy(i)`; the errors, one per failing element.
fn run<'t>(
    suite: &Suite,
    fill: Fill,
    style: u8,
    entropy: &mut dyn FnMut(usize) -> Box<dyn Entropy + 't>,
) -> Vec<String> {
    let mut errors = Vec::new();
    let user = Builder::new(&suite.schema, options(fill, style));
    for (i, (element, check)) in suite.cases.iter().enumerate() {
        let inst = user.build(element, &mut *entropy(i));
        if let Err(e) = check(&inst, element, USER_NAMESPACES) {
            errors.push(format!("{element}: {e}\nwire: {}", inst.wire));
        }
    }
    let mapping = Builder::new(&suite.mapping, options(fill, style));
    for (j, element) in suite.mapping.elements.keys().enumerate() {
        let inst = mapping.build(element, &mut *entropy(suite.cases.len() + j));
        if let Err(e) = mapping_check(&inst, element) {
            errors.push(format!("{element}: {e}\nwire: {}", inst.wire));
        }
    }
    errors
}

/// Known round-trip failures (generator or runtime bugs): (element local name, bug).
const KNOWN_FAILURES: &[(&str, &str)] = &[];

fn unexpected(errors: Vec<String>) -> Vec<String> {
    errors.into_iter().filter(|e| !KNOWN_FAILURES.iter().any(|(name, _)| e.contains(&format!("}}{name}:")))).collect()
}

#[test]
fn every_type_round_trips_full_and_minimal() {
    let suite = suite();
    assert!(suite.cases.len() > 250, "{} global elements", suite.cases.len());
    for fill in [Fill::Full, Fill::Minimal] {
        for style in 0..4 {
            let errors = run(&suite, fill, style, &mut |i| Box::new(SplitMix(i as u64 * 7919 + u64::from(style))));
            let errors = unexpected(errors);
            assert!(errors.is_empty(), "{fill:?}/{style}: {} failures:\n{}", errors.len(), errors.join("\n\n"));
        }
    }
}

proptest! {
    // 24 cases (each covers every type) keep `cargo test` quick; CONFORMANCE_CASES=1000 digs deeper.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("CONFORMANCE_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(24),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Random values of every type: each element reads the tape from its own offset.
    #[test]
    fn every_type_round_trips_random(tape in prop::collection::vec(any::<u32>(), 0..6000), style in 0u8..12) {
        let suite = suite_once();
        let errors = run(suite, Fill::Random, style, &mut |i| {
            let start = if tape.is_empty() { 0 } else { (i * 131) % tape.len() };
            Box::new(Tape::new(&tape[start..]))
        });
        let errors = unexpected(errors);
        prop_assert!(errors.is_empty(), "{} failures:\n{}", errors.len(), errors.join("\n\n"));
    }
}

fn suite_once() -> &'static Suite {
    static SUITE: std::sync::OnceLock<Suite> = std::sync::OnceLock::new();
    SUITE.get_or_init(suite)
}

/// `float`/`double` special values as XSD writes them, whatever the random draws were.
#[test]
fn floats_as_xsd_writes_them() {
    let check = |local: &str, wire: &str, canonical: &str| {
        let element = QName::new(SER_NS, local);
        let doc = |text: &str| format!("<s:{local} xmlns:s=\"{SER_NS}\">{text}</s:{local}>");
        let inst = Instance { wire: doc(wire), canonical: doc(canonical), elements: 1, nils: 0 };
        let result = if local == "float" {
            check_value::<f32>(&inst, &element, USER_NAMESPACES)
        } else {
            check_value::<f64>(&inst, &element, USER_NAMESPACES)
        };
        result.unwrap_or_else(|e| panic!("{local} {wire:?}: {e}"));
    };
    for local in ["float", "double"] {
        for (wire, canonical) in [
            ("INF", "INF"),
            ("-INF", "-INF"),
            ("NaN", "NaN"),
            (" NaN\n", "NaN"),
            ("-0", "-0.0"),
            ("0", "0.0"),
            ("1.5E0", "1.5"),
            ("+.5e1", "5.0"),
        ] {
            check(local, wire, canonical);
        }
    }
    check("float", "3.4028235E38", "3.4028235e38");
    check("float", "1.401298464324817E-45", "1e-45");
    check("double", "4.9E-324", "5e-324");
    check("double", "1e+100", "1e100");
}

/// XML 1.0 cannot carry U+0000-U+0008, U+000B, U+000C, U+000E-U+001F, U+FFFE and U+FFFF, not
/// even as character references. A `String` can hold them; the request the runtime writes for
/// such a value must still be well-formed XML (the receiving WCF service rejects the whole
/// message otherwise, with an HTTP 400 instead of a local error naming the field).
#[test]
fn strings_with_characters_xml_cannot_carry() {
    let request = user::SaveCredential {
        user_id: Some(1),
        credential: wsdlgen_runtime::Nillable::Value(user::Credential {
            value: "a\u{1}b\u{b}c\u{fffe}".into(),
            ..Default::default()
        }),
    };
    let envelope = wsdlgen_runtime::codegen::encode_request(
        wsdlgen_runtime::SoapVersion::Soap11,
        &request,
        &user::UserRequestHeaders::default(),
    );
    let text = String::from_utf8(envelope).expect("UTF-8");
    if let Err(e) = roxmltree::Document::parse(&text) {
        panic!("the request is not well-formed XML: {e}\n{text:?}");
    }
    // The client refuses to send it, naming the character, rather than sending U+FFFD.
    let refused = wsdlgen_runtime::codegen::try_encode_request(
        wsdlgen_runtime::SoapVersion::Soap11,
        &request,
        &user::UserRequestHeaders::default(),
    );
    assert_eq!(refused, Err('\u{1}'));
}
