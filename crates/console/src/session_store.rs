//! The session store: the sqlx store of the configured database, with every record's data sealed.

use std::collections::HashMap;

use async_trait::async_trait;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

use crate::crypto::SessionCipher;

/// The key under which a record's sealed data is stored.
const SEALED: &str = "sealed";

/// The sqlx session store of whichever database is configured.
#[derive(Debug, Clone)]
pub enum DbStore {
    /// SQLite.
    Sqlite(SqliteStore),
    /// PostgreSQL.
    Postgres(PostgresStore),
}

/// A session store that encrypts each record's data before the inner store writes it.
#[derive(Debug, Clone)]
pub struct SealedStore {
    inner: DbStore,
    cipher: SessionCipher,
}

impl SealedStore {
    /// Wraps a store.
    pub fn new(inner: DbStore, cipher: SessionCipher) -> Self {
        Self { inner, cipher }
    }

    fn seal(&self, record: &Record) -> session_store::Result<Record> {
        let plain = serde_json::to_vec(&record.data).map_err(|e| session_store::Error::Encode(e.to_string()))?;
        let mut data = HashMap::new();
        data.insert(SEALED.to_owned(), serde_json::Value::String(self.cipher.seal(&plain)));
        Ok(Record { id: record.id, data, expiry_date: record.expiry_date })
    }

    fn open(&self, record: Record) -> Option<Record> {
        let sealed = record.data.get(SEALED)?.as_str()?;
        // A record sealed with another key (rotated key) is treated as no session.
        let plain = self.cipher.open(sealed).ok()?;
        let data = serde_json::from_slice(&plain).ok()?;
        Some(Record { id: record.id, data, expiry_date: record.expiry_date })
    }
}

#[async_trait]
impl SessionStore for SealedStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let mut sealed = self.seal(record)?;
        match &self.inner {
            DbStore::Sqlite(s) => s.create(&mut sealed).await?,
            DbStore::Postgres(s) => s.create(&mut sealed).await?,
        }
        // The inner store may have picked a new id on collision.
        record.id = sealed.id;
        Ok(())
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let sealed = self.seal(record)?;
        match &self.inner {
            DbStore::Sqlite(s) => s.save(&sealed).await,
            DbStore::Postgres(s) => s.save(&sealed).await,
        }
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let record = match &self.inner {
            DbStore::Sqlite(s) => s.load(id).await?,
            DbStore::Postgres(s) => s.load(id).await?,
        };
        Ok(record.and_then(|r| self.open(r)))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        match &self.inner {
            DbStore::Sqlite(s) => s.delete(id).await,
            DbStore::Postgres(s) => s.delete(id).await,
        }
    }
}
