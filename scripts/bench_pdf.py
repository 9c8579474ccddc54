"""Time the site's PDFs against WeasyPrint's own cost, on a synthetic catalogue (scripts/bench_site.py's).

    python scripts/bench_pdf.py [--size 250] [--jobs N] [--floor-docs 12]

- **floor**: WeasyPrint alone, as its documentation shows it (``HTML(string=…).write_pdf()``,
  the stylesheet parsed and the fonts loaded for each document), on the first briefs of the same
  catalogue, one process: milliseconds per page.
- **ours**: ``build_pdfs`` of every brief and both catalogues, cold (empty cache), warm (nothing
  changed), and after editing one need; per page, in CPU-milliseconds (wall time × workers), so
  the ratio to the floor does not depend on the number of CPUs.

Everything happens in a temporary folder. Prints the load average: the machine may be shared.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_site import synthetic_catalogue

from aidcatalog import pdf
from aidcatalog.catalogue import Catalogue
from aidcatalog.validate import validate

PRODUCED = pdf.production_time(dt.date(2026, 11, 28))
SITE_URL = "https://example.gov.vn/aidcatalog/"


def load(root: Path) -> Catalogue:
    report = validate(root)
    if report.catalogue is None:
        sys.exit(f"{root} does not validate: run `aidcatalog validate {root}`")
    return report.catalogue


def pages_of(paths: list[Path]) -> int:
    from pypdf import PdfReader

    return sum(len(PdfReader(io.BytesIO(p.read_bytes())).pages) for p in paths)


def floor(cat: Catalogue, docs: int) -> float:
    """WeasyPrint alone: ms per page of ``docs`` briefs, each document set up from scratch."""
    from weasyprint import CSS, HTML

    fetcher = pdf._local_fetcher((str(pdf.FONT_DIR), str(pdf.media_dir(cat))))
    base = pdf.media_dir(cat).as_uri() + "/"
    htmls = [pdf.brief_html(cat, need, lang, site_url=SITE_URL, produced=PRODUCED)
             for need in list(cat.needs.values())[: docs // 2] for lang in cat.languages]
    HTML(string=htmls[0], base_url=base, url_fetcher=fetcher).write_pdf(  # warm the imports
        stylesheets=[CSS(string=pdf.stylesheet(), url_fetcher=fetcher)])
    started, pages = time.perf_counter(), 0
    for html in htmls:
        document = HTML(string=html, base_url=base, url_fetcher=fetcher).render(
            stylesheets=[CSS(string=pdf.stylesheet(), url_fetcher=fetcher)], **pdf.WRITE_OPTIONS)
        document.write_pdf(**pdf.WRITE_OPTIONS)
        pages += len(document.pages)
    return (time.perf_counter() - started) * 1000 / pages


def build(cat: Catalogue, work: Path, jobs: int | None, label: str, per_page: float, pages: int | None = None) -> int:
    stats = pdf.BuildStats()
    paths = pdf.build_pdfs(cat, work / "site", work / "cache", SITE_URL, jobs, produced=PRODUCED, stats=stats)
    pages = pages or pages_of(paths)
    workers = max(1, stats.workers)
    cpu_ms = stats.seconds * workers * 1000 / pages
    parts = getattr(stats, "parts", 0)
    print(f"{label:<34} {stats.seconds:7.2f} s  {len(stats.rendered):4} documents + {parts:3} parts made, "
          f"{stats.reused:4} reused; {pages} pages; {cpu_ms:6.1f} CPU-ms/page = {cpu_ms / per_page:5.2f}× floor")
    sys.stdout.flush()
    return pages


def edit_one(root: Path) -> str:
    """Change the text of one need in the middle of the catalogue, in every language; its id."""
    path = sorted((root / "needs").rglob("*.yaml"))[len(list((root / "needs").rglob("*.yaml"))) // 2]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["summary"] = {lang: text + " (đã sửa / edited)" for lang, text in data["summary"].items()}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return str(data["id"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=250, help="needs in the synthetic catalogue (default: 250)")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: the CPUs)")
    parser.add_argument("--floor-docs", type=int, default=12, help="briefs the floor renders (default: 12)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as tmp:
        work = Path(tmp)
        root = synthetic_catalogue(work / "catalog", args.size)
        cat = load(root)
        print(f"{len(cat.needs)} needs, {len(cat.stories)} model projects, {len(cat.languages.codes)} languages; "
              f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; "
              f"WeasyPrint {pdf.render.metadata.version('weasyprint')}")
        per_page = floor(cat, args.floor_docs)
        print(f"{'floor: WeasyPrint alone, 1 process':<34} {per_page:7.1f} ms/page")
        sys.stdout.flush()
        pages = build(cat, work / "main", args.jobs, "cold build, every PDF", per_page)
        build(cat, work / "main", args.jobs, "warm (nothing changed)", per_page, pages)
        ident = edit_one(root)
        build(load(root), work / "main", args.jobs, f"after editing {ident}", per_page)
        print(f"load average at the end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":  # the workers re-import this file: keep the work under this guard
    sys.exit(main())
