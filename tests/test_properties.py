"""Random documents, bytes and text thrown at the loader, the validator and the renderer.

Whatever comes in, the only way out is the validator's own report: no exception escapes, every
problem has a known code and prints in both languages, and staff Markdown never becomes a
script, an event handler or a script-capable link.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml
from catalog_helpers import GOOD_NEED, copy_catalog
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from test_hostile import unsafe_parts

from aidcatalog import fmt
from aidcatalog.load import _HIDDEN, INVISIBLE, MAX_DEPTH, parse
from aidcatalog.model import Text
from aidcatalog.problems import MESSAGES, Problem
from aidcatalog.render import md, templates, tr
from aidcatalog.validate import Report, _printable, validate

# Timing varies with the machine; the hostile-input tests own the time limits.
FEW = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MANY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NEED = "catalog/needs/health/test-health-post.yaml"
GOOD = yaml.safe_load(GOOD_NEED)


@pytest.fixture(scope="module")
def cat(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the catalogue for the whole module; each example overwrites the one need file."""
    root = copy_catalog(tmp_path_factory.mktemp("props"))
    for folder in ("needs", "stories", "partners"):  # a result depends only on the file written
        shutil.rmtree(root / folder, ignore_errors=True)
        (root / folder).mkdir()
    (root / "needs" / "health").mkdir()
    return root


def check_problems(problems: list[Problem]) -> None:
    for problem in problems:
        assert problem.code in MESSAGES, problem
        for lang in ("vi", "en"):
            assert problem.format(lang).startswith(f"{problem.file}:{problem.line}:{problem.column}: {problem.code}: ")
            problem.as_dict(lang)
            problem.github(lang)


def validate_need(cat: Path, content: str | bytes) -> Report:
    path = cat / "needs" / "health" / "test-health-post.yaml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))
    report = validate(cat)
    assert isinstance(report, Report)
    assert all(p.file == NEED for p in report.problems), [p.format() for p in report.problems]
    check_problems(report.problems)
    assert report.ok == (not any(p.severity == "error" for p in report.problems))
    return report


# --- strategies ---------------------------------------------------------------------------

def _clean(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFC", text) if c not in _HIDDEN | INVISIBLE).strip()


# Text as the loader gives it back: NFC, no hidden characters, no surrounding space.
clean_text = st.text(
    st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp", "Co", "Cn")), max_size=30
).map(_clean).filter(lambda s: _clean(s) == s)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**15), 10**15),
    st.floats(allow_nan=False, width=64), clean_text,
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)),
)
documents = st.dictionaries(
    clean_text,
    st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(clean_text, inner, max_size=4),
                 max_leaves=25),
    max_size=8,
)
# Anything at all: what a broken editor or a hostile contributor might save.
any_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20), st.binary(max_size=8),
              st.dates(), st.datetimes()),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8) | st.integers(), inner, max_size=4),
    max_leaves=20,
)
HOSTILE = ["<script>", "</script>", "<img src=x onerror=alert(1)>", "javascript:", "JaVaScRiPt:", "java&#115;cript:",
           "data:text/html,", "vbscript:", "[a](", ")", "](", "<a href=\"", "\" onclick=\"x\"", "<svg/onload=x>",
           "<iframe", "<style>", "&#x3C;script&#x3E;", "<!--", "-->", "<![CDATA[", "`", "    ", "\n", "\n\n",
           "*", "_", "#", "> ", "- ", "1. ", "|", "---", "<", ">", "\"", "'", "=", " on", "mouseover=", "\u202e", "\x00"]
markdownish = st.lists(st.sampled_from(HOSTILE) | st.text(max_size=6), max_size=30).map("".join)


def _paths(value: Any, at: tuple = ()) -> list[tuple]:
    """Every path into a document (mapping keys and list indexes)."""
    found = [at] if at else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*at, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _paths(item, (*at, i))
    return found


