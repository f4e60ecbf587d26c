//! The provider's store in the simulation, honouring the core's store
//! contract (`oidc_hybrid::op::records`): codes and refresh tokens are
//! taken (the take atomically leaves a tombstone), access tokens are read,
//! `Revoke(grant_id)` deletes every access and live refresh token of the
//! grant, tombstones are kept until their `expires_at`, and nothing is
//! deleted before it expires except by revocation. Single-threaded and
//! ordered (`BTreeMap`), so a run is reproducible.

use std::collections::{BTreeMap, BTreeSet};

use oidc_hybrid::UnixTime;
use oidc_hybrid::op::{
    AccessGrant, CodeGrant, GrantId, Lookup, RefreshGrant, StoreKey, StoreRecord, Tombstone,
};

/// A code or refresh token slot.
#[derive(Clone, Debug)]
enum Slot<T> {
    Live(T),
    Spent(Tombstone),
}

/// Entry counts, compared with the model's after every step.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Live codes.
    pub codes: usize,
    /// Spent codes (tombstones).
    pub code_tombstones: usize,
    /// Access tokens.
    pub access_tokens: usize,
    /// Live refresh tokens.
    pub refresh_tokens: usize,
    /// Spent refresh tokens (tombstones).
    pub refresh_tombstones: usize,
}

/// The store.
#[derive(Debug, Default)]
pub struct Store {
    codes: BTreeMap<StoreKey, Slot<CodeGrant>>,
    refresh: BTreeMap<StoreKey, Slot<RefreshGrant>>,
    access: BTreeMap<StoreKey, AccessGrant>,
    assertions: BTreeMap<StoreKey, UnixTime>,
}

fn take<T: Clone>(
    map: &mut BTreeMap<StoreKey, Slot<T>>,
    key: &StoreKey,
    tombstone: impl Fn(&T) -> Tombstone,
) -> Lookup<T> {
    match map.get(key).cloned() {
        None => Lookup::Missing,
        Some(Slot::Spent(t)) => Lookup::Spent(t.grant_id),
        Some(Slot::Live(v)) => {
            map.insert(key.clone(), Slot::Spent(tombstone(&v)));
            Lookup::Found(v)
        }
    }
}

impl Store {
    /// Saves what the core minted.
    pub fn save(&mut self, records: Vec<StoreRecord>) {
        for r in records {
            match r {
                StoreRecord::Code { key, grant } => {
                    self.codes.insert(key, Slot::Live(grant));
                }
                StoreRecord::Access { key, grant } => {
                    self.access.insert(key, grant);
                }
                StoreRecord::Refresh { key, grant } => {
                    self.refresh.insert(key, Slot::Live(grant));
                }
            }
        }
    }

    /// Takes a code, leaving its tombstone.
    pub fn take_code(&mut self, key: &StoreKey) -> Lookup<CodeGrant> {
        take(&mut self.codes, key, CodeGrant::tombstone)
    }

    /// Takes a refresh token, leaving its tombstone.
    pub fn take_refresh(&mut self, key: &StoreKey) -> Lookup<RefreshGrant> {
        take(&mut self.refresh, key, RefreshGrant::tombstone)
    }

    /// Reads an access token's grant.
    pub fn access(&self, key: &StoreKey) -> Option<AccessGrant> {
        self.access.get(key).cloned()
    }

    /// Deletes every access token and live refresh token of `grant_id`
    /// (tombstones stay: a later reuse is still detected).
    pub fn revoke(&mut self, grant_id: &GrantId) {
        self.access.retain(|_, g| &g.grant_id != grant_id);
        self.refresh
            .retain(|_, s| !matches!(s, Slot::Live(g) if &g.grant_id == grant_id));
    }

    /// Records a client assertion; `false` if it was used before.
    pub fn first_use_of_assertion(&mut self, key: &StoreKey, expires_at: UnixTime) -> bool {
        if self.assertions.contains_key(key) {
            return false;
        }
        self.assertions.insert(key.clone(), expires_at);
        true
    }

    /// Deletes every record and tombstone whose `expires_at` has come.
    pub fn purge(&mut self, now: UnixTime) {
        fn live<T>(slot: &Slot<T>, expires_at: impl Fn(&T) -> UnixTime) -> UnixTime {
            match slot {
                Slot::Live(v) => expires_at(v),
                Slot::Spent(t) => t.expires_at,
            }
        }
        self.codes
            .retain(|_, s| now < live(s, |g: &CodeGrant| g.expires_at));
        self.refresh
            .retain(|_, s| now < live(s, |g: &RefreshGrant| g.expires_at));
        self.access.retain(|_, g| now < g.expires_at);
        self.assertions.retain(|_, exp| now < *exp);
    }

