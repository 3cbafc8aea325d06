use super::*;
use crate::normalize::normalize;

/// Candidates in `input` (normalized first) as `(detector, text)`, deduped.
fn found(input: &str) -> Vec<(&'static str, String)> {
    let text = normalize(input);
    let runs = Vec::new();
    let hay = Haystack::new(&text, &runs);
    let mut out = Vec::new();
    SecretDetector::default().detect(&hay, &mut out);
    let mut v: Vec<_> = out
        .iter()
        .map(|c| {
            assert_eq!(c.category, Category::Secret);
            (c.span.start, c.span.end, c.detector)
        })
        .collect();
    v.sort();
    v.dedup();
    v.into_iter()
        .map(|(s, e, d)| (d, text[s..e].to_string()))
        .collect()
}

const GH36: &str = "ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
const PAT: &str =
    "github_pat_11ABCDEFG0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789a";
const OPENAI_LEGACY: &str = "sk-Ab3dEf7hIjKlMn9pQrStT3BlbkFJuVwXyZ0123456789aBcDeF";
const OPENAI_PROJ: &str =
    "sk-proj-Q9vX2mL7kP4nR8tW1yZ3bC6dF0gH5jK-aS9dF2gH7jK4lQ1wE8rT_5yU3iO6pA0zX";
const ANTHROPIC: &str =
    "sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Jh1Gf0Ed-cBa_987654321QwErTyUiOpAsDfGhJkL-AA";
const JWT: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

