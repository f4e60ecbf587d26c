//! The in-memory stores the harness keeps for the provider core: codes and
//! refresh tokens (taken atomically, tombstoned), access tokens (read),
//! used client assertions (replay), parked authorization requests and login
//! sessions. Everything is keyed by SHA-256 hashes or random ids, never by
//! a raw code or token.

use std::collections::HashMap;
use std::sync::Mutex;

use oidc_hybrid::UnixTime;
use oidc_hybrid::op::{
    AccessGrant, AssertionUse, AuthzRequest, CodeGrant, GrantId, Lookup, RefreshGrant, StoreKey,
    StoreRecord, Subject, Tombstone,
};

/// A code or refresh token slot: live, or spent (its tombstone).
#[derive(Clone, Debug)]
enum Slot<T> {
    Live(T),
    Spent(Tombstone),
}

/// A parked authorization request waiting for the login or the consent page.
#[derive(Clone, Debug)]
pub struct Interaction {
    /// The validated request.
    pub request: AuthzRequest,
    /// The CSRF token the page's form must send back (and the cookie holds).
    pub csrf: String,
    /// The end-user, once authenticated: the page is then the consent page.
    pub subject: Option<Subject>,
    /// When it is dropped.
    pub expires_at: UnixTime,
}

#[derive(Default)]
struct Inner {
    codes: HashMap<StoreKey, Slot<CodeGrant>>,
    refresh: HashMap<StoreKey, Slot<RefreshGrant>>,
    access: HashMap<StoreKey, AccessGrant>,
    assertions: HashMap<StoreKey, UnixTime>,
    interactions: HashMap<String, Interaction>,
    sessions: HashMap<String, Subject>,
    /// Per session: the clients the user has consented to.
    consents: HashMap<String, std::collections::HashSet<String>>,
}

/// How many entries each store holds (for logs and tests).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StoreCounts {
    /// Live codes.
    pub codes: usize,
    /// Spent codes (tombstones).
    pub code_tombstones: usize,
    /// Access tokens.
    pub access_tokens: usize,
    /// Live refresh tokens.
    pub refresh_tokens: usize,
}

/// The provider's state, in memory, behind one lock (each operation is
/// atomic, as the core's store contract requires).
#[derive(Default)]
pub struct MemoryStore {
    inner: Mutex<Inner>,
}

fn take<T: Clone>(
    map: &mut HashMap<StoreKey, Slot<T>>,
    key: &StoreKey,
    tombstone: impl Fn(&T) -> Tombstone,
) -> Lookup<T> {
    match map.get(key).cloned() {
        None => Lookup::Missing,
        Some(Slot::Spent(t)) => Lookup::Spent(t.grant_id),
        Some(Slot::Live(v)) => {
            // Replace the record with its tombstone in the same critical
            // section: a second take sees Spent.
            map.insert(key.clone(), Slot::Spent(tombstone(&v)));
            Lookup::Found(v)
        }
    }
}

impl MemoryStore {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves plain maps behind: keep going.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Saves what the core minted, and drops what has expired.
    pub fn save(&self, records: Vec<StoreRecord>, now: UnixTime) {
        let mut s = self.lock();
        purge(&mut s, now);
        for r in records {
            match r {
                StoreRecord::Code { key, grant } => {
                    s.codes.insert(key, Slot::Live(grant));
                }
                StoreRecord::Access { key, grant } => {
                    s.access.insert(key, grant);
                }
                StoreRecord::Refresh { key, grant } => {
                    s.refresh.insert(key, Slot::Live(grant));
                }
            }
        }
    }

    /// Atomically takes a code, leaving its tombstone.
    pub fn take_code(&self, key: &StoreKey) -> Lookup<CodeGrant> {
        take(&mut self.lock().codes, key, CodeGrant::tombstone)
    }

    /// Atomically takes a refresh token, leaving its tombstone.
    pub fn take_refresh(&self, key: &StoreKey) -> Lookup<RefreshGrant> {
        take(&mut self.lock().refresh, key, RefreshGrant::tombstone)
    }

    /// Reads an access token's grant.
    pub fn access(&self, key: &StoreKey) -> Option<AccessGrant> {
        self.lock().access.get(key).cloned()
    }

    /// Deletes every access and refresh token of `grant_id`.
    pub fn revoke(&self, grant_id: &GrantId) {
        let mut s = self.lock();
        s.access.retain(|_, g| &g.grant_id != grant_id);
        s.refresh
            .retain(|_, slot| !matches!(slot, Slot::Live(g) if &g.grant_id == grant_id));
    }

    /// Records a client assertion; `false` if it was seen before (replay).
    pub fn first_use_of_assertion(&self, a: &AssertionUse) -> bool {
        let mut s = self.lock();
        if s.assertions.contains_key(&a.key) {
            return false;
        }
        s.assertions.insert(a.key.clone(), a.expires_at);
        true
    }

    /// Parks an authorization request under `id`.
    pub fn park(&self, id: &str, interaction: Interaction) {
        self.lock().interactions.insert(id.into(), interaction);
    }

    /// Takes the parked request `id`, if it has not expired.
    pub fn unpark(&self, id: &str, now: UnixTime) -> Option<Interaction> {
        self.lock()
            .interactions
            .remove(id)
            .filter(|i| now < i.expires_at)
    }

    /// Reads the parked request `id` without taking it.
    pub fn parked(&self, id: &str) -> Option<Interaction> {
        self.lock().interactions.get(id).cloned()
    }

    /// Starts a login session.
    pub fn start_session(&self, id: &str, subject: Subject) {
        self.lock().sessions.insert(id.into(), subject);
    }

    /// The subject of session `id`.
    pub fn session(&self, id: &str) -> Option<Subject> {
        self.lock().sessions.get(id).cloned()
    }

    /// Records that the user of session `id` consented to `client_id`.
    pub fn record_consent(&self, id: &str, client_id: &str) {
        self.lock()
            .consents
            .entry(id.into())
            .or_default()
            .insert(client_id.into());
    }

    /// Whether the user of session `id` consented to `client_id` before.
    pub fn has_consent(&self, id: &str, client_id: &str) -> bool {
        self.lock()
            .consents
            .get(id)
            .is_some_and(|c| c.contains(client_id))
    }

    /// Entry counts.
    pub fn counts(&self) -> StoreCounts {
        let s = self.lock();
        StoreCounts {
            codes: s
                .codes
                .values()
                .filter(|v| matches!(v, Slot::Live(_)))
                .count(),
            code_tombstones: s
                .codes
                .values()
                .filter(|v| matches!(v, Slot::Spent(_)))
                .count(),
            access_tokens: s.access.len(),
            refresh_tokens: s
                .refresh
                .values()
                .filter(|v| matches!(v, Slot::Live(_)))
                .count(),
        }
    }
}

fn slot_expiry<T>(slot: &Slot<T>, live: impl Fn(&T) -> UnixTime) -> UnixTime {
    match slot {
        Slot::Live(v) => live(v),
        Slot::Spent(t) => t.expires_at,
    }
}

fn purge(s: &mut Inner, now: UnixTime) {
    s.codes
        .retain(|_, v| now < slot_expiry(v, |g| g.expires_at));
    s.refresh
        .retain(|_, v| now < slot_expiry(v, |g| g.expires_at));
    s.access.retain(|_, g| now < g.expires_at);
    s.assertions.retain(|_, exp| now < *exp);
    s.interactions.retain(|_, i| now < i.expires_at);
}
