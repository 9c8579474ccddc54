"""Broken and hostile input: each bad file ends in one exact problem, or is rendered harmless.

The corpus is ``tests/bad_inputs/``: one small file per mistake, most of them GOOD_NEED with one
defect, and ``EXPECTED.yaml`` saying what each must produce. What cannot be committed (files of
megabytes, 20,001 files, symbolic links, a FIFO, an undecodable file name) is made here at test
time. Never a traceback, never a hang (hostile inputs must be refused in under 2 s), never memory
blow-up (the limits below refuse them before they are expanded).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from catalog_helpers import GOOD_NEED, copy_catalog
from pydantic import BaseModel

from aidcatalog import load
from aidcatalog import validate as validate_module
from aidcatalog.load import MAX_BYTES, MAX_DEPTH, MAX_NODES
from aidcatalog.model import Text
from aidcatalog.problems import MESSAGES, Problem
from aidcatalog.render import md, templates
from aidcatalog.validate import MAX_FILES, Report, validate

BAD = Path(__file__).parent / "bad_inputs"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load((BAD / "EXPECTED.yaml").read_text(encoding="utf-8"))
NEED = "needs/health/test-health-post.yaml"
FAST = 2.0  # seconds: a hostile file is refused well within this, or something is expanding it


@pytest.fixture(scope="module")
def bare(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped catalogue without its entries, so a result depends only on the file under test."""
    root = copy_catalog(tmp_path_factory.mktemp("bare"))
    for folder in ("needs", "stories", "partners"):
        shutil.rmtree(root / folder, ignore_errors=True)
        (root / folder).mkdir()
    photo = root / "media" / "photos" / "tram-y-te.jpg"
    photo.parent.mkdir(parents=True, exist_ok=True)
    photo.write_bytes(b"\xff\xd8\xff\xe0")
    return root


@pytest.fixture
def cat(bare: Path, tmp_path: Path) -> Path:
    """A private copy of ``bare`` (hard links: no test writes to the vocabularies)."""
    return Path(shutil.copytree(bare, tmp_path / "catalog", copy_function=os.link))


def put(cat: Path, place: str, content: bytes) -> Path:
    path = cat / place
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def timed_validate(cat: Path) -> tuple[Report, float]:
    start = time.perf_counter()
    report = validate(cat)
    return report, time.perf_counter() - start


def assert_formats(problem: Problem) -> None:
    """Names the file and a line; prints in both languages with every placeholder filled."""
    assert problem.code in MESSAGES
    for lang in ("vi", "en"):
        text = problem.format(lang)
        assert text.startswith(f"{problem.file}:{problem.line}:{problem.column}: {problem.code}: ")
        assert "{" not in problem.message(lang).replace("{vi: ..., en: ...}", "")
        assert text.isprintable(), text


# --- the corpus --------------------------------------------------------------------------

def test_corpus_and_manifest_agree():
    files = {p.name for p in BAD.iterdir() if p.name != "EXPECTED.yaml"}
    assert files == set(EXPECTED)
    assert len(files) >= 40
    for name, entry in EXPECTED.items():
        assert entry.get("harmless") or entry.get("companion") or entry["code"] in MESSAGES, name
        for other in entry.get("with", {}):
            assert EXPECTED[other].get("companion"), other


CASES = sorted(name for name, entry in EXPECTED.items() if not entry.get("companion"))


@pytest.mark.parametrize("name", CASES, ids=[n.removesuffix(".yaml") for n in CASES])
def test_bad_input(cat: Path, name: str):
    entry = EXPECTED[name]
    place = entry.get("place", NEED)
    put(cat, place, (BAD / name).read_bytes())
    for other, where in entry.get("with", {}).items():
        put(cat, where, (BAD / other).read_bytes())

    report, elapsed = timed_validate(cat)

    assert elapsed < FAST, f"{name} took {elapsed:.2f} s"
    shown = f"catalog/{place}"
    assert all(p.file == shown for p in report.problems), [p.format() for p in report.problems]
    for problem in report.problems:
        assert_formats(problem)
    if entry.get("harmless"):
        assert report.ok and report.problems == [], [p.format() for p in report.problems]
        need = report.catalogue.needs["test-health-post"]
        assert_harmless(need)
        assert all(unicodedata.is_normalized("NFC", s) for t in texts_of(need) for s in (t.vi, t.en))
        return
    assert sorted(p.code for p in report.problems) == sorted([entry["code"], *entry.get("also", [])])
    main = next(p for p in report.problems if p.code == entry["code"])
    assert (main.line, main.field, main.message("en")) == (entry["line"], entry["field"], entry["message"])
    assert main.severity == entry.get("severity", "error")
    assert report.ok is (main.severity == "warning")