#[test]
fn positives() {
    let pem_rsa = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\nVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n-----END RSA PRIVATE KEY-----";
    let pem_openssh = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----";
    let pem_json = r#"-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n"#;
    let pem_json_key = &pem_json[..pem_json.len() - 2];
    let pem_pgp = "-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: GnuPG v2\n\nlQOYBF0Jx2kBCADJ0qT8c5vY3zN7wE1rK9mH4pL6sA2dF8gJ0kQ3wR5tY7uI9oP1\n-----END PGP PRIVATE KEY BLOCK-----";
    let pem_enc = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQI3+Qv0p8vZ7YCAggA\n-----END ENCRYPTED PRIVATE KEY-----";
    let pem_ec_cut = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oo6FtSbCF2ycoAoGCCqGSM49\nAwEHoUQDQgAEYbq1q3Fhm8gZkRaV7w0Bk5K+1x9DSVFjqjQlMZyTG2d0E4nWZbTh\nZG9nDw==\n\nThanks, see you";
    let pem_ec_cut_key = &pem_ec_cut[..pem_ec_cut.find("\n\nThanks").unwrap_or(0)];
    let cases: Vec<(String, Vec<(&str, &str)>)> = vec![
        // AWS
        (
            "aws_access_key_id = AKIAZ7QX3RLMN4B2CD5E".into(),
            vec![("secret/aws", "AKIAZ7QX3RLMN4B2CD5E")],
        ),
        (
            "id ASIAY34FZKBOKMUTVV7A, ok".into(),
            vec![("secret/aws", "ASIAY34FZKBOKMUTVV7A")],
        ),
        (
            "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ3kLp9Tx2".into(),
            vec![("secret/aws", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ3kLp9Tx2")],
        ),
        (
            r#""SecretAccessKey": "Zk8/p1Qw2Er3Ty4Ui5Op6As7Df8Gh9Jk0Lz+Xc1V""#.into(),
            vec![("secret/aws", "Zk8/p1Qw2Er3Ty4Ui5Op6As7Df8Gh9Jk0Lz+Xc1V")],
        ),
        (
            "bob,,AKIAZ7QX3RLMN4B2CD5E,Zk8/p1Qw2Er3Ty4Ui5Op6As7Df8Gh9Jk0Lz+Xc1V\n".into(),
            vec![
                ("secret/aws", "AKIAZ7QX3RLMN4B2CD5E"),
                ("secret/aws", "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"),
            ],
        ),
        // GitHub
        (format!("token {GH36} end"), vec![("secret/github", GH36)]),
        (
            format!("git clone https://x:{PAT}@github.com/o/r"),
            vec![("secret/connection-string", &format!("https://x:{PAT}@github.com/o/r")[..])]
                .into_iter()
                .map(|(a, b)| (a, &*Box::leak(b.to_string().into_boxed_str())))
                .collect(),
        ),
        (format!("GH_TOKEN={PAT}"), vec![("secret/github", PAT)]),
        (
            "gho_16C7e42F292c6912E7710c838347Ae178B4a!".into(),
            vec![("secret/github", "gho_16C7e42F292c6912E7710c838347Ae178B4a")],
        ),
        // OpenAI / Anthropic
        (
            format!("OPENAI_API_KEY={OPENAI_LEGACY}"),
            vec![("secret/openai", OPENAI_LEGACY)],
        ),
        (format!("key: {OPENAI_PROJ}"), vec![("secret/openai", OPENAI_PROJ)]),
        (
            format!("use {ANTHROPIC} please"),
            vec![("secret/anthropic", ANTHROPIC)],
        ),
        (
            "x T3BlbkFJ-style: Ab3dEf7hIjKlMn9pQrStT3BlbkFJuVwXyZ0123456789".into(),
            vec![(
                "secret/openai",
                "Ab3dEf7hIjKlMn9pQrStT3BlbkFJuVwXyZ0123456789",
            )],
        ),
        // Slack
        (
            "SLACK=xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx".into(),
            vec![(
                "secret/slack",
                "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
            )],
        ),
        (
            "post to https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX ok"
                .into(),
            vec![],
        ),
        (
            "post to https://hooks.slack.com/services/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 ok"
                .into(),
            vec![(
                "secret/slack",
                "https://hooks.slack.com/services/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",
            )],
        ),
        // Google, Stripe
        (
            "key=AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY&x=1".into(),
            vec![("secret/google", "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY")],
        ),
        (
            "stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc.".into(),
            vec![("secret/stripe", "sk_live_4eC39HqLyjWDarjtT1zdp7dc")],
        ),
        (
            "rk_test_51H8aZ2eZvKYlo2C0abcDEF123".into(),
            vec![("secret/stripe", "rk_test_51H8aZ2eZvKYlo2C0abcDEF123")],
        ),
        // PEM
        (format!("key:\n{pem_rsa}\nbye"), vec![("secret/pem", pem_rsa)]),
        (format!("{pem_openssh}\n"), vec![("secret/pem", pem_openssh)]),
        (
            format!(r#"{{"private_key": "{pem_json}"}}"#),
            // The JSON value (with its trailing `\n`) covers the block.
            vec![("secret/pem", pem_json_key), ("secret/assignment", pem_json)],
        ),
        (pem_pgp.into(), vec![("secret/pem", pem_pgp)]),
        (pem_enc.into(), vec![("secret/pem", pem_enc)]),
        (pem_ec_cut.into(), vec![("secret/pem", pem_ec_cut_key)]),
        // JWT
        (format!("id_token={JWT}"), vec![("secret/jwt", JWT)]),
        (
            format!("Authorization: Bearer {JWT}"),
            vec![("secret/jwt", JWT)],
        ),
        (
            "curl -H 'Authorization: Bearer 3f9a0c7e1b2d4e6f8a9b0c1d2e3f4a5b'".into(),
            vec![
                ("secret/assignment", "3f9a0c7e1b2d4e6f8a9b0c1d2e3f4a5b"),
                ("secret/bearer", "3f9a0c7e1b2d4e6f8a9b0c1d2e3f4a5b"),
            ],
        ),
        // Generic assignments
        ("password=hunter2".into(), vec![("secret/assignment", "hunter2")]),
        ("password: 1234".into(), vec![("secret/assignment", "1234")]),
        (
            r#"{"password": "p@ss w0rd", "user": "a"}"#.into(),
            vec![("secret/assignment", "p@ss w0rd")],
        ),
        ("DB_PASSWORD='s3cr3t!'".into(), vec![("secret/assignment", "s3cr3t!")]),
        ("dbPassword := \"abc\"".into(), vec![("secret/assignment", "abc")]),
        ("'password' => 'changeme',".into(), vec![("secret/assignment", "changeme")]),
        ("passwd = qwerty".into(), vec![("secret/assignment", "qwerty")]),
        ("PW: abc12".into(), vec![("secret/assignment", "abc12")]),
        ("pwd=abc12;".into(), vec![("secret/assignment", "abc12")]),
        ("pass: letmein".into(), vec![("secret/assignment", "letmein")]),
        ("SSHPASS=letmein".into(), vec![("secret/assignment", "letmein")]),
        ("<password>tiger</password>".into(), vec![("secret/assignment", "tiger")]),
        ("mysql --password Tiger99 -u root".into(), vec![("secret/assignment", "Tiger99")]),
        (
            r#"<add key="Password" value="Tiger99"/>"#.into(),
            vec![("secret/assignment", "Tiger99")],
        ),
        ("password: str = \"abc\"".into(), vec![("secret/assignment", "abc")]),
        (
            "api_key: 9f8e7d6c5b4a3f2e1d0c".into(),
            vec![("secret/assignment", "9f8e7d6c5b4a3f2e1d0c")],
        ),
        (
            "apikey=Zx81Kq02Lm93".into(),
            vec![("secret/assignment", "Zx81Kq02Lm93")],
        ),
        (
            "token: a1b2c3d4e5f6g7h8".into(),
            vec![("secret/assignment", "a1b2c3d4e5f6g7h8")],
        ),
        (
            "secret=Q2x9Lm4Pz7".into(),
            vec![("secret/assignment", "Q2x9Lm4Pz7")],
        ),
        (
            "client_secret: \"gH7-kL2_mN9pQ4\"".into(),
            vec![("secret/assignment", "gH7-kL2_mN9pQ4")],
        ),
        (
            "ACCESS_TOKEN=ya29.A0ARrdaM-9xYz".into(),
            vec![("secret/assignment", "ya29.A0ARrdaM-9xYz")],
        ),
        (
            "auth_token = \"tok_8f7e6d5c\"".into(),
            vec![("secret/assignment", "tok_8f7e6d5c")],
        ),
        (
            "https://api.example.com/reset?token=9a8b7c6d5e4f&user=1".into(),
            vec![("secret/assignment", "9a8b7c6d5e4f")],
        ),
        // Japanese
        ("パスワード：Abc123".into(), vec![("secret/assignment", "Abc123")]),
        ("パスワード: abc".into(), vec![("secret/assignment", "abc")]),
        ("初期パスワードはHello2024です。".into(), vec![("secret/assignment", "Hello2024")]),
        ("パスワードは「pa55word」です".into(), vec![("secret/assignment", "pa55word")]),
        ("【パスワード】qwe123".into(), vec![("secret/assignment", "qwe123")]),
        ("暗証番号：1234".into(), vec![("secret/assignment", "1234")]),
        ("パスワード＝ｓｅｃｒｅｔ９".into(), vec![("secret/assignment", "secret9")]),
        // Connection strings
        (
            "DATABASE_URL=postgres://app:S3cr3t@db.internal:5432/prod".into(),
            vec![("secret/connection-string", "postgres://app:S3cr3t@db.internal:5432/prod")],
        ),
        (
            "postgresql://u:p@h/d mysql://root:toor@127.0.0.1/x".into(),
            vec![
                ("secret/connection-string", "postgresql://u:p@h/d"),
                ("secret/connection-string", "mysql://root:toor@127.0.0.1/x"),
            ],
        ),
        (
            "mongodb+srv://admin:pa%40ss@cluster0.ab1cd.mongodb.net/db?retryWrites=true".into(),
            vec![("secret/connection-string", "mongodb+srv://admin:pa%40ss@cluster0.ab1cd.mongodb.net/db?retryWrites=true")],
        ),
        (
            "redis://:r3d1s@cache:6379/0 rediss://u:v@h amqps://guest:gu3st@mq/vhost".into(),
            vec![
                ("secret/connection-string", "redis://:r3d1s@cache:6379/0"),
                ("secret/connection-string", "rediss://u:v@h"),
                ("secret/connection-string", "amqps://guest:gu3st@mq/vhost"),
            ],
        ),
        (
            "sqlserver://sa:Passw0rd@host mssql://sa:Xy9@host ftp://me:pw1@files".into(),
            vec![
                ("secret/connection-string", "sqlserver://sa:Passw0rd@host"),
                ("secret/connection-string", "mssql://sa:Xy9@host"),
                ("secret/connection-string", "ftp://me:pw1@files"),
            ],
        ),
        (
            "Server=tcp:db,1433;Database=app;User Id=sa;Password=Pa$$w0rd;Encrypt=True;".into(),
            vec![("secret/connection-string", "Pa$$w0rd")],
        ),
        (
            "Data Source=db; Initial Catalog=x; PWD=abc,123; Initial Catalog=y".into(),
            vec![("secret/connection-string", "abc,123")],
        ),
    ];
    for (input, want) in &cases {
        let got = found(input);
        let want: Vec<(&str, String)> = want.iter().map(|(d, s)| (*d, s.to_string())).collect();
        assert_eq!(got, want, "input: {input:?}");
    }
}

#[test]
fn negatives() {
    for input in [
        "the password policy requires 12 characters",
        "パスワードを忘れた場合は、管理者に連絡してください。",
        "パスワードは12文字以上にしてください",
        "パスワード：下記をご確認ください",
        "a token economy and a secret santa",
        "skill ask-me task-sk-thing desk-top",
        "see https://example.com/path?q=1 and mailto:taro@example.co.jp",
        "mail taro.yamada@example.co.jp now",
        "http://user@example.com/ no password",
        "password=[SECRET]",
        "token: [SECRET]",
        "password=[電話番号] next",
        "password: \"[電話番号]\"",
        "\"password\": \"[SECRET]\"",
        "postgres://[SECRET]@db/prod",
        "password=",
        "password: ''",
        "password: ********",
        "password=xxxxxxxx",
        "password: <your password>",
        "password=${DB_PASSWORD}",
        "password: {{ secrets.DB }}",
        "password = null",
        "password: none",
        "PASSWORD=$DB_PASSWORD",
        "password: string;",
        "password = getpass.getpass()",
        "password = os.environ[\"PW\"]",
        "password: this.password",
        "login(user, password: password)",
        "api_key: your-api-key-here",
        "api_key=YOUR_API_KEY",
        "token: required",
        "secret: confidential",
        "max_tokens = 4096",
        "token_type: bearer",
        "password_min_length=12",
        "bypass=1 compass=north",
        "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "OPENAI_API_KEY=sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "sk-this-is-just-a-long-hyphenated-name",
        "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "pk_live_51H8aZ2eZvKYlo2C0abcDEF123",
        "xoxb-your-token-here",
        "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo\n-----END PUBLIC KEY-----",
        "-----BEGIN CERTIFICATE-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo\n-----END CERTIFICATE-----",
        "the bearer of bad news",
        "Akiane and Aida went to Asia",
        "eyJ is how JSON starts in base64",
        "sk-ant-short",
    ] {
        assert_eq!(found(input), vec![], "input: {input:?}");
    }
}

#[test]
fn token_with_twelve_digits_is_one_candidate() {
    let input = "api_token=ab123456789012cd and ghp_123456789012AbCdEfGhIjKlMnOpQrStUvWx";
    let got = found(input);
    assert_eq!(
        got,
        vec![
            ("secret/assignment", "ab123456789012cd".to_string()),
            (
                "secret/github",
                "ghp_123456789012AbCdEfGhIjKlMnOpQrStUvWx".to_string()
            ),
        ]
    );
}

#[test]
fn pem_block_longer_lines_and_keywords_inside_are_one_candidate() {
    // Base64 lines may contain anchors (`pass`, `token`, `eyJ`): one block.
    let body = "cGFzc3dvcmQ9aHVudGVyMiB0b2tlbjogZXlKaGJHY2lPaUpJVXpJMU5pSjk\n".repeat(20);
    let input =
        format!("-----BEGIN PRIVATE KEY-----\n{body}-----END PRIVATE KEY-----\npassword=x1");
    let got = found(&input);
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0].0, "secret/pem");
    assert!(got[0].1.ends_with("-----END PRIVATE KEY-----"));
    assert_eq!(got[1], ("secret/assignment", "x1".to_string()));
}

#[test]
fn masking_is_idempotent() {
    let masker = crate::masker::Masker::builder()
        .threads(1)
        .build()
        .expect("default masker");
    for input in [
        "password=hunter2 token: a1b2c3d4e5f6g7h8",
        "\"password\": \"p@ss\", パスワード：Abc123",
        "postgres://app:S3cr3t@db/prod and Server=x;Password=abc;Encrypt=True",
        "key AKIAZ7QX3RLMN4B2CD5E and AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY",
    ] {
        let once = masker.mask_str(input).expect("mask").text;
        assert!(once.contains("[SECRET]"), "{once}");
        let twice = masker.mask_str(&once).expect("mask").text;
        assert_eq!(once, twice);
        assert!(masker.scan(&once).is_empty(), "{once}");
    }
}

#[test]
fn detector_is_local_and_total_on_odd_input() {
    // Must not panic on truncated or odd input at any cut.
    let input = format!(
        "パスワード：「abc\npassword=\"abc\\\" -----BEGIN RSA PRIVATE KEY-----\nMIIE {JWT} sk-ant- postgres://a:b@ ://@"
    );
    let det = SecretDetector::default();
    for cut in 0..=input.len() {
        if !input.is_char_boundary(cut) {
            continue;
        }
        let text = &input[..cut];
        let runs = Vec::new();
        let mut out = Vec::new();
        det.detect(&Haystack::new(text, &runs), &mut out);
        for c in &out {
            assert!(c.span.end <= text.len());
            assert!(text.is_char_boundary(c.span.start) && text.is_char_boundary(c.span.end));
        }
    }
}

/// Issue 12's examples (gitleaks rule tests mask missed): each must be found
/// by some secret family, whichever.
#[test]
fn issue_12_gitleaks_examples_are_found() {
    let bedrock_long = format!(
        "ABSKQmVkcm9ja0FQSUtleS1{}=",
        "aB3dE5fG7hJ9kL2mN4pQ6rS8tU0vW1xY"
            .repeat(4)
            .get(..108)
            .unwrap_or("")
    );
    for (input, secret) in [
        // gitleaks generic.go GenericCredential
        (
            "genericToken=CLOJARS_34bf0e88955ff5a1c328d6a7491acc4f48e865a7b8dd4d70a70749037443".to_string(),
            "CLOJARS_34bf0e88955ff5a1c328d6a7491acc4f48e865a7b8dd4d70a70749037443",
        ),
        (
            " utils.GetEnvOrDefault(\"api_token\", \"dafa7817-e246-48f3-91a7-e87653d587b8\")".to_string(),
            "dafa7817-e246-48f3-91a7-e87653d587b8",
        ),
        ("creds = 9xQ2mV7tB4nR8kW1zC5yH3jL6pD0sF".to_string(), "9xQ2mV7tB4nR8kW1zC5yH3jL6pD0sF"),
        (
            "generic_TOKEN ::= \"Zf3D0LXCM3EIMbgJpUNnkRtOfOueHznB\"".to_string(),
            "Zf3D0LXCM3EIMbgJpUNnkRtOfOueHznB",
        ),
        // aws.go AmazonBedrockAPIKeyLongLived / ShortLived
        (format!("bedrock_api_token = \"{bedrock_long}\""), &*Box::leak(bedrock_long.clone().into_boxed_str())),
        (
            "AmazonBedrockAPIKeyShortLivedToken = bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t".to_string(),
            "bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t",
        ),
        // stripe.go, slack.go
        ("STRIPE=sk_prod_4eC39HqLyjWDarjtT1zdp7dc".to_string(), "sk_prod_4eC39HqLyjWDarjtT1zdp7dc"),
        ("xoxo-523423-234243-234233-e039d02840a0b9379c".to_string(), "xoxo-523423-234243-234233-e039d02840a0b9379c"),
        // jwt.go JWT: not `eyJ`-led, in a config shape
        (
            "jwtToken: eyJhbGciOieeeiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.a_5icKBDo-8EjUlrfvz2k2k".to_string(),
            "eyJhbGciOieeeiIsInR5cCI6IkpXVCJ9",
        ),
    ] {
        let got = found(&input);
        assert!(
            got.iter().any(|(_, t)| t.contains(secret)),
            "{input:?}: {got:?}"
        );
    }
    // jwt.go JWTBase64: a base64-encoded JWT is masked whole.
    let b64 = "ZXlKaGJHY2lPaUpJVXpJMU5pSjkuZXlKcGMzTWlPaUpxYjJVaUxBMEtJQ0psZUhBaU9qRXpNREE0TVRrek9EQXNEUW9nSW1oMGRIQTZMeTlsZUdGdGNHeGxMbU52YlM5cGMxOXliMjkwSWpwMGNuVmxmUS5kQmpmdEplWjRDVlAtbUI5MksyN3VoYlVKVTFwMXJfd1cxZ0ZXRk9Falhr";
    assert_eq!(
        found(&format!("token64 {b64} end")),
        vec![("secret/gitleaks/jwt-base64", b64.to_string())]
    );
}

/// What gitleaks' allowlists and entropy thresholds keep must pass:
/// public keys and tokens, CSRF tokens, key names, low-entropy values.
#[test]
fn issue_12_gitleaks_negatives_pass() {
    for input in [
        "publicToken = \"9Cnzj4p4WGeKLs1Pt8QuKUpRKfFLfRYC9AIKjbJTWit\"",
        "csrf-token=Mj2qykJO5rELyHgezQ69nzUX0i3OH67V7+V4eUrLfpuyOuxmiW9rhROG/Whikle15syazJOkrjJa3U2AbhIvUw==",
        "  keyVaultToStoreSecrets: cmp2-qat-1208358310",
        ",apiKey:\"6fe4476ee5a1832882e326b506d14126\",",
        "notes            = \"Maven - io.jsonwebtoken:jjwt-jackson-0.11.2\"",
        "key = AKIAXXXXXXXXXXXXXXXX",
        "bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29x",
        "clientId = \"73082700-1f09-405b-80d0-3131bfd6272d\"",
        "post to https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX ok",
    ] {
        assert_eq!(found(input), vec![], "input: {input:?}");
    }
}
