#!/usr/bin/env python3
"""Lighthouse (12.x, from tests/browser/node_modules: `npm ci` there) with Debian's chromium on the home,
catalogue and a need page in every language, mobile form factor: prints each page's scores and failed audits.

    python scripts/lighthouse.py [--site site] [--need ID] [--min 100]

Builds the example site without PDFs when --site is not given; serves it on a local port. Exit 1 when
accessibility, best practices or SEO is under --min on any page.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))
sys.path.insert(0, str(ROOT))

from harness import FLAGS, NODE_MODULES, chromium_path, serve  # noqa: E402

from aidcatalog.validate import validate  # noqa: E402

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
GATED = ("accessibility", "best-practices", "seo")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--site", type=Path)
    parser.add_argument("--need", help="the need page to audit (default: the first published)")
    parser.add_argument("--min", type=int, default=100)
    args = parser.parse_args(argv)
    cat = validate(ROOT / "catalog").catalogue
    assert cat is not None
    need = args.need or next(iter(cat.needs))
    cli = NODE_MODULES / "lighthouse" / "cli" / "index.js"
    worst = 100
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            subprocess.run([sys.executable, "-m", "aidcatalog", "build", "--site-dir", str(site)], cwd=ROOT,
                           env=dict(os.environ, AIDCATALOG_PDF="0"), check=True, stdout=subprocess.DEVNULL)
        with serve(site) as base:
            for lang in cat.languages:
                for rel in ("", "catalogue/", f"needs/{need}/"):
                    url = base + cat.languages.prefix(lang) + rel
                    out = Path(tmp) / "report.json"
                    subprocess.run(["node", str(cli), url, f"--chrome-path={chromium_path()}",
                                    "--chrome-flags=" + " ".join(FLAGS), "--only-categories=" + ",".join(CATEGORIES),
                                    "--output=json", f"--output-path={out}", "--quiet"], check=True, timeout=300)
                    report = json.loads(out.read_text(encoding="utf-8"))
                    scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
                    worst = min([worst, *(scores[c] for c in GATED)])
                    failed = [a for a, r in report["audits"].items()
                              if r.get("score") is not None and r["score"] < 1 and r.get("scoreDisplayMode") == "binary"]
                    print(f"{lang} /{rel:<40} " + "  ".join(f"{c} {s}" for c, s in scores.items())
                          + (f"  failed: {', '.join(failed)}" if failed else ""))
    return 0 if worst >= args.min else 1


if __name__ == "__main__":
    sys.exit(main())
