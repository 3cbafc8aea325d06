#!/usr/bin/env python3
"""Runs tests/data/gitleaks_cases.tsv through a `mask` binary (any build,
so a before/after comparison needs no test code in the old tree).

    python3 dictionaries/gitleaks_eval.py path/to/mask [-v]

Per case one `mask scan --json` (is there a `secret` finding?) and one
`mask` run (does a true positive's secret survive in the output?), default
policy. Prints recall on the true positives and the share of false
positives given a secret finding, per rule with -v.
"""

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

TSV = Path(__file__).resolve().parent.parent / "tests/data/gitleaks_cases.tsv"


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


def main():
    mask = sys.argv[1]
    verbose = "-v" in sys.argv
    rows = [l.split("\t") for l in TSV.read_text().splitlines() if l and not l.startswith("#")]
    tp = fp = 0
    missed, flagged = Counter(), Counter()
    for f in rows:
        rule, kind, text = f[0], f[1], unesc(f[3])
        if kind == "tp":
            tp += 1
            out = subprocess.run([mask, "-q"], input=text.encode(), capture_output=True).stdout.decode()
            if any(unesc(s) in out for s in f[4:]):
                missed[rule] += 1
        else:
            fp += 1
            res = subprocess.run([mask, "scan", "--json", "-q"], input=text.encode(), capture_output=True)
            found = [json.loads(l) for l in res.stdout.decode().splitlines() if l.strip()]
            if any(x["category"] == "secret" for x in found):
                flagged[rule] += 1
    m, g = sum(missed.values()), sum(flagged.values())
    print(f"{mask}: true positives {tp}, missed {m} ({100 * m / tp:.1f}%), recall {100 * (tp - m) / tp:.1f}%; "
          f"false positives {fp}, flagged {g} ({100 * g / fp:.1f}%)")
    if verbose:
        for r, n in missed.most_common():
            print(f"  missed {n:4} {r}")
        for r, n in flagged.most_common():
            print(f"  flagged {n:3} {r}")


if __name__ == "__main__":
    main()