def test_bad_inputs_through_the_command_line(cat: Path):
    """The real command in a fresh process: exit 1, exact lines, no traceback, in both languages.

    Also the inputs that once crashed or hung the whole process: 100,000 nested brackets
    (a segmentation fault in the C parser), a FIFO (blocked reading forever) and a file name
    that is not UTF-8 (UnicodeEncodeError when printed).
    """
    chosen = ["syntax-unclosed-quote.yaml", "hostile-alias-bomb.yaml", "hostile-python-tag.yaml",
              "encoding-utf16.yaml", "structure-list.yaml", "text-rtl-override.yaml"]
    for name in chosen:
        put(cat, f"needs/health/{name}", (BAD / name).read_bytes())
    put(cat, "needs/health/deep.yaml", b"notes: " + b"[" * 100_000 + b"]" * 100_000 + b"\n")
    os.mkfifo(cat / "needs" / "health" / "fifo.yaml")
    put(cat, "needs/health/" + os.fsdecode(b"bad-\xff\x1b[2J.yaml"), b"")
    expected = {f"catalog/needs/health/{name}": EXPECTED[name] for name in chosen}
    expected["catalog/needs/health/deep.yaml"] = {"code": "too-deep", "line": 1, "field": "notes"}
    expected["catalog/needs/health/fifo.yaml"] = {"code": "bad-path", "line": 0, "field": ""}
    expected["catalog/needs/health/bad-\ufffd\ufffd[2J.yaml"] = {"code": "empty-file", "line": 1, "field": ""}
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    for lang in ("en", "vi"):
        result = subprocess.run([sys.executable, "-m", "aidcatalog", "validate", str(cat), "--lang", lang],
                                capture_output=True, text=True, encoding="utf-8", env=env, timeout=60, check=False)
        assert result.returncode == 1, result.stdout + result.stderr
        assert result.stderr == ""
        lines = result.stdout.splitlines()
        for file, entry in expected.items():
            field = f" {entry['field']}:" if entry["field"] else ""
            start = f"{file}:{entry['line']}:"
            assert any(line.startswith(start) and f": {entry['code']}:{field}" in line for line in lines), (file, lines)
        assert all(line.isprintable() for line in lines)


# --- what is too big to commit -----------------------------------------------------------

def test_limits_are_the_documented_ones():
    assert (MAX_BYTES, MAX_NODES, MAX_DEPTH, MAX_FILES) == (256 * 1024, 20_000, 24, 20_000)


def test_gigantic_file_is_refused_by_its_size(cat: Path):
    path = put(cat, NEED, GOOD_NEED.encode())
    os.truncate(path, 64 * 1024 * 1024)  # 64 MiB, sparse: nothing is written or read
    report, elapsed = timed_validate(cat)
    [problem] = report.problems
    assert (problem.code, problem.line) == ("file-too-large", 1)
    assert problem.message("en") == f"the file is too large ({64 * 1024 * 1024} bytes; the limit is {MAX_BYTES})"
    assert elapsed < FAST


def test_gigantic_scalar_just_under_the_limit(cat: Path):
    huge = "x" * (MAX_BYTES - len(GOOD_NEED.encode()) - 100)
    text = GOOD_NEED.replace("  en: The health post is run down and lacks equipment.", f"  en: {huge}")
    put(cat, NEED, text.encode())
    report, elapsed = timed_validate(cat)
    [problem] = report.problems
    assert (problem.code, problem.line, problem.field) == ("out-of-range", 17, "context.en")
    assert problem.message("en") == f"{len(huge)} characters long; at most 20000"
    assert elapsed < FAST


