//! The README's "downstream crate tests its code against a fake" snippet, as a downstream crate
//! writes it: the code under test is a function of its own that takes a generated client.

use services87::runtime::server::{Request, serve};
use services87::user::*;

/// The downstream crate's own code: rotates a user's password credential.
async fn rotate_password(client: &UserClient, user_id: i32) -> Result<bool, Error> {
    let credential = Credential {
        r#type: CredentialType { r#type: "password".to_owned().into(), ..Default::default() }.into(),
        value: "a new secret".to_owned().into(),
        ..Default::default()
    };
    client.save_credential(user_id, credential).await
}

struct Fake;

impl UserService for Fake {
    async fn save_credential(
        &self,
        _: Request<SaveCredential, UserRequestHeaders>,
    ) -> UserResult<SaveCredentialResponse> {
        Ok(SaveCredentialResponse { response: Some(true) }.into())
    }
}

#[tokio::test]
async fn my_code_saves_the_credential() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/User.svc", listener.local_addr().unwrap());
    tokio::spawn(serve(listener, UserServer::new(Fake).into_service()));
    let client = UserClient::new(url).with_ticket("7T:test");
    assert!(rotate_password(&client, 42).await.unwrap());
}
