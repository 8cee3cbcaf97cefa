//! What the runtime builds a [`SoapClient`](crate::SoapClient)'s HTTP client from when one of
//! its HTTP settings changes (TLS, proxy): the client is rebuilt from all of them, so that
//! setting one keeps the others, and the cookie store with the cookies in it.

use std::fmt;

#[cfg(any(feature = "rustls-ring", feature = "rustls-aws-lc-rs", feature = "native-tls"))]
use crate::tls::TlsConfig;

/// The settings of the runtime's own HTTP client, beyond the fixed defaults of
/// `http_client_builder`.
#[derive(Debug, Clone, Default)]
pub(crate) struct HttpConfig {
    #[cfg(any(feature = "rustls-ring", feature = "rustls-aws-lc-rs", feature = "native-tls"))]
    pub(crate) tls: TlsConfig,
    pub(crate) proxy: ProxySetting,
    /// The cookie store of `SoapClient::with_cookies`, kept across rebuilds.
    #[cfg(feature = "cookies")]
    pub(crate) cookies: Option<std::sync::Arc<reqwest::cookie::Jar>>,
}

/// Which proxy requests go through.
#[derive(Clone, Default)]
pub(crate) enum ProxySetting {
    /// The environment's (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`, as reqwest
    /// reads them when the client is built).
    #[default]
    System,
    /// None: every request goes straight to its server.
    Off,
    /// This one.
    Through(Box<reqwest::Proxy>),
}

impl fmt::Debug for ProxySetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProxySetting::System => f.write_str("System"),
            ProxySetting::Off => f.write_str("Off"),
            // reqwest's `Debug` of a proxy shows its URL, credentials included.
            ProxySetting::Through(_) => f.write_str("Through(<proxy, credentials hidden>)"),
        }
    }
}

impl HttpConfig {
    /// The HTTP client these settings describe.
    pub(crate) fn build(&self) -> Result<reqwest::Client, reqwest::Error> {
        #[cfg(any(feature = "rustls-ring", feature = "rustls-aws-lc-rs", feature = "native-tls"))]
        let builder = crate::client::http_client_builder_with_tls(&self.tls);
        #[cfg(not(any(feature = "rustls-ring", feature = "rustls-aws-lc-rs", feature = "native-tls")))]
        let builder = crate::client::http_client_builder();
        let builder = match &self.proxy {
            ProxySetting::System => builder,
            ProxySetting::Off => builder.no_proxy(),
            ProxySetting::Through(proxy) => builder.proxy(reqwest::Proxy::clone(proxy)),
        };
        #[cfg(feature = "cookies")]
        let builder = match &self.cookies {
            Some(jar) => builder.cookie_provider(std::sync::Arc::clone(jar)),
            None => builder,
        };
        builder.build()
    }
}
