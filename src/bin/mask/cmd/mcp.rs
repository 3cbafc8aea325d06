//! `mask mcp`: an MCP server over standard input and output (the official
//! Rust SDK, `rmcp`) with three tools:
//!
//! | tool | arguments | answer |
//! | --- | --- | --- |
//! | `mask_text` | `text`, optional `policy` and `format` | masked text, counts per category |
//! | `scan_text` | `text`, optional `policy` and `format` | findings: category, detector, line, column (never values) |
//! | `restore_text` | `text` | with `--vault`: tokens back to originals |
//!
//! Policy, deny list, customers and audit log come from the command line as
//! for every command; a call may name only a policy the server was started
//! with (`-p` and `--extra-policy`), never a file of its own. With
//! `--vault`, `mask_text` gives consistent, reversible tokens and saves the
//! vault before it answers. Every call is audited with `--audit` (tool name,
//! hashes, counts; never values). Errors — a blocked input, an unknown
//! policy, a bad argument — are MCP errors: a call never answers with
//! unmasked input, and no request can crash the server.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use clap::Args;
use rmcp::handler::server::{router::tool::ToolRouter, wrapper::Parameters};
use rmcp::model::{Implementation, ServerCapabilities, ServerConfig};
use rmcp::{tool, tool_handler, tool_router, ErrorData, Json, ServerHandler, ServiceExt};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::Run;
use crate::setup::{vault_key, Common};
use mask::audit::{self, AuditRecord, RunInfo};
use mask::format::Format;
use mask::report::{InputReport, Outcome};
use mask::service;
use mask::vault::{mask_with_vault, Vault, VaultKey};
use mask::{Category, Error, Masker, Policy};

/// Arguments of `mask mcp`.
#[derive(Debug, Args)]
pub struct McpArgs {
    /// Another policy (preset or TOML file) a call may choose by its name;
    /// repeatable. The `-p` policy is the default.
    #[arg(long = "extra-policy", value_name = "FILE|PRESET")]
    pub extra_policies: Vec<String>,

    /// Mask with consistent, reversible tokens stored encrypted in FILE, and
    /// offer `restore_text`. Key: MASK_VAULT_KEY or --vault-key-file.
    #[arg(long, value_name = "FILE")]
    pub vault: Option<PathBuf>,

    /// Read the vault key from FILE instead of MASK_VAULT_KEY.
    #[arg(long, value_name = "FILE", requires = "vault")]
    pub vault_key_file: Option<PathBuf>,

    #[command(flatten)]
    pub common: Common,
}

/// Arguments of `mask_text` and `scan_text`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct TextRequest {
    /// The text to mask or scan (a mail, CSV, JSON or plain text).
    pub text: String,
    /// The name of a policy the server offers (default: the server's own).
    #[serde(default)]
    pub policy: Option<String>,
    /// How to read the text: text, csv, tsv, json, jsonl, eml, mbox
    /// (default: sniffed; a guess that does not parse is read as text).
    #[serde(default)]
    pub format: Option<String>,
}

/// Arguments of `restore_text`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct RestoreRequest {
    /// A text holding tokens given by `mask_text` with this server's vault.
    pub text: String,
}

/// The answer of `mask_text`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct MaskAnswer {
    /// The masked text.
    pub text: String,
    /// The structure it was read as.
    pub format: String,
    /// The policy applied.
    pub policy: String,
    /// Findings per category.
    pub counts: BTreeMap<String, usize>,
    /// Warnings (a guessed format that did not parse, attachments removed).
    pub notes: Vec<String>,
}

/// One finding of `scan_text` (never its value).
#[derive(Debug, Serialize, JsonSchema)]
pub struct FindingAnswer {
    /// What was found (phone, name, my-number, ...).
    pub category: String,
    /// Which detector found it.
    pub detector: String,
    /// 1-based line.
    pub line: u64,
    /// 1-based column, in characters.
    pub column: u64,
    /// False when inside decoded content: the position is the field's.
    pub exact: bool,
}

/// The answer of `scan_text`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ScanAnswer {
    /// Findings in input order.
    pub findings: Vec<FindingAnswer>,
    /// The structure it was read as.
    pub format: String,
    /// The policy applied.
    pub policy: String,
    /// Findings per category.
    pub counts: BTreeMap<String, usize>,
    /// Categories the policy blocks that were found (`mask_text` would fail).
    pub blocked: BTreeMap<String, usize>,
}

