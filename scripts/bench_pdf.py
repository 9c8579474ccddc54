"""Time the PDF build: the example catalogue's briefs (cold and warm cache), a rebuild after editing one
entry, and a catalogue of 100 needs (synthetic copies of the example needs).

    python scripts/bench_pdf.py [--catalog catalog] [--jobs N] [--size 100]

Everything happens in a temporary folder; the catalogue given is only read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml

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


def build(cat: Catalogue, work: Path, jobs: int | None, label: str) -> pdf.BuildStats:
    stats = pdf.BuildStats()
    paths = pdf.build_pdfs(cat, work / "site", work / "cache", SITE_URL, jobs, produced=PRODUCED, stats=stats)
    size = sum(p.stat().st_size for p in paths)
    print(f"{label:<44} {stats.seconds:7.2f} s  rendered {len(stats.rendered):3}  reused {stats.reused:3}  "
          f"workers {stats.workers}  {len(paths)} files, {size / 1e6:.1f} MB")
    return stats


def copies(source: Path, target: Path, size: int) -> Path:
    """A catalogue of ``size`` needs: the source's, then renamed copies of them."""
    shutil.copytree(source, target)
    originals = sorted(p for p in (target / "needs").rglob("*.yaml"))
    published = [p for p in originals if yaml.safe_load(p.read_text(encoding="utf-8")).get("status") != "draft"]
    count, i = len(published), 0
    while count < size:
        path = published[i % len(published)]
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        i += 1
        data["id"] = f"{data['id']}-copy-{i}"
        data["title"] = {"vi": f"{data['title']['vi']} (bản sao {i})", "en": f"{data['title']['en']} (copy {i})"}
        data["related_needs"] = []
        (path.parent / f"{data['id']}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                                        encoding="utf-8")
        count += 1
    return target


def edit_one(root: Path, cat: Catalogue) -> str:
    """Change one need's title in both languages; its id."""
    ident = next(iter(cat.needs))
    path = next((root / "needs").rglob(f"{ident}.yaml"))
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["title"] = {"vi": data["title"]["vi"] + " (đã sửa)", "en": data["title"]["en"] + " (edited)"}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return ident


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--catalog", type=Path, default=Path("catalog"))
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: the CPUs)")
    parser.add_argument("--size", type=int, default=100, help="needs in the large catalogue (default: 100)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as tmp:
        work = Path(tmp)
        root = shutil.copytree(args.catalog, work / "catalog")
        cat = load(root)
        print(f"example catalogue: {len(cat.needs)} needs, {len(cat.stories)} model projects; "
              f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; "
              f"WeasyPrint {pdf.metadata.version('weasyprint')}")

        build(cat, work / "serial", 1, "cold, 1 process")
        build(cat, work / "main", args.jobs, "cold, parallel")
        build(cat, work / "main", args.jobs, "warm (nothing changed)")
        ident = edit_one(root, cat)
        stats = build(load(root), work / "main", args.jobs, f"after editing {ident}")
        print("  re-rendered:", ", ".join(sorted(stats.rendered)))

        big = load(copies(args.catalog, work / "big", args.size))
        started, cpu = time.perf_counter(), time.process_time()
        written, selection = pdf.render_catalogue(big, "en", site_url=SITE_URL, produced=PRODUCED)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(f"{'catalogue of ' + str(len(selection.needs)) + ' needs (en), 1 process':<44} {seconds:7.2f} s  "
              f"(CPU {cpu:.2f} s)  {written.pages} pages, {len(written.pdf) / 1e6:.2f} MB")
        brief = pdf.render_brief(big, next(iter(big.needs)), "vi", site_url=SITE_URL, produced=PRODUCED)
        print(f"{'one brief (vi)':<44} {'':7}    {brief.pages} pages, {len(brief.pdf) / 1e3:.0f} KB")
        build(big, work / "big-build", args.jobs, f"site build, {len(big.needs)} needs x 2 languages")
    return 0


if __name__ == "__main__":  # the workers re-import this file: keep the work under this guard
    sys.exit(main())
