//! Reversible pseudonyms: a [`Vault`] gives every masked value a token that
//! is consistent within a run and across runs, and keeps the mapping
//! encrypted on disk so that [`Vault::restore`] can put the originals back.
//!
//! A token is the rule's ordinary replacement followed by `#n`, where `n`
//! counts the distinct originals that rendered to that replacement:
//! `山田太郎` → `Y.T.#1`, `山本天` → `Y.T.#2`, `090-1234-5678` →
//! `***-****-5678#1`. The same original always gets the same token.
//!
//! Tokens are assigned in input order, so numbering never depends on the
//! thread count: [`mask_with_vault`] lets the (possibly parallel) pipeline
//! find and resolve, then renders on the calling thread, in order.
//!
//! # File format
//!
//! `MASKVLT1` (8 bytes), a 12-byte random nonce, then the
//! ChaCha20-Poly1305 ciphertext of the mapping as JSON (the magic is the
//! associated data). The key (32 bytes) comes from `MASK_VAULT_KEY` (hex or
//! base64) or a key file; the plain mapping never touches the disk, and a
//! vault is replaced atomically (temporary file, then rename).
//!
//! ```
//! use mask::vault::{mask_with_vault, Vault};
//! use mask::Masker;
//!
//! let masker = Masker::builder().threads(1).build()?;
//! let mut vault = Vault::new();
//! let out = mask_with_vault(&masker, "TEL 090-1234-5678 / 080-9999-5678", &mut vault)?;
//! assert_eq!(out.text, "TEL ***-****-5678#1 / ***-****-5678#2");
//! assert_eq!(vault.restore("折り返しは ***-****-5678#2 へ"), "折り返しは 080-9999-5678 へ");
//! # Ok::<(), mask::Error>(())
//! ```

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::Path;

use aho_corasick::{AhoCorasick, MatchKind};
use base64::Engine as _;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::masker::{Masked, Masker};
use crate::span::{Category, Finding, Span};

const MAGIC: &[u8; 8] = b"MASKVLT1";
const NONCE_LEN: usize = 12;

/// The environment variable holding the vault key (hex or base64, 32 bytes).
pub const KEY_ENV: &str = "MASK_VAULT_KEY";

/// Errors of the vault (kept apart from [`Error`]: they concern the key and
/// the vault file, not the input).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VaultError {
    /// No key, or a key that is not 32 bytes of hex or base64.
    #[error("vault key: {0}")]
    Key(String),
    /// The vault file cannot be decrypted: wrong key, or the file was changed.
    #[error("vault {path} cannot be opened: wrong key or the file was tampered with")]
    Decrypt {
        /// The vault file.
        path: String,
    },
    /// The vault file is not a vault.
    #[error("{path} is not a mask vault ({why})")]
    Format {
        /// The vault file.
        path: String,
        /// What is wrong.
        why: &'static str,
    },
    /// Reading or writing the vault failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

/// A 32-byte vault key.
#[derive(Clone)]
pub struct VaultKey([u8; 32]);

impl std::fmt::Debug for VaultKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("VaultKey(..)")
    }
}

impl VaultKey {
    /// Parses a key written as 64 hex digits or base64 of 32 bytes
    /// (surrounding whitespace ignored).
    pub fn parse(text: &str) -> Result<VaultKey, VaultError> {
        let t = text.trim();
        let bytes = if t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()) {
            hex::decode(t).map_err(|e| VaultError::Key(e.to_string()))?
        } else {
            base64::engine::general_purpose::STANDARD
                .decode(t)
                .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(t))
                .map_err(|_| VaultError::Key("neither 64 hex digits nor base64".into()))?
        };
        let arr: [u8; 32] = bytes
            .try_into()
            .map_err(|_| VaultError::Key("a key must be 32 bytes".into()))?;
        Ok(VaultKey(arr))
    }

    /// The key from a key file (hex, base64, or exactly 32 raw bytes).
    pub fn from_file(path: &Path) -> Result<VaultKey, VaultError> {
        let raw = std::fs::read(path).map_err(|e| VaultError::Io {
            context: format!("reading key file {}", path.display()),
            source: e,
        })?;
        if let Ok(k) = std::str::from_utf8(&raw)
            .map_err(|_| ())
            .and_then(|s| VaultKey::parse(s).map_err(|_| ()))
        {
            return Ok(k);
        }
        let arr: [u8; 32] = raw.try_into().map_err(|_| {
            VaultError::Key(format!(
                "key file {} holds neither hex, base64 nor 32 raw bytes",
                path.display()
            ))
        })?;
        Ok(VaultKey(arr))
    }

    /// The key from [`KEY_ENV`].
    pub fn from_env() -> Result<VaultKey, VaultError> {
        match std::env::var(KEY_ENV) {
            Ok(v) if !v.trim().is_empty() => {
                VaultKey::parse(&v).map_err(|e| VaultError::Key(format!("{KEY_ENV}: {e}")))
            }
            _ => Err(VaultError::Key(format!(
                "no key: set {KEY_ENV} (hex or base64 of 32 bytes) or pass --vault-key-file"
            ))),
        }
    }

    /// A fresh random key.
    pub fn generate() -> Result<VaultKey, VaultError> {
        let mut k = [0u8; 32];
        getrandom::getrandom(&mut k).map_err(|e| VaultError::Key(e.to_string()))?;
        Ok(VaultKey(k))
    }

    /// The key as hex (to print once for the user to store).
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }
}