/// The answer of `restore_text`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct RestoreAnswer {
    /// The text with every known token replaced by its original.
    pub text: String,
}

/// The vault of a server started with `--vault`.
struct VaultState {
    path: PathBuf,
    key: VaultKey,
    vault: Vault,
}

/// The server: maskers by policy name, the vault, the audit log.
#[derive(Clone)]
pub struct MaskServer {
    maskers: Arc<BTreeMap<String, Arc<Masker>>>,
    default_policy: String,
    vault: Option<Arc<Mutex<VaultState>>>,
    audit: Option<PathBuf>,
    tool_router: ToolRouter<Self>,
}

fn counts_by_name(counts: &BTreeMap<Category, usize>) -> BTreeMap<String, usize> {
    counts.iter().map(|(c, n)| (c.to_string(), *n)).collect()
}

/// An MCP error for a library error; never quotes input.
fn mcp_error(e: &Error) -> ErrorData {
    match e {
        Error::Blocked { .. } | Error::Format { .. } | Error::InvalidUtf8 { .. } => {
            ErrorData::invalid_params(e.to_string(), None)
        }
        _ => ErrorData::internal_error(e.to_string(), None),
    }
}

fn parse_format(name: Option<&str>) -> Result<Option<Format>, ErrorData> {
    name.map(|f| {
        Format::from_name(f).ok_or_else(|| {
            ErrorData::invalid_params(
                format!("unknown format {f:?} (text, csv, tsv, json, jsonl, eml, mbox)"),
                None,
            )
        })
    })
    .transpose()
}

impl MaskServer {
    /// Builds the maskers of every policy offered, opens the vault.
    pub fn new(a: &McpArgs) -> Result<MaskServer> {
        let main = a.common.build_masker()?;
        let default_policy = main.policy().name.clone();
        let mut maskers = BTreeMap::new();
        maskers.insert(default_policy.clone(), Arc::new(main));
        for p in &a.extra_policies {
            let mut common = a.common.clone();
            common.policy = p.clone();
            let m = common
                .build_masker()
                .with_context(|| format!("extra policy {p:?}"))?;
            maskers
                .entry(m.policy().name.clone())
                .or_insert_with(|| Arc::new(m));
        }
        let vault = match &a.vault {
            None => None,
            Some(path) => {
                let key = vault_key(a.vault_key_file.as_deref())?;
                let vault = Vault::open(path, &key)?;
                Some(Arc::new(Mutex::new(VaultState {
                    path: path.clone(),
                    key,
                    vault,
                })))
            }
        };
        Ok(MaskServer {
            maskers: Arc::new(maskers),
            default_policy,
            vault,
            audit: a.common.audit.clone(),
            tool_router: Self::tool_router(),
        })
    }

    fn masker(&self, name: Option<&str>) -> Result<Arc<Masker>, ErrorData> {
        let name = name.unwrap_or(&self.default_policy);
        self.maskers.get(name).cloned().ok_or_else(|| {
            let offered: Vec<&str> = self.maskers.keys().map(String::as_str).collect();
            ErrorData::invalid_params(
                format!(
                    "unknown policy {name:?}; this server offers: {}",
                    offered.join(", ")
                ),
                None,
            )
        })
    }

    /// Appends one audit record for a call (when `--audit` was given).
    #[allow(clippy::too_many_arguments)]
    fn audit_call(
        &self,
        tool: &str,
        policy: &Policy,
        input: &str,
        output: Option<&str>,
        counts: &BTreeMap<Category, usize>,
        outcome: Outcome,
        reason: Option<String>,
    ) -> Result<(), ErrorData> {
        let Some(path) = &self.audit else {
            return Ok(());
        };
        let mut r = InputReport::failed(&format!("mcp:{tool}"), outcome, String::new());
        r.reason = reason;
        r.bytes_in = input.len() as u64;
        r.bytes_out = output.map_or(0, |s| s.len() as u64);
        r.sha256_in = Some(hex::encode(Sha256::digest(input.as_bytes())));
        r.sha256_out = output.map(|s| hex::encode(Sha256::digest(s.as_bytes())));
        r.by_category = counts.clone();
        let run = RunInfo {
            command: format!("mcp {tool}"),
            policy: policy.name.clone(),
            policy_sha256: policy.hash(),
        };
        let rec = AuditRecord::from_report(&run, &r);
        // An audit that cannot be written fails the call: nothing goes out
        // unaudited.
        audit::append(path, &[rec]).map_err(|e| {
            ErrorData::internal_error(
                format!("appending to audit log {}: {e}", path.display()),
                None,
            )
        })
    }

