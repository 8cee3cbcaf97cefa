//! The TLS configuration of the runtime's HTTP clients, built with an explicit crypto provider.
//!
//! reqwest is built without a provider of its own (`rustls-no-provider`). Installing one for
//! the whole process (`CryptoProvider::install_default`) would be a side effect a library must
//! not have: an application that installs another provider afterwards would get an error, or
//! a panic where it unwraps it. So the rustls `ClientConfig` is built here, with *ring* named
//! explicitly, and handed to reqwest preconfigured; the process-wide default stays untouched.

use std::fmt;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};

/// The crypto provider of every connection the runtime's clients open: *ring*.
fn provider() -> Arc<CryptoProvider> {
    // rustls 0.23.48 deprecates `ring::default_provider` because *ring* has no post-quantum key
    // exchange (X25519MLKEM768, which its aws-lc-rs provider offers). The provider itself is
    // unchanged and supported through 0.23; *ring* is kept because it builds with a C compiler
    // alone (aws-lc-rs wants cmake on some platforms, and far more build time). rustls itself
    // still calls it, the same way, to pick a provider from its crate features.
    #[allow(deprecated)]
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The rustls configuration of the runtime's HTTP clients: TLS 1.2 and 1.3, certificates
/// verified against the platform's roots (`rustls-platform-verifier`, as reqwest does), or
/// not verified at all when `accept_invalid_certs` is set.
pub(crate) fn client_config(accept_invalid_certs: bool) -> rustls::ClientConfig {
    let provider = provider();
    let verifier: Arc<dyn ServerCertVerifier> = if accept_invalid_certs {
        Arc::new(AcceptAnyCertificate(Arc::clone(&provider)))
    } else {
        Arc::new(PlatformVerifier::new(Arc::clone(&provider)))
    };
    rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("the ring provider supports the default protocol versions")
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth()
}

/// The platform's verifier, or why it could not be made (no root certificates found, as in a
/// container without a CA bundle). In the second case every connection fails with that reason,
/// rather than building a client panicking or quietly trusting nothing.
#[derive(Debug)]
enum PlatformVerifier {
    Ready(rustls_platform_verifier::Verifier),
    Unavailable { error: rustls::Error, provider: Arc<CryptoProvider> },
}

impl PlatformVerifier {
    fn new(provider: Arc<CryptoProvider>) -> Self {
        match rustls_platform_verifier::Verifier::new(Arc::clone(&provider)) {
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
