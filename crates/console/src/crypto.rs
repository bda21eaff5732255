//! Encryption of session data at rest (XChaCha20-Poly1305 with a random nonce per write).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};

/// Why a key or a sealed value was refused.
#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    /// The configured key is not base64 of 32 bytes.
    #[error("the session key must be base64 of exactly 32 bytes")]
    BadKey,
    /// The sealed value was not produced by this key (or was altered).
    #[error("sealed data could not be opened")]
    Open,
}

/// Seals and opens byte strings with the server's session key.
#[derive(Clone)]
pub struct SessionCipher {
    aead: XChaCha20Poly1305,
}

impl std::fmt::Debug for SessionCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionCipher([redacted])")
    }
}

impl SessionCipher {
    /// A cipher from a base64-encoded 32-byte key.
    pub fn from_base64(key: &SecretString) -> Result<Self, CryptoError> {
        let bytes = STANDARD.decode(key.expose_secret().trim()).map_err(|_| CryptoError::BadKey)?;
        let aead = XChaCha20Poly1305::new_from_slice(&bytes).map_err(|_| CryptoError::BadKey)?;
        Ok(Self { aead })
    }

    /// A fresh random key, base64-encoded.
    pub fn generate_key() -> SecretString {
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        SecretString::from(STANDARD.encode(key))
    }

    /// `base64(nonce || ciphertext)`.
    pub fn seal(&self, plaintext: &[u8]) -> String {
        let mut nonce = [0u8; 24];
        rand::rng().fill_bytes(&mut nonce);
        // Encryption of an in-memory buffer cannot fail for this AEAD.
        let sealed = self.aead.encrypt(XNonce::from_slice(&nonce), plaintext).unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        STANDARD.encode(out)
    }

    /// Opens what [`seal`](Self::seal) produced.
    pub fn open(&self, sealed: &str) -> Result<Vec<u8>, CryptoError> {
        let bytes = STANDARD.decode(sealed).map_err(|_| CryptoError::Open)?;
        if bytes.len() < 24 {
            return Err(CryptoError::Open);
        }
        let (nonce, ciphertext) = bytes.split_at(24);
        self.aead.decrypt(XNonce::from_slice(nonce), ciphertext).map_err(|_| CryptoError::Open)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_data_opens_only_with_its_key_and_hides_the_plaintext() {
        let cipher = SessionCipher::from_base64(&SessionCipher::generate_key()).expect("key");
        let sealed = cipher.seal(b"MIItoken-plaintext");
        assert!(!sealed.contains("MIItoken"));
        assert_ne!(sealed, cipher.seal(b"MIItoken-plaintext"), "a fresh nonce each time");
        assert_eq!(cipher.open(&sealed).expect("opens"), b"MIItoken-plaintext");
        let other = SessionCipher::from_base64(&SessionCipher::generate_key()).expect("key");
        assert!(other.open(&sealed).is_err());
        assert!(SessionCipher::from_base64(&SecretString::from("c2hvcnQ=".to_owned())).is_err());
    }
}
