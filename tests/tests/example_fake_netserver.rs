//! Runs the real `fake_netserver` example of `services87` and points the generated clients and
//! the real `save_credential` example at it: tickets, saved credentials, the service error for
//! an unknown ticket and the fault for an unknown user, and a clean stop on SIGINT.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use services87::runtime::{Error, Nillable};
use services87::so_principal::SoPrincipalClient;
use services87::user::UserClient;
use wsdlgen_tests::support::examples::{RUN_TIMEOUT, example_binary, run_bounded};

/// The fake, started on a free port; killed when dropped.
struct Fake {
    child: Child,
    principal: String,
    user: String,
}

impl Drop for Fake {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(args: &[&str]) -> Fake {
    let mut child = Command::new(example_binary("fake_netserver"))
        .args(["--listen", "127.0.0.1:0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start fake_netserver");
    let mut lines = BufReader::new(child.stdout.take().expect("piped stdout")).lines();
    let mut url = |label: &str| {
        let line = lines.next().expect("a line").expect("utf-8");
        line.strip_prefix(label).unwrap_or_else(|| panic!("{line:?} does not start with {label:?}")).trim().to_owned()
    };
    let principal = url("SoPrincipal:");
    let user = url("User:");
    assert!(principal.ends_with("/Remote/Services87/SoPrincipal.svc") && user.ends_with("/Remote/Services87/User.svc"));
    std::thread::spawn(move || for _ in lines {});
    Fake { child, principal, user }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fake_answers_the_generated_clients_and_the_example() {
    let fake = start(&["--user", "jane:secret", "--user", "bob:hunter2"]);
    let principal = SoPrincipalClient::new(&fake.principal);

    let refused = principal.authenticate_username_password("bob".into(), "wrong".into()).await.unwrap();
    assert_eq!(refused.authentication_succeeded, Some(false));
    let bob = principal.authenticate_username_password("bob".into(), "hunter2".into()).await.unwrap();
    assert_eq!(bob.authentication_succeeded, Some(true));
    assert_eq!(bob.response.value().and_then(|c| c.associate_id), Some(2), "users get ids in the order given");
    let ticket = bob.credentials.into_option().and_then(|c| c.ticket.into_option()).expect("a ticket");

    // The save_credential example, as a user would run it.
    let endpoint = fake.user.as_str();
    let run = |ticket: &str, user_id: &str| {
        let mut command = Command::new(example_binary("save_credential"));
        command.args(["--endpoint", endpoint, "--ticket", ticket, "--user-id", user_id, "--type", "password"]);
        command.args(["--value", "s3cr&t"]);
        run_bounded(command, RUN_TIMEOUT).unwrap_or_else(|e| panic!("{e}"))
    };
    let saved = run(&ticket, "2");
    assert_eq!((saved.code(), saved.stdout.as_str()), (Some(0), "saved: true\n"), "{}", saved.stderr);
    let unknown_ticket = run("7T:forged==", "2");
    assert_eq!(unknown_ticket.code(), Some(1));
    assert!(unknown_ticket.stderr.contains("the ticket is not valid"), "{}", unknown_ticket.stderr);
    let unknown_user = run(&ticket, "99");
    assert_eq!(unknown_user.code(), Some(1));
    assert!(unknown_user.stderr.contains("there is no user with id 99"), "{}", unknown_user.stderr);

    // The stored credential is what GetUser returns; DeleteCredential removes it.
    let user = UserClient::new(&fake.user).with_ticket(ticket.clone());
    let credentials = |u: Option<services87::user::User>| {
        u.and_then(|u| u.credentials.into_option()).unwrap_or_default().into_iter().flatten().collect::<Vec<_>>()
    };
    let found = credentials(user.get_user(2).await.unwrap());
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].value, Nillable::Value("s3cr&t".to_owned()));
    assert!(user.delete_credential(2, "password".into()).await.unwrap());
    assert!(!user.delete_credential(2, "password".into()).await.unwrap());
    assert!(credentials(user.get_user(2).await.unwrap()).is_empty());
    assert_eq!(user.get_user(7).await.unwrap(), None, "an unknown user is nil");
    assert_eq!(user.get_credential_types().await.unwrap().len(), 3);
    // Each agent's WSDL, with this server's address in it.
    let http = wsdlgen_runtime::default_http_client().unwrap();
    for endpoint in [&fake.user, &fake.principal] {
        let wsdl = http.get(format!("{endpoint}?wsdl")).send().await.unwrap();
        assert_eq!(wsdl.status(), 200);
        let wsdl = wsdl.text().await.unwrap();
        assert!(wsdl.contains(&format!(r#"<soap:address location="{endpoint}""#)), "{endpoint}");
        assert!(!wsdl.contains("sod.superoffice.com"));
    }
    match UserClient::new(&fake.user).get_credential_types().await {
        Err(Error::Service(info)) => {
            assert_eq!(info.exception_type.value().map(String::as_str), Some("SoSecurityException"))
        }
        other => panic!("expected the service error for a missing ticket, got {other:?}"),
    }
}

#[cfg(unix)]
#[test]
fn sigint_stops_it_cleanly() {
    let mut fake = start(&[]);
    let status = Command::new("kill").args(["-INT", &fake.child.id().to_string()]).status().expect("kill");
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let exit = loop {
        if let Some(exit) = fake.child.try_wait().expect("wait") {
            break exit;
        }
        assert!(Instant::now() < deadline, "fake_netserver did not stop on SIGINT");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(exit.success(), "{exit:?}");
}
