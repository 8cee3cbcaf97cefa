//! A small, real HTTP/1.1 server for transport tests (tokio only, no hyper).
//!
//! The server listens on `127.0.0.1` on a random port and runs on its own tokio runtime, so it
//! works from plain `#[test]`s as well as from `#[tokio::test]`s of either flavour. Every request
//! is recorded before the responder is asked for a [`Response`]; a response can carry a
//! [`Behaviour`] to simulate a misbehaving peer. Dropping the [`TestServer`] stops everything.
//!
//! ```no_run
//! use wsdlgen_tests::support::http::{Response, TestServer};
//!
//! let server = TestServer::start(|req| Response::xml(200, format!("<echo>{}</echo>", req.path)));
//! let url = server.url(); // http://127.0.0.1:PORT/soap
//! // ... point a client at `url`, then inspect `server.requests()` and `server.connections()`.
//! ```

use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Largest accepted request head (request line plus headers).
pub const MAX_HEAD_BYTES: usize = 64 * 1024;
/// Largest accepted request body; larger requests are answered with `413` and the connection is closed.
pub const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// Request or response headers in arrival order; lookups ignore ASCII case.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Headers(Vec<(String, String)>);

impl Headers {
    /// The first value of header `name` (case-insensitive).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    /// All values of header `name` (case-insensitive), in arrival order.
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0.iter().filter(move |(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    /// Whether header `name` is present (case-insensitive).
    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
    /// All `(name, value)` pairs, names as sent by the client.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }
    /// Number of header lines.
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// Whether there are no headers.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// Whether a comma-separated header (e.g. `Connection`) contains `token` (case-insensitive).
    pub fn has_token(&self, name: &str, token: &str) -> bool {
        self.get_all(name).flat_map(|v| v.split(',')).any(|t| t.trim().eq_ignore_ascii_case(token))
    }
}

/// One request as received by the server (chunked bodies already decoded).
#[derive(Clone, Debug)]
pub struct Request {
    /// Position of this request among all requests the server received (0-based).
    pub index: usize,
    /// Which accepted TCP connection carried it (0-based, in accept order).
    pub connection: usize,
    pub method: String,
    /// The request target as sent, e.g. `/soap?wsdl`.
    pub path: String,
    /// e.g. `HTTP/1.1`.
    pub version: String,
    pub headers: Headers,
    pub body: Vec<u8>,
}

impl Request {
    /// Shorthand for `self.headers.get(name)`.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)
    }
    /// The body as text (lossy UTF-8).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// How the server delivers a [`Response`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Behaviour {
    /// Send the complete response; keep the connection alive unless asked to close.
    #[default]
    Normal,
    /// Read the request, never respond; the connection stays open until the client closes it
    /// or the server is dropped.
    NeverAnswer,
    /// Send the head at once, then the body at about `bytes_per_sec` (at least 1).
    Trickle { bytes_per_sec: u32 },
    /// Send the head with the full `Content-Length` and half the body, then reset the socket (RST).
    /// An empty body is announced as 1 byte so the response is always incomplete.
    ResetMidBody,
    /// Send the head with the full `Content-Length` and half the body, then close normally (FIN).
    /// An empty body is announced as 1 byte so the response is always incomplete.
    Truncated,
}

/// A canned response.
#[derive(Clone, Debug)]
pub struct Response {
    pub status: u16,
    /// Extra headers. `Content-Length` is added automatically unless present here.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub behaviour: Behaviour,
    /// Send `Connection: close` and close the connection after this response.
    pub close: bool,
}

impl Response {
    /// A response with the given `Content-Type` (omitted when `content_type` is empty).
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        let headers =
            if content_type.is_empty() { Vec::new() } else { vec![("Content-Type".into(), content_type.into())] };
        Response { status, headers, body: body.into(), behaviour: Behaviour::Normal, close: false }
    }
    /// A `text/xml; charset=utf-8` response (SOAP 1.1 style).
    pub fn xml(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self::new(status, "text/xml; charset=utf-8", body)
    }
    /// A response without body or `Content-Type`, e.g. `Response::empty(202)`.
    pub fn empty(status: u16) -> Self {
        Self::new(status, "", Vec::new())
    }
    /// Shorthand for a response with [`Behaviour::NeverAnswer`].
    pub fn never_answer() -> Self {
        Self::empty(200).with_behaviour(Behaviour::NeverAnswer)
    }
    /// Adds a header line.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
    /// Sets how the response is delivered.
    pub fn with_behaviour(mut self, behaviour: Behaviour) -> Self {
        self.behaviour = behaviour;
        self
    }
    /// Sends `Connection: close` and closes the connection afterwards.
    pub fn close_connection(mut self) -> Self {
        self.close = true;
        self
    }

