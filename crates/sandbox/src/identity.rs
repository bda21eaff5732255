//! The seeded account, its IAM users with their rights, and their AK/SK pairs.

use serde::Serialize;

use crate::world::rng::hash;

/// A permission an IAM user may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Right {
    /// Read GSL.
    #[serde(rename = "gsl:read")]
    GslRead,
    /// Change GSL.
    #[serde(rename = "gsl:write")]
    GslWrite,
    /// Read BSS.
    #[serde(rename = "bss:read")]
    BssRead,
    /// Change BSS.
    #[serde(rename = "bss:write")]
    BssWrite,
}

/// An IAM user of the sandbox account.
#[derive(Debug, Clone, Serialize)]
pub struct User {
    /// IAM user name.
    pub name: String,
    /// User id.
    #[serde(skip)]
    pub id: String,
    /// Password.
    pub password: String,
    /// Rights.
    pub rights: Vec<Right>,
    /// Access key id.
    pub ak: String,
    /// Secret key.
    pub sk: String,
    /// Project (cn-north-4) id.
    pub project_id: String,
}

impl User {
    /// Whether the user holds a right.
    pub fn may(&self, right: Right) -> bool {
        self.rights.contains(&right)
    }
}

/// The account (domain) with its users.
#[derive(Debug, Clone, Serialize)]
pub struct Account {
    /// Account name.
    pub account_name: String,
    /// Domain id.
    pub domain_id: String,
    /// Project id of cn-north-4.
    pub project_id: String,
    /// IAM users.
    pub users: Vec<User>,
}

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

fn token(seed: u64, salt: u64, len: usize, alphabet: &[u8]) -> String {
    (0..len)
        .map(|k| {
            char::from(
                alphabet[(hash(seed, salt, k as u64, 0xACC) % alphabet.len() as u64) as usize],
            )
        })
        .collect()
}

impl Account {
    /// The account of a seed: the same seed always gives the same names, passwords and keys.
    pub fn seeded(seed: u64) -> Self {
        use Right::*;
        let hex = b"0123456789abcdef";
        let project_id = token(seed, 2, 32, hex);
        let specs: [(&str, Vec<Right>); 4] = [
            ("admin", vec![GslRead, GslWrite, BssRead, BssWrite]),
            ("finance", vec![BssRead, BssWrite]),
            ("fleet", vec![GslRead, GslWrite]),
            ("readonly", vec![GslRead, BssRead]),
        ];
        let users = specs
            .into_iter()
            .enumerate()
            .map(|(k, (name, rights))| {
                let k = k as u64 * 10 + 10;
                User {
                    name: name.to_owned(),
                    id: token(seed, k, 32, hex),
                    password: format!("Fd-{}!", token(seed, k + 1, 10, ALNUM)),
                    rights,
                    ak: format!("HPUA{}", token(seed, k + 2, 16, &ALNUM[..26])),
                    sk: token(seed, k + 3, 40, ALNUM),
                    project_id: project_id.clone(),
                }
            })
            .collect();
        Account {
            account_name: format!("fleetdesk-demo-{seed}"),
            domain_id: token(seed, 1, 32, hex),
            project_id,
            users,
        }
    }

    /// The user holding an access key.
    pub fn by_ak(&self, ak: &str) -> Option<usize> {
        self.users.iter().position(|u| u.ak == ak)
    }

    /// The user with a name.
    pub fn by_name(&self, name: &str) -> Option<usize> {
        self.users.iter().position(|u| u.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_accounts_are_stable_and_distinct() {
        let a = Account::seeded(7);
        assert_eq!(a.users.len(), 4);
        assert_eq!(a.users[0].sk, Account::seeded(7).users[0].sk);
        assert_ne!(a.users[0].sk, Account::seeded(8).users[0].sk);
        assert_ne!(a.users[0].ak, a.users[1].ak);
        assert!(a.users[3].may(Right::GslRead) && !a.users[3].may(Right::GslWrite));
    }
}
