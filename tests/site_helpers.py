"""Helpers for the site tests: copy the site project to a temporary folder and build it there.

Builds are the slow part of the suite, so they share work (see conftest.py): one build per run of
the example catalogue, one PDF cache for every build of it whose test is not about the cache
(``pdf_cache``: the project's ``.cache/pdf`` is a link to it), and a small catalogue (3 needs, 1
model project: :func:`trim_catalog`) for tests about the build's mechanisms.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from pypdf import PdfReader

REPO = Path(__file__).resolve().parent.parent
SITE_PARTS = ("mkdocs.yml", "content", "hooks", "overrides", "catalog")
SITE_URL = "https://aid.example.org/"

SMALL_NEEDS = ("health-station-tien-phong", "gravity-water-duc-nhan", "semi-boarding-pa-co")
"""The needs the small catalogue keeps: three sectors, all featured, linked to each other and to SMALL_STORY."""
SMALL_STORY = "sanitation-da-bac"
BRIEF_MAX_PAGES = 2
"""A brief is one or two A4 pages (the issue), and small enough to e-mail (see tests/test_pdf.py)."""
BRIEF_MAX_BYTES = 300_000
SHARED_CACHES: Path | None = None
"""Set for the session by conftest.py: the folder whose ``fonts`` and ``templates`` every copy of the
project shares as its ``.cache/fonts`` (the web fonts subset to the catalogue's characters) and
``.cache/templates`` (compiled templates). Both are kept by a hash of everything that makes them,
so sharing them changes no byte of a site (tests/test_build.py builds once without them and
compares): each subset, and each of Material's and this package's templates, is made once per run
instead of once per build (a project's own ``overrides/`` are keyed by their path, so per copy).
The PDF cache is shared only where a test says so (``pdf_cache``)."""
REFERENCES = re.compile(r"(?m)^(?P<key>related_needs|related_stories|scale_up_needs): \[(?P<ids>[^\]\n]*)\]\n")


@dataclass
class Build:
    project: Path
    result: subprocess.CompletedProcess[str]

    @property
    def site(self) -> Path:
        return self.project / "site"

    @property
    def output(self) -> str:
        return self.result.stdout + self.result.stderr

    def html(self, rel: str) -> str:
        return (self.site / rel).read_text(encoding="utf-8")


# --- prerequisites ----------------------------------------------------------------------------


def in_ci() -> bool:
    """Under CI (``CI=true``, as GitHub Actions and .ci/run set it) a missing prerequisite fails."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require(name: str, install: str) -> str:
    """The path of the command-line tool ``name``: looked up next to the running Python, then on PATH.

    When it is missing the test is skipped on a laptop but fails under CI, where a skipped check
    would pass silently. ``install`` says how to get it (shown in both cases).
    """
    here = Path(sys.executable).parent / name
    found = str(here) if here.is_file() else shutil.which(name)
    if found:
        return found
    message = f"`{name}` is not installed ({install})"
    if in_ci():
        pytest.fail(f"{message}; CI must have it (README, Prerequisites)", pytrace=False)
    pytest.skip(message)


# --- projects --------------------------------------------------------------------------------


def copy_site_project(dest: Path, pdf_cache: Path | None = None, *, shared: bool = True) -> Path:
    """The repository's site project (config, pages, hooks, theme, catalogue), without generated files.

    With ``pdf_cache``, the project's PDF cache (``.cache/pdf``) is that folder, shared with other copies.
    Unless ``shared`` is false, its font subsets and compiled templates are the run's (:data:`SHARED_CACHES`).
    """
    manifest = REPO / "content" / ".generated.json"
    generated = set(json.loads(manifest.read_text(encoding="utf-8"))) if manifest.is_file() else set()
    content = REPO / "content"

    def ignore(folder: str, names: list[str]) -> set[str]:
        here = Path(folder)
        skip = {n for n in names if n in ("__pycache__", ".generated.json")}
        if here.is_relative_to(content):
            rel = here.relative_to(content)
            skip |= {n for n in names if (rel / n).as_posix() in generated}
        return skip

    dest.mkdir(parents=True, exist_ok=True)
    for part in SITE_PARTS:
        src = REPO / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=ignore)
        else:
            shutil.copy(src, dest / part)
    if pdf_cache is not None:
        share_pdf_cache(dest, pdf_cache)
    if shared and SHARED_CACHES is not None:
        for name in ("fonts", "templates"):
            share_cache(dest, name, SHARED_CACHES / name)
    return dest


def share_pdf_cache(project: Path, pdf_cache: Path) -> None:
    """Make ``project/.cache/pdf`` (where a site build keeps its PDFs) a link to ``pdf_cache``."""
    share_cache(project, "pdf", pdf_cache)


def share_cache(project: Path, name: str, folder: Path) -> None:
    """Make ``project/.cache/<name>`` a link to ``folder``, which other copies of the project share."""
    folder.mkdir(parents=True, exist_ok=True)
    (project / ".cache").mkdir(exist_ok=True)
    (project / ".cache" / name).symlink_to(folder, target_is_directory=True)


def trim_catalog(catalog: Path) -> Path:
    """Keep only SMALL_NEEDS and SMALL_STORY (vocabularies, site.yaml and partners stay); drop links to the rest."""
    keep = {*SMALL_NEEDS, SMALL_STORY}
    for path in [*(catalog / "needs").rglob("*.yaml"), *(catalog / "stories").glob("*.yaml")]:
        if path.stem not in keep:
            path.unlink()
    for folder in (catalog / "needs").iterdir():
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()

    def kept(match: re.Match[str]) -> str:
        ids = [i.strip() for i in match["ids"].split(",") if i.strip() in keep]
        return f"{match['key']}: [{', '.join(ids)}]\n" if ids else ""

    for path in [*(catalog / "needs").rglob("*.yaml"), *(catalog / "stories").glob("*.yaml")]:
        text = path.read_text(encoding="utf-8")
        path.write_text(REFERENCES.sub(kept, text), encoding="utf-8")
    for path in (catalog / "partners").glob("*.yaml"):  # a contact about a need that is gone names none
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"^ +need: ([a-z0-9-]+)\n", lambda m: m[0] if m[1] in keep else "", text, flags=re.M),
                        encoding="utf-8")
    return catalog


