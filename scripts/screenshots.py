#!/usr/bin/env python3
"""Screenshots of the catalogue page, filtered, at 390 px (a phone) and 1,366 px (a laptop), into
docs/screenshots/. Builds the example site without PDFs (or takes --site), serves it locally and
drives Debian's chromium with Playwright (tests/browser/harness.py).

    python scripts/screenshots.py [--site site] [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from harness import browser, serve  # noqa: E402

SHOTS = (
    # (file, language prefix, query, width, height, full page)
    ("catalogue-390-en.png", "en/", "?sector=health&status=open&sort=amount", 390, 844, True),
    ("catalogue-1366-en.png", "en/", "?status=open&budget=50000-200000&sort=amount", 1366, 900, False),
    ("catalogue-390.png", "", "?place=hoa-binh-province&status=open", 390, 844, False),
    ("catalogue-1366.png", "", "?theme=gender-equality&sort=start", 1366, 900, False),
)


def build(site: Path) -> None:
    env = dict(os.environ, AIDCATALOG_PDF="0")
    subprocess.run([sys.executable, "-m", "aidcatalog", "build", "--site-dir", str(site)], cwd=ROOT, env=env,
                   check=True, stdout=subprocess.DEVNULL)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build the example into a temporary folder)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or Path(tmp) / "site"
        if args.site is None:
            build(site)
        args.out.mkdir(parents=True, exist_ok=True)
        with serve(site) as base, browser() as b:
            for name, prefix, query, width, height, full in SHOTS:
                page = b.new_page(viewport={"width": width, "height": height})
                page.goto(f"{base}{prefix}catalogue/{query}")
                page.wait_for_selector("html.ac-filtering")
                page.screenshot(path=str(args.out / name), full_page=full)
                page.close()
                print(args.out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