    fn mask_call(&self, req: &TextRequest) -> Result<MaskAnswer, ErrorData> {
        let masker = self.masker(req.policy.as_deref())?;
        let format = parse_format(req.format.as_deref())?;
        let result = match &self.vault {
            None => service::mask_text(&masker, &req.text, format),
            Some(v) => self.mask_with_vault(&masker, v, &req.text, format),
        };
        let policy = masker.policy();
        match result {
            Ok(out) => {
                self.audit_call(
                    "mask_text",
                    policy,
                    &req.text,
                    Some(&out.text),
                    &out.counts,
                    Outcome::Masked,
                    None,
                )?;
                Ok(MaskAnswer {
                    text: out.text,
                    format: out.format.to_string(),
                    policy: policy.name.clone(),
                    counts: counts_by_name(&out.counts),
                    notes: out.notes,
                })
            }
            Err(e) => {
                let (outcome, counts) = match &e {
                    Error::Blocked { categories } => {
                        (Outcome::Blocked, categories.iter().cloned().collect())
                    }
                    _ => (Outcome::Error, BTreeMap::new()),
                };
                self.audit_call(
                    "mask_text",
                    policy,
                    &req.text,
                    None,
                    &counts,
                    outcome,
                    Some(e.to_string()),
                )?;
                Err(mcp_error(&e))
            }
        }
    }

    fn mask_with_vault(
        &self,
        masker: &Masker,
        state: &Mutex<VaultState>,
        text: &str,
        format: Option<Format>,
    ) -> Result<service::MaskedText, Error> {
        if format.is_some_and(|f| f != Format::Text) {
            return Err(Error::Format {
                format: "vault",
                message: "with --vault, mask_text takes plain text only".into(),
            });
        }
        let mut st = state.lock().unwrap_or_else(|p| p.into_inner());
        let masked = mask_with_vault(masker, text, &mut st.vault)?;
        st.vault
            .save(&st.path, &st.key)
            .map_err(|e| Error::Policy(format!("saving the vault: {e}")))?;
        let mut counts = BTreeMap::new();
        for f in &masked.findings {
            *counts.entry(f.category).or_default() += 1;
        }
        Ok(service::MaskedText {
            text: masked.text,
            format: Format::Text,
            counts,
            notes: Vec::new(),
        })
    }

    fn scan_call(&self, req: &TextRequest) -> Result<ScanAnswer, ErrorData> {
        let masker = self.masker(req.policy.as_deref())?;
        let format = parse_format(req.format.as_deref())?;
        let out = service::scan_text(&masker, &req.text, format).map_err(|e| mcp_error(&e))?;
        self.audit_call(
            "scan_text",
            masker.policy(),
            &req.text,
            None,
            &out.counts,
            Outcome::Scanned,
            None,
        )?;
        Ok(ScanAnswer {
            findings: out
                .findings
                .iter()
                .map(|f| FindingAnswer {
                    category: f.category.to_string(),
                    detector: f.detector.to_string(),
                    line: f.line,
                    column: f.column,
                    exact: f.exact,
                })
                .collect(),
            format: out.format.to_string(),
            policy: masker.policy().name.clone(),
            counts: counts_by_name(&out.counts),
            blocked: counts_by_name(&out.blocked),
        })
    }

    fn restore_call(&self, req: &RestoreRequest) -> Result<RestoreAnswer, ErrorData> {
        let Some(state) = &self.vault else {
            return Err(ErrorData::invalid_request(
                "restore_text needs a server started with --vault",
                None,
            ));
        };
        let text = {
            let st = state.lock().unwrap_or_else(|p| p.into_inner());
            st.vault.restore(&req.text)
        };
        let masker = self.masker(None)?;
        self.audit_call(
            "restore_text",
            masker.policy(),
            &req.text,
            Some(&text),
            &BTreeMap::new(),
            Outcome::Masked,
            Some("restored from the vault".into()),
        )?;
        Ok(RestoreAnswer { text })
    }
}

/// Runs a call's work off the async runtime; a panic becomes an MCP error.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ErrorData> + Send + 'static,
) -> Result<T, ErrorData> {
    tokio::task::spawn_blocking(f)
        .await
        .unwrap_or_else(|_| Err(ErrorData::internal_error("internal error (panic)", None)))
}

