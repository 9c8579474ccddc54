"""Preview benchmark: how long after saving a need's YAML file `mkdocs serve` shows the change.

    python scripts/bench_serve.py                    # 250 needs, 5 edits per server
    python scripts/bench_serve.py --size 250 --edits 5 --modes dirty plain

In a temporary copy of the project with a synthetic catalogue (``scripts/bench_site.py``'s), for
each mode it starts ``mkdocs serve`` on a free port, waits until it serves, then edits one need's
title several times; after each edit it polls the need's page until the new title is served, and
prints the median latency (time from writing the file to the served page changing), the slowest
edit, and how many rebuilds each edit caused (one is right: more means the build's own writes
woke the watcher again). After the last edit it checks that the English page and the catalogue
page changed too, and that an invalid edit shows the validator's message while the server keeps
serving.

Modes: ``plain`` is ``mkdocs serve``, where MkDocs cleans the site and renders every page of every
language on each change; ``dirty`` is ``mkdocs serve --dirty``, where MkDocs renders only the pages
whose Markdown is newer than their HTML (the hook rewrites only the pages that changed).

Floor, in the same run, on the very same generated Markdown in a project without the catalogue
hook (``bench_site.floor_project``): a plain ``mkdocs build`` of both languages, and the same
``mkdocs serve`` latency when the need's generated Markdown page is edited directly — what MkDocs,
Material and static-i18n cost on their own, with nothing of ours in the loop.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from bench_site import _mkdocs, floor_project, project
from serving import MkDocsServe, ServeError, fetch

ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", AIDCATALOG_PDF="0")


def need_file(root: Path, ident: str) -> Path:
    return next((root / "catalog" / "needs").rglob(f"{ident}.yaml"))


def titles(n: int) -> tuple[str, str]:
    """The (vi, en) titles of the ``n``-th edit."""
    return f"Tiêu đề đã sửa lần {n}", f"Title edited, take {n}"


def edit_yaml(path: Path, n: int) -> tuple[str, str]:
    """Give the need a new title in every language, as staff would; the new (vi, en) titles."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    vi, en = titles(n)
    data["title"] = {"vi": vi, "en": en}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return vi, en


def edit_markdown(path: Path, n: int) -> str:
    """The floor's edit: the generated page's title, in its front matter and heading."""
    text = path.read_text(encoding="utf-8")
    new = f"Markdown edited, take {n}"
    text = re.sub(r'(?m)^title: ".*"$', f'title: "{new}"', text, count=1)
    text = re.sub(r"<h1>.*?</h1>", f"<h1>{new}</h1>", text, count=1)
    path.write_text(text, encoding="utf-8")
    return new


@dataclass
class Result:
    label: str
    first_build: float
    latencies: list[float]
    builds: list[int]
    checks: list[str] = field(default_factory=list)

    def line(self, floor: float) -> str:
        median = statistics.median(self.latencies)
        return (f"  {self.label:<44} first build {self.first_build:6.1f} s; edit → page {median:5.2f} s median "
                f"(slowest {max(self.latencies):5.2f} s, {median / floor:4.2f}× the floor build); "
                f"rebuilds per edit {self.builds}")


def measure(label: str, where: Path, dirty: bool, page: str, ident: str, edits: int,
            edit: Callable[[int], str], extra: Callable[[MkDocsServe], list[str]] | None = None) -> Result:
    hook = where / "hooks" / "catalog.py"  # absent from the floor; an older hook finishes everything in the build
    quiet_after = hook.is_file() and "Search index and data files updated" in hook.read_text(encoding="utf-8")
    server = MkDocsServe(where, dirty, hook_free=not quiet_after, env=ENV)
    try:
        start = time.perf_counter()
        server.wait_until(page, ident)
        first = time.perf_counter() - start
        server.settle()
        latencies, builds = [], []
        for n in range(1, edits + 1):
            before = server.builds()
            start = time.perf_counter()
            text = edit(n)
            server.wait_until(page, text)
            latencies.append(time.perf_counter() - start)
            server.settle()
            builds.append(server.builds() - before)
        checks = extra(server) if extra else []
        return Result(label, first, latencies, builds, checks)
    finally:
        server.stop()


