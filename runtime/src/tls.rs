//! TLS: the backend chosen by cargo features, and the settings a caller adds to it (roots to
//! trust beyond the platform's, a client certificate, no verification at all).
//!
//! Three backends, each a feature; when several are on, the first of these is used:
//! `native-tls` (the platform's TLS library through reqwest), `rustls-aws-lc-rs`, `rustls-ring`
//! (the default). Whoever turns on a backend besides the default one asked for it.
//!
//! With rustls, reqwest is built without a provider of its own (`rustls-no-provider`).
//! Installing one for the whole process (`CryptoProvider::install_default`) would be a side
//! effect a library must not have: an application that installs another provider afterwards
//! would get an error, or a panic where it unwraps it. So the rustls `ClientConfig` is built
//! here, with the provider named explicitly, and handed to reqwest preconfigured; the
//! process-wide default stays untouched. native-tls has no such state.

use std::fmt;

use rustls_pki_types::pem::{self, PemObject};
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

/// TLS settings beyond the defaults: root certificates to trust besides the platform's, a
/// client certificate (mutual TLS), or, for test installations only, no verification.
///
/// Give it to a [`SoapClient`](crate::SoapClient) with
/// [`set_tls`](crate::SoapClient::set_tls), or build a `reqwest` client of your own from
/// [`http_client_builder_with_tls`](crate::http_client_builder_with_tls). Certificates and
/// keys are read from PEM, checked and converted for the TLS backend as they are added: a
/// malformed or unusable input is a [`TlsError`] then, and building an HTTP client from a
/// `TlsConfig` cannot fail on its account. `Debug` does not show the private key.
///
/// ```no_run
/// use wsdlgen_runtime::{SoapClient, TlsConfig};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// // The company's private root, and this program's client certificate and key.
/// let mut tls = TlsConfig::new();
/// tls.add_root_certificates_pem(&std::fs::read("company-root.pem")?)?;
/// tls.set_client_certificate_pem(&std::fs::read("client.pem")?, &std::fs::read("client.key")?)?;
///
/// let mut soap = SoapClient::new("https://crm.example.com/Remote/Services87/User.svc");
/// soap.set_tls(tls.clone())?;
/// // or a reqwest client of your own, with the same TLS:
/// let http = wsdlgen_runtime::http_client_builder_with_tls(&tls).build()?;
/// let soap = SoapClient::with_http_client(http, "https://crm.example.com/Remote/Services87/User.svc");
/// # drop(soap); Ok(()) }
/// ```
#[derive(Clone, Default)]
pub struct TlsConfig {
    accept_invalid_certs: bool,
    roots: Vec<backend::Root>,
    identity: Option<backend::Identity>,
    /// Certificates in the client's chain (for `Debug`).
    identity_len: usize,
}

impl fmt::Debug for TlsConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let identity = self.identity.as_ref().map(|_| format!("{} certificate(s), key hidden", self.identity_len));
        f.debug_struct("TlsConfig")
            .field("accept_invalid_certs", &self.accept_invalid_certs)
            .field("extra_roots", &self.roots.len())
            .field("client_certificate", &identity)
            .finish()
    }
}

/// Why a [`TlsConfig`] refused a certificate or a key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TlsError {
    /// A PEM section of the input is malformed (bad base64, no end line).
    #[error("{what}: not valid PEM: {reason}")]
    Pem {
        /// Which input: "root certificates", "client certificate" or "client key".
        what: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// The input holds no certificate (`-----BEGIN CERTIFICATE-----`).
    #[error("{what}: no certificate (-----BEGIN CERTIFICATE-----) in the PEM input")]
    NoCertificate {
        /// Which input: "root certificates" or "client certificate".
        what: &'static str,
    },
    /// The input holds no unencrypted private key (PKCS#8 `BEGIN PRIVATE KEY`, PKCS#1
    /// `BEGIN RSA PRIVATE KEY` or SEC1 `BEGIN EC PRIVATE KEY`).
    #[error("client key: no unencrypted private key (-----BEGIN PRIVATE KEY-----) in the PEM input")]
    NoPrivateKey,
    /// The TLS backend refused a certificate or a key: not a certificate it can parse, a key of
    /// a kind it does not support, a key that does not belong to the certificate.
    #[error("{what}: {reason}")]
    Rejected {
        /// Which input: "root certificate", "client certificate" or "client key".
        what: &'static str,
        /// The backend's reason.
        reason: String,
    },
}

