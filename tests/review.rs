//! The review page and the terminal diff: well-formed, self-contained HTML
//! with every finding marked on both sides, everything escaped.

use std::io::Write;
use std::process::{Command, Stdio};

use mask::review::{diff, review_html, Review};
use mask::Masker;

const TEXT: &str = "<script>alert(1)</script> 担当 & 窓口\nTEL 090-1234-5678 / mail taro.yamada@example.co.jp\n〒150-0002 マイナンバー 1234 5678 9018\n社外秘 \"quoted\"\n";

/// Checks that tags nest and close (no attribute values hold `<` or `>`).
fn assert_well_formed(html: &str) {
    const VOID: &[&str] = &["meta", "br", "!DOCTYPE"];
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        let j = rest[i..].find('>').expect("tag closes") + i;
        let tag = &rest[i + 1..j];
        assert!(!tag.contains('<'), "stray < in {tag:?}");
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop().as_deref(), Some(name), "mismatched </{name}>");
        } else {
            let name = tag.split_whitespace().next().unwrap();
            if !VOID.contains(&name) {
                stack.push(name.to_string());
            }
        }
        rest = &rest[j + 1..];
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
}

fn review() -> Review {
    let masker = Masker::builder().threads(1).build().unwrap();
    Review::new(&masker, TEXT).unwrap()
}

#[test]
fn page_is_well_formed_escaped_self_contained_and_marks_every_finding() {
    let r = review();
    assert_eq!(r.pieces.len(), 5, "{:?}", r.pieces);
    let html = review_html(&r, "in<put>.txt");
    assert_well_formed(&html);
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("<script"));
    assert!(html.contains("in&lt;put&gt;.txt"));
    assert!(html.contains("&quot;quoted&quot;"));
    assert!(html.contains("LOCAL REVIEW ONLY"));
    assert!(!html.contains("http://") && !html.contains("https://") && !html.contains("src="));
    for (i, p) in r.pieces.iter().enumerate() {
        let open = format!(
            "<mark class=\"c-{}\" data-finding=\"{i}\"",
            p.finding.category
        );
        assert_eq!(html.matches(&open).count(), 2, "finding {i} on both sides");
    }
    // The summary table counts each category.
    assert!(html.contains("<td><mark class=\"c-phone\">phone</mark></td><td>1</td>"));
    // Each side holds its text between the marks.
    assert!(html.contains("\">090-1234-5678</mark>"));
    assert!(html.contains("\">***-****-5678</mark>"));
}

#[test]
fn diff_shows_old_and_new_inline() {
    let r = review();
    let plain = diff(&r, false);
    assert!(
        plain.contains("TEL [-090-1234-5678-]{+***-****-5678+}"),
        "{plain}"
    );
    assert!(
        plain.contains("[-1234 5678 9018-]{+[マイナンバー]+}"),
        "{plain}"
    );
    let colored = diff(&r, true);
    assert!(colored.contains("\x1b[9;31m090-1234-5678\x1b[0m\x1b[1;32m***-****-5678\x1b[0m"));
}

#[test]
fn cli_review_writes_the_page_and_diff_is_plain_when_piped() {
    let d = tempfile::tempdir().unwrap();
    let inp = d.path().join("mail.txt");
    std::fs::write(&inp, TEXT).unwrap();
    let page = d.path().join("review.html");
    let o = Command::new(env!("CARGO_BIN_EXE_mask"))
        .args([
            "review",
            inp.to_str().unwrap(),
            "-o",
            page.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_well_formed(&std::fs::read_to_string(&page).unwrap());
    let mut c = Command::new(env!("CARGO_BIN_EXE_mask"))
        .arg("diff")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    c.stdin
        .take()
        .unwrap()
        .write_all(b"TEL 090-1234-5678")
        .unwrap();
    let o = c.wait_with_output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "TEL [-090-1234-5678-]{+***-****-5678+}"
    );
}
