//! Server-side sessions: the core's `Session` (it holds the access and
//! refresh tokens, which never go to the browser) under a random id that
//! the session cookie carries. In memory, bounded; a real deployment would
//! use its session store.

use std::collections::HashMap;
use std::sync::Mutex;

use oidc_hybrid::UnixTime;
use oidc_hybrid::rp::{ResponseMode, ResponseType, Session, UserInfo};

/// How long a session lasts, seconds.
pub const SESSION_TTL: u64 = 3600;
/// Most sessions kept at once; beyond it the oldest go first.
const MAX_SESSIONS: usize = 10_000;

/// A signed-in user.
#[derive(Clone, Debug)]
pub struct LoggedIn {
    /// The validated session.
    pub session: Session,
    /// UserInfo, `sub` checked against the ID token's.
    pub userinfo: Option<UserInfo>,
    /// The response type the login used.
    pub response_type: ResponseType,
    /// The response mode the login used.
    pub response_mode: ResponseMode,
    /// An access token came in the front channel too.
    pub front_channel_token: bool,
    /// When the session was created.
    pub created_at: UnixTime,
}

/// The sessions, behind one lock.
#[derive(Default)]
pub struct Sessions {
    map: Mutex<HashMap<String, LoggedIn>>,
}

impl Sessions {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, LoggedIn>> {
        // A panic while holding the lock leaves a plain map behind: go on.
        self.map.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Stores a session under `id`, dropping expired ones (and the oldest
    /// when full).
    pub fn insert(&self, id: String, who: LoggedIn, now: UnixTime) {
        let mut map = self.lock();
        map.retain(|_, s| now < s.created_at.plus(SESSION_TTL));
        while map.len() >= MAX_SESSIONS {
            let oldest = map
                .iter()
                .min_by_key(|(_, s)| s.created_at)
                .map(|(k, _)| k.clone());
            match oldest {
                Some(k) => map.remove(&k),
                None => break,
            };
        }
        map.insert(id, who);
    }

    /// The session `id`, if it exists and has not expired.
    pub fn get(&self, id: &str, now: UnixTime) -> Option<LoggedIn> {
        self.lock()
            .get(id)
            .filter(|s| now < s.created_at.plus(SESSION_TTL))
            .cloned()
    }

    /// Ends the session `id`.
    pub fn remove(&self, id: &str) {
        self.lock().remove(id);
    }
}