@st.composite
def mutated_needs(draw: st.DrawFn) -> Any:
    """GOOD_NEED with a few fields replaced, deleted or added: broken in ways the validator must explain."""
    need = json.loads(json.dumps(GOOD, default=str))
    need["planned_start"], need["last_reviewed"] = GOOD["planned_start"], GOOD["last_reviewed"]
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(need)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = need
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            parent[path[-1]] = draw(any_values | scalars)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(clean_text)] = draw(any_values)
        else:
            parent.append(draw(any_values))
    return need


# --- the loader ---------------------------------------------------------------------------

@MANY
@given(st.binary(max_size=2000))
def test_parse_any_bytes(raw: bytes):
    doc, problems = parse(raw, NEED)
    check_problems(problems)
    assert doc is not None or problems


@MANY
@given(st.text(max_size=2000))
def test_parse_any_text(text: str):
    doc, problems = parse(text.encode("utf-8", "surrogatepass"), NEED)
    check_problems(problems)
    assert doc is None or isinstance(doc.data, dict)


@MANY
@given(documents)
def test_parse_gives_back_what_was_dumped(data: dict):
    """A plain YAML document comes back exactly: no value read as another type, base or text."""
    doc, problems = parse(yaml.safe_dump(data, allow_unicode=True).encode(), NEED)
    assert problems == [], [p.format() for p in problems]
    assert doc.data == data


@MANY
@given(st.integers(0, 60), st.booleans())
def test_nesting_is_refused_beyond_the_limit(levels: int, flow: bool):
    value: Any = 1
    for _ in range(levels):
        value = [value]
    doc, problems = parse(yaml.safe_dump({"notes": value}, default_flow_style=flow).encode(), NEED)
    if 1 + levels <= MAX_DEPTH:  # the mapping holds `notes` at depth 1, its innermost value at 1 + levels
        assert doc is not None and problems == []
    else:
        assert [(p.code, p.line, p.field) for p in problems] == [("too-deep", 1, "notes")]


# --- the validator ------------------------------------------------------------------------

@FEW
@given(mutated_needs())
def test_validate_mutated_need(cat: Path, need: Any):
    validate_need(cat, yaml.safe_dump(need, allow_unicode=True, sort_keys=False))


@FEW
@given(any_values)
def test_validate_any_document(cat: Path, value: Any):
    try:
        text = yaml.safe_dump(value, allow_unicode=True)
    except yaml.YAMLError:  # e.g. keys PyYAML cannot write: not an input anyone could save
        return
    validate_need(cat, text)


@FEW
@given(st.binary(max_size=1000) | st.text(max_size=1000).map(lambda s: s.encode("utf-8", "surrogatepass")))
def test_validate_any_bytes(cat: Path, raw: bytes):
    assert not validate_need(cat, raw).ok  # nothing random is a complete need


VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXY0123456789 ,.-()'"
TONES = "\u0300\u0301\u0303\u0309\u0323"


@FEW
@given(st.text(st.sampled_from(VIETNAMESE + TONES), min_size=1, max_size=60), st.sampled_from(["NFC", "NFD", None]))
def test_title_round_trips_to_nfc(cat: Path, title: str, form: str | None):
    """Whatever the editor saved (composed, decomposed or a mix), the catalogue holds NFC."""
    written = unicodedata.normalize(form, title) if form else title
    expected = unicodedata.normalize("NFC", title).strip()
    text = GOOD_NEED.replace("  vi: Nâng cấp trạm y tế xã Đà Bắc", "  vi: " + json.dumps(written, ensure_ascii=False))
    report = validate_need(cat, text)
    if not expected:
        assert [p.code for p in report.problems] == ["missing-translation"]
        return
    assert report.ok, [p.format() for p in report.problems]
    shown = report.catalogue.needs["test-health-post"].title.vi
    assert shown == expected
    assert unicodedata.is_normalized("NFC", shown)


# --- the renderer -------------------------------------------------------------------------

@MANY
@given(markdownish | st.text(max_size=300))
def test_md_is_always_safe(source: str):
    html = str(md(source))
    assert unsafe_parts(html) == [], html
    assert "<script" not in html.lower()