/// One stored pseudonym.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    category: Category,
    original: String,
    token: String,
}

/// The mapping between originals and tokens. See the [module docs](self).
#[derive(Clone, Debug, Default)]
pub struct Vault {
    entries: Vec<Entry>,
    /// (rendered replacement, original) → index into `entries`.
    by_original: HashMap<(String, String), usize>,
    /// Distinct originals seen per rendered replacement.
    per_rendered: HashMap<String, u32>,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    version: u32,
    /// (rendered, category, original, token)
    entries: Vec<(String, Entry)>,
}

impl Vault {
    /// An empty vault.
    pub fn new() -> Vault {
        Vault::default()
    }

    /// Number of distinct originals stored.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// True for the categories that get reversible tokens: names, addresses,
    /// phones, e-mail addresses and postal codes. Secrets, My Numbers and
    /// card data are never stored, whatever the policy says.
    pub fn pseudonymizes(cat: Category) -> bool {
        matches!(
            cat,
            Category::Name
                | Category::Address
                | Category::Phone
                | Category::Email
                | Category::PostalCode
        )
    }

    /// The token for `original`, which the rule rendered as `rendered`.
    pub fn token(&mut self, category: Category, rendered: &str, original: &str) -> &str {
        let key = (rendered.to_string(), original.to_string());
        let idx = match self.by_original.get(&key) {
            Some(&i) => i,
            None => {
                let n = self.per_rendered.entry(key.0.clone()).or_default();
                *n += 1;
                let token = format!("{rendered}#{n}");
                self.entries.push(Entry {
                    category,
                    original: original.to_string(),
                    token,
                });
                let i = self.entries.len() - 1;
                self.by_original.insert(key, i);
                i
            }
        };
        &self.entries[idx].token
    }

