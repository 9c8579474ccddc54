#!/usr/bin/env python3
"""Validator speed against its floor, in one run.

Makes N synthetic needs (copies of the shipped ones under new ids, each in its sector's
folder), then times, on the same files:

- floor: ``yaml.safe_load`` of every file (what any YAML reader must pay);
- C floor: the same with libyaml's ``CSafeLoader`` (the fastest plain PyYAML read; shown for honesty);
- validate: ``aidcatalog.validate`` (read, positions, schema, vocabularies, references).

Prints both times and their ratio for each N. Usage: ``python scripts/bench_validate.py [N ...]``
(default 1000 10000).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from aidcatalog.validate import validate  # noqa: E402


def make_catalog(target: Path, n: int) -> list[Path]:
    shutil.copytree(REPO / "catalog" / "vocabularies", target / "vocabularies")
    shutil.copy(REPO / "catalog" / "site.yaml", target / "site.yaml")
    sources = [p for p in sorted((REPO / "catalog" / "needs").rglob("*.yaml")) if "status: draft" not in p.read_text()]
    files = []
    for i in range(n):
        src = sources[i % len(sources)]
        text = src.read_text(encoding="utf-8")
        old_id = src.stem
        new_id = f"{old_id}-{i:05d}"
        text = text.replace(f"id: {old_id}", f"id: {new_id}", 1)
        # references point at entries that do not exist in the synthetic set
        text = "\n".join(ln for ln in text.splitlines() if not ln.startswith(("related_stories", "related_needs")))
        path = target / "needs" / src.parent.name / f"{new_id}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n", encoding="utf-8")
        files.append(path)
    return files


def best_of(runs: int, fn) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or [1000, 10000]
    print(f"{'entries':>8} {'safe_load (floor)':>18} {'C safe_load':>12} {'validate':>10} {'ratio':>7} "
          f"{'vs C':>6} {'per entry':>10}")
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "catalog"
            files = make_catalog(root, n)
            all_files = sorted(root.rglob("*.yaml"))

            def floor(files=all_files) -> None:
                for f in files:
                    with f.open("rb") as fh:
                        yaml.safe_load(fh)

            def c_floor(files=all_files) -> None:
                for f in files:
                    with f.open("rb") as fh:
                        yaml.load(fh, Loader=yaml.CSafeLoader)

            report_holder = {}

            def check(root=root, report_holder=report_holder) -> None:
                report_holder["r"] = validate(root)

            runs = 3 if n <= 2000 else 1
            t_floor = best_of(runs, floor)
            t_c = best_of(runs, c_floor)
            t_validate = best_of(runs, check)
            report = report_holder["r"]
            assert report.ok, [p.format() for p in report.problems[:5]]
            assert len(report.catalogue.needs) == n == len(files)
            print(f"{n:>8} {t_floor:>17.2f}s {t_c:>11.2f}s {t_validate:>9.2f}s {t_validate / t_floor:>6.2f}x "
                  f"{t_validate / t_c:>5.2f}x {t_validate / n * 1000:>8.2f}ms")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
