//! The client side of a call: [`SoapClient`], its settings and limits, and the exchange of one
//! request envelope for one response through a [`Transport`]; with the `http` feature, the
//! HTTP transport ([`HttpTransport`]: reqwest with rustls). What an operation is, and how its
//! envelopes are written and read, is in `operation`.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use http::header::{HeaderMap, HeaderName, HeaderValue};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tracing::Instrument;

use crate::addressing::AddressingHeaders;
use crate::error::{Error, excerpt};
use crate::hook::{Hook, IncomingResponse, OutgoingRequest};
#[cfg(feature = "http")]
use crate::http_config::{HttpConfig, ProxySetting};
use crate::operation::{Operation, OperationError, Reply, checked, decode_response_as, encode_envelope};
#[cfg(feature = "http")]
use crate::retry::RetryPolicy;
use crate::security::UsernameToken;
use crate::soap::SoapVersion;
use crate::transport::{Endpoint, Transport, TransportError, TransportRequest, TransportResponse};
use crate::xml::{DecodeError, DecodeLimits, RedactedXml, Secrets, is_supported_label};

/// The `tracing` target of the envelopes a client traces
/// ([`SoapClient::set_trace_envelopes`]).
pub const ENVELOPE_TRACE_TARGET: &str = "wsdlgen_runtime::envelope";

/// Default time allowed to establish a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time allowed for a whole call (waiting for a free connection slot, sending,
/// waiting, receiving).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Default time allowed between two reads from the connection (the response head, then each
/// piece of the body): a server that stops sending is given up on before the total timeout.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// Default limit on the size of a response body: 64 MiB.
pub const DEFAULT_MAX_RESPONSE_SIZE: usize = 64 * 1024 * 1024;
/// How often a call yields to the runtime after reading a body, before releasing a slot that
/// other calls wait for.
#[cfg(feature = "http")]
const RETURN_TO_POOL_YIELDS: usize = 16;

/// Default limit on the number of calls in flight at once through one [`SoapClient`] and its
/// clones (so on the number of connections it opens): 32.
pub const DEFAULT_MAX_CONCURRENT_REQUESTS: usize = 32;

/// The client every generated client wraps: endpoint, SOAP version, timeout and limits, and
/// the [`Transport`] that carries its requests (HTTP by default: [`SoapClient::new`],
/// [`SoapClient::with_http_client`]; anything else with [`SoapClient::with_transport`]).
///
/// Cloning is cheap; clones share the transport (the connection pool) and the limit on
/// concurrent calls. `SoapClient` is `Send + Sync`: one client can serve any number of tasks.
///
/// Limits, each with its setter (the README's table gives the reasoning behind the defaults):
///
/// | limit | default | setter |
/// |---|---|---|
/// | response body size, enforced while it streams in | [`DEFAULT_MAX_RESPONSE_SIZE`] (64 MiB) | [`set_max_response_size`](Self::set_max_response_size) |
/// | element nesting depth | 64 | [`set_max_depth`](Self::set_max_depth) |
/// | length of one text or attribute value | 16 MiB | [`set_max_text_len`](Self::set_max_text_len) |
/// | items in one list | 100,000 | [`set_max_list_items`](Self::set_max_list_items) |
/// | total time of a call | [`DEFAULT_TIMEOUT`] (60 s) | [`set_timeout`](Self::set_timeout) |
/// | calls in flight at once | [`DEFAULT_MAX_CONCURRENT_REQUESTS`] (32) | [`set_max_concurrent_requests`](Self::set_max_concurrent_requests) |
/// | retries | none | [`set_retry_policy`](Self::set_retry_policy) (feature `http`) |
///
/// Configure it, then hand it to a generated client (`UserClient::from_soap_client(soap)`),
/// or change the one a generated client holds through its `soap_client_mut()`:
///
/// ```
/// use std::time::Duration;
/// use wsdlgen_runtime::{DecodeLimits, SoapClient, SoapVersion};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let mut soap = SoapClient::new("https://crm.example.com/Remote/Services87/User.svc");
///
/// // Time and size.
/// soap.set_timeout(Duration::from_secs(20));
/// soap.set_max_response_size(16 * 1024 * 1024);
/// soap.set_max_concurrent_requests(8);
/// soap.set_decode_limits(DecodeLimits::default().with_max_list_items(500_000));
///
/// // What every request carries.
/// soap.set_http_header("X-Api-Key", "k-123")?; // hidden from `Debug`
/// soap.set_basic_auth("jane", "s3cret")?;
/// soap.set_soap_version(SoapVersion::Soap12); // whatever the binding says
/// soap.set_addressing(true);
/// assert!(soap.set_http_header("Content-Type", "text/plain").is_err()); // the client's own
///
/// assert_eq!(soap.timeout(), Duration::from_secs(20));
/// assert!(!format!("{soap:?}").contains("k-123"));
///
/// // Through a proxy (else the environment's: HTTPS_PROXY, NO_PROXY, ...).
/// let proxy = wsdlgen_runtime::reqwest::Proxy::all("http://proxy.example.com:3128")?.basic_auth("jane", "s3cret");
/// soap.set_proxy(Some(proxy))?;
///
/// // TLS: other roots and client certificates with `set_tls` (see `TlsConfig`); your own
/// // reqwest client ...
/// let http = wsdlgen_runtime::http_client_builder().connect_timeout(Duration::from_secs(3)).build()?;
/// let soap = SoapClient::with_http_client(http, "https://crm.example.com/Remote/Services87/User.svc");
/// # drop(soap);
/// // ... or, for a test installation only, no certificate verification at all.
/// let mut test = SoapClient::new("https://test.example.com/User.svc");
/// test.danger_accept_invalid_certs(true)?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct SoapClient {
    transport: Arc<dyn Transport>,
    /// The endpoint, parsed once as a URL (URL parsing and IDNA normalisation are not free, and
    /// the address does not change between calls).
    endpoint: Endpoint,
    version: Option<SoapVersion>,
    max_response_size: usize,
    limits: DecodeLimits,
    timeout: Duration,
    slots: Arc<Semaphore>,
    max_concurrent_requests: usize,
    addressing: bool,
    /// HTTP headers sent with every request (values marked sensitive: `Debug` hides them).
    http_headers: Arc<Vec<(HeaderName, HeaderValue)>>,
    /// A WS-Security UsernameToken sent with every request.
    username_token: Option<Arc<UsernameToken>>,
    /// Which failed calls are sent again.
    #[cfg(feature = "http")]
    retry: Option<Arc<RetryPolicy>>,
    /// Code run around each call, in order.
    hooks: Vec<Arc<dyn Hook>>,
    /// Whether envelopes are traced (redacted, at `TRACE` level).
    trace_envelopes: bool,
    /// What the HTTP setters (`set_tls`, `set_proxy`, ...) rebuild the HTTP transport from.
    #[cfg(feature = "http")]
    http_config: HttpConfig,
}