#[tool_router(router = tool_router)]
impl MaskServer {
    /// Masks personal data and secrets in a text.
    #[tool(
        name = "mask_text",
        description = "Mask personal data (names → initials, addresses → prefecture, phones and e-mails → last 4) and secrets in a text (plain text, mail, CSV, JSON). Returns the masked text and counts per category. Blocked content (My Number, secrets under a strict policy) is an error, never returned."
    )]
    async fn mask_text(
        &self,
        Parameters(req): Parameters<TextRequest>,
    ) -> Result<Json<MaskAnswer>, ErrorData> {
        let me = self.clone();
        blocking(move || me.mask_call(&req)).await.map(Json)
    }

    /// Lists what would be masked.
    #[tool(
        name = "scan_text",
        description = "List what mask would mask in a text: category, detector, line and column of each finding. Never returns the values."
    )]
    async fn scan_text(
        &self,
        Parameters(req): Parameters<TextRequest>,
    ) -> Result<Json<ScanAnswer>, ErrorData> {
        let me = self.clone();
        blocking(move || me.scan_call(&req)).await.map(Json)
    }

    /// Puts originals back into a text masked with this server's vault.
    #[tool(
        name = "restore_text",
        description = "Replace the reversible tokens (Y.T.#1) that mask_text gave with this server's vault by the original values, for drafts that stay local. Needs a server started with --vault."
    )]
    async fn restore_text(
        &self,
        Parameters(req): Parameters<RestoreRequest>,
    ) -> Result<Json<RestoreAnswer>, ErrorData> {
        let me = self.clone();
        blocking(move || me.restore_call(&req)).await.map(Json)
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for MaskServer {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("mask", env!("CARGO_PKG_VERSION")))
            .with_instructions(
                "mask masks personal data and secrets in Japanese business text before it \
                 leaves the machine. Call mask_text on any text you are about to send out.",
            )
    }
}

impl Run for McpArgs {
    /// Runs the server until the client closes standard input.
    fn run(&self) -> Result<u8> {
        serve(self)
    }
}

fn serve(a: &McpArgs) -> Result<u8> {
    // Every policy is built (and checked) before the server answers.
    let server = MaskServer::new(a)?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    rt.block_on(async move {
        let service = server
            .serve(rmcp::transport::stdio())
            .await
            .context("starting the MCP server on standard input/output")?;
        service.waiting().await.context("serving MCP")?;
        Ok::<(), anyhow::Error>(())
    })?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        mcp: McpArgs,
    }

    fn server(extra: &[&str]) -> MaskServer {
        let mut argv = vec!["mcp", "-j", "1"];
        for e in extra {
            argv.push("--extra-policy");
            argv.push(e);
        }
        MaskServer::new(&Cli::try_parse_from(argv).unwrap().mcp).unwrap()
    }

    fn req(text: &str, policy: Option<&str>, format: Option<&str>) -> TextRequest {
        TextRequest {
            text: text.into(),
            policy: policy.map(Into::into),
            format: format.map(Into::into),
        }
    }

    #[test]
    fn mask_call_masks_and_counts() {
        let s = server(&[]);
        let a = s.mask_call(&req("TEL 090-1234-5678", None, None)).unwrap();
        assert_eq!(a.text, "TEL ***-****-5678");
        assert_eq!(a.counts.get("phone"), Some(&1));
        assert_eq!(a.policy, "default");
    }

    #[test]
    fn a_policy_the_server_does_not_offer_is_refused() {
        let s = server(&[]);
        let e = s
            .mask_call(&req("x", Some("/etc/lax-policy.toml"), None))
            .unwrap_err();
        assert!(e.message.contains("unknown policy"), "{}", e.message);
    }

    #[test]
    fn blocked_input_is_an_error_without_the_value() {
        let s = server(&["strict"]);
        let e = s
            .mask_call(&req("個人番号 123456789018", Some("strict"), None))
            .unwrap_err();
        assert!(e.message.contains("my-number"), "{}", e.message);
        assert!(!e.message.contains("123456789018"));
    }

    #[test]
    fn restore_without_a_vault_is_an_error() {
        let s = server(&[]);
        assert!(s
            .restore_call(&RestoreRequest {
                text: "Y.T.#1".into()
            })
            .is_err());
    }

    #[test]
    fn an_unknown_format_is_an_error() {
        let s = server(&[]);
        assert!(s.mask_call(&req("x", None, Some("xml"))).is_err());
        assert!(s.scan_call(&req("x", None, Some("xml"))).is_err());
    }
}
