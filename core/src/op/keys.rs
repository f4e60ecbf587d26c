//! The provider's signing keys: several, one active per algorithm, all
//! published (key rotation: publish the next key before activating it, keep
//! the previous one published until the tokens it signed have expired).

use alloc::vec::Vec;

use crate::error::{Error, ErrorKind, Result};
use crate::jose::{Alg, SigningKey};

/// The signing keys. Every key's `kid` is its RFC 7638 thumbprint.
#[derive(Clone, Debug)]
pub struct KeySet {
    keys: Vec<SigningKey>,
    /// Index into `keys` of the active key, per algorithm.
    active: Vec<(Alg, usize)>,
}

fn normalised(key: SigningKey) -> SigningKey {
    let kid = key.public_key().thumbprint();
    key.with_kid(&kid)
}

impl KeySet {
    /// A set whose one key is active for its algorithm.
    pub fn new(active: SigningKey) -> Self {
        let key = normalised(active);
        Self {
            active: alloc::vec![(key.alg(), 0)],
            keys: alloc::vec![key],
        }
    }

    /// Adds a published key that does not sign (the next one, or a retired
    /// one). A key already present is not added twice.
    pub fn publish(&mut self, key: SigningKey) {
        let key = normalised(key);
        if !self.keys.iter().any(|k| k.kid() == key.kid()) {
            self.keys.push(key);
        }
    }

    /// Makes the published key `kid` the active key for its algorithm; the
    /// previously active key stays published. Unknown `kid`: `unknown_kid`.
    pub fn activate(&mut self, kid: &str) -> Result<()> {
        let (index, alg) = self
            .keys
            .iter()
            .enumerate()
            .find(|(_, k)| k.kid() == kid)
            .map(|(i, k)| (i, k.alg()))
            .ok_or_else(|| Error::new(ErrorKind::UnknownKid, "key_set").got(kid))?;
        self.active.retain(|(a, _)| *a != alg);
        self.active.push((alg, index));
        Ok(())
    }

    /// Removes a published key that is not active.
    pub fn retire(&mut self, kid: &str) -> Result<()> {
        let Some(index) = self.keys.iter().position(|k| k.kid() == kid) else {
            return Err(Error::new(ErrorKind::UnknownKid, "key_set").got(kid));
        };
        if self.active.iter().any(|(_, i)| *i == index) {
            return Err(Error::new(ErrorKind::InvalidConfig, "key_set")
                .expected("a key that is not active")
                .got(kid));
        }
        self.keys.remove(index);
        for (_, i) in &mut self.active {
            if *i > index {
                *i = i.saturating_sub(1);
            }
        }
        Ok(())
    }

    /// The active key for `alg`; none is `invalid_config`.
    pub fn active_for(&self, alg: Alg) -> Result<&SigningKey> {
        self.active
            .iter()
            .find(|(a, _)| *a == alg)
            .and_then(|(_, i)| self.keys.get(*i))
            .ok_or_else(|| {
                Error::new(ErrorKind::InvalidConfig, "key_set")
                    .expected(&alloc::format!("an active {alg} key"))
            })
    }

    /// The algorithms with an active key.
    pub fn algs(&self) -> Vec<Alg> {
        self.active.iter().map(|(a, _)| *a).collect()
    }

    /// Every published key.
    pub fn keys(&self) -> &[SigningKey] {
        &self.keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(b: u8) -> SigningKey {
        SigningKey::es256_from_bytes(&[b; 32])
            .unwrap()
            .with_kid("custom")
    }

    #[test]
    fn kid_is_thumbprint_and_rotation_keeps_publishing() {
        let mut ks = KeySet::new(key(1));
        let first = alloc::string::String::from(ks.active_for(Alg::ES256).unwrap().kid());
        assert_eq!(first, key(1).public_key().thumbprint());
        ks.publish(key(2));
        let next = key(2).public_key().thumbprint();
        assert_eq!(ks.active_for(Alg::ES256).unwrap().kid(), first);
        ks.activate(&next).unwrap();
        assert_eq!(ks.active_for(Alg::ES256).unwrap().kid(), next);
        assert_eq!(ks.keys().len(), 2);
        assert!(
            ks.retire(&next).is_err(),
            "the active key cannot be retired"
        );
        ks.retire(&first).unwrap();
        assert_eq!(ks.active_for(Alg::ES256).unwrap().kid(), next);
        assert_eq!(
            ks.active_for(Alg::RS256).unwrap_err().kind(),
            ErrorKind::InvalidConfig
        );
    }
}