/// An HTTP header [`SoapClient::set_http_header`] cannot send.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot send the HTTP header `{name}`: {reason}")]
#[non_exhaustive]
pub struct InvalidHttpHeader {
    /// The header's name, as given.
    pub name: String,
    /// Why.
    pub reason: String,
}

/// A `reqwest` client with this crate's defaults: TLS with the platform's roots (certificates
/// verified), connect timeout [`DEFAULT_CONNECT_TIMEOUT`], read timeout
/// [`DEFAULT_READ_TIMEOUT`], total timeout [`DEFAULT_TIMEOUT`], keep-alive connection reuse
/// (at most [`DEFAULT_MAX_CONCURRENT_REQUESTS`] idle connections per host), the environment's
/// proxy settings, and no redirects followed.
#[cfg(feature = "http")]
pub fn default_http_client() -> Result<reqwest::Client, reqwest::Error> {
    http_client_builder().build()
}

/// A `reqwest` client builder with this crate's defaults, to adjust before building.
///
/// Redirects are not followed: a redirect would send the request (and the credentials in its
/// envelope) to an address taken from a response; a `3xx` status is reported as
/// [`Error::Http`].
///
/// TLS comes configured by the backend feature (the README's table): with rustls, the crypto
/// provider is named explicitly (nothing is installed for the whole process, so an
/// application may install any provider it likes), and the platform's root certificates are
/// trusted. reqwest's own `tls_*` settings do not apply to a rustls configuration handed over
/// this way: to trust other roots or present a client certificate, start from
/// [`http_client_builder_with_tls`] instead.
#[cfg(feature = "http")]
pub fn http_client_builder() -> reqwest::ClientBuilder {
    #[cfg(any(feature = "rustls-ring", feature = "rustls-aws-lc-rs", feature = "native-tls"))]
    return http_client_builder_with_tls(&crate::tls::TlsConfig::default());
    #[cfg(not(any(feature = "rustls-ring", feature = "rustls-aws-lc-rs", feature = "native-tls")))]
    return base_http_client_builder();
}

/// [`http_client_builder`] with TLS settings of your own: extra roots, a client certificate
/// (see [`TlsConfig`](crate::TlsConfig)). For a `reqwest` client of your own, passed to
/// [`SoapClient::with_http_client`]; [`SoapClient::set_tls`] does the same for the client's own.
#[cfg(any(feature = "rustls-ring", feature = "rustls-aws-lc-rs", feature = "native-tls"))]
pub fn http_client_builder_with_tls(tls: &crate::tls::TlsConfig) -> reqwest::ClientBuilder {
    crate::tls::configure(base_http_client_builder(), tls)
}

/// The settings of [`http_client_builder`] but TLS.
#[cfg(feature = "http")]
fn base_http_client_builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .connect_timeout(DEFAULT_CONNECT_TIMEOUT)
        .read_timeout(DEFAULT_READ_TIMEOUT)
        .timeout(DEFAULT_TIMEOUT)
        .pool_idle_timeout(Duration::from_secs(90))
        .pool_max_idle_per_host(DEFAULT_MAX_CONCURRENT_REQUESTS)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("wsdlgen-runtime/", env!("CARGO_PKG_VERSION")))
}

#[cfg(feature = "http")]
impl SoapClient {
    /// A client for `endpoint` with a default HTTP client ([`default_http_client`]).
    ///
    /// Without root certificates on the system (a container without a CA bundle), the client
    /// is still made, and every HTTPS call fails with an [`Error::Transport`] that says so.
    ///
    /// # Panics
    /// If reqwest cannot build the HTTP client ([`default_http_client`] returns the error; use
    /// it with [`SoapClient::with_http_client`] to handle that case yourself).
    pub fn new(endpoint: impl Into<String>) -> Self {
        let http = default_http_client().expect("cannot initialise the HTTP client's TLS backend");
        Self::with_http_client(http, endpoint)
    }

    /// A client for `endpoint` that keeps the cookies servers set (ASP.NET session state, a
    /// sticky load balancer's affinity cookie) and sends them back, per RFC 6265: the store is
    /// shared by this client and its clones (and by the generated clients made from them), and
    /// lives as long as they do. Otherwise as [`new`](Self::new) (feature `cookies`).
    #[cfg(feature = "cookies")]
    pub fn with_cookies(endpoint: impl Into<String>) -> Result<Self, reqwest::Error> {
        let http_config = HttpConfig { cookies: Some(Arc::default()), ..HttpConfig::default() };
        let mut client = Self::with_http_client(http_config.build()?, endpoint);
        client.http_config = http_config;
        Ok(client)
    }

    /// A client for `endpoint` that sends through the caller's own `reqwest::Client`.
    ///
    /// The client's own settings (TLS, proxies, connect and read timeouts, redirects) apply;
    /// the total time of each call is still bounded by [`set_timeout`](Self::set_timeout)
    /// (default [`DEFAULT_TIMEOUT`]), and all limits apply.
    pub fn with_http_client(http: reqwest::Client, endpoint: impl Into<String>) -> Self {
        Self::with_transport(HttpTransport::new(http), endpoint)
    }