MARK = "ZQXINTERNAL"
"""What :func:`mark_internal` appends to every internal text: no published file may hold it."""


def mark_internal(catalog: Path) -> int:
    """Give every text of the entries' ``internal:`` blocks a numbered MARK; the number of marks."""
    counter = [0]

    def mark(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: mark(v) for k, v in value.items()}
        if isinstance(value, list):
            return [mark(v) for v in value]
        if isinstance(value, str) and not re.fullmatch(r"[a-z0-9-]+", value):  # ids and choices stay valid
            counter[0] += 1
            return f"{value} {MARK}{counter[0]:03d}"
        return value

    for path in [*(catalog / "needs").rglob("*.yaml"), *(catalog / "partners").glob("*.yaml")]:
        text = path.read_text(encoding="utf-8")
        if "\ninternal:\n" not in text:
            continue
        head, block = text.split("\ninternal:\n", 1)
        marked = mark(yaml.safe_load("internal:\n" + block))
        path.write_text(head + "\n" + yaml.safe_dump(marked, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return counter[0]


def copy_small_project(dest: Path, pdf_cache: Path | None = None, *, shared: bool = True) -> Path:
    """The site project with the small catalogue (3 needs, 1 model project)."""
    project = copy_site_project(dest, pdf_cache, shared=shared)
    trim_catalog(project / "catalog")
    return project


# --- builds ----------------------------------------------------------------------------------


def mkdocs_build(project: Path) -> Build:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL=SITE_URL)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, env=env,
                            capture_output=True, text=True, timeout=300, check=False)
    return Build(project, result)


def cli_build(project: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """`aidcatalog build` in ``project``, dated by its sources (no SOURCE_DATE_EPOCH from outside)."""
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env.update(NO_MKDOCS_2_WARNING="1", SITE_URL=SITE_URL)
    return subprocess.run([sys.executable, "-m", "aidcatalog", "build", *extra], cwd=project, env=env,
                          capture_output=True, text=True, timeout=600, check=False)


def digest(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` → the hash of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# --- reading PDFs back -----------------------------------------------------------------------


def text_of(data: bytes | Path, pages: slice = slice(None)) -> str:
    """All text, NBSP as space, whitespace runs (line breaks included) as one space."""
    reader = PdfReader(io.BytesIO(data) if isinstance(data, bytes) else data)
    text = " ".join(page.extract_text() for page in reader.pages[pages])
    return flat(text)


def flat(text: str) -> str:
    """Whitespace runs as one space; a line broken after a hyphen joined again."""
    return re.sub(r"(?<=\w-) (?=\w)", "", re.sub(r"\s+", " ", text.replace("\xa0", " ")))


def outline(data: bytes | Path) -> list[tuple[int, str, int]]:
    """(level, title, 1-based page) of every bookmark."""
    reader = PdfReader(io.BytesIO(data) if isinstance(data, bytes) else data)
    found: list[tuple[int, str, int]] = []

    def walk(items: list, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append((level, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 1)
    return found


def page_texts(data: bytes | Path) -> list[str]:
    """The text of every page, in the order it is drawn (poppler's ``pdftotext -raw``: ten times faster than pypdf)."""
    tool = require("pdftotext", "apt-get install poppler-utils")
    source = data.read_bytes() if isinstance(data, Path) else data
    result = subprocess.run([tool, "-q", "-raw", "-enc", "UTF-8", "-", "-"], input=source, capture_output=True, check=True)
    return result.stdout.decode("utf-8").split("\f")[:-1]  # each page ends with a form feed


def assert_contents_match(data: bytes | Path) -> None:
    """Each bookmark after the contents is listed there with the page it is on, and starts that page."""
    marks = outline(data)
    first, last = next((m[2], n[2]) for m, n in itertools.pairwise(marks) if m[1] in ("Mục lục", "Contents"))
    pages = page_texts(data)
    toc = flat(" ".join(pages[first - 1:last - 1]))  # the contents may take several pages
    for _level, title, page in marks:
        if page < last:
            continue  # the cover and the contents themselves
        match = re.search(re.escape(flat(title)) + r"[ .]*?(\d+)(?= |$)", toc)
        assert match, f"{title!r} is not in the contents: {toc}"
        assert int(match.group(1)) == page, (title, match.group(1), page)
        page_text = flat(pages[page - 1])
        assert flat(title) in page_text or flat(title).upper() in page_text.upper(), (title, page)
