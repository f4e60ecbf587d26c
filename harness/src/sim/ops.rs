//! The vocabulary of the simulation: the operations a run is made of, and
//! the outcome each one has. The [`model`](super::model) predicts an
//! [`Outcome`] for every [`Op`]; the [`world`](super::world) carries the op
//! out on the real cores and reports the outcome it saw.
//!
//! Every op names what it acts on by counting back from the latest of its
//! kind (flow 0 is the flow begun last, flow 1 the one before, …), and is
//! total: an entity that does not exist, or is in the wrong state, makes the
//! op [`Outcome::Skipped`] on both sides. Shrinking can therefore drop any
//! op and the ops after it still mostly mean what they meant (counting
//! from the end is what keeps `Complete(authz 0)` pointing at the request
//! validated just before), and indices shrink towards the latest entity.

use core::fmt;

use oidc_hybrid::rp::{ResponseMode, ResponseType};

/// The registered clients, by index into [`CLIENTS`].
pub const CLIENTS: [ClientSpec; 3] = [
    ClientSpec {
        client_id: "client-a",
        auth: AuthKind::Basic,
        eddsa: false,
        response_types: &ResponseType::ALL,
    },
    ClientSpec {
        client_id: "client-b",
        auth: AuthKind::Post,
        eddsa: true,
        // Not `code id_token token`: the provider must refuse it.
        response_types: &[
            ResponseType::Code,
            ResponseType::CodeIdToken,
            ResponseType::CodeToken,
        ],
    },
    ClientSpec {
        client_id: "client-c",
        auth: AuthKind::PrivateKeyJwt,
        eddsa: false,
        response_types: &ResponseType::ALL,
    },
];

/// The position of the entity `back` places before the latest of a list
/// of `len` (0: the latest).
pub fn resolve(back: usize, len: usize) -> Option<usize> {
    len.checked_sub(1)?.checked_sub(back)
}

/// How a client authenticates at the token endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthKind {
    /// `client_secret_basic`.
    Basic,
    /// `client_secret_post`.
    Post,
    /// `private_key_jwt`.
    PrivateKeyJwt,
}

/// A registered client: the same registration on both sides.
#[derive(Clone, Copy, Debug)]
pub struct ClientSpec {
    /// `client_id`.
    pub client_id: &'static str,
    /// Token endpoint authentication.
    pub auth: AuthKind,
    /// ID tokens signed with EdDSA (else ES256).
    pub eddsa: bool,
    /// The response types registered at the provider.
    pub response_types: &'static [ResponseType],
}

impl ClientSpec {
    /// The registered redirect URI. Client B's has a query of its own,
    /// which a `query` response must keep (RFC 6749 §3.1.2).
    pub fn redirect_uri(&self) -> String {
        let query = if self.eddsa { "?tenant=b" } else { "" };
        format!("https://{}.example/cb{query}", self.client_id)
    }
}

/// What is done to an authorization response on its way to the relying
/// party (an attacker, a broken proxy, a confused browser).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tamper {
    /// Delivered as sent.
    None,
    /// `state` removed.
    DropState,
    /// `state` changed.
    ChangeState,
    /// `state` sent twice.
    DuplicateState,
    /// `code` replaced by another value.
    ChangeCode,
    /// One character of the ID token's signature changed.
    FlipIdTokenSignature,
    /// Delivered in another response mode than the one it was sent in.
    WrongMode,
    /// The RFC 9207 `iss` parameter removed.
    DropIss,
    /// The RFC 9207 `iss` parameter naming another issuer (a mix-up).
    WrongIss,
    /// An unknown parameter added (to be ignored).
    ExtraParam,
}

/// Which access token a UserInfo call presents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Which {
    /// The session's current one.
    Current,
    /// The one the session had before its last refresh.
    Previous,
    /// The one delivered in the front channel (`code token`, `code id_token token`).
    FrontChannel,
}