    /// **Turns off TLS certificate verification** (`true`), or back on (`false`), by
    /// rebuilding the HTTP client with a TLS configuration that accepts any certificate:
    /// expired, self-signed, or issued for another host. Anyone on the network path can then
    /// read and change the traffic, tickets and passwords included. Meant for test
    /// installations with self-signed certificates; prefer trusting their certificate:
    /// [`TlsConfig::add_root_certificates_pem`](crate::TlsConfig::add_root_certificates_pem)
    /// and [`set_tls`](Self::set_tls).
    ///
    /// Certificates are verified unless this is called. Like the other HTTP setters, this
    /// replaces a custom client passed to [`with_http_client`](Self::with_http_client).
    #[cfg(any(feature = "rustls-ring", feature = "rustls-aws-lc-rs", feature = "native-tls"))]
    pub fn danger_accept_invalid_certs(&mut self, accept: bool) -> Result<(), reqwest::Error> {
        if accept {
            tracing::warn!(
                endpoint = %self.endpoint.as_str(),
                "TLS certificate verification is OFF for this SOAP client: any certificate is accepted"
            );
        }
        let mut http_config = self.http_config.clone();
        http_config.tls.danger_accept_invalid_certs(accept);
        self.rebuild_http(http_config)
    }

    /// Uses these TLS settings (extra root certificates, a client certificate for mutual TLS;
    /// see [`TlsConfig`](crate::TlsConfig)) from now on, in place of the ones set before, by
    /// rebuilding the HTTP client (a new connection pool) with its other settings kept. Like
    /// the other HTTP setters, this replaces a custom client passed to
    /// [`with_http_client`](Self::with_http_client).
    #[cfg(any(feature = "rustls-ring", feature = "rustls-aws-lc-rs", feature = "native-tls"))]
    pub fn set_tls(&mut self, tls: crate::tls::TlsConfig) -> Result<(), reqwest::Error> {
        let mut http_config = self.http_config.clone();
        http_config.tls = tls;
        self.rebuild_http(http_config)
    }

    /// Sends every request through `proxy` (`Some`), with its credentials
    /// (`reqwest::Proxy::basic_auth` sends them as `Proxy-Authorization`) and its exceptions
    /// (`reqwest::Proxy::no_proxy`), or through no proxy at all, whatever the environment says
    /// (`None`). HTTPS goes through the proxy as a `CONNECT` tunnel, so the proxy sees the
    /// host name only.
    ///
    /// Until this is called, the environment decides, as in reqwest: `HTTPS_PROXY`,
    /// `HTTP_PROXY`, `ALL_PROXY` (with credentials in the URL if the proxy wants them) and
    /// `NO_PROXY`, read when the client is made. Like the other HTTP setters, this rebuilds
    /// the HTTP client with its other settings kept, and replaces a custom client passed to
    /// [`with_http_client`](Self::with_http_client).
    ///
    /// ```
    /// use wsdlgen_runtime::SoapClient;
    /// use wsdlgen_runtime::reqwest::{NoProxy, Proxy};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let mut soap = SoapClient::new("https://crm.example.com/Remote/Services87/User.svc");
    /// let proxy = Proxy::all("http://proxy.example.com:3128")?
    ///     .basic_auth("jane", "s3cret") // Proxy-Authorization: Basic ...; hidden from Debug
    ///     .no_proxy(NoProxy::from_string("localhost,.internal.example.com"));
    /// soap.set_proxy(Some(proxy))?;
    /// assert!(!format!("{soap:?}").contains("s3cret"));
    /// # Ok(()) }
    /// ```
    pub fn set_proxy(&mut self, proxy: Option<reqwest::Proxy>) -> Result<(), reqwest::Error> {
        let proxy = match proxy {
            Some(proxy) => ProxySetting::Through(Box::new(proxy)),
            None => ProxySetting::Off,
        };
        let mut http_config = self.http_config.clone();
        http_config.proxy = proxy;
        self.rebuild_http(http_config)
    }

    /// Replaces the HTTP client with one built from `http_config`; nothing changes if that fails.
    fn rebuild_http(&mut self, http_config: HttpConfig) -> Result<(), reqwest::Error> {
        self.transport = Arc::new(HttpTransport::new(http_config.build()?));
        self.http_config = http_config;
        Ok(())
    }

    /// Sends failed calls again as `policy` says (see [`RetryPolicy`]: calls that never reached
    /// the service, and calls of the operations it declares idempotent), or never (`None`, the
    /// default). Clones made afterwards share the policy.
    pub fn set_retry_policy(&mut self, policy: impl Into<Option<RetryPolicy>>) {
        self.retry = policy.into().map(Arc::new);
    }

    /// The retry policy, if any.
    pub fn retry_policy(&self) -> Option<&RetryPolicy> {
        self.retry.as_deref()
    }
}

impl SoapClient {
    /// A client for `endpoint` that sends through `transport`: a message queue, an HTTP client
    /// of your own, a test double (see [`Transport`]). Every setting applies as with HTTP: the
    /// HTTP headers go to the transport with the request, the limits and the decoding stay
    /// the client's. The timeout and the response size limit reach the transport with each
    /// request ([`TransportRequest::timeout`], [`TransportRequest::max_response_size`]);
    /// without the `http` feature the client has no timer, and enforcing the timeout (and so
    /// bounding the wait for a free slot) is the transport's job alone.
    pub fn with_transport(transport: impl Transport, endpoint: impl Into<String>) -> Self {
        Self {
            transport: Arc::new(transport),
            endpoint: Endpoint::new(endpoint.into()),
            version: None,
            max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
            limits: DecodeLimits::default(),
            timeout: DEFAULT_TIMEOUT,
            slots: Arc::new(Semaphore::new(DEFAULT_MAX_CONCURRENT_REQUESTS)),
            max_concurrent_requests: DEFAULT_MAX_CONCURRENT_REQUESTS,
            addressing: false,
            http_headers: Arc::new(Vec::new()),
            username_token: None,
            #[cfg(feature = "http")]
            retry: None,
            hooks: Vec::new(),
            trace_envelopes: false,
            #[cfg(feature = "http")]
            http_config: HttpConfig::default(),
        }
    }

    /// The endpoint address.
    pub fn endpoint(&self) -> &str {
        self.endpoint.as_str()
    }