    fn head(&self, content_length: usize) -> Vec<u8> {
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        if !self.headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("content-length")) {
            head.push_str(&format!("Content-Length: {content_length}\r\n"));
        }
        if self.close {
            head.push_str("Connection: close\r\n");
        }
        head.push_str("\r\n");
        head.into_bytes()
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        202 => "Accepted",
        204 => "No Content",
        400 => "Bad Request",
        404 => "Not Found",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

type Responder = dyn Fn(&Request) -> Response + Send + Sync;

struct Shared {
    responder: Box<Responder>,
    requests: Mutex<Vec<Request>>,
    connections: AtomicUsize,
}

/// The running server; dropping it aborts all its tasks and closes all its sockets.
pub struct TestServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    runtime: Option<tokio::runtime::Runtime>,
}

impl TestServer {
    /// Starts a server that asks `responder` how to answer each request.
    pub fn start(responder: impl Fn(&Request) -> Response + Send + Sync + 'static) -> TestServer {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        Self::start_on(listener, responder)
    }

    /// Like [`start`](Self::start), on a listener of the caller's (bound to a given port, say).
    pub fn start_on(
        listener: std::net::TcpListener,
        responder: impl Fn(&Request) -> Response + Send + Sync + 'static,
    ) -> TestServer {
        listener.set_nonblocking(true).expect("set_nonblocking");
        let addr = listener.local_addr().expect("local_addr");
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("test-http-server")
            .enable_all()
            .build()
            .expect("build the test server's tokio runtime");
        let listener = {
            let _guard = runtime.enter();
            TcpListener::from_std(listener).expect("register listener with tokio")
        };
        let shared = Arc::new(Shared {
            responder: Box::new(responder),
            requests: Mutex::new(Vec::new()),
            connections: AtomicUsize::new(0),
        });
        runtime.spawn(accept_loop(listener, Arc::clone(&shared)));
        TestServer { addr, shared, runtime: Some(runtime) }
    }

    /// Starts a server that answers every request with a clone of `response`.
    pub fn always(response: Response) -> TestServer {
        Self::start(move |_| response.clone())
    }

    /// `http://127.0.0.1:PORT/soap` (the server answers any path).
    pub fn url(&self) -> String {
        self.url_for("/soap")
    }
    /// `http://127.0.0.1:PORT` followed by `path` (which should start with `/`).
    pub fn url_for(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    /// A snapshot of all requests received so far, in arrival order.
    pub fn requests(&self) -> Vec<Request> {
        self.shared.requests.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
    /// Number of requests received so far.
    pub fn request_count(&self) -> usize {
        self.shared.requests.lock().unwrap_or_else(PoisonError::into_inner).len()
    }
    /// Number of TCP connections accepted so far.
    pub fn connections(&self) -> usize {
        self.shared.connections.load(Ordering::SeqCst)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        // Unlike dropping a runtime, this is allowed inside async contexts (e.g. a `#[tokio::test]`).
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                let id = shared.connections.fetch_add(1, Ordering::SeqCst);
                let _ = stream.set_nodelay(true);
                tokio::spawn(serve(Conn { stream, buf: Vec::new() }, id, Arc::clone(&shared)));
            }
            // E.g. out of file descriptors: back off instead of spinning.
            Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    }
}

async fn serve(mut conn: Conn, id: usize, shared: Arc<Shared>) {
    loop {
        let (mut request, close_requested) = match conn.read_request().await {
            Ok(Some(parsed)) => parsed,
            Ok(None) => return, // client closed the connection between requests
            Err(e) => {
                let status = if e.kind() == io::ErrorKind::OutOfMemory { 413 } else { 400 };
                let response = Response::new(status, "text/plain", e.to_string()).close_connection();
                let _ = conn.stream.write_all(&[response.head(response.body.len()), response.body].concat()).await;
                return;
            }
        };
        request.connection = id;
        {
            let mut requests = shared.requests.lock().unwrap_or_else(PoisonError::into_inner);
            request.index = requests.len();
            requests.push(request.clone());
        }
        let mut response = (shared.responder)(&request);
        response.close |= close_requested;
        if send(&mut conn, &response).await.is_err() || response.close {
            return;
        }
    }
}

/// Sends `response`; returns `Err` when the connection must not be reused.
async fn send(conn: &mut Conn, response: &Response) -> io::Result<()> {
    let body = &response.body;
    let stream = &mut conn.stream;
    match response.behaviour {
        Behaviour::Normal => {
            stream.write_all(&[response.head(body.len()), body.clone()].concat()).await?;
            stream.flush().await
        }
        Behaviour::NeverAnswer => {
            // Hold the connection (discarding anything else sent) until the client gives up.
            let mut sink = [0u8; 4096];
            while stream.read(&mut sink).await? > 0 {}
            Err(io::ErrorKind::ConnectionAborted.into())
        }
        Behaviour::Trickle { bytes_per_sec } => {
            let rate = bytes_per_sec.max(1) as usize;
            let chunk = (rate / 10).max(1);
            let pause = Duration::from_secs_f64(chunk as f64 / rate as f64);
            stream.write_all(&response.head(body.len())).await?;
            stream.flush().await?;
            for part in body.chunks(chunk) {
                tokio::time::sleep(pause).await;
                stream.write_all(part).await?;
                stream.flush().await?;
            }
            Ok(())
        }
        Behaviour::ResetMidBody | Behaviour::Truncated => {
            let announced = body.len().max(1);
            stream.write_all(&[response.head(announced), body[..body.len() / 2].to_vec()].concat()).await?;
            stream.flush().await?;
            if response.behaviour == Behaviour::ResetMidBody {
                // Give the client a moment to read the partial response, then close with RST.
                tokio::time::sleep(Duration::from_millis(50)).await;
                stream.set_zero_linger()?;
            } else {
                stream.shutdown().await?;
            }
            Err(io::ErrorKind::ConnectionAborted.into())
        }
    }
}

fn bad(message: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.into())
}

