//! What a crate that depends on `services87` with its default features gets: a client that
//! speaks HTTPS (a TLS backend is among the defaults, not only the HTTP transport). Run on its
//! own by `.ci/run` (`cargo test -p services87 --test default_features`): in a workspace-wide
//! build, other members' features would hide a missing default. With `--no-default-features
//! --features http` (no TLS backend) this test fails, as it should.

#![cfg(feature = "http")]

use std::error::Error as _;

use services87::runtime::Error;
use services87::user::UserClient;

#[tokio::test]
async fn https_is_spoken_out_of_the_box() {
    // Nothing listens on port 9: with TLS available, the call gets as far as connecting.
    let client = UserClient::new("https://127.0.0.1:9/Remote/Services87/User.svc");
    let e = client.save_credential(1, Default::default()).await.unwrap_err();
    let Error::Transport(t) = &e else { panic!("{e:?}") };
    let mut chain = t.to_string();
    let mut source = t.source();
    while let Some(s) = source {
        chain.push_str(&format!(": {s}"));
        source = s.source();
    }
    assert!(!chain.contains("scheme is not http"), "no TLS backend in the default features: {chain}");
    assert!(t.is_connect(), "{chain}");
}