    /// Puts the originals back: every token in `text` is replaced by its
    /// original (longest token first, so `#12` is never read as `#1`).
    pub fn restore(&self, text: &str) -> String {
        if self.entries.is_empty() {
            return text.to_string();
        }
        let pats: Vec<&str> = self.entries.iter().map(|e| e.token.as_str()).collect();
        let Ok(ac) = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&pats)
        else {
            return text.to_string();
        };
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for m in ac.find_iter(text) {
            out.push_str(&text[last..m.start()]);
            out.push_str(&self.entries[m.pattern().as_usize()].original);
            last = m.end();
        }
        out.push_str(&text[last..]);
        out
    }

    /// Serialized and encrypted with `key`.
    pub fn seal(&self, key: &VaultKey) -> Result<Vec<u8>, VaultError> {
        let mut rendered_of: Vec<String> = vec![String::new(); self.entries.len()];
        for ((r, _), &i) in &self.by_original {
            rendered_of[i] = r.clone();
        }
        let stored = Stored {
            version: 1,
            entries: rendered_of
                .into_iter()
                .zip(self.entries.iter().cloned())
                .collect(),
        };
        let plain = serde_json::to_vec(&stored).map_err(|e| VaultError::Key(e.to_string()))?;
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::getrandom(&mut nonce).map_err(|e| VaultError::Key(e.to_string()))?;
        let cipher = ChaCha20Poly1305::new(Key::from_slice(&key.0));
        let ct = cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: &plain,
                    aad: MAGIC,
                },
            )
            .map_err(|_| VaultError::Key("encryption failed".into()))?;
        let mut out = Vec::with_capacity(MAGIC.len() + NONCE_LEN + ct.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
        Ok(out)
    }

    /// Decrypts and parses a sealed vault; `name` is used in errors.
    pub fn unseal(bytes: &[u8], key: &VaultKey, name: &str) -> Result<Vault, VaultError> {
        if bytes.len() < MAGIC.len() + NONCE_LEN + 16 || &bytes[..MAGIC.len()] != MAGIC {
            return Err(VaultError::Format {
                path: name.into(),
                why: "bad header",
            });
        }
        let (nonce, ct) = bytes[MAGIC.len()..].split_at(NONCE_LEN);
        let cipher = ChaCha20Poly1305::new(Key::from_slice(&key.0));
        let plain = cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ct,
                    aad: MAGIC,
                },
            )
            .map_err(|_| VaultError::Decrypt { path: name.into() })?;
        let stored: Stored = serde_json::from_slice(&plain).map_err(|_| VaultError::Format {
            path: name.into(),
            why: "unreadable mapping",
        })?;
        let mut v = Vault::new();
        for (rendered, e) in stored.entries {
            *v.per_rendered.entry(rendered.clone()).or_default() += 1;
            v.by_original
                .insert((rendered, e.original.clone()), v.entries.len());
            v.entries.push(e);
        }
        Ok(v)
    }

    /// Opens the vault at `path`; a missing file is an empty vault.
    pub fn open(path: &Path, key: &VaultKey) -> Result<Vault, VaultError> {
        match std::fs::read(path) {
            Ok(b) => Vault::unseal(&b, key, &path.display().to_string()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vault::new()),
            Err(e) => Err(VaultError::Io {
                context: format!("reading vault {}", path.display()),
                source: e,
            }),
        }
    }

    /// Opens an existing vault (for restoring: a missing file is an error).
    pub fn open_existing(path: &Path, key: &VaultKey) -> Result<Vault, VaultError> {
        let b = std::fs::read(path).map_err(|e| VaultError::Io {
            context: format!("reading vault {}", path.display()),
            source: e,
        })?;
        Vault::unseal(&b, key, &path.display().to_string())
    }

    /// Writes the vault to `path` atomically (temporary file in the same
    /// directory, synced, then renamed over the old one).
    pub fn save(&self, path: &Path, key: &VaultKey) -> Result<(), VaultError> {
        let sealed = self.seal(key)?;
        let io = |context: String| move |e: std::io::Error| VaultError::Io { context, source: e };
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let mut tmp = tempfile::Builder::new()
            .prefix(".mask-vault-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(io(format!(
                "creating a temporary file in {}",
                dir.display()
            )))?;
        tmp.write_all(&sealed)
            .and_then(|()| tmp.as_file().sync_all())
            .map_err(io(format!("writing vault {}", path.display())))?;
        tmp.persist(path)
            .map_err(|e| e.error)
            .map_err(io(format!("writing vault {}", path.display())))?;
        Ok(())
    }
}

/// One rendered finding: where it was in the input, where its replacement
/// is in the output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece {
    /// The finding (span over the original input).
    pub finding: Finding,
    /// The part of the span actually replaced (a finding overlapping the
    /// previous one loses its head).
    pub replaced: Span,
    /// Where the replacement sits in the output.
    pub output: Span,
}

/// Renders resolved, ordered `findings` of `text` on the calling thread, in
/// input order; with a vault, pseudonymized categories get tokens.
/// Returns the output and where each replacement went.
///
/// Encoded blocks of `text` ([`crate::format::embedded`]) are rendered as
/// the pipeline renders them (decoded, masked, encoded back); the findings
/// inside one (as [`Masker::scan`] reports them, with the block's span)
/// all get the block's replacement as their piece.
pub fn render_findings(
    masker: &Masker,
    text: &str,
    findings: &[Finding],
    mut vault: Option<&mut Vault>,
) -> (String, Vec<Piece>) {
    let mut out = String::with_capacity(text.len() + 64);
    let mut pieces = Vec::with_capacity(findings.len());
    let mut pos = 0;
    let mut rep = String::new();
    let mut blocks = crate::format::embedded::find_blocks(text);
    // As the pipeline does: a secret found over a bare token is no block.
    crate::format::embedded::drop_claimed_tokens(&mut blocks, findings);
    let mut bi = 0;
    for f in findings {
        // Blocks before this finding, or holding it.
        while let Some(b) = blocks.get(bi).filter(|b| b.span.start <= f.span.start) {
            emit_block(masker, text, b, findings, &mut pos, &mut out, &mut pieces);
            bi += 1;
        }
        if blocks.iter().any(|b| b.span.overlaps(f.span)) {
            continue;
        }
        if f.span.end <= pos || f.span.end > text.len() {
            continue;
        }
        let start = f.span.start.max(pos);
        out.push_str(&text[pos..start]);
        rep.clear();
        let original = &text[start..f.span.end];
        masker.render(f, original, &mut rep);
        let from = out.len();
        match vault.as_deref_mut() {
            Some(v) if Vault::pseudonymizes(f.category) && rep != original => {
                out.push_str(v.token(f.category, &rep, original));
            }
            _ => out.push_str(&rep),
        }
        pieces.push(Piece {
            finding: f.clone(),
            replaced: Span::new(start, f.span.end),
            output: Span::new(from, out.len()),
        });
        pos = f.span.end;
    }
    for b in &blocks[bi..] {
        emit_block(masker, text, b, findings, &mut pos, &mut out, &mut pieces);
    }
    out.push_str(&text[pos..]);
    (out, pieces)
}