fn too_large(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::OutOfMemory, format!("{what} too large"))
}

/// A connection with a read buffer.
struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl Conn {
    /// Reads more bytes into the buffer; `Ok(0)` means end of stream.
    async fn fill(&mut self) -> io::Result<usize> {
        self.buf.reserve(16 * 1024);
        self.stream.read_buf(&mut self.buf).await
    }

    /// Removes and returns everything up to and including the first `delimiter`, reading at most `limit` bytes.
    async fn take_through(&mut self, delimiter: &[u8], limit: usize, what: &str) -> io::Result<Vec<u8>> {
        loop {
            if let Some(at) = self.buf.windows(delimiter.len()).position(|w| w == delimiter) {
                return Ok(self.buf.drain(..at + delimiter.len()).collect());
            }
            if self.buf.len() > limit {
                return Err(too_large(what));
            }
            if self.fill().await? == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
        }
    }

    async fn take_exact(&mut self, n: usize) -> io::Result<Vec<u8>> {
        while self.buf.len() < n {
            if self.fill().await? == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
        }
        Ok(self.buf.drain(..n).collect())
    }

    /// Reads one request; `Ok(None)` on a clean end of stream before any byte of it.
    /// Also returns whether the client asked to close the connection afterwards.
    async fn read_request(&mut self) -> io::Result<Option<(Request, bool)>> {
        if self.buf.is_empty() && self.fill().await? == 0 {
            return Ok(None);
        }
        let head = self.take_through(b"\r\n\r\n", MAX_HEAD_BYTES, "request head").await?;
        let head = std::str::from_utf8(&head[..head.len() - 4]).map_err(|_| bad("request head is not UTF-8"))?;
        let mut lines = head.split("\r\n");
        let mut parts = lines.next().unwrap_or_default().split(' ');
        let (Some(method), Some(path), Some(version), None) = (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad("malformed request line"));
        };
        let mut headers = Vec::new();
        for line in lines {
            let (name, value) = line.split_once(':').ok_or_else(|| bad(format!("malformed header line {line:?}")))?;
            headers.push((name.trim().to_string(), value.trim().to_string()));
        }
        let headers = Headers(headers);

        if headers.has_token("expect", "100-continue") {
            self.stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").await?;
        }
        let body = if headers.has_token("transfer-encoding", "chunked") {
            self.read_chunked().await?
        } else if let Some(length) = headers.get("content-length") {
            let length: usize = length.parse().map_err(|_| bad("invalid Content-Length"))?;
            if length > MAX_BODY_BYTES {
                return Err(too_large("request body"));
            }
            self.take_exact(length).await?
        } else {
            Vec::new()
        };
        let close = if version == "HTTP/1.0" {
            !headers.has_token("connection", "keep-alive")
        } else {
            headers.has_token("connection", "close")
        };
        let request = Request {
            index: 0,
            connection: 0,
            method: method.into(),
            path: path.into(),
            version: version.into(),
            headers,
            body,
        };
        Ok(Some((request, close)))
    }

    async fn read_chunked(&mut self) -> io::Result<Vec<u8>> {
        let mut body = Vec::new();
        loop {
            let line = self.take_through(b"\r\n", 1024, "chunk size line").await?;
            let line = std::str::from_utf8(&line[..line.len() - 2]).map_err(|_| bad("invalid chunk size"))?;
            let size = line.split(';').next().unwrap_or_default().trim();
            let size = usize::from_str_radix(size, 16).map_err(|_| bad(format!("invalid chunk size {size:?}")))?;
            if size == 0 {
                // Skip trailer fields up to the empty line.
                while self.take_through(b"\r\n", MAX_HEAD_BYTES, "chunk trailer").await?.len() > 2 {}
                return Ok(body);
            }
            if body.len().saturating_add(size) > MAX_BODY_BYTES {
                return Err(too_large("request body"));
            }
            body.extend(self.take_exact(size).await?);
            if self.take_exact(2).await? != b"\r\n" {
                return Err(bad("chunk not followed by CRLF"));
            }
        }
    }
}