    /// A client for another endpoint with this one's configuration: the same HTTP client
    /// (connection pool, TLS), HTTP headers, credentials, limits and timeouts, and the same
    /// budget of calls in flight. For two versions of a service side by side during a
    /// migration (`.../Services87/User.svc` and `.../Services88/User.svc`), each wrapped by its
    /// own generated client (`from_soap_client`).
    ///
    /// ```
    /// # use wsdlgen_runtime::SoapClient;
    /// let mut v87 = SoapClient::new("https://host/Remote/Services87/User.svc");
    /// v87.set_timeout(std::time::Duration::from_secs(20));
    /// let v88 = v87.with_endpoint("https://host/Remote/Services88/User.svc");
    /// assert_eq!(v88.endpoint(), "https://host/Remote/Services88/User.svc");
    /// assert_eq!(v88.timeout(), v87.timeout());
    /// ```
    #[must_use]
    pub fn with_endpoint(&self, endpoint: impl Into<String>) -> Self {
        let mut client = self.clone();
        client.endpoint = Endpoint::new(endpoint.into());
        client
    }

    /// Sends with this SOAP version instead of the binding's.
    pub fn set_soap_version(&mut self, version: SoapVersion) {
        self.version = Some(version);
    }

    /// The SOAP version override, if set.
    pub fn soap_version(&self) -> Option<SoapVersion> {
        self.version
    }

    /// Sends WS-Addressing 1.0 (W3C, 2006) headers with every request:
    /// `wsa:Action` (the operation's `wsam:Action` from the WSDL, or its SOAP action), a fresh `wsa:MessageID`, `wsa:ReplyTo` anonymous and `wsa:To` (the
    /// endpoint). Generated clients turn this on when their binding declares addressing
    /// (`wsaw:UsingAddressing`, or a `wsam:Addressing` policy); some services require it
    /// without saying so (ONVIF event subscriptions, for one). Responses' addressing headers
    /// are understood either way.
    pub fn set_addressing(&mut self, on: bool) {
        self.addressing = on;
    }

    /// Whether requests carry WS-Addressing headers.
    pub fn addressing(&self) -> bool {
        self.addressing
    }

    /// Sends the HTTP header `name: value` with every request, replacing one of that name set
    /// before: an API key, a bearer token, a tenant id. Values are marked sensitive, so `Debug`
    /// prints `Sensitive` rather than them. `Content-Type`, `SOAPAction` and `Content-Length`
    /// belong to the SOAP client and are refused, as are names and values HTTP does not allow.
    pub fn set_http_header(&mut self, name: &str, value: &str) -> Result<(), InvalidHttpHeader> {
        let invalid = |reason: String| InvalidHttpHeader { name: name.to_owned(), reason };
        let header = HeaderName::from_bytes(name.as_bytes()).map_err(|e| invalid(e.to_string()))?;
        if matches!(header.as_str(), "content-type" | "soapaction" | "content-length") {
            return Err(invalid("the SOAP client sets it".into()));
        }
        let mut value = HeaderValue::from_str(value).map_err(|e| invalid(e.to_string()))?;
        value.set_sensitive(true);
        let headers = Arc::make_mut(&mut self.http_headers);
        headers.retain(|(n, _)| *n != header);
        headers.push((header, value));
        Ok(())
    }

    /// HTTP Basic authentication: `Authorization: Basic base64(user:password)` with every
    /// request (over TLS only, unless the endpoint is yours to trust).
    pub fn set_basic_auth(&mut self, user: &str, password: &str) -> Result<(), InvalidHttpHeader> {
        use base64::Engine as _;
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        self.set_http_header("Authorization", &format!("Basic {token}"))
    }

    /// Sends a WS-Security `UsernameToken` (in a `wsse:Security` header) with every request, or
    /// stops sending one (`None`): what services behind a `sp:UsernameToken` policy expect
    /// (see [`UsernameToken`]).
    pub fn set_username_token(&mut self, token: Option<UsernameToken>) {
        self.username_token = token.map(Arc::new);
    }

    /// The WS-Security `UsernameToken` sent with every request, if any.
    pub fn username_token(&self) -> Option<&UsernameToken> {
        self.username_token.as_deref()
    }

    /// Stops sending the HTTP header `name` set with [`set_http_header`](Self::set_http_header).
    pub fn remove_http_header(&mut self, name: &str) {
        Arc::make_mut(&mut self.http_headers).retain(|(n, _)| !n.as_str().eq_ignore_ascii_case(name));
    }

    /// Limits the size of a response body (checked while it streams in: a larger body is
    /// refused with [`Error::TooLarge`] as soon as it passes the limit, or at once when its
    /// `Content-Length` announces more). Default [`DEFAULT_MAX_RESPONSE_SIZE`].
    pub fn set_max_response_size(&mut self, bytes: usize) {
        self.max_response_size = bytes;
    }

    /// Limits the element nesting depth of a response ([`DecodeLimits::max_depth`]).
    pub fn set_max_depth(&mut self, depth: usize) {
        self.limits.max_depth = depth;
    }

    /// Limits the length in bytes of one text or attribute value of a response
    /// ([`DecodeLimits::max_text_len`]).
    pub fn set_max_text_len(&mut self, bytes: usize) {
        self.limits.max_text_len = bytes;
    }

    /// Limits the number of items of one list in a response ([`DecodeLimits::max_list_items`]).
    pub fn set_max_list_items(&mut self, items: usize) {
        self.limits.max_list_items = items;
    }

