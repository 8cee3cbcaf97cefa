//! The oracle of the `serve_request` target: a request envelope from a stranger, dispatched to
//! the generated User server (below HTTP). Whatever the bytes, the server answers: 200 with a
//! well-formed response envelope, or a well-formed fault envelope of the request's SOAP version
//! with 400 (a SOAP 1.2 Sender fault) or 500; never a panic, a hang or a malformed reply.
//!
//! The first byte picks the SOAP version (bit 0) and the operation (the rest, modulo the three
//! operations answered here: SaveCredential, GetCredentialTypes, and DeleteCredential, which
//! keeps its "not implemented" default); the other bytes are the envelope.

use std::sync::OnceLock;

use services87::user::{
    GetCredentialTypes, GetCredentialTypesResponse, SaveCredential, SaveCredentialResponse, UserRequestHeaders,
    UserResult, UserServer, UserService,
};
use wsdlgen_runtime::server::Request;
use wsdlgen_runtime::server::codegen::{Call, Dispatch, Reply};
use wsdlgen_runtime::{Nillable, SoapVersion};

/// Answers with values that depend on the request, so that decoding mistakes show.
struct Fake;

impl UserService for Fake {
    async fn save_credential(
        &self,
        request: Request<SaveCredential, UserRequestHeaders>,
    ) -> UserResult<SaveCredentialResponse> {
        let saved = request.body.user_id.is_some() && request.headers.credentials.is_some();
        Ok(SaveCredentialResponse { response: Some(saved) }.into())
    }

    async fn get_credential_types(
        &self,
        _: Request<GetCredentialTypes, UserRequestHeaders>,
    ) -> UserResult<GetCredentialTypesResponse> {
        Ok(GetCredentialTypesResponse { response: Nillable::Value(Vec::new()) }.into())
    }
}

/// The operations `serve_request` picks from.
pub const OPERATIONS: [&str; 3] = ["SaveCredential", "GetCredentialTypes", "DeleteCredential"];

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| tokio::runtime::Builder::new_current_thread().enable_time().build().expect("tokio"))
}

/// Dispatches `envelope` as a call of operation `name` (one of [`OPERATIONS`]) in `version`.
pub fn dispatch(version: SoapVersion, name: &str, envelope: &[u8]) -> Reply {
    let server = UserServer::new(Fake);
    let index = server.operations().iter().position(|op| op.name == name).expect("the operation");
    runtime().block_on(server.call(index, Call::new(envelope.to_vec(), version, "")))
}

/// Dispatches `data` (see the module documentation) and checks the reply.
pub fn serve_request(data: &[u8]) {
    let Some((&selector, envelope)) = data.split_first() else { return };
    let version = if selector & 1 == 0 { SoapVersion::Soap11 } else { SoapVersion::Soap12 };
    let name = OPERATIONS[usize::from(selector >> 1) % OPERATIONS.len()];
    let reply = dispatch(version, name, envelope);
    if let Err(problem) = check_reply(&reply, version) {
        panic!("{problem}\nrequest ({version}, {name}): {}", String::from_utf8_lossy(envelope));
    }
}

/// A reply is a whole well-formed envelope of `version`, a fault exactly when its status says so.
pub fn check_reply(reply: &Reply, version: SoapVersion) -> Result<(), String> {
    let text = String::from_utf8_lossy(&reply.body);
    let doc = roxmltree::Document::parse(&text).map_err(|e| format!("the reply is not well-formed: {e}: {text}"))?;
    let root = doc.root_element();
    if root.tag_name().namespace() != Some(version.envelope_ns()) || root.tag_name().name() != "Envelope" {
        return Err(format!("the reply is not a {version} envelope: {text}"));
    }
    let fault = root
        .descendants()
        .any(|n| n.tag_name().name() == "Fault" && n.tag_name().namespace() == Some(version.envelope_ns()));
    match (reply.status, fault) {
        (200, false) | (500, true) => Ok(()),
        (400, true) if version == SoapVersion::Soap12 => Ok(()),
        (status, fault) => Err(format!("status {status} with a fault: {fault}: {text}")),
    }
}
