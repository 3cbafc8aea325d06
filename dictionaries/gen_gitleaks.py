#!/usr/bin/env python3
"""Generates mask's gitleaks rule table and the gitleaks test cases.

Inputs (committed):
  dictionaries/gitleaks/gitleaks.toml  gitleaks' default configuration (MIT, see LICENSE there)
  dictionaries/gitleaks/cases.txt      the rule generators' own true/false positives, transcribed

Outputs (committed):
  src/detect/secret/gitleaks_rules.rs  the rule table mask compiles (ids, regexes in Rust
                                       syntax, secret groups, entropy thresholds, keywords,
                                       per-rule and global allowlists; paths are dropped)
  tests/data/gitleaks_cases.tsv        rule id, tp|fp, source, text, expected secrets

The expected secrets of every true positive are computed here by an
independent re-implementation of gitleaks' detection (detect/detect.go
`detectRule`: keyword prefilter, regex, secret group, Shannon entropy,
global and rule allowlists) on Python's `re`, so the Rust test checks mask
against gitleaks' semantics, not against itself.

Besides the transcribed cases, every rule gets true positives the way the
generators make most of theirs: `utils.GenerateSampleSecrets(identifier,
secrets.NewSecret(secretRegex))` (cmd/generate/config/utils/generate.go), with
the rule's own secret group as `secretRegex`, a seeded random generator, and
a handful of the sample templates per rule.

Usage: python3 dictionaries/gen_gitleaks.py   (Python 3.11+, no packages)
"""

import base64
import math
import random
import re
import re._parser as sre_parse  # noqa: the stdlib regex parser
import re._constants as sre_c
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOML = ROOT / "dictionaries/gitleaks/gitleaks.toml"
CASES = ROOT / "dictionaries/gitleaks/cases.txt"
OUT_RS = ROOT / "src/detect/secret/gitleaks_rules.rs"
OUT_TSV = ROOT / "tests/data/gitleaks_cases.tsv"
VERSION = "8.30.1"
SYNTH_TEMPLATES_PER_RULE = 6

# --- Go (RE2) syntax -> Rust regex / Python re ------------------------------


def _quantifier_at(p, i):
    """Length of a valid `{n}`, `{n,}`, `{n,m}` at p[i], else 0."""
    m = re.match(r"\{\d+(?:,\d*)?\}", p[i:])
    return len(m.group(0)) if m else 0


def go_to_rust(p):
    """Escapes the literal braces Go accepts bare (`{\\d+}`, `}}`); the rest of
    RE2's syntax is the regex crate's."""
    out, i, in_class = [], 0, False
    while i < len(p):
        c = p[i]
        if c == "\\":
            out.append(p[i : i + 2])
            i += 2
            continue
        if in_class:
            if c == "[" and p[i : i + 2] == "[:":
                j = p.index(":]", i) + 2
                out.append(p[i:j])
                i = j
                continue
            if c == "]":
                in_class = False
            elif c in "&~-" and p[i + 1 : i + 2] == c:
                # Rust class set operators `&&`, `~~`, `--`: escape.
                out.append("\\" + c)
                i += 1
                continue
            out.append(c)
            i += 1
            continue
        if c == "[":
            in_class = True
            out.append(c)
            i += 1
            if p[i : i + 1] == "^":
                out.append("^")
                i += 1
            if p[i : i + 1] == "]":
                out.append("\\]")
                i += 1
            continue
        if c == "{":
            n = _quantifier_at(p, i)
            if n:
                out.append(p[i : i + n])
                i += n
                continue
            out.append("\\{")
            i += 1
            continue
        if c == "}":
            out.append("\\}")
            i += 1
            continue
        out.append(c)
        i += 1
    return "".join(out)


POSIX = {
    "alnum": "a-zA-Z0-9",
    "alpha": "a-zA-Z",
    "digit": "0-9",
    "lower": "a-z",
    "upper": "A-Z",
    "xdigit": "0-9a-fA-F",
    "space": r" \t\r\n\v\f",
    "punct": r"!-/:-@\[-`{-~",
}