    /// Entry counts.
    pub fn counts(&self) -> Counts {
        let live = |m: &BTreeMap<StoreKey, Slot<_>>| {
            m.values().filter(|s| matches!(s, Slot::Live(_))).count()
        };
        let live_refresh = self
            .refresh
            .values()
            .filter(|s| matches!(s, Slot::Live(_)))
            .count();
        Counts {
            codes: live(&self.codes),
            code_tombstones: self.codes.len() - live(&self.codes),
            access_tokens: self.access.len(),
            refresh_tokens: live_refresh,
            refresh_tombstones: self.refresh.len() - live_refresh,
        }
    }

    /// The grants that still have a live access or refresh token.
    pub fn grants_with_tokens(&self) -> BTreeSet<GrantId> {
        let access = self.access.values().map(|g| g.grant_id.clone());
        let refresh = self.refresh.values().filter_map(|s| match s {
            Slot::Live(g) => Some(g.grant_id.clone()),
            Slot::Spent(_) => None,
        });
        access.chain(refresh).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oidc_hybrid::jose::Alg;
    use oidc_hybrid::op::{
        Entropy, KeySet, ProviderConfig, ResponseType, Subject, authorize::Authorize, complete,
    };

    /// A code record and the grant id, minted by the provider core.
    fn code_record() -> (StoreKey, GrantId, Vec<StoreRecord>) {
        let registry = {
            let mut r = oidc_hybrid::op::ClientRegistry::new();
            r.insert(crate::server::default_client()).unwrap();
            r
        };
        let config = ProviderConfig::new("https://op.example").unwrap();
        let query = "client_id=hybrid-client&redirect_uri=http%3A%2F%2F127.0.0.1%3A9999%2Fcb\
                     &response_type=code+token&scope=openid&nonce=n&state=s\
                     &code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM\
                     &code_challenge_method=S256";
        let Authorize::Validated(req) =
            oidc_hybrid::op::authorize(query, &registry, &config, UnixTime(100))
        else {
            panic!("request refused");
        };
        assert_eq!(req.response_type(), ResponseType::CodeToken);
        let key = oidc_hybrid::jose::SigningKey::es256_from_bytes(&[3; 32]).unwrap();
        assert_eq!(key.alg(), Alg::ES256);
        let done = complete(
            req,
            Subject::new("alice", UnixTime(100)),
            Entropy::new(&[1; 32]).unwrap(),
            &KeySet::new(key),
            &config,
            UnixTime(100),
        )
        .unwrap();
        let (key, grant) = done
            .records
            .iter()
            .find_map(|r| match r {
                StoreRecord::Code { key, grant } => Some((key.clone(), grant.grant_id.clone())),
                _ => None,
            })
            .unwrap();
        (key, grant, done.records)
    }

    #[test]
    fn a_code_is_taken_once_and_its_tombstone_outlives_revocation() {
        let (key, grant, records) = code_record();
        let mut s = Store::default();
        s.save(records);
        assert_eq!(s.counts().codes, 1);
        assert_eq!(s.counts().access_tokens, 1, "the front-channel token");
        assert!(matches!(s.take_code(&key), Lookup::Found(_)));
        assert_eq!(s.take_code(&key), Lookup::Spent(grant.clone()));
        s.revoke(&grant);
        assert_eq!(s.counts().access_tokens, 0);
        assert!(s.grants_with_tokens().is_empty());
        // Revocation keeps the tombstone: a third use is still a reuse.
        assert_eq!(s.take_code(&key), Lookup::Spent(grant));
        // The tombstone outlives the code (60 s after issue) for as long as
        // tokens issued from it may live (the refresh token: 14 days), so a
        // late replay is still detected (RFC 6749 §4.1.2); then it is purged.
        s.purge(UnixTime(160));
        assert_eq!(s.counts().code_tombstones, 1);
        let until = 160 + 14 * 24 * 3600;
        s.purge(UnixTime(until - 1));
        assert_eq!(s.counts().code_tombstones, 1);
        s.purge(UnixTime(until));
        assert_eq!(s.take_code(&key), Lookup::Missing);
    }

    #[test]
    fn a_client_assertion_is_used_once() {
        let mut s = Store::default();
        let k = StoreKey::of("client\0jti");
        assert!(s.first_use_of_assertion(&k, UnixTime(10)));
        assert!(!s.first_use_of_assertion(&k, UnixTime(10)));
    }
}
