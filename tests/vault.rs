//! Reversible pseudonyms: numbering, determinism across threads, the
//! encrypted vault file, `mask --vault` and `mask restore`, wrong keys and
//! tampering.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use mask::detect::{Candidate, Detector, Haystack};
use mask::vault::{mask_with_vault, Vault, VaultKey};
use mask::{Category, Masker, Policy};

/// Stands in for the name detector (another issue): finds the names it
/// knows and hints their initials, as the real one will.
#[derive(Debug)]
struct Names;

impl Detector for Names {
    fn name(&self) -> &'static str {
        "test-names"
    }
    fn detect(&self, hay: &Haystack<'_>, out: &mut Vec<Candidate>) {
        for (name, initials) in [
            ("山田太郎", "Y.T."),
            ("山本天", "Y.T."),
            ("佐藤花子", "S.H."),
        ] {
            for (i, _) in hay.text().match_indices(name) {
                let mut c = Candidate::new(Category::Name, "test-names", i, i + name.len());
                c.hint = Some(initials.into());
                out.push(c);
            }
        }
    }
}

fn masker(threads: usize, chunk: usize) -> Masker {
    Masker::builder()
        .policy(Policy::preset("default").unwrap())
        .detector(Box::new(Names))
        .threads(threads)
        .chunk_size(chunk)
        .build()
        .unwrap()
}

#[test]
fn names_get_numbered_tokens_and_restore_puts_them_back() {
    let m = masker(1, 1 << 20);
    let mut v = Vault::new();
    let out = mask_with_vault(
        &m,
        "山田太郎様、山本天様、佐藤花子様。再度 山田太郎様",
        &mut v,
    )
    .unwrap();
    assert_eq!(out.text, "Y.T.#1様、Y.T.#2様、S.H.#1様。再度 Y.T.#1様");
    assert_eq!(
        v.restore("Y.T.#1様\nお世話になっております。"),
        "山田太郎様\nお世話になっております。"
    );
}

#[test]
fn phones_and_emails_that_render_alike_get_different_tokens() {
    let m = masker(1, 1 << 20);
    let mut v = Vault::new();
    let t =
        "090-1111-5678 / 080-2222-5678 / 090-1111-5678 / a.tanaka@example.jp / b.tanaka@example.jp";
    let out = mask_with_vault(&m, t, &mut v).unwrap();
    assert_eq!(
        out.text,
        "***-****-5678#1 / ***-****-5678#2 / ***-****-5678#1 / ****naka@example.jp#1 / ****naka@example.jp#2"
    );
    assert_eq!(v.restore(&out.text), t);
}

#[test]
fn numbering_does_not_depend_on_threads_or_chunks() {
    let mut text = String::new();
    for i in 0..120 {
        text.push_str(&format!(
            "行{i}: 090-{:04}-5678 山田太郎 / 山本天\n",
            i % 37
        ));
    }
    let mut reference = Vault::new();
    let want = mask_with_vault(&masker(1, 1 << 20), &text, &mut reference)
        .unwrap()
        .text;
    for (threads, chunk) in [(2, 64), (4, 1000), (2, 7)] {
        let mut v = Vault::new();
        let got = mask_with_vault(&masker(threads, chunk), &text, &mut v)
            .unwrap()
            .text;
        assert_eq!(got, want, "threads {threads}, chunk {chunk}");
    }
    assert_eq!(reference.restore(&want), text);
}

#[test]
fn secrets_and_my_numbers_never_go_into_the_vault() {
    let m = masker(1, 1 << 20);
    let mut v = Vault::new();
    let out = mask_with_vault(&m, "マイナンバー 1234 5678 9018", &mut v).unwrap();
    assert_eq!(out.text, "マイナンバー [マイナンバー]");
    assert!(v.is_empty());
}

#[test]
fn a_blocked_input_leaves_the_vault_unchanged() {
    let m = Masker::builder()
        .policy(Policy::preset("strict").unwrap())
        .threads(1)
        .build()
        .unwrap();
    let mut v = Vault::new();
    assert!(mask_with_vault(&m, "090-1234-5678 個人番号 123456789018", &mut v).is_err());
    assert!(v.is_empty());
}

const KEY: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

fn mask_cli(args: &[&str], stdin: &str, key: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mask"))
        .args(args)
        .env("MASK_VAULT_KEY", key)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

#[test]
fn cli_round_trip_across_runs_and_the_file_is_encrypted() {
    let d = tempfile::tempdir().unwrap();
    let vault = d.path().join("v.vault");
    let vs = vault.to_str().unwrap();
    let o = mask_cli(&["-q", "--vault", vs], "TEL 090-1234-5678\n", KEY);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&o.stdout), "TEL ***-****-5678#1\n");
    // A second run continues the numbering and reuses known tokens.
    let o = mask_cli(&["-q", "--vault", vs], "080-9999-5678 090-1234-5678\n", KEY);
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "***-****-5678#2 ***-****-5678#1\n"
    );
    let raw = std::fs::read(&vault).unwrap();
    assert!(raw.starts_with(b"MASKVLT1"));
    assert!(
        !raw.windows(4).any(|w| w == b"1234" || w == b"9999"),
        "plain text on disk"
    );
    let o = mask_cli(
        &["restore", "--vault", vs],
        "お電話 ***-****-5678#2 まで\n",
        KEY,
    );
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "お電話 080-9999-5678 まで\n"
    );
    // A key file works too.
    let kf = d.path().join("key");
    std::fs::write(&kf, format!("{KEY}\n")).unwrap();
    let o = mask_cli(
        &[
            "restore",
            "--vault",
            vs,
            "--vault-key-file",
            kf.to_str().unwrap(),
        ],
        "***-****-5678#1",
        "",
    );
    assert_eq!(String::from_utf8_lossy(&o.stdout), "090-1234-5678");
}

#[test]
fn wrong_key_or_tampered_vault_is_a_clear_error_and_writes_nothing() {
    let d = tempfile::tempdir().unwrap();
    let vault = d.path().join("v.vault");
    let vs = vault.to_str().unwrap();
    assert_eq!(
        mask_cli(&["-q", "--vault", vs], "090-1234-5678", KEY)
            .status
            .code(),
        Some(0)
    );
    let other = "ff".repeat(32);
    let o = mask_cli(&["restore", "--vault", vs], "***-****-5678#1", &other);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("wrong key or the file was tampered with"),
        "{err}"
    );
    // Masking with the wrong key must not overwrite the vault either.
    let before = std::fs::read(&vault).unwrap();
    let o = mask_cli(&["-q", "--vault", vs], "080-1111-2222", &other);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    assert_eq!(std::fs::read(&vault).unwrap(), before);
    // Flip one byte of the ciphertext.
    let mut bytes = before.clone();
    let last = bytes.len() - 5;
    bytes[last] ^= 0x01;
    std::fs::write(&vault, &bytes).unwrap();
    let o = mask_cli(&["restore", "--vault", vs], "***-****-5678#1", KEY);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    // No key at all.
    let o = mask_cli(&["restore", "--vault", vs], "x", "");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("MASK_VAULT_KEY"));
}

#[test]
fn key_formats() {
    assert!(VaultKey::parse(KEY).is_ok());
    assert!(VaultKey::parse("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=").is_ok());
    assert!(VaultKey::parse("not a key").is_err());
}

#[test]
fn agent_facing_types_are_send_and_sync() {
    fn assert<T: Send + Sync>() {}
    assert::<Vault>();
    assert::<VaultKey>();
    assert::<mask::audit::AuditRecord>();
    assert::<mask::review::Review>();
    assert::<mask::hook::HookOptions>();
}
