//! `oidc-hybrid check FILE...`: runs recorded exchanges through the relying
//! party core and says, per file, `ACCEPT <case>` or
//! `REJECT <case> <code>: <message>`.
//!
//! Per file (the interop transcript format, see
//! `harness/tests/fixtures/README.md`): the provider metadata from
//! `discovery` (held to `issuer`), the keys from `jwks`, the client from
//! `client`, the [`PendingAuth`] restored from `request`, then with the
//! clock at `time`: the callback with `authorization_response.raw` in its
//! `mode` (a JWKS refetch, if asked for, gets the same recorded JWKS), the
//! token request and `token_response`, then `refresh_response` and
//! `userinfo_response` when present.

use std::path::{Path, PathBuf};

use clap::Args;
use oidc_hybrid::discovery::ProviderMetadata;
use oidc_hybrid::jose::{Alg, Jwks, SigningKey};
use oidc_hybrid::rp::{
    AssertionInput, CallbackOutcome, Client, ClientAuth, ClientSecret, Context, PendingAuth,
    ResponseMode, ResponseType, Session,
};
use oidc_hybrid::{Error, ErrorKind, UnixTime};
use serde_json::Value;

use crate::fixtures::Transcript;

/// Runs recorded exchanges (interop transcript JSON files) through the
/// relying party, with the clock at each file's `time`. Prints
/// `ACCEPT <case>` or `REJECT <case> <code>: <message>` per file; exits 0
/// when all were accepted, 1 when any was rejected, 2 when a file could not
/// be read.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Clock leeway in seconds for exp / iat / nbf / max_age. Default 0: a
    /// recorded exchange carries the clock it was recorded with, so there is
    /// no skew to absorb (the library's default is 60).
    #[arg(long, default_value_t = 0)]
    pub leeway: u64,
    /// The recorded exchanges.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

/// How to run a check.
#[derive(Clone, Copy, Debug, Default)]
pub struct CheckOptions {
    /// Clock leeway, seconds.
    pub leeway: u64,
}

/// Why an exchange was rejected: the step and the core's error.
#[derive(Debug)]
pub struct Rejection {
    /// The step that failed (`discovery`, `authorization response`, …).
    pub step: &'static str,
    /// The error, with its stable code.
    pub error: Error,
}

impl Rejection {
    /// The stable error code.
    pub fn code(&self) -> &'static str {
        self.error.code()
    }
}

impl core::fmt::Display for Rejection {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}: {}", self.step, self.error)
    }
}

/// What an accepted exchange produced.
#[derive(Debug)]
pub struct Accepted {
    /// The session after the token response (and the refresh, if any).
    pub session: Option<Session>,
    /// The steps that ran.
    pub steps: Vec<&'static str>,
}

fn at(step: &'static str) -> impl FnOnce(Error) -> Rejection {
    move |error| Rejection { step, error }
}

fn config(what: &'static str, expected: &str) -> Error {
    Error::new(ErrorKind::InvalidConfig, what).expected(expected)
}

fn str_of<'a>(v: &'a Value, name: &str) -> Option<&'a str> {
    v.get(name).and_then(Value::as_str)
}

/// The client described by a transcript's `client` object.
pub fn client_from(v: &Value, leeway: u64) -> Result<Client, Error> {
    let client_id = str_of(v, "client_id").ok_or_else(|| config("client.client_id", "a string"))?;
    let redirect_uri =
        str_of(v, "redirect_uri").ok_or_else(|| config("client.redirect_uri", "a string"))?;
    // OIDC Dynamic Client Registration §2: the default alg is RS256.
    let alg = Alg::parse(str_of(v, "id_token_signed_response_alg").unwrap_or("RS256"))?;
    let secret = || ClientSecret::new(str_of(v, "client_secret").unwrap_or_default());
    let auth = match str_of(v, "token_endpoint_auth_method").unwrap_or("client_secret_basic") {
        "client_secret_basic" => ClientAuth::ClientSecretBasic(secret()),
        "client_secret_post" => ClientAuth::ClientSecretPost(secret()),
        "private_key_jwt" => {
            let jwk = v
                .get("jwk")
                .ok_or_else(|| config("client.jwk", "the client's private JWK"))?;
            let bytes = serde_json::to_vec(jwk).map_err(|_| config("client.jwk", "JSON"))?;
            ClientAuth::PrivateKeyJwt(SigningKey::from_jwk(&bytes)?)
        }
        other => {
            return Err(config(
                "client.token_endpoint_auth_method",
                "client_secret_basic, client_secret_post or private_key_jwt",
            )
            .got(other));
        }
    };
    Ok(Client::new(client_id, auth, redirect_uri, alg)?.with_leeway(leeway))
}