def go_to_py(p):
    """Translates RE2 syntax to Python's: inline flags in the middle of a
    pattern (`x(?i)y`) become scoped groups, `\\z` becomes `\\Z`, POSIX
    classes are expanded."""
    out = []
    # Stack of groups: each is a list of active flag strings opened in it.
    stack = [[]]
    i, in_class = 0, False
    while i < len(p):
        c = p[i]
        if c == "\\":
            t = p[i : i + 2]
            out.append(r"\Z" if t == r"\z" else t)
            i += 2
            continue
        if in_class:
            if p.startswith("[:", i):
                j = p.index(":]", i)
                out.append(POSIX[p[i + 2 : j]])
                i = j + 2
                continue
            if c == "]":
                in_class = False
            elif c == "[":
                out.append("\\[")
                i += 1
                continue
            out.append(c)
            i += 1
            continue
        if c == "[":
            in_class = True
            out.append(c)
            i += 1
            if p[i : i + 1] == "^":
                out.append("^")
                i += 1
            if p[i : i + 1] == "]":
                out.append("\\]")
                i += 1
            continue
        if c == "(":
            m = re.match(r"\(\?([a-zA-Z-]+)\)", p[i:])
            if m:
                flags = m.group(1)
                if i == 0 and len(stack) == 1 and "-" not in flags:
                    out.append(m.group(0))
                else:
                    out.append("(?%s:" % flags)
                    stack[-1].append(flags)
                i += len(m.group(0))
                continue
            m = re.match(r"\(\?P?<", p[i:])
            if m:
                out.append("(?P<")
                i += len(m.group(0))
                stack.append([])
                continue
            out.append("(")
            stack.append([])
            i += 1
            continue
        if c == "|":
            opened = stack[-1]
            out.append(")" * len(opened) + "|" + "".join("(?%s:" % f for f in opened))
            i += 1
            continue
        if c == ")":
            opened = stack.pop()
            out.append(")" * len(opened) + ")")
            i += 1
            continue
        out.append(c)
        i += 1
    out.append(")" * len(stack[0]))
    return "".join(out)


def py_re(p):
    return re.compile(go_to_py(p), re.ASCII)


# --- gitleaks semantics (the oracle) -----------------------------------------


def shannon(s):
    """detect/utils.go shannonEntropy: per character, over len(s) bytes."""
    if not s:
        return 0.0
    n = len(s.encode())
    counts = {}
    for ch in s:
        counts[ch] = counts.get(ch, 0) + 1
    e = 0.0
    for c in counts.values():
        f = c / n
        e -= f * math.log2(f)
    return e


class Allow:
    def __init__(self, a):
        self.target = a.get("regexTarget", "secret")
        self.cond = a.get("condition", "OR").upper()
        self.regexes = a.get("regexes", [])
        self.stopwords = [w.lower() for w in a.get("stopwords", [])]
        self.paths = a.get("paths", [])
        self.py = [py_re(r) for r in self.regexes]

    def allowed(self, secret, match, line):
        target = {"match": match, "line": line}.get(self.target, secret)
        regex = any(r.search(target) for r in self.py)
        low = secret.lower()
        stop = any(w in low for w in self.stopwords)
        if self.cond == "AND":
            if self.paths:
                return False  # no path in a text stream
            checks = []
            if self.regexes:
                checks.append(regex)
            if self.stopwords:
                checks.append(stop)
            return bool(checks) and all(checks)
        return regex or stop


class Rule:
    def __init__(self, r):
        self.id = r["id"]
        self.regex = r["regex"]
        self.entropy = float(r.get("entropy", 0))
        self.keywords = [k.lower() for k in r.get("keywords", [])]
        self.group = int(r.get("secretGroup", 0))
        self.allow = [Allow(a) for a in r.get("allowlists", [])]
        self.py = py_re(self.regex)

    def find(self, text, glob):
        low = text.lower()
        if self.keywords and not any(k in low for k in self.keywords):
            return []
        found = []
        for m in self.py.finditer(text):
            match = m.group(0)
            secret = match
            g = self.py.search(match)
            if g and g.re.groups >= 1:
                groups = g.groups()
                if self.group > 0:
                    secret = groups[self.group - 1] or ""
                else:
                    for s in groups:
                        if s:
                            secret = s
                            break
            if self.entropy and shannon(secret) <= self.entropy:
                continue
            ls = text.rfind("\n", 0, m.start()) + 1
            le = text.find("\n", m.end())
            line = text[ls : le if le >= 0 else len(text)]
            if glob.allowed(secret, match, line):
                continue
            if any(a.allowed(secret, match, line) for a in self.allow):
                continue
            found.append(secret)
        return found


