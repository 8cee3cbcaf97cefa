//! A fake SuperOffice NetServer for local development and tests: the SoPrincipal and User agents
//! of Services87, served by the generated servers, with users and credentials in memory.
//!
//! ```text
//! cargo run -p services87 --features server --example fake_netserver -- \
//!     [--listen 127.0.0.1:8087] [--user NAME:PASSWORD]...
//! ```
//!
//! Users get ids 1, 2, ... in the order given (default: one user, `jane:secret`). It serves
//! `http://ADDR/Remote/Services87/SoPrincipal.svc` and `http://ADDR/Remote/Services87/User.svc`,
//! prints both URLs, and stops cleanly on Ctrl-C.
//!
//! - `AuthenticateUsernamePassword` hands out a ticket for a known user name and password;
//! - `SaveCredential` stores a credential for a user (replacing one of the same type);
//! - `GetUser` returns the user with its `Credentials`; `DeleteCredential` removes one;
//! - `GetCredentialTypes` lists the types this fake knows (`password`, `ldap`, `oauth`).
//!
//! Every User operation refuses a missing or unknown ticket the way NetServer does:
//! `Succeeded = false` with an `ExceptionInfo` header (the client sees `Error::Service`). An
//! unknown user id is answered with a SOAP fault (the client sees `Error::Fault`).

use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use services87::runtime::Nillable;
use services87::runtime::server::{HandlerError, Request, SoapRouter, serve_with_shutdown};
use services87::{so_principal, user};

const USAGE: &str = "usage: fake_netserver [--listen ADDR] [--user NAME:PASSWORD]...";
const CREDENTIAL_TYPES: &[(&str, &str)] =
    &[("password", "Password"), ("ldap", "LDAP / Active Directory"), ("oauth", "OAuth token")];

struct UserRecord {
    id: i32,
    name: String,
    password: String,
    credentials: Vec<user::Credential>,
}

#[derive(Default)]
struct State {
    users: Vec<UserRecord>,
    tickets: HashMap<String, i32>,
    issued: u64,
}

type Shared = Arc<Mutex<State>>;

fn lock(state: &Shared) -> std::sync::MutexGuard<'_, State> {
    // A handler that panicked while holding the lock leaves consistent data behind (every
    // change is one assignment), so a poisoned lock is still usable.
    state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

struct SoPrincipal(Shared);

impl so_principal::SoPrincipalService for SoPrincipal {
    async fn authenticate_username_password(
        &self,
        request: Request<so_principal::AuthenticateUsernamePassword, so_principal::SoPrincipalRequestHeaders>,
    ) -> so_principal::SoPrincipalResult<so_principal::AuthenticateResponse> {
        let name = request.body.user_name.into_option().unwrap_or_default();
        let password = request.body.password.into_option().unwrap_or_default();
        let mut state = lock(&self.0);
        let found = state.users.iter().find(|u| u.name.eq_ignore_ascii_case(&name) && u.password == password);
        let Some(record) = found.map(|u| (u.id, u.name.clone())) else {
            return Ok(so_principal::AuthenticateResponse {
                authentication_succeeded: Some(false),
                ..Default::default()
            }
            .into());
        };
        state.issued += 1;
        let ticket = format!("7T:{:016x}{:04}==", rand_u64(), state.issued);
        state.tickets.insert(ticket.clone(), record.0);
        Ok(so_principal::AuthenticateResponse {
            response: Nillable::Value(so_principal::SoPrincipalCarrier {
                associate: Nillable::Value(record.1.clone()),
                associate_id: Some(record.0),
                full_name: Nillable::Value(record.1),
                ..Default::default()
            }),
            credentials: Nillable::Value(so_principal::SoCredentials { ticket: Nillable::Value(ticket) }),
            authentication_succeeded: Some(true),
        }
        .into())
    }
}

/// A number that differs between runs and calls (tickets are not guessable from their order).
fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos());
    h.finish()
}

struct User(Shared);

/// The error of a User handler.
type UserError = HandlerError<services87::runtime::server::NoFault, user::SoExceptionInfo>;

impl User {
    /// The user the request's ticket belongs to, or the service error NetServer answers.
    fn authenticate(&self, headers: &user::UserRequestHeaders) -> Result<i32, UserError> {
        let ticket = headers.credentials.as_ref().and_then(|c| c.ticket.value().cloned()).unwrap_or_default();
        lock(&self.0).tickets.get(&ticket).copied().ok_or_else(|| {
            HandlerError::service(user::SoExceptionInfo {
                message: Nillable::Value("Failed to authenticate: the ticket is not valid".into()),
                exception_type: Nillable::Value("SoSecurityException".into()),
                ..Default::default()
            })
        })
    }

    fn unknown_user(id: i32) -> UserError {
        HandlerError::client(format!("there is no user with id {id}"))
    }
}

fn credential_type(name: &str) -> user::CredentialType {
    let display = CREDENTIAL_TYPES.iter().find(|(t, _)| *t == name).map_or(name, |(_, d)| d);
    user::CredentialType {
        r#type: Nillable::Value(name.to_owned()),
        display_type: Nillable::Value(display.to_owned()),
        ..Default::default()
    }
}

fn type_of(credential: &user::Credential) -> Option<&str> {
    credential.r#type.value().and_then(|t| t.r#type.value()).map(String::as_str)
}