/// One step of a run.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// The relying party begins a login for client `client`.
    Begin {
        /// Client index.
        client: usize,
        /// Response type.
        response_type: ResponseType,
        /// Response mode.
        mode: ResponseMode,
        /// `max_age`, seconds.
        max_age: Option<u64>,
    },
    /// The browser takes flow `flow`'s request to the provider, which
    /// validates it (a refused request yields an error response).
    Authorize {
        /// Flow, counting back from the latest.
        flow: usize,
    },
    /// The user logs in and the provider completes validated request `authz`.
    Complete {
        /// Validated request, counting back from the latest.
        authz: usize,
    },
    /// Authorization response `response` reaches the relying party, for its
    /// own flow or for flow `to` (another session), after `tamper`.
    Deliver {
        /// Response, counting back from the latest.
        response: usize,
        /// The flow whose `PendingAuth` receives it, counting back from
        /// the latest; `None`: its own.
        to: Option<usize>,
        /// What happens on the way.
        tamper: Tamper,
    },
    /// Code injection: an attacker takes response `response` (another
    /// user's) and replays it into flow `into`'s session with that flow's
    /// own `state`, so the state check passes (OIDC Core §3.3.2.12 nonce
    /// and `s_hash`, RFC 7636 PKCE and RFC 9700 §4.5 must stop it).
    Inject {
        /// Response, counting back from the latest.
        response: usize,
        /// Flow, counting back from the latest.
        into: usize,
    },
    /// Validated callback `callback` is exchanged at the token endpoint,
    /// with the credentials of its own client or of client `creds`.
    Exchange {
        /// Callback, counting back from the latest.
        callback: usize,
        /// Client whose credentials are used; `None`: the flow's own.
        creds: Option<usize>,
    },
    /// Session `session` refreshes, with its current refresh token or
    /// (`stale`) the one it had before, as its client or as client `creds`.
    Refresh {
        /// Session, counting back from the latest.
        session: usize,
        /// Use the refresh token the session had before its last refresh.
        stale: bool,
        /// Client whose credentials are used; `None`: the flow's own.
        creds: Option<usize>,
    },
    /// Session `session` calls UserInfo with access token `token`.
    UserInfo {
        /// Session, counting back from the latest.
        session: usize,
        /// Which access token.
        token: Which,
    },
    /// Virtual time passes.
    Wait {
        /// Seconds.
        secs: u64,
    },
    /// The provider publishes a new ES256 key and signs with it from now on.
    RotateKey,
    /// The provider stops publishing its ES256 keys that no longer sign.
    RetireKeys,
    /// The provider's store deletes what has expired.
    Purge,
}

/// `[-1]` for the latest, `[-2]` for the one before, …
struct Back(usize);

impl fmt::Display for Back {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[-{}]", self.0.saturating_add(1))
    }
}

impl fmt::Debug for Op {
    // One line per op, so a shrunk counterexample reads as a script.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Op::Begin {
                client,
                response_type,
                mode,
                max_age,
            } => {
                write!(f, "Begin(client {client}, {response_type}, {mode}")?;
                if let Some(m) = max_age {
                    write!(f, ", max_age {m}")?;
                }
                f.write_str(")")
            }
            Op::Authorize { flow } => write!(f, "Authorize(flow{})", Back(flow)),
            Op::Complete { authz } => write!(f, "Complete(authz{})", Back(authz)),
            Op::Deliver {
                response,
                to,
                tamper,
            } => {
                write!(f, "Deliver(response{}", Back(response))?;
                if let Some(t) = to {
                    write!(f, " to flow{}", Back(t))?;
                }
                if tamper != Tamper::None {
                    write!(f, ", {tamper:?}")?;
                }
                f.write_str(")")
            }
            Op::Inject { response, into } => write!(
                f,
                "Inject(response{} into flow{})",
                Back(response),
                Back(into)
            ),
            Op::Exchange { callback, creds } => {
                write!(f, "Exchange(callback{}", Back(callback))?;
                if let Some(c) = creds {
                    write!(f, " as client {c}")?;
                }
                f.write_str(")")
            }
            Op::Refresh {
                session,
                stale,
                creds,
            } => {
                write!(f, "Refresh(session{}", Back(session))?;
                if stale {
                    f.write_str(", stale token")?;
                }
                if let Some(c) = creds {
                    write!(f, " as client {c}")?;
                }
                f.write_str(")")
            }
            Op::UserInfo { session, token } => {
                write!(f, "UserInfo(session{}, {token:?} token)", Back(session))
            }
            Op::Wait { secs } => write!(f, "Wait({secs} s)"),
            Op::RotateKey => f.write_str("RotateKey"),
            Op::RetireKeys => f.write_str("RetireKeys"),
            Op::Purge => f.write_str("Purge"),
        }
    }
}

/// What an op came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// It succeeded.
    Ok,
    /// The relying party refused with this error code.
    Rp(&'static str),
    /// The provider refused with this OAuth error (as the relying party
    /// surfaced it: `provider_error`).
    Provider(String),
    /// It does not apply (no such entity, or nothing to use).
    Skipped,
}

impl Outcome {
    /// `Provider(error)`.
    pub fn provider(error: &str) -> Self {
        Self::Provider(error.into())
    }
}
