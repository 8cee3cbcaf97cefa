//! The generated User server (`services87` with its `server` feature) answering the generated
//! User client over HTTP on 127.0.0.1: values, header entries, faults and service errors come
//! back as the handler returned them, in SOAP 1.1 and 1.2; bad requests get the documented
//! status and fault; a panicking handler is answered with a fault and the server keeps serving.

use std::sync::Mutex;

use services87::user::{
    Credential, CredentialType, GetCredentialTypes, GetCredentialTypesResponse, SaveCredential, SaveCredentialResponse,
    SoExceptionInfo, UserClient, UserRequestHeaders, UserResponseHeaders, UserResult, UserServer, UserService,
};
use wsdlgen_runtime::server::{HandlerError, Request, Response, SoapRouter, serve_with_shutdown};
use wsdlgen_runtime::{Error, Nillable, SoapVersion};

/// A fake User agent: keeps the last credential saved, refuses ticket "expired" with a service
/// error, answers user id 0 with a fault, panics for user id 13.
#[derive(Default)]
struct Fake {
    saved: Mutex<Vec<(i32, Credential, UserRequestHeaders)>>,
}

impl UserService for Fake {
    async fn save_credential(
        &self,
        request: Request<SaveCredential, UserRequestHeaders>,
    ) -> UserResult<SaveCredentialResponse> {
        let ticket = request.headers.credentials.as_ref().and_then(|c| c.ticket.value().cloned());
        if ticket.as_deref() == Some("expired") {
            return Err(HandlerError::Service(SoExceptionInfo {
                message: "the ticket has expired".to_owned().into(),
                ..Default::default()
            }));
        }
        let user_id = request.body.user_id.unwrap_or_default();
        match user_id {
            0 => return Err(HandlerError::client("user id 0 does not exist")),
            13 => panic!("unlucky"),
            _ => {}
        }
        let credential = request.body.credential.into_option().unwrap_or_default();
        self.saved.lock().unwrap().push((user_id, credential, request.headers));
        let headers = UserResponseHeaders { succeeded: Some(true), ..Default::default() };
        Ok(Response::new(SaveCredentialResponse { response: Some(true) }).with_headers(headers))
    }

    async fn get_credential_types(
        &self,
        request: Request<GetCredentialTypes, UserRequestHeaders>,
    ) -> UserResult<GetCredentialTypesResponse> {
        assert_eq!(
            request.context.soap_action(),
            "http://www.superoffice.net/ws/crm/NetServer/Services87/User/GetCredentialTypes"
        );
        let types = ["password", "ldap"]
            .map(|t| Some(CredentialType { r#type: t.to_owned().into(), ..Default::default() }))
            .to_vec();
        Ok(GetCredentialTypesResponse { response: Nillable::Value(types) }.into())
    }
}

struct Running {
    url: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    done: tokio::task::JoinHandle<std::io::Result<()>>,
}

async fn start(fake: std::sync::Arc<Fake>) -> Running {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/Remote/Services87/User.svc", listener.local_addr().unwrap());
    let router = SoapRouter::new().route("/Remote/Services87/User.svc", UserServer::from_arc(fake).into_service());
    let (stop, stopped) = tokio::sync::oneshot::channel();
    let done = tokio::spawn(serve_with_shutdown(listener, router, async {
        let _ = stopped.await;
    }));
    Running { url, stop: Some(stop), done }
}

impl Running {
    async fn shutdown(mut self) {
        self.stop.take().unwrap().send(()).unwrap();
        self.done.await.unwrap().unwrap();
    }
}

fn credential() -> Credential {
    Credential {
        r#type: CredentialType { r#type: "password".to_owned().into(), ..Default::default() }.into(),
        value: "s3cr&t <x>".to_owned().into(),
        display_value: "jane".to_owned().into(),
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_faults_and_service_errors_round_trip_in_both_versions() {
    let fake = std::sync::Arc::new(Fake::default());
    let server = start(fake.clone()).await;
    for version in [SoapVersion::Soap11, SoapVersion::Soap12] {
        let mut client = UserClient::new(&server.url).with_ticket("7T:abc").with_application_token("app".to_owned());
        client.soap_client_mut().set_soap_version(version);

        assert!(client.save_credential(42, credential()).await.unwrap());
        let (user_id, saved, headers) = fake.saved.lock().unwrap().pop().unwrap();
        assert_eq!((user_id, saved), (42, credential()));
        assert_eq!(headers.application_token.as_deref(), Some("app"));
        assert_eq!(headers.credentials.and_then(|c| c.ticket.into_option()).as_deref(), Some("7T:abc"));

        let types = client.get_credential_types().await.unwrap();
        let names: Vec<_> = types.into_iter().map(|t| t.unwrap().r#type.into_option().unwrap()).collect();
        assert_eq!(names, ["password", "ldap"]);

        match client.save_credential(0, credential()).await {
            Err(Error::Fault(fault)) => {
                assert_eq!(fault.reason, "user id 0 does not exist");
                assert_eq!(fault.version, version);
                let expected = if version == SoapVersion::Soap11 { "Client" } else { "Sender" };
                assert!(fault.code.ends_with(expected), "{}", fault.code);
            }
            other => panic!("expected a fault, got {other:?}"),
        }

        let expired = client.clone().with_ticket("expired");
        match expired.save_credential(42, credential()).await {
            Err(Error::Service(info)) => {
                assert_eq!(info.message.value().map(String::as_str), Some("the ticket has expired"))
            }
            other => panic!("expected a service error, got {other:?}"),
        }

        match client.delete_credential(42, "password".to_owned()).await {
            Err(Error::Fault(fault)) => {
                assert_eq!(fault.reason, "operation DeleteCredential is not implemented by this server");
            }
            other => panic!("expected a fault, got {other:?}"),
        }

        // A panicking handler: a Server/Receiver fault, and the server keeps serving.
        match client.save_credential(13, credential()).await {
            Err(Error::Fault(fault)) => assert_eq!(fault.reason, "operation SaveCredential failed: internal error"),
            other => panic!("expected a fault, got {other:?}"),
        }
        assert!(client.save_credential(43, credential()).await.unwrap());
        fake.saved.lock().unwrap().clear();
    }
    server.shutdown().await;
}