    /// Bounds the total time of a call: waiting for a free slot (see
    /// [`set_max_concurrent_requests`](Self::set_max_concurrent_requests)), connecting,
    /// sending, waiting for the answer and receiving all of it. Default [`DEFAULT_TIMEOUT`].
    /// A call that takes longer fails with a timeout ([`Error::is_timeout`]).
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
    }

    /// The total timeout of a call.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Limits the number of calls in flight at once through this client (and the clones made
    /// from it afterwards), and so the number of connections in use; further calls wait for a
    /// free slot (within the call's timeout). Default [`DEFAULT_MAX_CONCURRENT_REQUESTS`].
    /// Clones made earlier keep their previous limit.
    ///
    /// Finished connections are reused. reqwest returns a connection to its pool from a task
    /// of its own, so on a multi-threaded runtime a call may now and then start before that
    /// and open a fresh connection; the pool keeps at most [`DEFAULT_MAX_CONCURRENT_REQUESTS`]
    /// idle connections per host (with the default HTTP client) and closes the rest.
    ///
    /// # Panics
    /// If `n` is 0.
    pub fn set_max_concurrent_requests(&mut self, n: usize) {
        assert!(n > 0, "max_concurrent_requests must be at least 1");
        self.slots = Arc::new(Semaphore::new(n.min(Semaphore::MAX_PERMITS)));
        self.max_concurrent_requests = n;
    }

    /// The limit on calls in flight at once.
    pub fn max_concurrent_requests(&self) -> usize {
        self.max_concurrent_requests
    }

    /// The response size limit.
    pub fn max_response_size(&self) -> usize {
        self.max_response_size
    }

    /// Sets the limits applied while decoding responses.
    pub fn set_decode_limits(&mut self, limits: DecodeLimits) {
        self.limits = limits;
    }

    /// The decoding limits.
    pub fn decode_limits(&self) -> DecodeLimits {
        self.limits
    }

    /// Runs `hook` around every call of this client (and of the clones made from it afterwards),
    /// after the hooks added before it: see [`Hook`].
    pub fn add_hook(&mut self, hook: impl Hook) {
        self.hooks.push(Arc::new(hook));
    }

    /// With `true`, every call logs the request envelope it sends and the response body it gets
    /// as `tracing` events at `TRACE` level, target [`ENVELOPE_TRACE_TARGET`], inside the call's
    /// `soap_call` span, with the values of secret elements and attributes replaced by
    /// `[redacted]`: those generated `Debug` impls redact (passwords, tickets, tokens, the
    /// names given to `wsdlgen`'s `secret`), and WS-Security's `Password`. A body that is not
    /// well-formed XML is shown up to where it stops being so (never from inside a secret).
    /// Off by default: a message is formatted only when a subscriber enables that level and
    /// target (`RUST_LOG=wsdlgen_runtime::envelope=trace` with `tracing-subscriber`'s `EnvFilter`).
    pub fn set_trace_envelopes(&mut self, on: bool) {
        self.trace_envelopes = on;
    }

    // The generated clients' `call`; hidden: the version and header set are theirs to supply.
    #[doc(hidden)]
    /// Calls operation `O`: sends `request` with `headers` using `version` (unless overridden
    /// on this client) and decodes the reply.
    pub async fn call<O: Operation>(
        &self,
        version: SoapVersion,
        request: &O,
        headers: &O::RequestHeaders,
    ) -> Result<Reply<O::Response, O::ResponseHeaders>, OperationError<O>> {
        self.call_with_action(version, O::SOAP_ACTION, request, headers).await
    }

    #[doc(hidden)]
    /// Like [`call`](Self::call), with the SOAP action of another binding of the operation.
    pub async fn call_with_action<O: Operation>(
        &self,
        version: SoapVersion,
        action: &str,
        request: &O,
        headers: &O::RequestHeaders,
    ) -> Result<Reply<O::Response, O::ResponseHeaders>, OperationError<O>> {
        // Only encoding and decoding depend on the operation; the exchange does not, so it is
        // compiled once, in this crate, rather than once per operation in every bindings crate.
        let version = self.version.unwrap_or(version);
        let addressing = self.addressing.then(|| {
            let wsa_action = if O::ADDRESSING_ACTION.is_empty() { action } else { O::ADDRESSING_ACTION };
            AddressingHeaders::new(wsa_action, self.endpoint.as_str())
        });
        // With addressing, an empty SOAP action takes the addressing action: WS-Addressing's
        // SOAP binding wants the HTTP action to be that of `wsa:Action` (or, in SOAP 1.1, empty).
        let action = match &addressing {
            Some(a) if action.is_empty() => a.action,
            _ => action,
        };
        #[cfg(feature = "http")]
        let idempotent = self.retry.as_deref().is_some_and(|p| p.is_idempotent(O::NAME));
        #[cfg(not(feature = "http"))]
        let idempotent = false;
        // One span per call, from encoding to decoding; the fields left empty here are recorded
        // as they become known (the endpoint's host only: a URL may carry credentials).
        let span = tracing::info_span!(
            "soap_call",
            operation = O::NAME,
            action,
            host = host_of(self.endpoint.as_str()),
            status = tracing::field::Empty,
            request_bytes = tracing::field::Empty,
            response_bytes = tracing::field::Empty,
            attempts = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
            outcome = tracing::field::Empty,
        );
        let started = Instant::now();
        let in_call = span.clone();
        let result = async {
            let envelope = checked(encode_envelope(
                version,
                request,
                headers,
                addressing.as_ref(),
                self.username_token.as_deref(),
            ))
            .map_err(|c| Error::InvalidRequest(format!("the request holds {c:?}, which XML 1.0 cannot carry")))?;
            let call = CallInfo { operation: O::NAME, secrets: Secrets(O::SECRETS), version, action, idempotent };
            let response = self.exchange(&call, envelope, &in_call).await.map_err(TransportFailure::into_error)?;
            in_call.record("status", response.status);
            in_call.record("response_bytes", response.body.len());
            interpret::<O>(response, self.limits)
        }
        .instrument(span.clone())
        .await;
        if !span.is_disabled() {
            span.record("elapsed_ms", started.elapsed().as_millis() as u64);
            span.record("outcome", outcome(&result).as_str());
        }
        result
    }

    /// Hands an envelope to the transport and gets the whole answer, within the limits, once or
    /// as often as the retry policy allows: the part of a call that does not depend on the
    /// operation.
    // Without `http` there are no retries, so no second turn of its loop.
    #[cfg_attr(not(feature = "http"), allow(clippy::never_loop))]
    async fn exchange(
        &self,
        call: &CallInfo<'_>,
        mut envelope: Vec<u8>,
        span: &tracing::Span,
    ) -> Result<TransportResponse, TransportFailure> {
        let CallInfo { version, action, idempotent, .. } = *call;
        #[cfg(not(feature = "http"))]
        let _ = idempotent;
        let started = Instant::now();
        // Held until the body is read (and across retries), so at most `max_concurrent_requests`
        // exchanges are in flight.
        let _permit = self.slot().await?;
        let mut headers = self.request_headers(version, action)?;
        if !self.hooks.is_empty() {
            let mut request = OutgoingRequest {
                operation: call.operation,
                action,
                endpoint: self.endpoint.as_str(),
                version,
                headers: &mut headers,
                envelope: &mut envelope,
            };
            for hook in &self.hooks {
                hook.before_send(&mut request).map_err(TransportFailure::Hook)?;
            }
        }
        span.record("request_bytes", envelope.len());
        tracing::trace!(bytes = envelope.len(), "sending request");
        if self.trace_envelopes {
            let xml = RedactedXml { xml: &envelope, secrets: call.secrets };
            tracing::trace!(target: ENVELOPE_TRACE_TARGET, envelope = %xml, "request envelope");
        }
        let action: Arc<str> = Arc::from(action);
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let time_left = match self.timeout.checked_sub(started.elapsed()) {
                Some(left) if !left.is_zero() => left,
                _ => return Err(TransportFailure::Timeout(self.timeout)),
            };
            // Another attempt may follow only with a retry policy: otherwise nothing is copied.
            #[cfg(feature = "http")]
            let again = self.retry.is_some();
            #[cfg(not(feature = "http"))]
            let again = false;
            let (body, request_headers) = if again {
                (envelope.clone(), headers.clone())
            } else {
                (std::mem::take(&mut envelope), std::mem::take(&mut headers))
            };
            let request = TransportRequest {
                endpoint: self.endpoint.clone(),
                version,
                action: Arc::clone(&action),
                headers: request_headers,
                body,
                timeout: time_left,
                max_response_size: self.max_response_size,
            };
            let outcome = match self.transport.send(request).await {
                Ok(response) if response.body.len() > self.max_response_size => Err(TransportError::too_large()),
                outcome => outcome,
            };
            #[cfg(feature = "http")]
            if let Some(wait) = self.retry_wait(&outcome, attempt, idempotent, started) {
                match &outcome {
                    Ok(response) => tracing::debug!(attempt, status = response.status, ?wait, "retrying"),
                    Err(error) => tracing::debug!(attempt, %error, ?wait, "retrying"),
                }
                tokio::time::sleep(wait).await;
                continue;
            }
            if attempt > 1 {
                span.record("attempts", attempt);
            }
            let mut response = outcome.map_err(|e| {
                if e.is_too_large() {
                    tracing::debug!(limit = self.max_response_size, "response body too large");
                    TransportFailure::TooLarge(self.max_response_size)
                } else {
                    TransportFailure::Transport(e)
                }
            })?;
            tracing::debug!(status = response.status, bytes = response.body.len(), "received response");
            if self.trace_envelopes {
                let xml = RedactedXml { xml: &response.body, secrets: call.secrets };
                tracing::trace!(target: ENVELOPE_TRACE_TARGET, status = response.status, body = %xml, "response");
            }
            if !self.hooks.is_empty() {
                self.after_receive(call.operation, &mut response, started)?;
            }
            // reqwest returns a connection to its pool from a task of its own, just after the
            // body ends. When calls are waiting for this slot, give that task a moment before
            // releasing it: the next call would otherwise find no idle connection and open one more.
            #[cfg(feature = "http")]
            if self.slots.available_permits() == 0 {
                for _ in 0..RETURN_TO_POOL_YIELDS {
                    tokio::task::yield_now().await;
                }
            }
            return Ok(response);
        }
    }

    /// Runs the hooks' `after_receive` on the answer; a `Content-Type` header they set is the
    /// answer's content type from then on.
    fn after_receive(
        &self,
        operation: &'static str,
        response: &mut TransportResponse,
        started: Instant,
    ) -> Result<(), TransportFailure> {
        let mut incoming = IncomingResponse {
            operation,
            status: response.status,
            headers: &mut response.headers,
            body: &mut response.body,
            elapsed: started.elapsed(),
        };
        for hook in &self.hooks {
            hook.after_receive(&mut incoming).map_err(TransportFailure::Hook)?;
        }
        if let Some(content_type) = response.headers.get(http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) {
            response.content_type = Some(content_type.to_owned());
        }
        Ok(())
    }

    /// How long to wait before sending again, if the policy says this outcome of attempt number
    /// `attempt` is worth another one and the wait ends within the call's timeout.
    #[cfg(feature = "http")]
    fn retry_wait(
        &self,
        outcome: &Result<TransportResponse, TransportError>,
        attempt: u32,
        idempotent: bool,
        started: Instant,
    ) -> Option<Duration> {
        let policy = self.retry.as_deref()?;
        if attempt > policy.max_retries() {
            return None;
        }
        let retry = match outcome {
            Err(e) if e.is_too_large() => false,
            // Nothing reached the service: any operation may be sent again.
            Err(e) if e.is_connect() => true,
            Err(_) => idempotent,
            // A gateway's or load balancer's error page (a fault is the service's answer).
            Ok(r) => {
                idempotent
                    && matches!(r.status, 502..=504)
                    && !r.content_type.as_deref().is_some_and(is_xml_content_type)
            }
        };
        let wait = policy.backoff_with_jitter(attempt);
        (retry && started.elapsed() + wait < self.timeout).then_some(wait)
    }

    /// The HTTP headers of a request: its content type and action, then the client's own.
    fn request_headers(&self, version: SoapVersion, action: &str) -> Result<HeaderMap, TransportFailure> {
        let invalid = |_| {
            TransportFailure::InvalidRequest(format!("the SOAP action {action:?} cannot be sent as an HTTP header"))
        };
        let mut headers = HeaderMap::with_capacity(2 + self.http_headers.len());
        // Names and constant values as header types, not parsed from text on every call.
        match version {
            SoapVersion::Soap11 => {
                headers.insert(http::header::CONTENT_TYPE, HeaderValue::from_static("text/xml; charset=utf-8"));
                headers.insert(
                    HeaderName::from_static("soapaction"),
                    HeaderValue::try_from(format!("\"{action}\"")).map_err(invalid)?,
                );
            }
            SoapVersion::Soap12 => {
                headers.insert(
                    http::header::CONTENT_TYPE,
                    HeaderValue::try_from(version.content_type(action)).map_err(invalid)?,
                );
            }
        }
        for (name, value) in self.http_headers.iter() {
            headers.append(name.clone(), value.clone());
        }
        Ok(headers)
    }

    /// Waits for a free slot: within the call's timeout with the `http` feature (tokio's timer),
    /// for as long as the transport takes to free one without it.
    async fn slot(&self) -> Result<OwnedSemaphorePermit, TransportFailure> {
        if let Ok(permit) = Arc::clone(&self.slots).try_acquire_owned() {
            return Ok(permit);
        }
        tracing::trace!("waiting for a free connection slot");
        let wait = Arc::clone(&self.slots).acquire_owned();
        #[cfg(feature = "http")]
        let permit = match tokio::time::timeout(self.timeout, wait).await {
            Ok(Ok(permit)) => permit,
            // The semaphore is never closed.
            Ok(Err(_)) | Err(_) => return Err(TransportFailure::Timeout(self.timeout)),
        };
        #[cfg(not(feature = "http"))]
        let permit = wait.await.map_err(|_| TransportFailure::Timeout(self.timeout))?;
        Ok(permit)
    }
}