/// Writes the text before block `b` and its rendering (unless `pos` is
/// past its start already); every finding inside it gets the block's
/// replacement as its piece.
fn emit_block(
    masker: &Masker,
    text: &str,
    b: &crate::format::embedded::Block,
    findings: &[Finding],
    pos: &mut usize,
    out: &mut String,
    pieces: &mut Vec<Piece>,
) {
    if b.span.start < *pos {
        return;
    }
    out.push_str(&text[*pos..b.span.start]);
    let from = out.len();
    out.push_str(&crate::format::embedded::render_text(
        masker,
        &text[b.span.range()],
        b.kind,
    ));
    *pos = b.span.end;
    for g in findings.iter().filter(|g| b.span.contains(g.span)) {
        pieces.push(Piece {
            finding: g.clone(),
            replaced: b.span,
            output: Span::new(from, out.len()),
        });
    }
}

/// Masks `text` like [`Masker::mask_str`], but pseudonymized categories get
/// consistent, reversible tokens from `vault` (assigned in input order).
///
/// # Errors
///
/// [`Error::Binary`] for a NUL byte, [`Error::Blocked`] when the policy blocks
/// (the vault is then left unchanged).
pub fn mask_with_vault(masker: &Masker, text: &str, vault: &mut Vault) -> Result<Masked, Error> {
    if let Some(i) = memchr::memchr(0, text.as_bytes()) {
        return Err(Error::Binary { offset: i as u64 });
    }
    let findings = masker.scan(text);
    let mut blocked: BTreeMap<Category, usize> = BTreeMap::new();
    for f in &findings {
        if masker.blocks(f.category) {
            *blocked.entry(f.category).or_default() += 1;
        }
    }
    if !blocked.is_empty() {
        return Err(Error::Blocked {
            categories: blocked.into_iter().collect(),
        });
    }
    let mut scratch = vault.clone();
    let (text, _) = render_findings(masker, text, &findings, Some(&mut scratch));
    *vault = scratch;
    Ok(Masked { text, findings })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_value_same_token_and_collisions_numbered() {
        let mut v = Vault::new();
        assert_eq!(v.token(Category::Name, "Y.T.", "山田太郎"), "Y.T.#1");
        assert_eq!(v.token(Category::Name, "Y.T.", "山本天"), "Y.T.#2");
        assert_eq!(v.token(Category::Name, "Y.T.", "山田太郎"), "Y.T.#1");
        assert_eq!(v.token(Category::Name, "S.H.", "佐藤花子"), "S.H.#1");
        assert_eq!(v.restore("Y.T.#2様、Y.T.#1様"), "山本天様、山田太郎様");
    }

    #[test]
    fn longest_token_wins_on_restore() {
        let mut v = Vault::new();
        for i in 0..12 {
            v.token(Category::Name, "A.B.", &format!("名{i}"));
        }
        assert_eq!(v.restore("A.B.#12 / A.B.#1"), "名11 / 名0");
    }

    #[test]
    fn seal_unseal_round_trip_and_numbering_continues() {
        let key = VaultKey::parse(&"ab".repeat(32)).unwrap();
        let mut v = Vault::new();
        v.token(Category::Name, "Y.T.", "山田太郎");
        let sealed = v.seal(&key).unwrap();
        assert!(!sealed.windows("山田".len()).any(|w| w == "山田".as_bytes()));
        let mut w = Vault::unseal(&sealed, &key, "x").unwrap();
        assert_eq!(w.token(Category::Name, "Y.T.", "山本天"), "Y.T.#2");
        assert_eq!(w.token(Category::Name, "Y.T.", "山田太郎"), "Y.T.#1");
        let other = VaultKey::parse(&"cd".repeat(32)).unwrap();
        assert!(matches!(
            Vault::unseal(&sealed, &other, "x"),
            Err(VaultError::Decrypt { .. })
        ));
    }

    #[test]
    fn keys_parse_from_hex_and_base64() {
        let hexkey = "00".repeat(32);
        assert!(VaultKey::parse(&hexkey).is_ok());
        let b64 = base64::engine::general_purpose::STANDARD.encode([7u8; 32]);
        assert_eq!(VaultKey::parse(&b64).unwrap().0, [7u8; 32]);
        assert!(VaultKey::parse("short").is_err());
        assert!(VaultKey::parse(&"00".repeat(31)).is_err());
    }
}
