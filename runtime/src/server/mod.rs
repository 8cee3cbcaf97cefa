//! SOAP servers generated from a WSDL (feature `server`).
//!
//! A generated module has, per port type, a service trait (`UserService`: one async method per
//! operation, each with a default that answers "not implemented") and a server
//! (`UserServer::new(implementation)`) that [`SoapService`] turns into an HTTP endpoint:
//! a `tower::Service` to mount at any path, or one line with [`serve`].
//!
//! Handlers receive a [`Request`] (the decoded request, its header entries and a [`Context`])
//! and return a [`Response`] or a [`HandlerError`]; the server writes what a service of the
//! WSDL would: the response envelope, a SOAP fault (of the request's version, with the status
//! the SOAP HTTP binding gives), a declared fault's typed detail, or a service error in the
//! response headers.

mod dispatch;
mod fault;
mod http;
mod request;
mod security;
mod wsdl;

pub use self::http::{
    DEFAULT_MAX_REQUEST_SIZE, DEFAULT_REQUEST_TIMEOUT, Endpoint, PeerAddr, ResponseBody, SoapRouter, SoapService,
    serve, serve_with_shutdown,
};
pub use request::{Context, HandlerError, NoFault, Request, Response};
pub use security::ReceivedUsernameToken;

/// What generated servers implement and call (not for hand-written code).
#[doc(hidden)]
pub mod codegen {
    pub use super::dispatch::Reply;
    pub use super::dispatch::{
        BoxFuture, Call, Dispatch, ErrorOf, FaultDetail, OperationEntry, ReplyHeaders, ResultOf, ServerOperation,
        handle, no_such_operation,
    };
}
