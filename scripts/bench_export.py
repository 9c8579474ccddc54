"""Time the open-data step (site/data/) at 1,000 needs against writing the same records with plain json.dump.

    python scripts/bench_export.py [--catalog catalog] [--size 1000] [--repeat 3]

The large catalogue is made of renamed copies of the example's published needs, in a temporary
folder (the catalogue given is only read). Each figure is the best of ``--repeat`` runs; the ratio
is against ``json.dump`` of the needs' records (already made, as plain dicts) into a file.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from aidcatalog import datasite, feeds, iati, opendata
from aidcatalog.catalogue import Catalogue
from aidcatalog.validate import validate

SITE_URL = "https://example.gov.vn/aidcatalog/"


def copies(source: Path, target: Path, size: int) -> Catalogue:
    """A validated catalogue of ``size`` published needs: the source's, then renamed copies of them."""
    shutil.copytree(source, target)
    originals = sorted((target / "needs").rglob("*.yaml"))
    published = [p for p in originals if yaml.safe_load(p.read_text(encoding="utf-8")).get("status") != "draft"]
    for i in range(size - len(published)):
        path = published[i % len(published)]
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["id"] = f"{data['id']}-copy-{i + 1}"
        data["title"] = {code: f"{text} ({i + 1})" for code, text in data["title"].items()}
        data["related_needs"] = []
        (path.parent / f"{data['id']}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                                        encoding="utf-8")
    report = validate(target)
    if report.catalogue is None:
        sys.exit(f"{target} does not validate")
    return report.catalogue


def best(step: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--catalog", type=Path, default=Path("catalog"))
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
        work = Path(tmp)
        cat = copies(args.catalog, work / "catalog", args.size)
        data = opendata.Data.of(cat, SITE_URL)
        plain = [record.model_dump(mode="json") for record in data.need_records]
        out = work / "out"
        out.mkdir()

        def baseline() -> None:
            with (out / "plain.json").open("w", encoding="utf-8") as handle:
                json.dump(plain, handle, ensure_ascii=False)

        base = best(baseline, args.repeat)
        steps: list[tuple[str, Callable[[], object]]] = [
            ("records from the views (every language)", lambda: opendata.Data.of(cat, SITE_URL)),
            ("needs.json", lambda: opendata.needs_json(data)),
            ("needs.csv", lambda: opendata.needs_csv(data)),
            ("datapackage.json", lambda: opendata.datapackage(data)),
            ("needs.xlsx", lambda: opendata.needs_xlsx(data)),
            ("iati-activities.xml", lambda: iati.iati_xml(data)),
            ("Atom feeds (every language)", lambda: [feeds.feed(cat, lang, SITE_URL) for lang in cat.languages]),
            ("one JSON file per need", lambda: [opendata.need_json(data, r) for r in data.need_records]),
            ("the whole data output, written", lambda: datasite.write(cat, out / "site", SITE_URL)),
        ]
        print(f"{len(cat.needs)} published needs, {len(cat.stories)} model projects, "
              f"{len(cat.languages)} languages; best of {args.repeat}")
        print(f"{'plain json.dump of the records':<40} {base * 1000:9.1f} ms   1.0x")
        for label, step in steps:
            seconds = best(step, args.repeat)
            print(f"{label:<40} {seconds * 1000:9.1f} ms {seconds / base:6.1f}x")
        sizes = {p.relative_to(out / "site").as_posix(): p.stat().st_size for p in (out / "site").rglob("*")
                 if p.is_file() and "/needs/" not in p.as_posix()}
        print("sizes: " + ", ".join(f"{name} {size / 1e6:.2f} MB" for name, size in sorted(sizes.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