impl TlsConfig {
    /// The defaults: the platform's roots, no client certificate, certificates verified.
    pub fn new() -> Self {
        Self::default()
    }

    /// Trusts the root certificates in `pem` (one or more `-----BEGIN CERTIFICATE-----`
    /// sections; other sections are ignored) besides the platform's: for a service whose
    /// certificate a private or company CA issued. Can be called more than once.
    pub fn add_root_certificates_pem(&mut self, pem: &[u8]) -> Result<&mut Self, TlsError> {
        let roots = read_certificates(pem, "root certificates")?
            .into_iter()
            .map(backend::root)
            .collect::<Result<Vec<_>, _>>()?;
        self.roots.extend(roots);
        Ok(self)
    }

    /// Presents this client certificate when a server asks for one (mutual TLS): `chain_pem`
    /// holds the certificate, then any intermediates, as `-----BEGIN CERTIFICATE-----`
    /// sections; `key_pem` its unencrypted private key (PKCS#8 `BEGIN PRIVATE KEY`; with the
    /// rustls backends PKCS#1 `BEGIN RSA PRIVATE KEY` and SEC1 `BEGIN EC PRIVATE KEY` too).
    /// Both may be the same file. Replaces the certificate set before.
    ///
    /// A key that does not belong to the certificate is refused here with the rustls
    /// backends; with native-tls, by the platform's library here or at the handshake.
    pub fn set_client_certificate_pem(&mut self, chain_pem: &[u8], key_pem: &[u8]) -> Result<&mut Self, TlsError> {
        let chain = read_certificates(chain_pem, "client certificate")?;
        let key = match PrivateKeyDer::from_pem_slice(key_pem) {
            Ok(key) => key,
            Err(pem::Error::NoItemsFound) => return Err(TlsError::NoPrivateKey),
            Err(e) => return Err(TlsError::Pem { what: "client key", reason: e.to_string() }),
        };
        self.identity = Some(backend::identity(&chain, key)?);
        self.identity_len = chain.len();
        Ok(self)
    }

    /// **Turns off certificate verification** (`true`) or back on: any certificate is
    /// accepted, expired, self-signed or issued for another host. See
    /// [`SoapClient::danger_accept_invalid_certs`](crate::SoapClient::danger_accept_invalid_certs).
    pub fn danger_accept_invalid_certs(&mut self, accept: bool) -> &mut Self {
        self.accept_invalid_certs = accept;
        self
    }
}

/// The certificates in `pem`, at least one.
fn read_certificates(pem: &[u8], what: &'static str) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let certs = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| TlsError::Pem { what, reason: e.to_string() })?;
    if certs.is_empty() {
        return Err(TlsError::NoCertificate { what });
    }
    Ok(certs)
}

/// Sets the backend's TLS configuration on a reqwest builder.
pub(crate) fn configure(builder: reqwest::ClientBuilder, tls: &TlsConfig) -> reqwest::ClientBuilder {
    backend::configure(builder, tls)
}

#[cfg(feature = "native-tls")]
use native as backend;
#[cfg(not(feature = "native-tls"))]
use rustls_backend as backend;

/// The platform's TLS library, configured through reqwest's own settings.
#[cfg(feature = "native-tls")]
mod native {
    use super::*;

    pub(super) type Root = reqwest::Certificate;
    pub(super) type Identity = reqwest::Identity;

    pub(super) fn configure(builder: reqwest::ClientBuilder, tls: &TlsConfig) -> reqwest::ClientBuilder {
        let mut builder = builder.tls_backend_native().tls_danger_accept_invalid_certs(tls.accept_invalid_certs);
        for root in &tls.roots {
            builder = builder.add_root_certificate(root.clone());
        }
        if let Some(identity) = &tls.identity {
            builder = builder.identity(identity.clone());
        }
        builder
    }

    pub(super) fn root(cert: CertificateDer<'static>) -> Result<Root, TlsError> {
        reqwest::Certificate::from_der(&cert)
            .map_err(|e| TlsError::Rejected { what: "root certificate", reason: e.to_string() })
    }