@pytest.mark.parametrize(("raw", "code"), [
    (b"notes: " + b"[" * (MAX_BYTES // 2 - 8) + b"]" * (MAX_BYTES // 2 - 8), "too-deep"),
    (b"notes: " + b"[" * (MAX_BYTES - 8), "too-deep"),
    (b"notes:\n" + b"- " * (MAX_BYTES // 2 - 8) + b"x\n", "too-deep"),
    (b"notes: [" + b"1," * (MAX_BYTES // 2 - 8) + b"1]", "too-complex"),
    (b"notes: [" + b",".join(b"&a%d 1" % i for i in range(MAX_NODES + 1)) + b"]", "too-complex"),
], ids=["nested brackets", "unclosed brackets", "nested dashes", "many values", "many anchors"])
def test_biggest_hostile_structures_are_refused_quickly(cat: Path, raw: bytes, code: str):
    assert len(raw) <= MAX_BYTES
    put(cat, NEED, raw)
    report, elapsed = timed_validate(cat)
    [problem] = report.problems
    assert (problem.code, problem.line, problem.field) == (code, 1, "notes")
    assert elapsed < FAST


def test_many_files_are_refused_before_any_is_read(cat: Path, tmp_path: Path, monkeypatch):
    folder = cat / "needs" / "health"
    folder.mkdir()
    empty = tmp_path / "empty.yaml"
    empty.touch()
    for i in range(MAX_FILES + 1):
        os.link(empty, folder / f"n{i}.yaml")  # a hard link is a regular file, and ten times quicker to make
    opened: list[Path] = []
    monkeypatch.setattr(validate_module, "read", lambda path, shown: opened.append(path) or load.read(path, shown))
    report, elapsed = timed_validate(cat)
    [problem] = report.problems
    assert problem.code == "too-many-files"
    assert problem.message("en") == f"too many files in the catalogue ({MAX_FILES + 1}; the limit is {MAX_FILES})"
    assert opened == []
    assert elapsed < FAST


# --- paths that lead out of the repository -----------------------------------------------

def test_symlinked_entry_out_of_the_repository(cat: Path, tmp_path: Path):
    outside = tmp_path / "outside.yaml"
    outside.write_text(GOOD_NEED, encoding="utf-8")
    (cat / "needs" / "health").mkdir()
    (cat / NEED).symlink_to(outside)
    (cat / "needs" / "etc").symlink_to("/etc", target_is_directory=True)
    report = validate(cat)
    assert [(p.file, p.code, p.message("en")) for p in report.problems] == [
        ("catalog/needs/etc", "bad-path", "the path `catalog/needs/etc` is not allowed: a link that leads outside catalog/"),
        ("catalog/" + NEED, "bad-path",
         f"the path `catalog/{NEED}` is not allowed: a link that leads outside catalog/"),
    ]


def test_symlinked_photo_out_of_the_repository(cat: Path):
    (cat / "media" / "photos" / "leak.jpg").symlink_to("/etc/passwd")
    text = (BAD / "consent-missing.yaml").read_text(encoding="utf-8").replace("tram-y-te.jpg", "leak.jpg")
    put(cat, NEED, text.replace("consent: false", "consent: true").encode())
    [problem] = validate(cat).problems
    assert (problem.code, problem.line, problem.field) == ("bad-path", 44, "photos[0].file")
    assert problem.message("en") == "the path `photos/leak.jpg` is not allowed: it must stay inside catalog/media/"


def test_fifo_is_refused_not_read(cat: Path):
    (cat / "needs" / "health").mkdir()
    os.mkfifo(cat / NEED)  # reading it would block until someone writes
    report, elapsed = timed_validate(cat)
    [problem] = report.problems
    assert (problem.code, problem.file) == ("bad-path", "catalog/" + NEED)
    assert problem.message("en") == f"the path `catalog/{NEED}` is not allowed: not a regular file"
    assert elapsed < FAST


# --- rendering: what a harmless file must look like --------------------------------------

FORBIDDEN_TAGS = {"script", "iframe", "img", "svg", "object", "embed", "style", "form", "input", "link", "meta", "base"}
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")
URL_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction", "xlink:href", "poster", "data", "background", "ping"}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def unsafe_parts(html: str) -> list[str]:
    """Scripts, event handlers, styles and script-capable links in ``html`` (empty when safe)."""
    parser = _Tags()
    parser.feed(html)
    parser.close()
    bad = ["<script" for _ in range(html.lower().count("<script"))]
    for tag, attrs in parser.found:
        if tag in FORBIDDEN_TAGS:
            bad.append(f"<{tag}>")
        for name, value in attrs:
            squeezed = "".join((value or "").split()).lower()
            if name.startswith("on") or name == "style" or (name in URL_ATTRIBUTES and squeezed.startswith(BAD_SCHEMES)):
                bad.append(f"<{tag} {name}={value!r}>")
    return bad


def assert_harmless(entry: Any) -> None:
    """Safe as a page shows it; and no `javascript:` or `data:` is left anywhere in the Markdown output."""
    page = rendered(entry)
    assert unsafe_parts(page) == [], page
    markdown = "".join(md(t, lang) for t in texts_of(entry) for lang in ("vi", "en")).lower()
    assert "javascript:" not in markdown and "data:" not in markdown, markdown


def texts_of(value: Any) -> list[Text]:
    """Every bilingual text in an entry, depth first."""
    if isinstance(value, Text):
        return [value]
    if isinstance(value, list | tuple):
        return [t for item in value for t in texts_of(item)]
    if isinstance(value, BaseModel):
        return [t for name in type(value).model_fields for t in texts_of(getattr(value, name))]
    return []


PAGE = "{% for t in texts %}<h2>{{ t | tr(lang) }}</h2>{{ t | md(lang) }}{% endfor %}"


def rendered(entry: Any) -> str:
    """Every text of an entry as a page shows it: plain (autoescaped) and as Markdown, both languages."""
    page = templates().from_string(PAGE)
    return "".join(page.render(texts=texts_of(entry), lang=lang) for lang in ("vi", "en"))


def test_the_render_check_catches_what_it_should():
    """The check itself: each of these would be a hole if it reached a page."""
    for html in ('<script>x</script>', '<a href="javascript:x">a</a>', '<a href=" JaVa\nScript:x">a</a>',
                 '<img src="data:image/png;base64,AA">', '<p onclick="x">p</p>', '<iframe src="https://x">',
                 '<a href="https://ok" style="position:fixed">a</a>'):
        assert unsafe_parts(html), html
    assert unsafe_parts('<p>&lt;script&gt; and onclick= as words</p><a href="https://example.org">x</a>') == []