@MANY
@given(markdownish, markdownish, st.sampled_from(["vi", "en"]))
def test_templates_escape_plain_text_and_sanitise_markdown(vi: str, en: str, lang: str):
    text = Text.model_construct(vi=vi, en=en)
    page = templates().from_string("<h1>{{ t | tr(lang) }}</h1><div title=\"{{ t | tr(lang) }}\">{{ t | md(lang) }}</div>")
    html = page.render(t=text, lang=lang)
    assert unsafe_parts(html) == [], html
    assert html.startswith(f"<h1>{escape(tr(text, lang))}</h1>")


@MANY
@given(
    st.floats(0, 1e13), st.sampled_from(["VND", "USD"]), st.sampled_from(["vi", "en"]), st.floats(1001, 99_999),
    st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)), st.floats(0, 100),
)
def test_number_and_date_filters_take_any_valid_value(amount, currency, lang, rate, day, share):
    env = templates()
    for name, args in [
        ("money", (amount, currency, lang)), ("approx", (amount, currency, lang, rate)),
        ("compact_money", (amount, currency, lang)), ("number", (amount, lang)), ("percent", (share, lang)),
        ("date", (day, lang)), ("month", (day, lang)),
    ]:
        out = env.filters[name](*args)
        assert isinstance(out, str) and out and "<" not in out
    assert fmt.date(day, lang, "short")


# --- the file system ----------------------------------------------------------------------

FS_FOLDERS = ["needs/health", "needs", "stories", "partners", "vocabularies", "media/photos", "notes", "needs/.cache"]
FS_NAMES = st.sampled_from([
    "x.yaml", "y.yml", "X.YAML", "a.Yaml", "a.yaml.txt", "b.yml.bak", "c.yaml~", ".DS_Store", "~$d.docx", "e.docx",
    "f.json", "g.png", "h.jpg", "i.JPG", ".j.yaml.swp", "k", "l.pdf",
]) | st.binary(min_size=1, max_size=6).map(lambda b: os.fsdecode(b.replace(b"/", b"_").replace(b"\0", b"_")) + ".yaml")
FS_KINDS = st.sampled_from(["file", "folder", "loop", "dangling", "link-in", "link-out", "fifo"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(FS_FOLDERS), FS_NAMES, FS_KINDS), min_size=1, max_size=8))
def test_every_file_under_the_catalogue_is_read_or_reported(cat: Path, tree: list[tuple[str, str, str]]):
    """Whatever lies under catalog/ (odd names, links that loop, FIFOs), nothing is skipped unseen and nothing crashes."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(shutil.copytree(cat, Path(tmp) / "catalog", copy_function=os.link))
        made: list[Path] = []
        for folder, name, kind in tree:
            if name in (".", "..") or name.startswith("-"):
                continue
            path = root / folder / name
            if path.exists() or path.is_symlink():
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            if kind == "file":
                path.write_text(GOOD_NEED, encoding="utf-8")
            elif kind == "folder":
                path.mkdir()
                continue
            elif kind == "loop":
                path.symlink_to(path.name)
            elif kind == "dangling":
                path.symlink_to("no-such-file.yaml")
            elif kind == "link-in":
                path.symlink_to(root / "site.yaml")
            elif kind == "link-out":
                path.symlink_to("/etc/hostname")
            else:
                os.mkfifo(path)
            made.append(path)
        report = validate(root)
        check_problems(report.problems)
        named = {p.file for p in report.problems}
        for path in made:
            rel = path.relative_to(root)
            read = (rel.parts[0] in ("needs", "stories", "partners", "vocabularies") and path.suffix in (".yaml", ".yml")
                    and not any(part.startswith((".", "~$")) for part in rel.parts))
            media = rel.parts[0] == "media" and path.suffix in (".jpg", ".png", ".pdf") and not path.name.startswith(".")
            shown = [("catalog" / Path(*rel.parts[:i])).as_posix() for i in range(1, len(rel.parts) + 1)]
            reported = any(_printable(s) in named for s in shown)
            if read:  # read: a problem, if any, names the file itself
                continue
            if media and (path.is_file() or not path.is_symlink()):
                continue  # a photo is checked when an entry shows it
            assert reported, (rel, sorted(named))