    /// native-tls reads an identity from PEM, with the key in PKCS#8.
    pub(super) fn identity(
        chain: &[CertificateDer<'static>],
        key: PrivateKeyDer<'static>,
    ) -> Result<Identity, TlsError> {
        let PrivateKeyDer::Pkcs8(pkcs8) = key else {
            return Err(TlsError::Rejected {
                what: "client key",
                reason: "the native-tls backend reads PKCS#8 keys only (-----BEGIN PRIVATE KEY-----); \
                         convert with `openssl pkcs8 -topk8 -nocrypt`"
                    .into(),
            });
        };
        let mut chain_pem = Vec::new();
        for cert in chain {
            chain_pem.extend(pem_section("CERTIFICATE", cert));
        }
        let key_pem = pem_section("PRIVATE KEY", pkcs8.secret_pkcs8_der());
        reqwest::Identity::from_pkcs8_pem(&chain_pem, &key_pem)
            .map_err(|e| TlsError::Rejected { what: "client certificate", reason: e.to_string() })
    }

    /// One PEM section: `der` in base64, 64 characters a line, between the `label` lines.
    fn pem_section(label: &str, der: &[u8]) -> Vec<u8> {
        use base64::Engine as _;
        let b64 = base64::engine::general_purpose::STANDARD.encode(der);
        let mut out = format!("-----BEGIN {label}-----\n").into_bytes();
        for line in b64.as_bytes().chunks(64) {
            out.extend_from_slice(line);
            out.push(b'\n');
        }
        out.extend_from_slice(format!("-----END {label}-----\n").as_bytes());
        out
    }
}

/// rustls with the crypto provider the features name.
#[cfg(not(feature = "native-tls"))]
mod rustls_backend {
    use super::*;

    use std::sync::Arc;

    use rustls::client::ResolvesClientCert;
    use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
    use rustls::crypto::CryptoProvider;
    use rustls::pki_types::{ServerName, UnixTime};
    use rustls::sign::CertifiedKey;
    use rustls::{DigitallySignedStruct, SignatureScheme};

    pub(super) type Root = CertificateDer<'static>;
    pub(super) type Identity = Arc<CertifiedKey>;

    /// The crypto provider of every connection the runtime's clients open: aws-lc-rs, which
    /// prefers the post-quantum X25519MLKEM768 key exchange (feature `prefer-post-quantum`).
    #[cfg(feature = "rustls-aws-lc-rs")]
    fn provider() -> Arc<CryptoProvider> {
        Arc::new(rustls::crypto::aws_lc_rs::default_provider())
    }

    /// The crypto provider of every connection the runtime's clients open: *ring*.
    #[cfg(not(feature = "rustls-aws-lc-rs"))]
    fn provider() -> Arc<CryptoProvider> {
        // rustls 0.23.48 deprecates `ring::default_provider` because *ring* has no post-quantum
        // key exchange (X25519MLKEM768, which the aws-lc-rs provider offers: feature
        // `rustls-aws-lc-rs`). The provider itself is unchanged and supported through 0.23.
        #[allow(deprecated)]
        Arc::new(rustls::crypto::ring::default_provider())
    }

    pub(super) fn configure(builder: reqwest::ClientBuilder, tls: &TlsConfig) -> reqwest::ClientBuilder {
        builder.tls_backend_preconfigured(client_config(tls))
    }

    /// The rustls configuration: TLS 1.2 and 1.3, certificates verified against the platform's
    /// roots and the extra ones (`rustls-platform-verifier`, as reqwest does), or not verified
    /// at all; the client certificate if there is one.
    fn client_config(tls: &TlsConfig) -> rustls::ClientConfig {
        let provider = provider();
        let verifier: Arc<dyn ServerCertVerifier> = if tls.accept_invalid_certs {
            Arc::new(AcceptAnyCertificate(Arc::clone(&provider)))
        } else {
            Arc::new(PlatformVerifier::new(Arc::clone(&provider), &tls.roots))
        };
        let builder = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("the crypto provider supports the default protocol versions")
            .dangerous()
            .with_custom_certificate_verifier(verifier);
        match &tls.identity {
            None => builder.with_no_client_auth(),
            Some(identity) => builder.with_client_cert_resolver(Arc::new(ClientCertificate(Arc::clone(identity)))),
        }
    }