impl user::UserService for User {
    async fn save_credential(
        &self,
        request: Request<user::SaveCredential, user::UserRequestHeaders>,
    ) -> user::UserResult<user::SaveCredentialResponse> {
        self.authenticate(&request.headers)?;
        let id = request.body.user_id.unwrap_or_default();
        let credential = request.body.credential.into_option().unwrap_or_default();
        let mut state = lock(&self.0);
        let record = state.users.iter_mut().find(|u| u.id == id).ok_or_else(|| Self::unknown_user(id))?;
        let kind = type_of(&credential).map(str::to_owned);
        record.credentials.retain(|c| type_of(c).map(str::to_owned) != kind);
        record.credentials.push(credential);
        Ok(user::SaveCredentialResponse { response: Some(true) }.into())
    }

    async fn get_user(
        &self,
        request: Request<user::GetUser, user::UserRequestHeaders>,
    ) -> user::UserResult<user::GetUserResponse> {
        self.authenticate(&request.headers)?;
        let id = request.body.user_id.unwrap_or_default();
        let state = lock(&self.0);
        // NetServer answers an unknown id with a nil user.
        let found = state.users.iter().find(|u| u.id == id).map(|u| user::User {
            associate_id: Some(u.id),
            name: Nillable::Value(u.name.clone()),
            user_name: Nillable::Value(u.name.clone()),
            credentials: Nillable::Value(u.credentials.iter().cloned().map(Some).collect()),
            ..Default::default()
        });
        Ok(user::GetUserResponse { response: found.map_or(Nillable::Nil, Nillable::Value) }.into())
    }

    async fn delete_credential(
        &self,
        request: Request<user::DeleteCredential, user::UserRequestHeaders>,
    ) -> user::UserResult<user::DeleteCredentialResponse> {
        self.authenticate(&request.headers)?;
        let id = request.body.user_id.unwrap_or_default();
        let kind = request.body.credential_type.into_option().unwrap_or_default();
        let mut state = lock(&self.0);
        let record = state.users.iter_mut().find(|u| u.id == id).ok_or_else(|| Self::unknown_user(id))?;
        let before = record.credentials.len();
        record.credentials.retain(|c| type_of(c) != Some(kind.as_str()));
        Ok(user::DeleteCredentialResponse { response: Some(record.credentials.len() < before) }.into())
    }

    async fn get_credential_types(
        &self,
        request: Request<user::GetCredentialTypes, user::UserRequestHeaders>,
    ) -> user::UserResult<user::GetCredentialTypesResponse> {
        self.authenticate(&request.headers)?;
        let types = CREDENTIAL_TYPES.iter().map(|(t, _)| Some(credential_type(t))).collect();
        Ok(user::GetCredentialTypesResponse { response: Nillable::Value(types) }.into())
    }
}

fn parse_args() -> Result<(String, Vec<(String, String)>), String> {
    let mut listen = "127.0.0.1:8087".to_owned();
    let mut users = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        match flag.as_str() {
            "--listen" => listen = args.next().ok_or_else(|| format!("--listen needs an address\n{USAGE}"))?,
            "--user" => {
                let value = args.next().ok_or_else(|| format!("--user needs NAME:PASSWORD\n{USAGE}"))?;
                let (name, password) =
                    value.split_once(':').ok_or_else(|| format!("--user `{value}` is not NAME:PASSWORD\n{USAGE}"))?;
                users.push((name.to_owned(), password.to_owned()));
            }
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    if users.is_empty() {
        users.push(("jane".to_owned(), "secret".to_owned()));
    }
    Ok((listen, users))
}

#[tokio::main]
async fn main() -> ExitCode {
    let (listen, users) = match parse_args() {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let state: Shared = Arc::new(Mutex::new(State {
        users: users
            .into_iter()
            .zip(1..)
            .map(|((name, password), id)| UserRecord { id, name, password, credentials: Vec::new() })
            .collect(),
        ..Default::default()
    }));
    let listener = match tokio::net::TcpListener::bind(&listen).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("error: cannot listen on {listen}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let addr = listener.local_addr().map_or(listen, |a| a.to_string());
    // `GET ...svc?wsdl` serves the WSDL each agent was generated from, its address rewritten to
    // this server's, as NetServer does (so that zeep, SoapUI or wsdlgen itself can read it here).
    let router = SoapRouter::new()
        .route(
            "/Remote/Services87/SoPrincipal.svc",
            so_principal::SoPrincipalServer::new(SoPrincipal(state.clone()))
                .into_service()
                .with_wsdl(include_str!("../../wsdl/Services87-SoPrincipal.wsdl"), Vec::new()),
        )
        .route(
            "/Remote/Services87/User.svc",
            user::UserServer::new(User(state))
                .into_service()
                .with_wsdl(include_str!("../../wsdl/Services87-User.wsdl"), Vec::new()),
        );
    // Listen for Ctrl-C before announcing the URLs, so that a signal sent right after them
    // stops the server cleanly instead of killing the process.
    #[cfg(unix)]
    let mut interrupt = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt()) {
        Ok(signal) => signal,
        Err(e) => {
            eprintln!("error: cannot listen for Ctrl-C: {e}");
            return ExitCode::FAILURE;
        }
    };
    let shutdown = async move {
        #[cfg(unix)]
        interrupt.recv().await;
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
        println!("stopping");
    };
    println!("SoPrincipal: http://{addr}/Remote/Services87/SoPrincipal.svc");
    println!("User:        http://{addr}/Remote/Services87/User.svc");
    match serve_with_shutdown(listener, router, shutdown).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
