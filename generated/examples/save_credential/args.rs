//! The command line of the `save_credential` examples (async and blocking): the same flags,
//! parsed into the `Call` of the example's `call` module.

use super::call::Call;

fn usage(program: &str) -> String {
    format!(
        "usage: {program} --endpoint URL --ticket TICKET [--app-token TOKEN] \
         --user-id N --type TYPE --value VALUE [--display-value TEXT]"
    )
}

/// The call the arguments ask for, or the message to print (with the usage) before exiting 2.
pub fn parse_args(program: &str) -> Result<Call, String> {
    let usage = usage(program);
    let mut endpoint = None;
    let mut ticket = None;
    let mut app_token = None;
    let mut user_id = None;
    let mut credential_type = None;
    let mut value = None;
    let mut display_value = None;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let slot = match flag.as_str() {
            "--endpoint" => &mut endpoint,
            "--ticket" => &mut ticket,
            "--app-token" => &mut app_token,
            "--user-id" => &mut user_id,
            "--type" => &mut credential_type,
            "--value" => &mut value,
            "--display-value" => &mut display_value,
            "-h" | "--help" => return Err(usage),
            other => return Err(format!("unknown argument `{other}`\n{usage}")),
        };
        *slot = Some(args.next().ok_or_else(|| format!("{flag} needs a value\n{usage}"))?);
    }
    let missing = |name: &str| format!("missing {name}\n{usage}");
    let user_id = user_id.ok_or_else(|| missing("--user-id"))?;
    Ok(Call {
        endpoint: endpoint.ok_or_else(|| missing("--endpoint"))?,
        ticket: ticket.ok_or_else(|| missing("--ticket"))?,
        app_token,
        user_id: user_id.parse().map_err(|_| format!("--user-id `{user_id}` is not a 32-bit integer"))?,
        credential_type: credential_type.ok_or_else(|| missing("--type"))?,
        value: value.ok_or_else(|| missing("--value"))?,
        display_value,
    })
}