    /// A root the verifier will take (rustls parses it as a trust anchor).
    pub(super) fn root(cert: CertificateDer<'static>) -> Result<Root, TlsError> {
        rustls::RootCertStore::empty()
            .add(cert.clone())
            .map_err(|e| TlsError::Rejected { what: "root certificate", reason: e.to_string() })?;
        Ok(cert)
    }

    /// The key loaded by the provider (so of a kind it signs with), checked against the
    /// certificate.
    pub(super) fn identity(
        chain: &[CertificateDer<'static>],
        key: PrivateKeyDer<'static>,
    ) -> Result<Identity, TlsError> {
        CertifiedKey::from_der(chain.to_vec(), key, &provider())
            .map(Arc::new)
            .map_err(|e| TlsError::Rejected { what: "client key", reason: e.to_string() })
    }

    /// Presents one certificate to every server that asks for one.
    #[derive(Debug)]
    struct ClientCertificate(Arc<CertifiedKey>);

    impl ResolvesClientCert for ClientCertificate {
        fn resolve(&self, _: &[&[u8]], _: &[SignatureScheme]) -> Option<Arc<CertifiedKey>> {
            Some(Arc::clone(&self.0))
        }

        fn has_certs(&self) -> bool {
            true
        }
    }

    /// The platform's verifier with the extra roots, or why it could not be made (no root
    /// certificates at all, as in a container without a CA bundle and no extra roots). In the second case every connection fails with that reason,
    /// rather than building a client panicking or quietly trusting nothing.
    #[derive(Debug)]
    enum PlatformVerifier {
        Ready(rustls_platform_verifier::Verifier),
        Unavailable { error: rustls::Error, provider: Arc<CryptoProvider> },
    }

    impl PlatformVerifier {
        fn new(provider: Arc<CryptoProvider>, extra_roots: &[CertificateDer<'static>]) -> Self {
            match rustls_platform_verifier::Verifier::new_with_extra_roots(
                extra_roots.iter().cloned(),
                Arc::clone(&provider),
            ) {
                Ok(verifier) => PlatformVerifier::Ready(verifier),
                Err(error) => {
                    tracing::warn!(%error, "no TLS root certificates: every HTTPS call will fail");
                    PlatformVerifier::Unavailable { error, provider }
                }
            }
        }
    }

    impl ServerCertVerifier for PlatformVerifier {
        fn verify_server_cert(
            &self,
            end_entity: &CertificateDer<'_>,
            intermediates: &[CertificateDer<'_>],
            server_name: &ServerName<'_>,
            ocsp_response: &[u8],
            now: UnixTime,
        ) -> Result<ServerCertVerified, rustls::Error> {
            match self {
                PlatformVerifier::Ready(v) => {
                    v.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
                }
                PlatformVerifier::Unavailable { error, .. } => Err(error.clone()),
            }
        }

        fn verify_tls12_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            match self {
                PlatformVerifier::Ready(v) => v.verify_tls12_signature(message, cert, dss),
                PlatformVerifier::Unavailable { error, .. } => Err(error.clone()),
            }
        }

        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            match self {
                PlatformVerifier::Ready(v) => v.verify_tls13_signature(message, cert, dss),
                PlatformVerifier::Unavailable { error, .. } => Err(error.clone()),
            }
        }

        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            match self {
                PlatformVerifier::Ready(v) => v.supported_verify_schemes(),
                PlatformVerifier::Unavailable { provider, .. } => {
                    provider.signature_verification_algorithms.supported_schemes()
                }
            }
        }
    }

    /// Accepts any certificate (expired, self-signed, for another name); the handshake signatures
    /// are still checked, so the peer must hold the key of the certificate it shows.
    /// Behind `SoapClient::danger_accept_invalid_certs` only.
    struct AcceptAnyCertificate(Arc<CryptoProvider>);

    impl fmt::Debug for AcceptAnyCertificate {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("AcceptAnyCertificate")
        }
    }

    impl ServerCertVerifier for AcceptAnyCertificate {
        fn verify_server_cert(
            &self,
            _: &CertificateDer<'_>,
            _: &[CertificateDer<'_>],
            _: &ServerName<'_>,
            _: &[u8],
            _: UnixTime,
        ) -> Result<ServerCertVerified, rustls::Error> {
            Ok(ServerCertVerified::assertion())
        }

        fn verify_tls12_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
        }

        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
        }

        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            self.0.signature_verification_algorithms.supported_schemes()
        }
    }
}
