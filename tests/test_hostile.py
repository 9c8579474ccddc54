"""Broken and hostile input: each bad file ends in one exact problem, or is rendered harmless.

The corpus is ``tests/bad_inputs/CASES.yaml``: each case is a small patch over GOOD_NEED (or, for
what is not a need at all, its whole text) and the exact problem it must produce. What cannot be a
patch (files of megabytes, 20,001 files, symbolic links, a FIFO, an undecodable file name, photos
that lie about their kind, folders that cannot be read) is made here at test time. Never a
traceback, never a hang (hostile inputs must be refused in under 2 s), never memory blow-up (the
limits below refuse them before they are expanded).
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

from aidcatalog import load, media
from aidcatalog import validate as validate_module
from aidcatalog.load import MAX_BYTES, MAX_DEPTH, MAX_NODES
from aidcatalog.model import Text
from aidcatalog.problems import MESSAGES, Problem
from aidcatalog.render import md, templates
from aidcatalog.validate import MAX_FILES, Report, validate

BAD = Path(__file__).parent / "bad_inputs"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load((BAD / "CASES.yaml").read_text(encoding="utf-8"))
NEED = "needs/health/test-health-post.yaml"
FAST = 2.0  # seconds: a hostile file is refused well within this, or something is expanding it
PATCH = ("content", "replace", "delete", "insert", "append", "as_list", "nfd", "crlf", "bom", "encode")


def _line_index(lines: list[str], line: str) -> int:
    assert lines.count(line) == 1, f"{line!r} is not exactly one line of the text being patched"
    return lines.index(line)


def cp1258(text: str) -> bytes:
    """Text as Windows saves it in Vietnamese ANSI: a letter cp1258 lacks becomes its base and a combining tone."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            tone = next(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
            out += unicodedata.normalize("NFC", parts.replace(tone, "")).encode("cp1258") + tone.encode("cp1258")
    return bytes(out)


def case_bytes(name: str) -> bytes:
    """The file a case describes: its patch applied to GOOD_NEED, then its byte transforms."""
    case = EXPECTED[name]
    text = case.get("content", GOOD_NEED)
    lines = text.split("\n")
    for old, new in case.get("replace", []):
        lines[_line_index(lines, old)] = new
    for old in case.get("delete", []):
        del lines[_line_index(lines, old)]
    for before, new in case.get("insert", []):
        lines.insert(_line_index(lines, before), new)
    text = "\n".join(lines)
    if "append" in case:
        text += case["append"].rstrip("\n") + "\n"
    if case.get("as_list"):
        text = "".join(("- " if i == 0 else "  ") + line for i, line in enumerate(text.splitlines(True)))
    for part in case.get("nfd", []):
        assert part in text
        text = text.replace(part, unicodedata.normalize("NFD", part))
    if case.get("crlf"):
        text = text.replace("\n", "\r\n")
    encode = case.get("encode", "utf-8")
    if isinstance(encode, dict):
        piece = encode["text"]
        before, found, after = text.partition(piece)
        assert found, piece
        raw = before.encode() + piece.encode(encode["codec"]) + after.encode()
    else:
        raw = cp1258(text) if encode == "cp1258" else text.encode(encode, "surrogatepass")
    return (b"\xef\xbb\xbf" if case.get("bom") else b"") + raw


