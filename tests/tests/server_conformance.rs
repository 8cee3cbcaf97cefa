//! Every User and SoPrincipal operation through the generated servers: the generated client
//! calls the generated `UserServer` and `SoPrincipalServer` over HTTP on 127.0.0.1 with full
//! instances of each request (the values the conformance suite builds from the WSDL's schemas)
//! and every request header entry of the port type, in SOAP 1.1 and 1.2; the handler gets
//! exactly what the client sent and answers with a full instance of the response and every
//! response header entry, which the client gets back exactly. Every operation is also answered
//! once with a fault and once with a service error, which the client must see as `Error::Fault`
//! and `Error::Service`. Every reply, taken off the wire, must validate with xmllint against the
//! SOAP envelope schema and the WSDL's schemas (and a tampered reply must not: the check can fail).

use std::any::Any;
use std::collections::HashMap;
use std::fmt::{Debug, Display};
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use services87::{so_principal, user};
use wsdlgen_runtime::codegen::xml::from_xml;
use wsdlgen_runtime::codegen::{Codec, ResponseHeaders, XmlWriter};
use wsdlgen_runtime::server::codegen::{Dispatch, ServerOperation};
use wsdlgen_runtime::server::{HandlerError, Request, Response, SoapService, serve};
use wsdlgen_runtime::{Decode, Encode, Error, Nillable, Operation, SoapClient, SoapVersion};

use wsdlgen_tests::support::instance::{Builder, Fill, Options, QName, Schema, SplitMix, xmllint_batch};
use wsdlgen_tests::support::schema::{self, WsdlSchemas};

/// What the handler answers: by the request's `ApplicationToken`.
const ANSWER_FAULT: &str = "answer with a fault";
const ANSWER_SERVICE_ERROR: &str = "answer with a service error";