# --- random strings from a regex ---------------------------------------------

ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
PRINTABLE = [chr(c) for c in range(0x21, 0x7F)]


def _class_chars(items):
    chars, negate = set(), False
    for op, av in items:
        if op == sre_c.NEGATE:
            negate = True
        elif op == sre_c.LITERAL:
            chars.add(chr(av))
        elif op == sre_c.RANGE:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        elif op == sre_c.CATEGORY:
            if av == sre_c.CATEGORY_DIGIT:
                chars.update("0123456789")
            elif av == sre_c.CATEGORY_WORD:
                chars.update(ALNUM + "_")
            elif av == sre_c.CATEGORY_SPACE:
                chars.add(" ")
            elif av == sre_c.CATEGORY_NOT_SPACE:
                chars.update(ALNUM)
    if negate:
        chars = set(PRINTABLE) - chars
    # Newlines and spaces in a generated secret only make it harder to read.
    chars.discard("\n")
    chars.discard("\r")
    return sorted(chars)


def gen(tree, rnd):
    out = []
    for op, av in tree:
        if op == sre_c.LITERAL:
            out.append(chr(av))
        elif op == sre_c.NOT_LITERAL:
            out.append(rnd.choice([c for c in ALNUM if ord(c) != av]))
        elif op == sre_c.ANY:
            out.append(rnd.choice(ALNUM))
        elif op == sre_c.IN:
            chars = _class_chars(av) or list(ALNUM)
            out.append(rnd.choice(chars))
        elif op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, sre_c.POSSESSIVE_REPEAT):
            lo, hi, sub = av
            if hi == sre_c.MAXREPEAT:
                hi = lo + 8
            n = rnd.randint(lo, min(hi, lo + 40)) if hi > lo else lo
            for _ in range(n):
                out.append(gen(sub, rnd))
        elif op == sre_c.SUBPATTERN:
            out.append(gen(av[-1], rnd))
        elif op == sre_c.BRANCH:
            out.append(gen(rnd.choice(av[1]), rnd))
        elif op == sre_c.CATEGORY:
            out.append(rnd.choice(_class_chars([(op, av)])))
        elif op in (sre_c.AT, sre_c.ASSERT, sre_c.ASSERT_NOT):
            pass
        else:
            raise ValueError("cannot generate %s" % op)
    return "".join(out)


def random_string(go_regex, rnd):
    return gen(sre_parse.parse(go_to_py(go_regex), re.ASCII), rnd)