/// The HTTP transport (feature `http`, on by default): a `reqwest::Client` posting each
/// envelope, reading the body as it streams in up to the response size limit, within the
/// request's timeout. [`SoapClient::new`] and [`SoapClient::with_http_client`] use it; a
/// transport of your own may wrap it (to add a header computed per call, sign a message,
/// record metrics) and go to [`SoapClient::with_transport`]:
///
/// ```
/// use wsdlgen_runtime::{HttpTransport, SoapClient, Transport, TransportFuture, TransportRequest};
///
/// /// Counts the requests sent through it.
/// #[derive(Debug)]
/// struct Counting {
///     http: HttpTransport,
///     sent: std::sync::atomic::AtomicUsize,
/// }
///
/// impl Transport for Counting {
///     fn send(&self, request: TransportRequest) -> TransportFuture<'_> {
///         self.sent.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
///         self.http.send(request)
///     }
/// }
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let http = HttpTransport::new(wsdlgen_runtime::default_http_client()?);
/// let soap = SoapClient::with_transport(Counting { http, sent: 0.into() }, "https://host/User.svc");
/// # drop(soap);
/// # Ok(()) }
/// ```
#[cfg(feature = "http")]
#[derive(Debug, Clone)]
pub struct HttpTransport {
    http: reqwest::Client,
}