def checks_of_ours(root: Path, ident: str, edits: int) -> Callable[[MkDocsServe], list[str]]:
    """After the timed edits: the other language and the catalogue changed too; an invalid edit is shown."""

    def run(server: MkDocsServe) -> list[str]:
        out = []
        vi, en = titles(edits)
        out.append(f"English page shows the edit: {en in fetch(server.url(f'en/needs/{ident}/'))}")
        path = need_file(root, ident)
        out.append(f"its sector page shows it: {vi in fetch(server.url(f'sectors/{path.parent.name}/'))}")
        good = path.read_text(encoding="utf-8")
        path.write_text(good.replace("status:", "statuss:", 1), encoding="utf-8")
        start, shown = time.perf_counter(), False
        while time.perf_counter() - start < 120 and not shown:
            time.sleep(0.2)
            shown = "unknown-field" in server.output().rsplit("Building documentation...", 1)[-1]
        alive = vi in fetch(server.url(f"needs/{ident}/"), timeout=10)
        out.append(f"invalid edit: validator message shown {shown}, previous page still served {alive}")
        path.write_text(good.replace(vi, vi + " (again)"), encoding="utf-8")
        start = time.perf_counter()
        server.wait_until(f"needs/{ident}/", vi + " (again)")
        out.append(f"fixed again: page updated in {time.perf_counter() - start:.2f} s")
        return out

    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=250, help="needs in the synthetic catalogue (default: 250)")
    parser.add_argument("--edits", type=int, default=5, help="timed edits per server (the median is printed)")
    parser.add_argument("--modes", nargs="+", choices=("dirty", "plain"), default=["dirty", "plain"])
    parser.add_argument("--no-floor-serve", action="store_true", help="skip the floor's serve latency")
    parser.add_argument("--keep", type=Path, help="work here and keep it (default: a temp dir)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="aidcatalog-serve-") as tmp:
        work = args.keep or Path(tmp)
        ours = project(work / "ours", args.size)
        ident = f"need-{args.size // 2:04d}"
        print(f"{args.size} needs, {os.cpu_count()} CPUs: load average {os.getloadavg()[0]:.1f} at the start; "
              f"edited need: {ident}")
        sys.stdout.flush()
        _mkdocs(ours)  # generates the Markdown the floor builds (and checks the project builds)
        floor = floor_project(ours, work / "floor")
        floor_build = min(_mkdocs(floor) for _ in range(2))
        print(f"  floor: plain `mkdocs build` of the same Markdown, no hook        {floor_build:6.1f} s")
        sys.stdout.flush()
        for mode in args.modes:
            dirty = mode == "dirty"
            if not args.no_floor_serve:
                page = floor / "content" / "needs" / f"{ident}.md"
                r = measure(f"floor: mkdocs serve{' --dirty' if dirty else ''}, Markdown edited", floor, dirty,
                            f"needs/{ident}/", ident, args.edits, lambda n, page=page: edit_markdown(page, n))
                print(r.line(floor_build))
                sys.stdout.flush()
            path = need_file(ours, ident)
            r = measure(f"ours: mkdocs serve{' --dirty' if dirty else ''}, YAML edited", ours, dirty,
                        f"needs/{ident}/", ident, args.edits,
                        lambda n, path=path: edit_yaml(path, n)[0], checks_of_ours(ours, ident, args.edits))
            print(r.line(floor_build))
            for check in r.checks:
                print(f"    {check}")
            sys.stdout.flush()
        print(f"load average at the end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except ServeError as exc:
        sys.exit(f"bench_serve: {exc}")