/// The pending authorization stored in a transcript's `request` object.
pub fn pending_from(v: &Value) -> Result<PendingAuth, Error> {
    let field = |name: &'static str| {
        str_of(v, name).ok_or_else(|| Error::new(ErrorKind::MissingParameter, name))
    };
    let response_type = ResponseType::parse(field("response_type")?)?;
    let response_mode = str_of(v, "response_mode")
        .map(ResponseMode::parse)
        .transpose()?;
    let max_age = match v.get("max_age") {
        None | Some(Value::Null) => None,
        Some(m) => Some(
            m.as_u64()
                .or_else(|| m.as_str().and_then(|s| s.parse().ok()))
                .ok_or_else(|| {
                    Error::new(ErrorKind::InvalidParameter, "max_age")
                        .expected("a non-negative number of seconds")
                })?,
        ),
    };
    PendingAuth::from_parts(
        field("state")?,
        field("nonce")?,
        field("code_verifier")?,
        response_type,
        response_mode,
        max_age,
    )
}

/// A recorded HTTP response: `status`, `content_type`, `body` (the raw
/// text; `json` re-serialized when `body` is absent).
fn response_parts(v: &Value) -> (u16, &str, Vec<u8>) {
    let status = v
        .get("status")
        .and_then(Value::as_u64)
        .and_then(|s| u16::try_from(s).ok())
        .unwrap_or(0);
    let content_type = str_of(v, "content_type").unwrap_or_default();
    let body = match (str_of(v, "body"), v.get("json")) {
        (Some(b), _) => b.as_bytes().to_vec(),
        (None, Some(j)) => serde_json::to_vec(j).unwrap_or_default(),
        (None, None) => Vec::new(),
    };
    (status, content_type, body)
}

/// Runs one recorded exchange through the relying party.
pub fn check_transcript(t: &Transcript, opts: &CheckOptions) -> Result<Accepted, Rejection> {
    let mut steps = Vec::new();
    let discovery = serde_json::to_vec(&t.discovery).unwrap_or_default();
    let metadata = ProviderMetadata::parse(&discovery, &t.issuer).map_err(at("discovery"))?;
    let jwks = Jwks::parse(&t.jwks_bytes()).map_err(at("jwks"))?;
    let client = client_from(&t.client, opts.leeway).map_err(at("client"))?;
    let pending = pending_from(&t.request).map_err(at("request"))?;
    let ctx = Context::new(&client, &metadata, &jwks);
    let now = UnixTime(t.time);

    let mode = match str_of(&t.authorization_response, "mode") {
        Some(m) => ResponseMode::parse(m).map_err(at("authorization response"))?,
        None => pending.response_mode(),
    };
    let raw = t.raw_callback();
    let callback = match pending
        .callback(raw, mode, now, &ctx)
        .map_err(at("authorization response"))?
    {
        CallbackOutcome::Validated(cb) => cb,
        // The recorded JWKS is what a refetch would return.
        CallbackOutcome::RefetchJwks(pending) => match pending
            .callback(raw, mode, now, &ctx)
            .map_err(at("authorization response (JWKS refetched)"))?
        {
            CallbackOutcome::Validated(cb) => cb,
            CallbackOutcome::RefetchJwks(_) => {
                return Err(Rejection {
                    step: "authorization response (JWKS refetched)",
                    error: Error::new(ErrorKind::UnknownKid, "id_token"),
                });
            }
        },
    };
    steps.push("authorization response");

    let Some(token_response) = &t.token_response else {
        return Ok(Accepted {
            session: None,
            steps,
        });
    };
    callback
        .token_request(
            &ctx,
            Some(AssertionInput {
                jti: "oidc-hybrid-check",
                now,
            }),
        )
        .map_err(at("token request"))?;
    let (status, content_type, body) = response_parts(token_response);
    let mut session = callback
        .token_response(&ctx, status, content_type, &body, now)
        .map_err(at("token response"))?;
    steps.push("token response");

    if let Some(refresh) = &t.refresh_response {
        let (status, content_type, body) = response_parts(refresh);
        session = session
            .refresh_response(&ctx, status, content_type, &body, now)
            .map_err(at("refresh response"))?;
        steps.push("refresh response");
    }
    if let Some(userinfo) = &t.userinfo_response {
        let (status, content_type, body) = response_parts(userinfo);
        session
            .userinfo_response(status, content_type, &body)
            .map_err(at("userinfo response"))?;
        steps.push("userinfo response");
    }
    Ok(Accepted {
        session: Some(session),
        steps,
    })
}

/// The line printed for a checked file.
pub fn verdict_line(case: &str, result: &Result<Accepted, Rejection>) -> String {
    match result {
        Ok(_) => format!("ACCEPT {case}"),
        Err(r) => format!("REJECT {case} {}: {r}", r.code()),
    }
}

fn case_name(t: &Transcript, path: &Path) -> String {
    if t.case.is_empty() {
        path.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    } else {
        t.case.clone()
    }
}

/// Runs the subcommand; returns the exit code.
pub fn run(args: &CheckArgs) -> i32 {
    let opts = CheckOptions {
        leeway: args.leeway,
    };
    let (mut rejected, mut unreadable) = (false, false);
    for path in &args.files {
        match Transcript::load(path) {
            Err(e) => {
                eprintln!("ERROR {}: cannot read: {e}", path.display());
                unreadable = true;
            }
            Ok(t) => {
                let result = check_transcript(&t, &opts);
                rejected |= result.is_err();
                println!("{}", verdict_line(&case_name(&t, path), &result));
            }
        }
    }
    if unreadable {
        2
    } else if rejected {
        1
    } else {
        0
    }
}