#[cfg(feature = "http")]
impl HttpTransport {
    /// A transport over this `reqwest` client (see [`http_client_builder`] for one with this
    /// crate's defaults).
    pub fn new(http: reqwest::Client) -> Self {
        Self { http }
    }

    /// The `reqwest` client.
    pub fn http_client(&self) -> &reqwest::Client {
        &self.http
    }

    async fn post(&self, request: TransportRequest) -> Result<TransportResponse, TransportError> {
        let TransportRequest { endpoint, headers, body, timeout, max_response_size: limit, .. } = request;
        let builder = match endpoint.url() {
            Some(url) => self.http.post(reqwest::Url::clone(url)),
            None => self.http.post(endpoint.as_str()),
        };
        let mut response =
            builder.timeout(timeout).headers(headers).body(body).send().await.map_err(TransportError::from_reqwest)?;
        let status = response.status().as_u16();
        let content_type =
            response.headers().get(http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let content_length = response.content_length();
        if content_length.is_some_and(|n| n > limit as u64) {
            return Err(TransportError::too_large());
        }
        let mut headers = std::mem::take(response.headers_mut());
        mark_sensitive(&mut headers);
        let mut body = Vec::with_capacity(content_length.map_or(8 * 1024, |n| n as usize));
        while let Some(chunk) = response.chunk().await.map_err(TransportError::from_reqwest)? {
            if body.len() + chunk.len() > limit {
                // Dropping the response closes the connection: the rest is never read.
                tracing::debug!(limit, received = body.len() + chunk.len(), "response body too large");
                return Err(TransportError::too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(TransportResponse { status, content_type, headers, body })
    }
}

#[cfg(feature = "http")]
impl Transport for HttpTransport {
    fn send(&self, request: TransportRequest) -> crate::transport::TransportFuture<'_> {
        Box::pin(self.post(request))
    }
}

/// Why an exchange failed: the operation-independent part of [`Error`].
#[derive(Debug)]
enum TransportFailure {
    Timeout(Duration),
    Transport(TransportError),
    TooLarge(usize),
    InvalidRequest(String),
    Hook(crate::HookError),
}

/// What the exchange of a call needs to know about its operation.
struct CallInfo<'a> {
    operation: &'static str,
    secrets: Secrets<'static>,
    version: SoapVersion,
    action: &'a str,
    /// Whether the retry policy declares the operation idempotent.
    idempotent: bool,
}

impl TransportFailure {
    fn into_error<S: fmt::Debug + fmt::Display>(self) -> Error<S> {
        match self {
            TransportFailure::Timeout(timeout) => Error::Timeout { timeout },
            // The HTTP transport's own errors stay what they always were.
            #[cfg(feature = "http")]
            TransportFailure::Transport(e) => match e.into_reqwest() {
                Ok(e) => Error::Transport(e),
                Err(e) => Error::Exchange(e),
            },
            #[cfg(not(feature = "http"))]
            TransportFailure::Transport(e) => Error::Exchange(e),
            TransportFailure::TooLarge(limit) => Error::TooLarge { limit },
            TransportFailure::InvalidRequest(reason) => Error::InvalidRequest(reason),
            TransportFailure::Hook(e) => Error::Hook(e),
        }
    }
}

fn is_xml_content_type(content_type: &str) -> bool {
    let mime = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    mime == "text/xml" || mime == "application/soap+xml" || mime == "application/xml" || mime.ends_with("+xml")
}

/// The `charset` parameter of a `Content-Type`, if any (without quotes).
fn charset(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim().eq_ignore_ascii_case("charset").then(|| value.trim().trim_matches('"'))
    })
}

/// Marks the values of response headers that carry credentials (session cookies, tokens)
/// sensitive, so that `Debug` of a [`Reply`] or a [`TransportResponse`] does not show them.
#[cfg(feature = "http")]
fn mark_sensitive(headers: &mut HeaderMap) {
    use http::header::{AUTHORIZATION, PROXY_AUTHORIZATION, SET_COOKIE};
    for (name, value) in headers.iter_mut() {
        if *name == SET_COOKIE
            || *name == AUTHORIZATION
            || *name == PROXY_AUTHORIZATION
            || names_a_credential(name.as_str().as_bytes())
        {
            value.set_sensitive(true);
        }
    }
}