def group_text(p, n):
    """The source text of capture group n (1-based) of a Go pattern, or None."""
    i, in_class, count, stack = 0, False, 0, []
    while i < len(p):
        c = p[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
            i += 1
            continue
        if c == "[":
            in_class = True
            i += 1
            if p[i : i + 1] == "^":
                i += 1
            if p[i : i + 1] == "]":
                i += 1
            continue
        if c == "(":
            capturing = p[i + 1 : i + 2] != "?" or p[i + 1 : i + 4] in ("?P<",) or p[i + 1 : i + 3] == "?<"
            if capturing:
                count += 1
            stack.append((i, capturing and count == n))
        elif c == ")":
            start, mine = stack.pop()
            if mine:
                body = p[start + 1 : i]
                body = re.sub(r"^\?P?<[^>]+>", "", body)
                return body
        i += 1
    return None


# --- GenerateSampleSecrets (cmd/generate/config/utils/generate.go) -----------

TEMPLATES = [
    '{i}Token="{s}"',
    '{i}Token = "{s}"',
    "{i}Token={s}",
    "{i}Token = {s}",
    '{\n    "{i}_token": "{s}"\n}',
    '{"config.ini": "{I}_TOKEN={s}\\nBACKUP_ENABLED=true"}',
    "<{i}Token>\n    {s}\n</{i}Token>",
    "{i}_token: {s}",
    "{i}_token: '{s}'",
    '{i}_token: "{s}"',
    'string {i}Token = "{s}";',
    'var {i}Token string = "{s}"',
    '{i}Token := "{s}"',
    "{i}Token := `{s}`",
    'String {i}Token = "{s}";',
    'var {i}Token = "{s}"',
    '${i}Token .= "{s}"',
    "{i}Token = '{s}'",
    '{i}Token = "{s}"',
    'System.setProperty("{I}_TOKEN", "{s}")',
    '  "{i}Token" => "{s}"',
    '{i}_TOKEN = "{s}"',
    '{i}_TOKEN := "{s}"',
    '{i}_TOKEN ::= "{s}"',
    '{i}_TOKEN :::= "{s}"',
    '{i}_TOKEN ?= "{s}"',
]


def fill(t, ident, secret):
    return t.replace("{i}", ident).replace("{I}", ident.upper()).replace("{s}", secret)


def sample_secrets(ident, secret):
    return [fill(t, ident, secret) for t in TEMPLATES]


def sample_secret(ident, secret):
    return '%s_api_token = "%s"' % (ident, secret)


# --- jwt.go generateTestValues ------------------------------------------------

JWT_SUFFIX = ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
JWT_HEADERS = {
    "alg": ['"ES256"', '"ES384"', '"ES512"', '"ECDH-ES"', '"HS256"', '"HS384"', '"HS512"',
            '"RS256"', '"RS384"', '"RS512"', '"PS256"', '"PS384"', '"PS512"', '"none"',
            '"A128KW"', '"ECDH-ES+A256KW"', '"RSA-OAEP"'],
    "apu": ['"Tx9qG69ZfodhRos-8qfhTPc6ZFnNUcgNDVdHqX1UR3s"', '"RfXdxTfIzilWBzWWX3ovHBDzgDcLNy0BFJWSxa0dqnw"'],
    "apv": ['"ZGlkOmVsZW06cm9wc3RlbjpFa"'],
    "aud": ['"https://vault.example.com"', '"http://example.com"'],
    "b64": ["true", "false"],
    "crit": ['["exp"]'],
    "cty": ['"example"', '"json"'],
    "epk": ['{"crv":"X25519","kty":"OKP","x":"Tx9qG69ZfodhRos-8qfhTPc6ZFnNUcgNDVdHqX1UR3s"}',
            '{"kty":"OKP","crv":"X25519","x":"RfXdxTfIzilWBzWWX3ovHBDzgDcLNy0BFJWSxa0dqnw"}'],
    "enc": ['"A256GCM"', '"A256CBC-HS512"', '"A128CBC-HS256"'],
    "jku": ['"https://c2id.com/jwks.json"'],
    "jwk": ['{"crv":"P-256","kid":"DB2X:GSG2:72H3:AE3R:KCMI:Y77E:W7TF:ERHK:V5HR:JJ2Y:YMS6:HFGJ","kty":"EC","x":"jyr9-xZBorSC9fhqNsmfU_Ud31wbaZ-bVGz0HmySvbQ","y":"vkE6qZCCvYRWjSUwgAOvibQx_s8FipYkAiHS0VnAFNs"}'],
    "iss": ['"http://localhost:8087/realms/grafana"', '"kubernetes/serviceaccount"'],
    "iv": ['"zjJPRrj0TGez9JYkChTrB3iqKoDkiBhn"', '"10PlAIteHLVABtt"'],
    "kid": ['"my_key_id"', '"did:example:123#zC1Rnuvw9rVa6E5TKF4uQVRuQuaCpVgB81Um2u17Fu7UK"'],
    "key_ops": ['["sign"]', '["decrypt"]', '["encrypt"]'],
    "kty": ['"EC"', '"RSA"'],
    "nonce": ['"Os_sBjfWzVZenwwjvLrwXA"', '"LDDZAGcBuKYpuNlFTCxPYw"'],
    "p2c": ["4096", "1000"],
    "p2s": ['"c_ORk4HSsqZD2LvVeCUHqg"'],
    "ppt": ['"foo"'],
    "sub": ['"project_path:my-group/my-project:ref_type:branch:ref:feature-branch-1"', '"1234567890"'],
    "svt": [""],
    "tag": ['"h6mJqHn33oCsDd5X57MI-g"'],
    "typ": ['"JWT"', '"JWK"', '"JSOE"', '"JSON"', '"plain"'],
    "url": ['"https://example.com"'],
    "use": ['"enc"', '"sig"'],
    "ver": ['"2"', '"3"'],
    "version": ['"2"', '"3"'],
    "x5t": ['"IYIeevIT57t8ppUejM42Bqx6f3I"'],
    "x5t#S256": ['"TuOrBy2NcTlFSWuZ8Kh8W8AjQagb4fnfP1SlKMO8-So"'],
    "x5u": ['"https://tel.example.org/passport.cer"'],
    "zip": ['"DEF"'],
}


def jwt_base64_values():
    out = []
    for key, values in JWT_HEADERS.items():
        for value in values:
            header = '{"%s":%s}' % (key, value)
            jwt = (base64.urlsafe_b64encode(header.encode()).rstrip(b"=").decode() + JWT_SUFFIX).encode()
            out.append(base64.b64encode(jwt).decode())
            out.append(base64.b64encode(jwt).decode().rstrip("="))
            out.append(base64.urlsafe_b64encode(jwt).decode())
            out.append(base64.urlsafe_b64encode(jwt).decode().rstrip("="))
    return out


# --- output -------------------------------------------------------------------


def esc(s):
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def unesc(s):
    out, i = [], 0
    while i < len(s):
        if s[i] == "\\" and i + 1 < len(s):
            out.append({"n": "\n", "t": "\t", "r": "\r", "\\": "\\"}.get(s[i + 1], "\\" + s[i + 1]))
            i += 2
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


def rust_str(s):
    hashes = "#"
    while '"' + hashes in s:
        hashes += "#"
    return "r%s\"%s\"%s" % (hashes, s, hashes)


def rust_allow(a, indent):
    target = {"secret": "Secret", "match": "Match", "line": "Line"}[a.target]
    regexes = ", ".join(rust_str(go_to_rust(r)) for r in a.regexes)
    words = ", ".join(rust_str(w) for w in a.stopwords)
    return (
        f"{indent}Allowlist {{\n"
        f"{indent}    target: Target::{target},\n"
        f"{indent}    all: {'true' if a.cond == 'AND' else 'false'},\n"
        f"{indent}    needs_path: {'true' if a.cond == 'AND' and a.paths else 'false'},\n"
        f"{indent}    regexes: &[{regexes}],\n"
        f"{indent}    stopwords: &[{words}],\n"
        f"{indent}}}"
    )


def named_groups_only(p):
    """True when every capture group of `p` is named: markers of what was
    matched (jwt-base64's header names), not the secret itself."""
    plain = len(re.findall(r"(?<!\\)\((?!\?)", p))
    named = len(re.findall(r"\(\?P?<", p))
    return named > 0 and plain == 0


def write_rust(rules, glob):
    lines = [
        "//! The gitleaks rule table, GENERATED by `dictionaries/gen_gitleaks.py`",
        f"//! from `dictionaries/gitleaks/gitleaks.toml` (gitleaks {VERSION}, MIT",
        "//! licence: `dictionaries/gitleaks/LICENSE`). Do not edit by hand.",
        "//!",
        "//! Regexes are gitleaks' own, with the literal braces RE2 accepts bare",
        "//! escaped for the regex crate; path allowlists are dropped (a text",
        "//! stream has no path), as are rules that only match paths.",
        "",
        "use super::gitleaks::{Allowlist, Rule, Target};",
        "",
        "/// gitleaks' global allowlist (`[allowlist]`).",
        "pub(super) static GLOBAL: Allowlist =",
        rust_allow(glob, "") + ";",
        "",
        "/// Every rule with a content regex, in gitleaks' order.",
        "pub(super) static RULES: &[Rule] = &[",
    ]
    for r in rules:
        kws = ", ".join(rust_str(k) for k in r.keywords)
        allows = ",\n".join(rust_allow(a, "            ") for a in r.allow)
        lines += [
            "    Rule {",
            f'        name: "secret/gitleaks/{r.id}",',
            f"        regex: {rust_str(go_to_rust(r.regex))},",
            f"        secret_group: {r.group},",
            f"        whole_match: {'true' if named_groups_only(r.regex) else 'false'},",
            f"        entropy: {r.entropy!r},",
            f"        keywords: &[{kws}],",
            "        allowlists: &[" + ("\n" + allows + ",\n        " if allows else "") + "],",
            "    },",
        ]
    lines.append("];")
    OUT_RS.write_text("\n".join(lines) + "\n")


def main():
    cfg = tomllib.loads(TOML.read_text())
    glob = Allow(cfg["allowlist"])
    rules = [Rule(r) for r in cfg["rules"] if "regex" in r]
    by_id = {r.id: r for r in rules}
    write_rust(rules, glob)

    rnd = random.Random(12)
    rows, problems = [], []

    def add(rule, kind, source, text):
        secrets = rule.find(text, glob)
        if kind == "tp" and not secrets:
            problems.append(f"{rule.id}: true positive not found by the oracle: {text[:80]!r}")
            return False
        if kind == "fp" and secrets:
            problems.append(f"{rule.id}: false positive found by the oracle: {text[:80]!r}")
        rows.append([rule.id, kind, source, esc(text)] + ([esc(s) for s in secrets] if kind == "tp" else []))
        return True

    def plausible(regex):
        words = [w for a in by_id["generic-api-key"].allow for w in a.stopwords]
        while True:
            s = random_string(regex, rnd)
            if re.search("[1-9]", s) and not any(w in s.lower() for w in words):
                return s

    def expand(text):
        return re.sub(r"\{\{re:(.*?)\}\}(?!\})", lambda m: plausible(m.group(1)), text)

    # Transcribed cases.
    rule, source = None, ""
    for raw in CASES.read_text().splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        f = raw.split("\t")
        if f[0] == "@":
            rule, source = by_id[f[1]], f[2]
        elif f[0] in ("tp", "fp"):
            add(rule, f[0], source, expand(unesc(f[1])))
        elif f[0] == "samples":
            for t in sample_secrets(f[1], expand(unesc(f[2]))):
                add(rule, "tp", source, t)
        elif f[0] == "samples-re":
            for t in sample_secrets(f[1], random_string(unesc(f[2]), rnd)):
                add(rule, "tp", source, t)
        elif f[0] == "sample":
            add(rule, "tp", source, sample_secret(f[1], expand(unesc(f[2]))))
        elif f[0] == "jwt-base64-values":
            for v in jwt_base64_values():
                add(rule, "tp", source, v)
        else:
            sys.exit(f"unknown directive {f[0]!r}")

    # Synthesized cases: every rule's own secret group in sample templates.
    synth_src = "synthesized: utils.GenerateSampleSecrets(keyword, secrets.NewSecret(secret group)) (cmd/generate/config/utils/generate.go)"
    skipped = []
    for r in rules:
        body = group_text(r.regex, r.group or 1) or r.regex
        idents = []
        for k in r.keywords:
            w = re.sub(r"[^A-Za-z0-9_]", "", k)
            if w:
                idents += [w, w.upper(), w.capitalize()]
        idents = idents or ["secret"]
        made = 0
        for attempt in range(60):
            if made >= SYNTH_TEMPLATES_PER_RULE:
                break
            try:
                secret = random_string(body, rnd)
            except (ValueError, re.error) as e:
                skipped.append(f"{r.id}: {e}")
                break
            t = TEMPLATES[(attempt * 7 + len(r.id)) % len(TEMPLATES)]
            for ident in idents:
                text = fill(t, ident, secret)
                found = r.find(text, glob)
                if secret in found:
                    rows.append([r.id, "tp", synth_src, esc(text), esc(secret)])
                    made += 1
                    break
        if made == 0:
            skipped.append(f"{r.id}: no synthesized sample the rule accepts")

    header = [
        f"# gitleaks {VERSION} rule cases, GENERATED by dictionaries/gen_gitleaks.py; do not edit.",
        "# rule<TAB>tp|fp<TAB>source<TAB>text<TAB>secret...  (\\n \\t \\r \\\\ escaped;",
        "# secrets: what gitleaks reports for a true positive, computed by the script's oracle)",
    ]
    OUT_TSV.write_text("\n".join(header + ["\t".join(r) for r in rows]) + "\n")
    tps = sum(r[1] == "tp" for r in rows)
    print(f"{len(rules)} rules; {tps} true and {len(rows) - tps} false positives written")
    for p in problems + skipped:
        print("note:", p)


if __name__ == "__main__":
    main()
