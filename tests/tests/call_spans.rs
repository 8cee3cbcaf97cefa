//! One `tracing` span per call (`soap_call`), covering encoding, the exchange and decoding, with
//! the operation, SOAP action, endpoint host (never the credentials a URL may carry), HTTP
//! status, bytes each way, elapsed time and the outcome: collected here by a subscriber of the
//! test's own, for a successful call, a fault, a service error and a decode error.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use services87::user::UserClient;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wsdlgen_tests::support::http::{Response, TestServer};

/// A span's name and its fields as text.
type SpanRecord = (String, HashMap<String, String>);

/// Every span's name and fields, by id.
#[derive(Clone, Default)]
struct Spans(Arc<Mutex<Vec<SpanRecord>>>);

struct Fields<'a>(&'a mut HashMap<String, String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

impl Subscriber for Spans {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, attributes: &Attributes<'_>) -> Id {
        let mut fields = HashMap::new();
        attributes.record(&mut Fields(&mut fields));
        let mut spans = self.0.lock().unwrap();
        spans.push((attributes.metadata().name().to_owned(), fields));
        Id::from_u64(spans.len() as u64)
    }
    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut spans = self.0.lock().unwrap();
        let (_, fields) = &mut spans[span.into_u64() as usize - 1];
        values.record(&mut Fields(fields));
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, _: &Event<'_>) {}
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/services87").join(name)).unwrap()
}

#[tokio::test]
async fn every_call_has_a_span_with_what_happened() {
    let spans = Spans::default();
    let _guard = tracing::subscriber::set_default(spans.clone());
    let responses = [
        Response::xml(200, fixture("save_credential_response_true.xml")),
        Response::xml(500, fixture("soap11_fault.xml")),
        Response::xml(200, fixture("service_error.xml")),
        Response::xml(200, fixture("not_a_bool.xml")),
    ];
    let next = Mutex::new(0usize);
    let server = TestServer::start(move |_| {
        let mut n = next.lock().unwrap();
        *n += 1;
        responses[*n - 1].clone()
    });
    // Credentials in the URL must not reach the span.
    let url = server.url().replace("http://", "http://jane:s3cret@");
    let client = UserClient::new(url);
    for _ in 0..4 {
        let _ = client.save_credential(1, Default::default()).await;
    }
    let calls: Vec<HashMap<String, String>> =
        spans.0.lock().unwrap().iter().filter(|(name, _)| name == "soap_call").map(|(_, f)| f.clone()).collect();
    assert_eq!(calls.len(), 4, "one span per call");
    let outcomes: Vec<&str> = calls.iter().map(|f| f["outcome"].as_str()).collect();
    assert_eq!(outcomes[0], "ok");
    assert_eq!(outcomes[1], "fault Client");
    assert_eq!(outcomes[2], "service error");
    assert_eq!(outcomes[3], "decode error");
    for (i, call) in calls.iter().enumerate() {
        assert_eq!(call["operation"], "SaveCredential");
        assert!(call["action"].ends_with("/User/SaveCredential"), "{call:?}");
        assert_eq!(call["host"], server.addr().to_string(), "no credentials: {call:?}");
        assert!(call["request_bytes"].parse::<usize>().unwrap() > 300, "{call:?}");
        assert!(call["response_bytes"].parse::<usize>().unwrap() > 100, "{call:?}");
        assert!(call.contains_key("elapsed_ms"), "{call:?}");
        assert_eq!(call["status"], if i == 1 { "500" } else { "200" }, "{call:?}");
    }
}

#[tokio::test]
async fn a_retried_call_records_its_attempts_and_a_blocking_one_has_its_span_too() {
    let spans = Spans::default();
    let _guard = tracing::subscriber::set_default(spans.clone());
    // A gateway's 503 page, then the answer: retried, as the operation is declared idempotent.
    let first = Mutex::new(true);
    let server = TestServer::start(move |_| {
        if std::mem::replace(&mut *first.lock().unwrap(), false) {
            Response::new(503, "text/html", "<html>Service Unavailable</html>")
        } else {
            Response::xml(200, fixture("save_credential_response_true.xml"))
        }
    });
    let mut client = UserClient::new(server.url());
    client.soap_client_mut().set_retry_policy(
        wsdlgen_runtime::RetryPolicy::new(2).initial_backoff(std::time::Duration::from_millis(10)).all_idempotent(),
    );
    assert!(client.save_credential(1, Default::default()).await.unwrap());
    // Once more, not retried.
    assert!(client.save_credential(1, Default::default()).await.unwrap());
    let calls: Vec<HashMap<String, String>> =
        spans.0.lock().unwrap().iter().filter(|(name, _)| name == "soap_call").map(|(_, f)| f.clone()).collect();
    assert_eq!(calls.len(), 2, "one span per call, not per attempt");
    assert_eq!(calls[0]["attempts"], "2");
    assert_eq!(calls[0]["outcome"], "ok");
    assert!(!calls[1].contains_key("attempts"), "{:?}", calls[1]);

    // The blocking client runs the call on the calling thread: its span reaches this subscriber.
    // (A client of its own: the async one's pooled connection belongs to this test's runtime.)
    let blocking = services87::user::blocking::UserClient::new(server.url());
    let worker = std::thread::spawn(move || {
        let _guard = tracing::subscriber::set_default(spans.clone());
        assert!(blocking.save_credential(1, Default::default()).unwrap());
        spans.0.lock().unwrap().iter().filter(|(name, _)| name == "soap_call").count()
    });
    assert_eq!(worker.join().unwrap(), 3);
}