@pytest.fixture(scope="module")
def bare(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped catalogue without its entries, so a result depends only on the file under test."""
    root = copy_catalog(tmp_path_factory.mktemp("bare"))
    for folder in ("needs", "stories", "partners"):
        shutil.rmtree(root / folder, ignore_errors=True)
        (root / folder).mkdir()
    photo = root / "media" / "photos" / "tram-y-te.jpg"
    photo.parent.mkdir(parents=True, exist_ok=True)
    photo.write_bytes(tiny_jpeg())
    return root


def tiny_jpeg(size: tuple[int, int] = (8, 8)) -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, "JPEG")
    return out.getvalue()


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

def test_corpus_is_one_file_of_patches():
    assert {p.name for p in BAD.iterdir()} == {"CASES.yaml"}
    assert len(EXPECTED) >= 140
    for name, entry in EXPECTED.items():
        assert set(entry) <= {"what", *PATCH, "place", "with", "companion", "harmless", "code", "line", "field",
                              "message", "message_vi", "also", "severity"}, name
        assert entry.get("harmless") or entry.get("companion") or entry["code"] in MESSAGES, name
        for other in entry.get("with", {}):
            assert EXPECTED[other].get("companion"), other
        case_bytes(name)  # every patch applies: each line it names is in GOOD_NEED exactly once


def test_every_new_code_has_a_case_with_its_vietnamese_message():
    new = {"bad-character", "thousands-separator", "money-fraction", "invisible-in-identifier", "invisible-character",
           "self-reference", "insecure-link"}
    assert new <= {e.get("code") for e in EXPECTED.values() if e.get("message_vi")}


CASES = sorted(name for name, entry in EXPECTED.items() if not entry.get("companion"))


@pytest.mark.parametrize("name", CASES)
def test_bad_input(cat: Path, name: str):
    entry = EXPECTED[name]
    place = entry.get("place", NEED)
    put(cat, place, case_bytes(name))
    for other, where in entry.get("with", {}).items():
        put(cat, where, case_bytes(other))

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
    assert sorted(p.code for p in report.problems) == sorted([entry["code"], *entry.get("also", [])]), \
        [p.format() for p in report.problems]
    main = next(p for p in report.problems if p.code == entry["code"])
    assert (main.line, main.field, main.message("en")) == (entry["line"], entry["field"], entry["message"])
    if "message_vi" in entry:
        assert main.message("vi") == entry["message_vi"]
    assert main.severity == entry.get("severity", "error")
    assert report.ok is (main.severity == "warning")


def test_bad_inputs_through_the_command_line(cat: Path):
    """The real command in a fresh process: exit 1, exact lines, no traceback, in both languages.

    Also the inputs that once crashed or hung the whole process: 100,000 nested brackets
    (a segmentation fault in the C parser), a FIFO (blocked reading forever) and a file name
    that is not UTF-8 (UnicodeEncodeError when printed).
    """
    chosen = ["syntax-unclosed-quote", "hostile-alias-bomb", "hostile-python-tag", "encoding-utf16", "structure-list",
              "text-rtl-override", "char-line-separator", "money-thousands-requested", "invisible-email"]
    for name in chosen:
        put(cat, f"needs/health/{name}.yaml", case_bytes(name))
    put(cat, "needs/health/deep.yaml", b"notes: " + b"[" * 100_000 + b"]" * 100_000 + b"\n")
    os.mkfifo(cat / "needs" / "health" / "fifo.yaml")
    put(cat, "needs/health/" + os.fsdecode(b"bad-\xff\x1b[2J.yaml"), b"")
    expected = {f"catalog/needs/health/{name}.yaml": EXPECTED[name] for name in chosen}
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
    text = case_bytes("consent-missing").decode().replace("tram-y-te.jpg", "leak.jpg")
    put(cat, NEED, text.replace("consent: false", "consent: true").encode())
    link, problem = validate(cat).problems
    assert (link.file, link.code) == ("catalog/media/photos/leak.jpg", "bad-path")  # the link itself, while looking
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


# --- files that are not read are never skipped unseen --------------------------------------

@pytest.mark.parametrize(("place", "severity"), [
    ("needs/health/test-health-post.YAML", "error"),
    ("needs/health/test-health-post.Yaml", "error"),
    ("needs/health/test-health-post.yaml.txt", "error"),
    ("needs/health/test-health-post.yml.bak", "error"),
    ("needs/health/test-health-post.yaml~", "error"),
    ("needs/health/de-xuat.docx", "error"),
    ("stories/mo-hinh.xlsx", "error"),
    ("partners/doi-tac.json", "error"),
    ("needs/health/anh.png", "warning"),
    ("needs/health/.DS_Store", "warning"),
    ("needs/health/.test-health-post.yaml.swp", "warning"),
    ("needs/health/~$de-xuat.docx", "warning"),
    ("needs/.hidden/test-health-post.yaml", "warning"),
    ("media/photos/anh.JPG", "warning"),
    ("media/ghi-chu.txt", "warning"),
])
def test_a_file_that_is_not_read_is_reported(cat: Path, place: str, severity: str):
    put(cat, place, GOOD_NEED.encode())
    report = validate(cat)
    shown = "catalog/" + (place if "/.hidden/" not in place else "needs/.hidden")
    [problem] = report.problems
    assert (problem.file, problem.code, problem.severity) == (shown, "ignored-file", severity)
    assert report.ok is (severity == "warning")
    assert_formats(problem)


def test_photos_in_media_are_not_reported(cat: Path):
    for name in ("a.jpg", "b.jpeg", "c.png", "d.webp", "e.pdf"):
        put(cat, f"media/photos/{name}", b"x")
    assert validate(cat).problems == []


def test_links_that_loop_or_lead_nowhere(cat: Path):
    folder = cat / "needs" / "health"
    folder.mkdir()
    (folder / "a.yaml").symlink_to("b.yaml")
    (folder / "b.yaml").symlink_to("a.yaml")
    (folder / "self.yaml").symlink_to("self.yaml")
    (folder / "gone.yaml").symlink_to("nothing-here.yaml")
    (folder / "here").symlink_to(".", target_is_directory=True)
    (cat / "media" / "photos" / "loop.jpg").symlink_to("loop.jpg")
    put(cat, NEED, case_bytes("path-photo-missing").replace(b"khong-co.jpg", b"loop.jpg"))
    report, elapsed = timed_validate(cat)
    found = {(p.file.rsplit("/", 1)[1], p.code, p.severity, p.message("en").rsplit(": ", 1)[-1]) for p in report.problems}
    assert found == {
        ("a.yaml", "bad-path", "error", "a link that loops back on itself"),
        ("b.yaml", "bad-path", "error", "a link that loops back on itself"),
        ("self.yaml", "bad-path", "error", "a link that loops back on itself"),
        ("gone.yaml", "bad-path", "error", "a link to a file that does not exist"),
        ("here", "ignored-file", "warning",
         "a link to another folder of the catalogue is not followed; its files are read where they really are"),
        ("loop.jpg", "bad-path", "error", "a link that loops back on itself"),
        ("test-health-post.yaml", "missing-file", "error", "the file `photos/loop.jpg` is not in catalog/media/"),
    }
    assert elapsed < FAST


def test_a_socket_is_refused_not_read(cat: Path, monkeypatch):
    import socket

    (cat / NEED).parent.mkdir()
    monkeypatch.chdir((cat / NEED).parent)  # a socket's path is at most 107 bytes: bind it by its name alone
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind((cat / NEED).name)
        [problem] = validate(cat).problems
    assert (problem.code, problem.message("en")) == ("bad-path", f"the path `catalog/{NEED}` is not allowed: not a regular file")


def test_an_unreadable_folder_is_an_error(cat: Path, monkeypatch):
    put(cat, NEED, GOOD_NEED.encode())
    real = os.scandir

    def scandir(path):
        if Path(path).name == "health":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(validate_module.os, "scandir", scandir)
    report = validate(cat)
    [problem] = report.problems
    assert (problem.file, problem.code, problem.severity) == ("catalog/needs/health", "unreadable", "error")
    assert problem.message("en") == ("cannot read this folder (permission denied); what it holds would be left out, "
                                     "so check its permissions")
    assert problem.message("vi") == ("không đọc được thư mục (không có quyền đọc); nội dung trong đó sẽ bị bỏ sót, "
                                     "hãy kiểm tra quyền truy cập")
    assert not report.ok


@pytest.mark.skipif(not hasattr(os, "fork") or os.geteuid() != 0, reason="needs root to become another user")
def test_unreadable_files_and_folders_for_a_real_user(tmp_path: Path):
    """As root nothing is unreadable, so a forked child becomes `nobody` and meets real EACCES."""
    import json
    import tempfile

    world = Path(tempfile.mkdtemp(prefix="aidcatalog-"))
    try:
        world.chmod(0o755)
        cat = copy_catalog(world)
        put(cat, NEED, GOOD_NEED.encode())
        put(cat, "needs/education/khoa.yaml", GOOD_NEED.encode()).chmod(0)
        (cat / "needs" / "health").chmod(0)
        validate(cat)  # everything the child needs is imported before it loses root
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            try:
                os.setgroups([])
                os.setgid(65534)
                os.setuid(65534)
                found = [(p.file, p.code, p.message("en")) for p in validate(cat).problems]
                os.write(write, json.dumps(found).encode())
            finally:
                os._exit(0)
        os.close(write)
        with os.fdopen(read) as pipe:
            found = json.loads(pipe.read() or "null")
        os.waitpid(pid, 0)
    finally:
        for path in (cat / "needs" / "health", cat / "needs" / "education" / "khoa.yaml"):
            path.chmod(0o755)
        shutil.rmtree(world)
    assert found is not None, "the child did not report"
    mine = {(f, c, m) for f, c, m in found if f in ("catalog/needs/health", "catalog/needs/education/khoa.yaml")}
    assert mine == {
        ("catalog/needs/health", "unreadable", "cannot read this folder (permission denied); what it holds would be "
         "left out, so check its permissions"),
        ("catalog/needs/education/khoa.yaml", "unreadable", "cannot read this file (permission denied); what it holds "
         "would be left out, so check its permissions"),
    }, found


# --- photos and documents that are not what they say --------------------------------------

def png_header(width: int, height: int) -> bytes:
    import struct
    import zlib

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk))
            + struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND")))


@pytest.mark.parametrize(("name", "content", "code", "message"), [
    ("fake.jpg", b"%PDF-1.7\n...\n%%EOF\n", "media-wrong-type",
     "the file `photos/fake.jpg` is named .jpg but is really a PDF document; save it in the right format (JPEG image)"),
    ("script.jpg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>',
     "media-wrong-type", "the file `photos/script.jpg` is named .jpg but is really an SVG image or HTML page "
     "(it may hold a script); save it in the right format (JPEG image)"),
    ("bomb.png", png_header(50_000, 50_000), "image-pixels",
     "the image `photos/bomb.png` is too large: ? × ? pixels (the limit is 40 megapixels); scale it down"),
    ("big.png", png_header(8000, 6000), "image-pixels",
     "the image `photos/big.png` is too large: 8000 × 6000 pixels (the limit is 40 megapixels); scale it down"),
    ("cut.jpg", None, "media-damaged",
     "the file `photos/cut.jpg` is damaged or incomplete (the end of the file is missing); copy the original again"),
    ("empty.webp", b"", "media-wrong-type",
     "the file `photos/empty.webp` is named .webp but is really an empty file; save it in the right format (WebP image)"),
    ("huge.jpg", "sparse", "media-file-size",
     "the file `photos/huge.jpg` is too large (64.0 MB; the limit is 20 MB); make it smaller"),
])
def test_media_that_lies_is_refused(cat: Path, name: str, content: Any, code: str, message: str):
    path = cat / "media" / "photos" / name
    if content is None:
        content = tiny_jpeg((64, 64))[:-200]
    if content == "sparse":
        path.write_bytes(tiny_jpeg())
        os.truncate(path, 64 * 1024 * 1024)
    else:
        path.write_bytes(content)
    put(cat, NEED, case_bytes("path-photo-missing").replace(b"khong-co.jpg", name.encode()))
    report, elapsed = timed_validate(cat)
    [problem] = report.problems
    assert (problem.code, problem.line, problem.field, problem.message("en")) == (code, 44, "photos[0].file", message)
    assert_formats(problem)
    assert elapsed < FAST


def test_media_limits_are_the_documented_ones():
    assert (media.MAX_IMAGE_BYTES, media.MAX_PDF_BYTES, media.MAX_PIXELS) == (20 * 2**20, 50 * 2**20, 40_000_000)


def test_a_real_photo_and_pdf_pass(cat: Path):
    put(cat, "media/docs/de-cuong.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    text = case_bytes("path-photo-missing").replace(b"photos/khong-co.jpg", b"photos/tram-y-te.jpg")
    text += b"documents:\n  - title: {vi: De cuong, en: Concept note}\n    file: docs/de-cuong.pdf\n"
    put(cat, NEED, text)
    assert validate(cat).problems == []
