"""Page images of the PDFs for docs/screenshots/: a brief in each language, a catalogue need's two pages,
a partner catalogue's cover and its letter.

    python scripts/pdf_screenshots.py        # rewrite docs/screenshots/pdf-*.png

Made with the documented command (``aidcatalog pdf``) on the shipped catalogue, at a fixed date,
then one page of each turned into a PNG by ``pdftoppm`` (poppler-utils). The catalogue's need is
found by its bookmark: its first page, and the page it runs onto (what follows it shares that page).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from pypdf import PdfReader

from aidcatalog import languages
from aidcatalog.cli import main

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "screenshots"
DATE = "2026-11-28"
BRIEF = "first-1000-days-yen-lap"
PARTNER = "clearwater-asia"
DPI = "70"


def pdf(out: Path, *argv: str) -> Path:
    code = main(["pdf", str(REPO / "catalog"), *argv, "--date", DATE, "--out", str(out)])
    if code != 0:
        raise SystemExit(f"aidcatalog pdf {' '.join(argv)}: exit {code}")
    return out


def page_of(path: Path, needle: str) -> int:
    """The first page (1-based) whose text holds ``needle``."""
    for number, page in enumerate(PdfReader(path).pages, 1):
        if needle in " ".join((page.extract_text() or "").split()):
            return number
    raise SystemExit(f"{path.name}: no page holds {needle!r}")


def png(path: Path, page: int, name: str) -> None:
    stem = OUT / name
    subprocess.run(["pdftoppm", "-png", "-r", DPI, "-f", str(page), "-l", str(page), "-singlefile", str(path),
                    str(stem)], check=True)
    print(f"wrote {stem.with_suffix('.png').relative_to(REPO)}")


def run() -> int:
    if shutil.which("pdftoppm") is None:
        print("pdftoppm is missing: apt-get install poppler-utils", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for lang in languages.from_site_file(REPO / "catalog" / "site.yaml").codes:
            png(pdf(work / f"brief-{lang}.pdf", "--brief", BRIEF, "--lang", lang), 1, f"pdf-brief-{lang}")
        partner = pdf(work / "partner.pdf", "--partner", PARTNER)
        png(partner, 1, "pdf-partner-cover")
        png(partner, 2, "pdf-partner-letter")
        full = pdf(work / "catalogue.pdf", "--lang", "en")
        from aidcatalog.validate import validate

        cat = validate(REPO / "catalog").catalogue
        assert cat is not None
        first = bookmark_page(full, " ".join(str(cat.needs[BRIEF].title.en).split()))
        png(full, first, "pdf-catalogue-need")
        png(full, first + 1, "pdf-catalogue-need-2")
    return 0


def bookmark_page(path: Path, title: str) -> int:
    """The page (1-based) a bookmark titled ``title`` leads to."""
    reader = PdfReader(path)

    def walk(items: list) -> int | None:
        for item in items:
            found = walk(item) if isinstance(item, list) else (
                reader.get_destination_page_number(item) + 1 if " ".join(item.title.split()) == title else None)
            if found:
                return found
        return None

    page = walk(reader.outline)
    if page is None:
        raise SystemExit(f"{path.name}: no bookmark {title!r}")
    return page


if __name__ == "__main__":
    sys.exit(run())