/// What the suite needs to know of one port type's generated code (both of these port types
/// carry an `ApplicationToken` request header and report service errors as `SoExceptionInfo`).
trait Port: Sized + Send + Sync + 'static {
    /// The request header set.
    type Requests: Clone + PartialEq + Debug + Default + Send + Sync + 'static;
    /// The response header set.
    type Responses: ResponseHeaders<ServiceError = Self::ServiceError>
        + Clone
        + PartialEq
        + Debug
        + Default
        + Send
        + Sync
        + 'static;
    /// What a service error carries.
    type ServiceError: Debug + Display + Send + 'static;
    /// The WSDL, in `wsdl/`.
    const WSDL: &'static str;
    /// The namespace URI of the port type's types, and the generated prefixes.
    const NS0: &'static str;
    const NAMESPACES: &'static [(&'static str, &'static str)];
    /// How many operations the port type has.
    const OPERATIONS: usize;

    fn operations() -> Vec<Op<Self>>;
    fn set_token(headers: &mut Self::Requests, token: &str);
    fn token(headers: &Self::Requests) -> Option<&str>;
    fn service_error(message: String) -> Self::ServiceError;
    /// Every request header entry, from full instances.
    fn request_headers(builder: &Builder<'_>) -> Self::Requests;
    /// Every response header entry, from full instances.
    fn response_headers(builder: &Builder<'_>) -> Self::Responses;
    /// The generated server answering with `echo`.
    fn server(echo: Arc<Echo<Self>>) -> SoapService<impl Dispatch>;
}

/// Answers every operation from a table of canned responses, recording what it received.
struct Echo<P: Port> {
    /// Operation name -> the response value to answer with.
    responses: HashMap<&'static str, Box<dyn Any + Send + Sync>>,
    response_headers: P::Responses,
    /// What each call received: operation name, request body encoded again, the header entries.
    received: Mutex<Vec<(&'static str, String, P::Requests)>>,
}

type Answer<O, P> = Result<
    Response<<O as Operation>::Response, <P as Port>::Responses>,
    HandlerError<<O as ServerOperation>::Fault, <P as Port>::ServiceError>,
>;

impl<P: Port> Echo<P> {
    fn answer<O>(&self, request: Request<O, P::Requests>) -> Answer<O, P>
    where
        O: ServerOperation + Operation<ResponseHeaders = P::Responses> + Encode,
        O::Response: Clone + 'static,
    {
        let body = encode_element::<P, _>(&request.body, O::REQUEST_TAG);
        let token = P::token(&request.headers).map(str::to_owned);
        self.received.lock().unwrap().push((O::NAME, body, request.headers));
        match token.as_deref() {
            Some(ANSWER_FAULT) => Err(HandlerError::server(format!("{} failed on purpose", O::NAME))),
            Some(ANSWER_SERVICE_ERROR) => {
                Err(HandlerError::service(P::service_error(format!("{} refused on purpose", O::NAME))))
            }
            _ => {
                let response =
                    self.responses[O::NAME].downcast_ref::<O::Response>().expect("the response's type").clone();
                Ok(Response::new(response).with_headers(self.response_headers.clone()))
            }
        }
    }
}

/// The service trait of a port type answered by its `Echo`, and the port type's operation list.
macro_rules! operations {
    ($port:ty, $module:ident :: $service:ident, $($method:ident => $op:ident),* $(,)?) => {
        impl $module::$service for Echo<$port> {
            $(
                async fn $method(
                    &self,
                    request: Request<$module::$op, <$port as Port>::Requests>,
                ) -> Answer<$module::$op, $port> {
                    self.answer(request)
                }
            )*
        }

        impl $port {
            /// Every operation's checks, behind function pointers.
            fn all() -> Vec<Op<$port>> {
                vec![$(Op::of::<$module::$op>()),*]
            }
        }
    };
}

/// A NetServer port type: both carry an `ApplicationToken` request header, report service errors
/// as `SoExceptionInfo` and answer with the same four response header entries; only their
/// request header sets differ (built by `$request_headers` from full instances).
macro_rules! netserver_port {
    (
        $port:ident, $module:ident, $requests:ident, $responses:ident, $server:ident,
        $wsdl:literal, $count:literal, |$builder:ident| $request_headers:expr
    ) => {
        struct $port;

        impl Port for $port {
            type Requests = $module::$requests;
            type Responses = $module::$responses;
            type ServiceError = $module::SoExceptionInfo;
            const WSDL: &'static str = $wsdl;
            const NS0: &'static str = $module::NS0;
            const NAMESPACES: &'static [(&'static str, &'static str)] = $module::NAMESPACES;
            const OPERATIONS: usize = $count;

            fn operations() -> Vec<Op<Self>> {
                Self::all()
            }

            fn set_token(headers: &mut Self::Requests, token: &str) {
                headers.application_token = Some(token.to_owned());
            }

            fn token(headers: &Self::Requests) -> Option<&str> {
                headers.application_token.as_deref()
            }

            fn service_error(message: String) -> Self::ServiceError {
                $module::SoExceptionInfo { message: Nillable::Value(message), ..Default::default() }
            }

            fn request_headers($builder: &Builder<'_>) -> Self::Requests {
                $request_headers
            }

            fn response_headers(builder: &Builder<'_>) -> Self::Responses {
                $module::$responses {
                    exception_info: Nillable::Value(header::<Self, _>(builder, "ExceptionInfo")),
                    extra_info: Nillable::Value(extra_info::<Self, $module::SoExtraInfo>(builder)),
                    succeeded: Some(true),
                    time_zone: Nillable::Value(header::<Self, _>(builder, "TimeZone")),
                }
            }

            fn server(echo: Arc<Echo<Self>>) -> SoapService<impl Dispatch> {
                $module::$server::from_arc(echo).into_service()
            }
        }
    };
}

netserver_port!(
    UserPort,
    user,
    UserRequestHeaders,
    UserResponseHeaders,
    UserServer,
    "Services87-User.wsdl",
    83,
    |builder| user::UserRequestHeaders {
        application_token: Some(header::<UserPort, _>(builder, "ApplicationToken")),
        credentials: Some(header::<UserPort, _>(builder, "Credentials")),
        time_zone: Some(header::<UserPort, _>(builder, "TimeZone")),
    }
);

netserver_port!(
    SoPrincipalPort,
    so_principal,
    SoPrincipalRequestHeaders,
    SoPrincipalResponseHeaders,
    SoPrincipalServer,
    "Services87-SoPrincipal.wsdl",
    5,
    |builder| so_principal::SoPrincipalRequestHeaders {
        application_token: Some(header::<SoPrincipalPort, _>(builder, "ApplicationToken")),
    }
);

operations!(
    UserPort,
    user::UserService,
    create_default_service_auth => CreateDefaultServiceAuth,
    save_service_auth => SaveServiceAuth,
    delete_service_auth => DeleteServiceAuth,
    create_default_role_entity => CreateDefaultRoleEntity,
    save_role_entity => SaveRoleEntity,
    create_default_untrusted_credentials => CreateDefaultUntrustedCredentials,
    create_default_user => CreateDefaultUser,
    save_user => SaveUser,
    get_user_commands => GetUserCommands,
    execute_user_command => ExecuteUserCommand,
    delete_user => DeleteUser,
    save_credential => SaveCredential,
    delete_credential => DeleteCredential,
    find_credentials_groups => FindCredentialsGroups,
    find_credential_users => FindCredentialUsers,
    get_credential_users_in_group => GetCredentialUsersInGroup,
    get_service_auth => GetServiceAuth,
    get_role => GetRole,
    get_role_entity => GetRoleEntity,
    delete_role => DeleteRole,
    get_all_roles => GetAllRoles,
    get_all_functional_rights => GetAllFunctionalRights,
    get_functional_rights => GetFunctionalRights,
    set_functional_rights => SetFunctionalRights,
    set_data_right => SetDataRight,
    get_data_right => GetDataRight,
    get_data_rights => GetDataRights,
    create_default_role_entity_from_type => CreateDefaultRoleEntityFromType,
    find_roles_with_functional_right => FindRolesWithFunctionalRight,
    find_roles_with_functional_rights => FindRolesWithFunctionalRights,
    find_roles_without_functional_rights => FindRolesWithoutFunctionalRights,
    get_user => GetUser,
    get_user_from_name => GetUserFromName,
    save_user_from_name => SaveUserFromName,
    delete_user_from_name => DeleteUserFromName,
    get_credential_types => GetCredentialTypes,
    get_credential_types_for_user_type => GetCredentialTypesForUserType,
    save_untrusted_credentials => SaveUntrustedCredentials,
    get_untrusted_credentials => GetUntrustedCredentials,
    get_untrusted_credentials_for_associate => GetUntrustedCredentialsForAssociate,
    save_untrusted_credentials_for_associate => SaveUntrustedCredentialsForAssociate,
    remove_untrusted_credentials => RemoveUntrustedCredentials,
    remove_untrusted_credentials_for_associate => RemoveUntrustedCredentialsForAssociate,
    create_external_user => CreateExternalUser,
    delete_external_user => DeleteExternalUser,
    set_external_user_info => SetExternalUserInfo,
    generate_new_password_for_external_user => GenerateNewPasswordForExternalUser,
    can_change_password => CanChangePassword,
    change_password => ChangePassword,
    get_user_from_person_id => GetUserFromPersonId,
    create_default_user_from_user_type_and_person_id => CreateDefaultUserFromUserTypeAndPersonId,
    create_default_user_from_user_type => CreateDefaultUserFromUserType,
    get_user_from_ej_user_id => GetUserFromEjUserId,
    set_password_from_name => SetPasswordFromName,
    set_password => SetPassword,
    change_own_password => ChangeOwnPassword,
    change_password_from_name => ChangePasswordFromName,
    is_user_name_valid => IsUserNameValid,
    is_password_valid => IsPasswordValid,
    set_generated_password => SetGeneratedPassword,
    set_generated_password_from_name => SetGeneratedPasswordFromName,
    is_password_valid_with_reason => IsPasswordValidWithReason,
    is_user_name_valid_with_reason => IsUserNameValidWithReason,
    change_user_type => ChangeUserType,
    create_default_user_from_user_type_and_credential => CreateDefaultUserFromUserTypeAndCredential,
    get_valid_user_name => GetValidUserName,
    remove_licenses => RemoveLicenses,
    make_retired => MakeRetired,
    add_owner_contact => AddOwnerContact,
    remove_owner_contact => RemoveOwnerContact,
    resolve_user_from_info => ResolveUserFromInfo,
    get_access_token => GetAccessToken,
    get_valid_user_name_for_new_user => GetValidUserNameForNewUser,
    get_default_associate_user_name => GetDefaultAssociateUserName,
    is_nick_name_unique => IsNickNameUnique,
    get_user_group => GetUserGroup,
    save_user_group => SaveUserGroup,
    get_all_user_groups => GetAllUserGroups,
    create_user_group => CreateUserGroup,
    delete_user_group => DeleteUserGroup,
    get_user_group_list => GetUserGroupList,
    get_user_info => GetUserInfo,
    get_user_info_list => GetUserInfoList,
);

operations!(
    SoPrincipalPort,
    so_principal::SoPrincipalService,
    authenticate_username_password => AuthenticateUsernamePassword,
    authenticate_generic => AuthenticateGeneric,
    authenticate_implicit => AuthenticateImplicit,
    authenticate_with_access_token => AuthenticateWithAccessToken,
    get_system_info => GetSystemInfo,
);

type Problems = Pin<Box<dyn Future<Output = Vec<String>> + Send>>;

/// An operation's request type of port type `P`, with what the checks do with it (a name for
/// the bounds).
trait PortOp<P: Port>:
    ServerOperation
    + Operation<
        RequestHeaders = P::Requests,
        ResponseHeaders = P::Responses,
        Response: Encode + Clone + Debug + Send + Sync + 'static,
    > + Encode
    + Decode
    + Sync
{
}

impl<P: Port, O> PortOp<P> for O where
    O: ServerOperation
        + Operation<
            RequestHeaders = P::Requests,
            ResponseHeaders = P::Responses,
            Response: Encode + Clone + Debug + Send + Sync + 'static,
        > + Encode
        + Decode
        + Sync
{
}

/// Calls an operation with a request instance (with the given header entries, in the given
/// version) and checks both directions.
type CheckOf<P> = fn(Arc<Echo<P>>, SoapClient, SoapVersion, <P as Port>::Requests, Vec<u8>) -> Problems;

/// Builds the request envelope of a request instance; gives it with the operation's SOAP action.
type EnvelopeOf<P> = fn(SoapVersion, &<P as Port>::Requests, &[u8]) -> (Vec<u8>, &'static str);

/// What the test needs of one operation, behind plain function pointers.
struct Op<P: Port> {
    name: &'static str,
    /// Builds the canned response from a full instance of the response element.
    prepare: fn(&Builder<'_>, &mut Echo<P>) -> Result<(), String>,
    /// The request element's name.
    request: fn() -> QName,
    /// The response element's name.
    response: fn() -> QName,
    /// Calls the operation with a request instance and checks both directions.
    check: CheckOf<P>,
    /// The request envelope for a request instance, and the operation's SOAP action.
    envelope: EnvelopeOf<P>,
}

impl<P: Port> Op<P> {
    fn of<O: PortOp<P>>() -> Self {
        Op {
            name: O::NAME,
            prepare: prepare::<P, O>,
            request: || QName::new(O::REQUEST_ELEMENT.0, O::REQUEST_ELEMENT.1),
            response: || QName::new(O::RESPONSE_ELEMENT.0, O::RESPONSE_ELEMENT.1),
            check: check::<P, O>,
            envelope: |version, headers, instance| {
                let (ns, local) = O::REQUEST_ELEMENT;
                let request: O = from_xml(instance, ns, local).expect("the request instance decodes");
                (wsdlgen_runtime::codegen::encode_request(version, &request, headers), O::SOAP_ACTION)
            },
        }
    }
}

fn prepare<P: Port, O: PortOp<P>>(builder: &Builder<'_>, echo: &mut Echo<P>) -> Result<(), String> {
    let (ns, local) = O::RESPONSE_ELEMENT;
    let instance = builder.build(&QName::new(ns, local), &mut SplitMix::from_label(&format!("response {}", O::NAME)));
    let response: O::Response = from_xml(instance.canonical.as_bytes(), ns, local)
        .map_err(|e| format!("the response instance does not decode: {e}"))?;
    echo.responses.insert(O::NAME, Box::new(response));
    Ok(())
}

fn check<P: Port, O: PortOp<P>>(
    echo: Arc<Echo<P>>,
    client: SoapClient,
    version: SoapVersion,
    headers: P::Requests,
    instance: Vec<u8>,
) -> Problems {
    Box::pin(async move {
        let mut problems = Vec::new();
        let (ns, local) = O::REQUEST_ELEMENT;
        let request: O = match from_xml(&instance, ns, local) {
            Ok(request) => request,
            Err(e) => return vec![format!("the request instance does not decode: {e}")],
        };
        let sent = encode_element::<P, _>(&request, O::REQUEST_TAG);
        let (response_ns, response_local) = O::RESPONSE_ELEMENT;
        let response_tag = format!("{}:{response_local}", prefix_of::<P>(response_ns));
        let expected =
            echo.responses[O::NAME].downcast_ref::<O::Response>().map(|r| encode_element::<P, _>(r, &response_tag));
        match client.call(version, &request, &headers).await {
            Ok(reply) => {
                if Some(encode_element::<P, _>(&reply.body, &response_tag)) != expected {
                    problems.push("the client did not get the response the handler returned".to_owned());
                }
                if reply.headers != echo.response_headers {
                    problems.push(format!("response headers differ: {:?}", reply.headers));
                }
            }
            Err(e) => problems.push(format!("call failed: {e}")),
        }
        match echo.received.lock().unwrap().pop() {
            Some((name, body, got)) => {
                if name != O::NAME {
                    problems.push(format!("the server called {name}"));
                }
                if body != sent {
                    problems.push(format!("the handler got another request:\n  sent: {sent}\n  got:  {body}"));
                }
                if got != headers {
                    problems.push(format!("the handler got other header entries: {got:?}"));
                }
            }
            None => problems.push("the handler was not called".to_owned()),
        }
        let mut failing = headers.clone();
        P::set_token(&mut failing, ANSWER_FAULT);
        match client.call(version, &request, &failing).await {
            Err(Error::Fault(fault)) if fault.reason == format!("{} failed on purpose", O::NAME) => {}
            other => problems.push(format!("expected the handler's fault, got {other:?}")),
        }
        P::set_token(&mut failing, ANSWER_SERVICE_ERROR);
        match client.call(version, &request, &failing).await {
            Err(Error::Service(info)) if info.to_string().ends_with("refused on purpose") => {}
            other => problems.push(format!("expected the handler's service error, got {other:?}")),
        }
        echo.received.lock().unwrap().clear();
        problems
    })
}

fn prefix_of<P: Port>(ns: &str) -> &'static str {
    P::NAMESPACES.iter().find(|(_, uri)| *uri == ns).map(|(p, _)| *p).unwrap_or_else(|| panic!("no prefix for {ns}"))
}

/// `value` encoded by its generated `Encode` as a document element named `tag`.
fn encode_element<P: Port, T: Encode + ?Sized>(value: &T, tag: &str) -> String {
    let mut w = XmlWriter::new();
    w.declare_on_next(P::NAMESPACES);
    value.encode(&mut w, tag);
    String::from_utf8(w.into_inner()).expect("UTF-8")
}

fn wsdl_path<P: Port>() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../wsdl").join(P::WSDL)
}

/// A header value decoded from a full instance of its element.
fn header<P: Port, T: Decode>(builder: &Builder<'_>, local: &str) -> T {
    let instance = builder.build(&QName::new(P::NS0, local), &mut SplitMix::from_label(&format!("header {local}")));
    from_xml(instance.canonical.as_bytes(), P::NS0, local).unwrap_or_else(|e| panic!("header {local}: {e}"))
}

/// The `ExtraInfo` header (a dictionary, read through its codec `C`) from a full instance.
fn extra_info<P: Port, C: Codec>(builder: &Builder<'_>) -> C::Value {
    let instance = builder.build(&QName::new(P::NS0, "ExtraInfo"), &mut SplitMix::from_label("header ExtraInfo"));
    let mut r = wsdlgen_runtime::codegen::XmlReader::new(instance.canonical.as_bytes());
    let root = r.root().expect("a root element");
    C::decode(&mut r, &root).expect("ExtraInfo decodes")
}

/// The echo with every operation's canned response and header entries, and the request
/// header entries the client sends (all from full instances).
fn prepared<P: Port>(builder: &Builder<'_>, operations: &[Op<P>]) -> (Echo<P>, P::Requests, Vec<String>) {
    let mut echo =
        Echo { responses: HashMap::new(), response_headers: P::response_headers(builder), received: Mutex::default() };
    let mut problems: Vec<String> = Vec::new();
    for op in operations {
        if let Err(e) = (op.prepare)(builder, &mut echo) {
            problems.push(format!("{}: {e}", op.name));
        }
    }
    (echo, P::request_headers(builder), problems)
}

/// Every operation of port type `P` through its generated server, in both SOAP versions; every
/// reply schema-valid. Returns the problems found.
async fn round_trips<P: Port>() -> Vec<String> {
    let schema = Schema::from_wsdl(wsdl_path::<P>());
    let builder = Builder::new(&schema, Options::plain(Fill::Full));
    let operations = P::operations();
    assert_eq!(operations.len(), P::OPERATIONS, "{}: operations", P::WSDL);
    let (echo, request_headers, mut problems) = prepared(&builder, &operations);
    let echo = Arc::new(echo);

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/Service.svc", listener.local_addr().unwrap());
    let server = tokio::spawn(serve(listener, P::server(echo.clone())));
    let mut passed = 0;
    let mut replies: Vec<(SoapVersion, &'static str, Vec<u8>)> = Vec::new();
    let http = wsdlgen_runtime::default_http_client().expect("an HTTP client");
    let client = SoapClient::new(&url);
    for version in [SoapVersion::Soap11, SoapVersion::Soap12] {
        for op in &operations {
            let instance = builder.build(&(op.request)(), &mut SplitMix::from_label(&format!("request {}", op.name)));
            let instance = instance.canonical.into_bytes();
            // The raw reply, for xmllint.
            let (envelope, action) = (op.envelope)(version, &request_headers, &instance);
            let content_type = match version {
                SoapVersion::Soap11 => "text/xml; charset=utf-8".to_owned(),
                SoapVersion::Soap12 => format!("application/soap+xml; charset=utf-8; action=\"{action}\""),
            };
            let reply = http
                .post(&url)
                .header("content-type", content_type)
                .header("soapaction", format!("\"{action}\""))
                .body(envelope)
                .send()
                .await
                .expect("the server answers");
            replies.push((version, op.name, reply.bytes().await.expect("a body").to_vec()));
            let found = (op.check)(echo.clone(), client.clone(), version, request_headers.clone(), instance).await;
            if found.is_empty() {
                passed += 1;
            }
            problems.extend(found.into_iter().map(|p| format!("{} ({version}): {p}", op.name)));
        }
    }
    server.abort();
    eprintln!("{}: server round trips: {passed}/{}", P::WSDL, operations.len() * 2);

    // Every reply envelope validates against the SOAP envelope schema of its version together
    // with the WSDL's schemas (body element and header entries); a tampered reply does not.
    let xsd = WsdlSchemas::from_wsdl(wsdl_path::<P>()).expect("the WSDL's schemas");
    let mut valid = 0;
    for (version, label) in
        [(SoapVersion::Soap11, schema::SoapVersion::Soap11), (SoapVersion::Soap12, schema::SoapVersion::Soap12)]
    {
        let combined = schema::envelope_and_wsdl_schema(&xsd, label);
        let mut docs: Vec<(&str, &[u8])> =
            replies.iter().filter(|(v, _, _)| *v == version).map(|(_, op, body)| (*op, body.as_slice())).collect();
        let tampered =
            String::from_utf8(docs[0].1.to_vec()).unwrap().replacen(">true</n0:Succeeded>", ">maybe</n0:Succeeded>", 1);
        assert!(tampered.contains(">maybe<"), "the negative control changes the reply: {tampered}");
        docs.push(("(tampered)", tampered.as_bytes()));
        let bodies: Vec<&[u8]> = docs.iter().map(|(_, d)| *d).collect();
        let verdicts = xmllint_batch(&combined, &bodies);
        let (tampered_verdict, verdicts) = verdicts.split_last().expect("verdicts");
        assert!(tampered_verdict.is_err(), "xmllint must refuse a reply with Succeeded = maybe");
        for ((op, body), verdict) in docs.iter().zip(verdicts) {
            match verdict {
                Ok(()) => valid += 1,
                Err(e) => problems.push(format!(
                    "{op} ({version}): the reply does not validate: {e}\n{}",
                    String::from_utf8_lossy(body)
                )),
            }
        }
    }
    eprintln!("{}: server replies validated: {valid}/{}", P::WSDL, replies.len());
    problems
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_user_operation_round_trips_through_the_generated_server() {
    let problems = round_trips::<UserPort>().await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_so_principal_operation_round_trips_through_the_generated_server() {
    let problems = round_trips::<SoPrincipalPort>().await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// zeep, which shares no code with wsdlgen, calls every operation of port type `P` on its
/// generated server and must parse from each reply the value the handler returned (compared as
/// zeep's own Python values). A control case whose expected value differs from the handler's
/// (operation `control`) must fail.
async fn zeep_calls<P: Port>(control: &str) {
    let schema = Schema::from_wsdl(wsdl_path::<P>());
    let builder = Builder::new(&schema, Options::plain(Fill::Full));
    let operations = P::operations();
    let (echo, _, problems) = prepared(&builder, &operations);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let dir = std::env::temp_dir().join(format!("wsdlgen-zeep-server-{}-{control}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("case directory");
    let mut manifest = String::new();
    let mut write = |case: &str, op: &str, request: &QName, response: &QName, response_label: &str| {
        let req = builder.build(request, &mut SplitMix::from_label(&format!("request {op}")));
        let resp = builder.build(response, &mut SplitMix::from_label(response_label));
        std::fs::write(dir.join(format!("{case}.request.xml")), req.wire).expect("write");
        std::fs::write(dir.join(format!("{case}.response.xml")), resp.wire).expect("write");
        manifest.push_str(&format!("{case}\t{op}\t{case}.request.xml\t{case}.response.xml\n"));
    };
    for op in &operations {
        write(op.name, op.name, &(op.request)(), &(op.response)(), &format!("response {}", op.name));
    }
    // The control: the handler answers with its canned response, zeep is told to expect another.
    let op = operations.iter().find(|op| op.name == control).expect("the control operation");
    write("control", control, &(op.request)(), &(op.response)(), "another response");
    std::fs::write(dir.join("manifest.txt"), manifest).expect("manifest");

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/User.svc", listener.local_addr().unwrap());
    let server = tokio::spawn(serve(listener, P::server(Arc::new(echo))));
    let python = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python");
    assert!(python.exists(), "{} is missing: run the tests with scripts/test.sh, which creates it", python.display());
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("python/zeep_calls.py");
    let (cases, wsdl) = (dir.clone(), wsdl_path::<P>());
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new(python).arg(script).arg(wsdl).arg(&url).arg(&cases).output()
    })
    .await
    .expect("the zeep run")
    .expect("python runs");
    server.abort();
    assert!(output.status.success(), "zeep_calls.py failed: {}", String::from_utf8_lossy(&output.stderr));
    let mut problems = Vec::new();
    let mut equal = 0;
    for op in &operations {
        match std::fs::read_to_string(dir.join(format!("{}.error.txt", op.name))) {
            Ok(error) => problems.push(format!("{}: {error}", op.name)),
            Err(_) if dir.join(format!("{}.ok", op.name)).exists() => equal += 1,
            Err(_) => problems.push(format!("{}: no result", op.name)),
        }
    }
    let control = std::fs::read_to_string(dir.join("control.error.txt")).unwrap_or_default();
    let _ = std::fs::remove_dir_all(&dir);
    eprintln!("{}: zeep-equal through the server: {equal}/{}", P::WSDL, operations.len());
    assert!(control.contains("another value"), "the control case must fail: {control}");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zeep_calls_every_user_operation_on_the_generated_server() {
    zeep_calls::<UserPort>("GetUser").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zeep_calls_every_so_principal_operation_on_the_generated_server() {
    zeep_calls::<SoPrincipalPort>("AuthenticateUsernamePassword").await;
}