/// Whether a header name (lowercase, as `http` keeps them) contains "token", "secret",
/// "password", "api-key", "apikey" or "session". One pass, comparing only where one of the
/// words' first letters is: this runs on every header of every response (`str::contains` per
/// word cost about 4,000 instructions a call, 3% of one, on a handful of ordinary headers).
#[cfg(feature = "http")]
fn names_a_credential(name: &[u8]) -> bool {
    (0..name.len()).any(|i| {
        let rest = &name[i..];
        match rest[0] {
            b't' => rest.starts_with(b"token"),
            b's' => rest.starts_with(b"secret") || rest.starts_with(b"session"),
            b'p' => rest.starts_with(b"password"),
            b'a' => rest.starts_with(b"api-key") || rest.starts_with(b"apikey"),
            _ => false,
        }
    })
}

/// The host (and port) of an endpoint URL, without scheme, credentials, path or query.
fn host_of(endpoint: &str) -> &str {
    let rest = endpoint.split_once("://").map_or(endpoint, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    authority.rsplit_once('@').map_or(authority, |(_, host)| host)
}

/// How a call ended, for its span: `ok`, `fault Client`, `service error`, `decode error`, ...
fn outcome<T, S: fmt::Debug + fmt::Display>(result: &Result<T, Error<S>>) -> String {
    match result {
        Ok(_) => "ok".to_owned(),
        Err(Error::Fault(fault)) => format!("fault {}", fault.code.rsplit(':').next().unwrap_or_default()),
        Err(Error::Service(_)) => "service error".to_owned(),
        Err(Error::Decode(_)) => "decode error".to_owned(),
        Err(Error::Http { status, .. }) => format!("HTTP {status}"),
        Err(e) if e.is_timeout() => "timeout".to_owned(),
        Err(Error::TooLarge { .. }) => "too large".to_owned(),
        #[cfg(feature = "http")]
        Err(Error::Transport(_)) => "transport error".to_owned(),
        Err(Error::Exchange(_)) => "transport error".to_owned(),
        Err(Error::ContentType { .. }) => "not XML".to_owned(),
        Err(Error::InvalidRequest(_)) => "invalid request".to_owned(),
        Err(_) => "error".to_owned(),
    }
}

fn interpret<O: Operation>(
    response: TransportResponse,
    limits: DecodeLimits,
) -> Result<Reply<O::Response, O::ResponseHeaders>, OperationError<O>> {
    let TransportResponse { status, content_type, headers: http_headers, body } = response;
    let body = &body[..];
    let success = (200..300).contains(&status);
    let looks_xml = content_type.as_deref().is_none_or(is_xml_content_type);
    if !looks_xml {
        return Err(if success {
            Error::ContentType { content_type: content_type.unwrap_or_default(), excerpt: excerpt(body) }
        } else {
            Error::Http { status, content_type, excerpt: excerpt(body) }
        });
    }
    // The charset of the HTTP header wins over the XML declaration (RFC 7303).
    let charset = content_type.as_deref().and_then(charset).map(str::to_owned);
    if !success && charset.as_deref().is_some_and(|c| !is_supported_label(c)) {
        return Err(Error::Http { status, content_type, excerpt: excerpt(body) });
    }
    if success && body.iter().all(u8::is_ascii_whitespace) {
        // A one-way operation is answered with an empty body (usually 202 Accepted).
        if let Some(body) = O::empty_reply() {
            return Ok(Reply {
                body,
                headers: O::ResponseHeaders::default(),
                version: SoapVersion::default(),
                http_status: Some(status),
                http_headers,
            });
        }
    }
    match decode_response_as::<O>(body, charset.as_deref(), limits) {
        Ok(reply) if success => Ok(Reply { http_status: Some(status), http_headers, ..reply }),
        // A well-formed reply with an error status and no fault is still an HTTP error.
        Ok(_) => Err(Error::Http { status, content_type, excerpt: excerpt(body) }),
        Err(Error::Decode(e)) if !success => Err(http_error_with(status, content_type, body, e)),
        Err(e) => Err(e),
    }
}

fn http_error_with<S: fmt::Debug + fmt::Display>(
    status: u16,
    content_type: Option<String>,
    body: &[u8],
    e: DecodeError,
) -> Error<S> {
    tracing::debug!(error = %e, "error response is not a SOAP envelope");
    Error::Http { status, content_type, excerpt: excerpt(body) }
}

#[cfg(all(test, feature = "http"))]
mod tests {
    use super::*;

    #[test]
    fn credential_header_names_are_found_anywhere_in_the_name() {
        let found = "x-auth-token token tokens x-secret client-secret-id x-password x-api-key apikey x-apikey-v2 \
                     x-session-id session asp-net-sessionid";
        for name in found.split_whitespace() {
            assert!(names_a_credential(name.as_bytes()), "{name}");
        }
        assert!(!names_a_credential(b""));
        let not_found = "t tok content-type content-length date server x-request-id x-tenant api api-ke apik sessio \
                         passwor secre toke x-tokn etag";
        for name in not_found.split_whitespace() {
            assert!(!names_a_credential(name.as_bytes()), "{name}");
        }
    }

    #[test]
    fn response_headers_naming_credentials_are_marked_sensitive() {
        let mut headers = HeaderMap::new();
        for (name, value) in [
            ("set-cookie", "s=1"),
            ("authorization", "Bearer x"),
            ("proxy-authorization", "Basic y"),
            ("x-session-id", "abc"),
            ("x-api-key", "k"),
            ("content-type", "text/xml"),
            ("x-request-id", "42"),
        ] {
            headers.append(http::HeaderName::from_static(name), http::HeaderValue::from_static(value));
        }
        mark_sensitive(&mut headers);
        let sensitive: Vec<&str> = headers.iter().filter(|(_, v)| v.is_sensitive()).map(|(n, _)| n.as_str()).collect();
        assert_eq!(sensitive, ["set-cookie", "authorization", "proxy-authorization", "x-session-id", "x-api-key"]);
    }
}
