"""The build under attack and under accident: hostile text, two builds at once, a killed build,
leftovers of earlier builds, a document that needs too much memory (issue 10, the build half)."""

from __future__ import annotations

import html
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from catalog_helpers import in_every_language, validated_example
from mkdocs.utils.meta import get_data
from site_helpers import REPO, copy_site_project

from aidcatalog import build, pdf, site
from aidcatalog.validate import validate

HOSTILE = [
    "line\u2028separator", "para\u2029graph", "next\x85line", "non\uffffchar", "non\ufffechar", "del\x7fete",
    "c1\x9bcontrol", "bom\ufeffinside", "emoji \U0001F600 and \U0010FFFF", 'quote " and \\ backslash',
    "---", "...", "# not a comment", "key: value", "{flow: map}", "[x](javascript:alert(1)){onclick=alert(1)}",
    "&<>' ampersand", "tab\there", "Đà Bắc · 250.000.000 ₫",
]
PAYLOAD = "[x](javascript:alert(1)){onclick=alert(1) style=color:red}"


def retitle(cat, need_id: str, title: str, summary: str | None = None) -> None:
    """Give a need a title (and summary) in every language, past the validator."""
    need = cat.needs[need_id]
    update = {"title": in_every_language(need.title, title)}
    if summary is not None:
        update["summary"] = in_every_language(need.summary, summary)
    cat.needs[need_id] = need.model_copy(update=update)


def attributes(page: str) -> list[tuple[str, str, str | None]]:
    """(tag, attribute, value) of every element of a page, as a browser reads them."""
    found = []

    class Reader(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.extend((tag, name, value) for name, value in attrs)

    Reader().feed(page)
    return found


def meta_of(text: str) -> tuple[str, dict]:
    """What MkDocs reads from a page: (body, front matter); and the same front matter with yaml.safe_load."""
    body, meta = get_data(text)
    assert text.startswith("---\n")
    block = text.split("\n---\n", 1)[0][4:]
    assert yaml.safe_load(block) == meta
    return body, meta


# --- 1. front matter that every reader reads back ---------------------------------------------


@pytest.mark.parametrize("value", HOSTILE)
def test_front_matter_reads_back_as_written(value: str):
    text = site._front_matter(value, value, hide=["navigation", "toc"], template="search.html") + "<div>x</div>\n"
    body, meta = meta_of(text)
    assert meta["title"] == html.escape(value)
    assert meta["description"] == html.escape(" ".join(value.split()))
    assert meta["hide"] == ["navigation", "toc"] and meta["template"] == "search.html"
    assert body == "<div>x</div>\n"
    assert text.split("\n---\n", 1)[0].isascii()


def test_every_generated_page_keeps_its_front_matter():
    cat = validated_example()
    ids = list(cat.needs)
    meant = {}
    for i, value in enumerate(HOSTILE):
        need_id = ids[i % len(ids)]
        retitle(cat, need_id, f"{value} {i}", f"{value} summary {i}")
        meant[need_id] = (f"{value} {i}", f"{value} summary {i}")
    files = site.tree(cat)
    pages = {rel: text for rel, text in files.items() if rel.endswith(".md")}
    assert len(pages) > 100
    for rel, text in pages.items():
        body, meta = meta_of(text)
        assert meta.get("title"), rel
        assert not body.startswith("---") and "---\ntitle:" not in body, rel
        assert body.startswith("<"), rel  # one HTML block, passed through untouched
    for need_id, (title, summary) in meant.items():
        for rel in (f"needs/{need_id}.md", f"needs/{need_id}.en.md"):
            _, meta = meta_of(pages[rel])
            assert meta["title"] == html.escape(title), rel
            assert meta["description"] == html.escape(" ".join(summary.split())), rel


def test_hostile_title_reaches_no_page_as_markup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A title the front matter cannot hold (U+2028, U+FFFF) with an attr_list payload, through a real build."""
    project = copy_site_project(tmp_path / "p")
    real = validate

    def hostile(*args, **kwargs):
        report = real(*args, **kwargs)
        cat = report.catalogue
        first, second = list(cat.needs)[:2]
        retitle(cat, first, f"Tiêu đề\u2028\n\n{PAYLOAD}\n", f"Tóm tắt\u2028\n\n{PAYLOAD}")
        retitle(cat, second, f"Title\uffff {PAYLOAD}", f"x\x85y\n\n{PAYLOAD}")
        for need_id in list(cat.needs)[2:]:  # a small site builds fast
            del cat.needs[need_id]
        cat.stories.clear()
        return report

    monkeypatch.setattr("aidcatalog.validate.validate", hostile)
    monkeypatch.setenv("AIDCATALOG_PDF", "0")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.chdir(project)
    assert build.build_site(project / "mkdocs.yml") is True
    pages = [p for p in (project / "site").rglob("*.html")]
    assert len(pages) > 20
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for tag, name, value in attributes(text):  # as text it is harmless; as markup it is not
            assert not name.startswith("on"), (page, tag, name)
            assert not (value or "").strip().lower().startswith("javascript:"), (page, tag, name)
            assert not (name == "style" and "color:red" in (value or "")), (page, tag, name)
        assert 'title: "' not in text and "hide:" not in text, page
    first = next(iter(validate(REPO / "catalog").catalogue.needs))
    assert "<title>Tiêu đề" in (project / "site" / "needs" / first / "index.html").read_text(encoding="utf-8")


# --- 2. one build at a time ------------------------------------------------------------------

MINIMAL = "site_name: t\ndocs_dir: docs\nsite_dir: site\n"


def minimal_project(root: Path) -> Path:
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Hello\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(MINIMAL, encoding="utf-8")
    return root


def build_in(project: Path, wait: float | None = None) -> subprocess.Popen[str]:
    """``build_site`` in another process (what ``aidcatalog build`` runs once mkdocs.yml is checked)."""
    code = textwrap.dedent(f"""
        import logging, sys
        from pathlib import Path
        from aidcatalog import build
        logging.basicConfig(level=logging.ERROR, format="%(message)s")
        sys.exit(0 if build.build_site(Path("mkdocs.yml"), lang="en", wait={wait!r}) else 1)
    """)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", AIDCATALOG_PDF="0")
    return subprocess.Popen([sys.executable, "-c", code], cwd=project, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_a_second_build_waits_for_the_first(tmp_path: Path):
    project = minimal_project(tmp_path)
    lock = build.BuildLock(project).acquire(0)
    try:
        second = build_in(project)
        line = second.stderr.readline()  # the build says it waits, then waits
        assert f"another build is running (process {os.getpid()}); waiting" in line
        time.sleep(0.3)
        assert second.poll() is None and not (project / "site").exists()
    finally:
        lock.release()
    _, err = second.communicate(timeout=30)
    assert second.returncode == 0, err
    assert (project / "site" / "index.html").is_file()
    assert not build.leftovers(project / "site")


def test_a_build_told_not_to_wait_refuses_and_keeps_the_site(tmp_path: Path):
    project = minimal_project(tmp_path)
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("old", encoding="utf-8")
    with build.BuildLock(project):
        second = build_in(project, wait=0.5)
        _, err = second.communicate(timeout=20)
    assert second.returncode == 1
    assert "another build is still running" in err and "Traceback" not in err
    assert (project / "site" / "index.html").read_text(encoding="utf-8") == "old"


def test_build_command_has_a_wait_option():
    from aidcatalog.cli import build_parser

    assert build_parser().parse_args(["build", "--wait", "0"]).wait == 0
    with pytest.raises(SystemExit):
        build_parser().parse_args(["build", "--wait", "soon"])


def test_the_lock_is_reentrant_in_one_process_and_exclusive_between_processes(tmp_path: Path):
    holder = textwrap.dedent(f"""
        import sys, time
        from aidcatalog import build
        try:
            build.BuildLock({str(tmp_path)!r}).acquire(0)
        except build.BuildBusy as exc:
            print("busy", exc); sys.exit(3)
        print("got it", flush=True)
    """)
    with build.BuildLock(tmp_path, lang="en") as outer:
        with build.BuildLock(tmp_path):
            assert build.holds_lock(tmp_path)
        assert build.holds_lock(tmp_path)
        other = subprocess.run([sys.executable, "-c", holder], capture_output=True, text=True, timeout=20)
        assert other.returncode == 3 and "busy" in other.stdout
        assert outer is not None
    assert not build.holds_lock(tmp_path)
    other = subprocess.run([sys.executable, "-c", holder], capture_output=True, text=True, timeout=20)
    assert other.returncode == 0 and "got it" in other.stdout


def test_mkdocs_build_takes_the_lock_in_the_hook(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    """`mkdocs build` bypasses `aidcatalog build`: the hook waits before writing content/."""
    import importlib.util
    from types import SimpleNamespace

    project = copy_site_project(tmp_path / "p")
    spec = importlib.util.spec_from_file_location("catalog_hook_under_test", project / "hooks" / "catalog.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    config = SimpleNamespace(config_file_path=str(project / "mkdocs.yml"), docs_dir=str(project / "content"),
                             site_dir=str(project / "site"), site_url="https://aid.example.org/", plugins={})
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        from aidcatalog import build
        build.BuildLock({str(project)!r}).acquire(0)
        print("held", flush=True)
        time.sleep(60)
    """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        caplog.set_level("INFO")
        worker = threading.Thread(target=hook.on_pre_build, args=(config,))
        worker.start()
        time.sleep(1)
        assert worker.is_alive() and not (project / "content" / "index.md").exists()
        assert "một lần xây dựng khác đang chạy" in caplog.text
    finally:
        holder.kill()
        holder.wait()
    worker.join(30)
    assert not worker.is_alive()
    assert (project / "content" / "index.md").is_file()
    assert build.holds_lock(project)
    hook.on_build_error(RuntimeError("stop"))
    assert not build.holds_lock(project)


# --- 3. leftovers that blocked every later build ---------------------------------------------


def fake_mkdocs(monkeypatch: pytest.MonkeyPatch) -> None:
    """MkDocs' build replaced by one that writes a page: the swap is what these tests are about."""

    def fake_build(config, **kwargs):
        out = Path(config.site_dir)
        out.mkdir(parents=True)
        (out / "index.html").write_text("new", encoding="utf-8")

    monkeypatch.setattr("mkdocs.commands.build.build", fake_build)


@pytest.mark.parametrize("leftover", [".site.old", ".site.building", ".site.building-99999", ".site.old-12"])
@pytest.mark.parametrize("as_file", [False, True])
def test_leftovers_of_a_dead_build_are_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, leftover: str,
                                                as_file: bool):
    project = minimal_project(tmp_path)
    fake_mkdocs(monkeypatch)
    (project / "site").mkdir()
    stale = project / leftover
    if as_file:
        stale.write_text("junk", encoding="utf-8")
    else:
        (stale / "deep").mkdir(parents=True)
        (stale / "deep" / "page.html").write_text("junk", encoding="utf-8")
    for _ in range(2):  # and the build after it
        assert build.build_site(project / "mkdocs.yml") is True
        assert (project / "site" / "index.html").read_text(encoding="utf-8") == "new"
        assert sorted(p.name for p in project.iterdir()) == ["docs", "mkdocs.yml", "site"] or \
            sorted(p.name for p in project.iterdir()) == [".cache", "docs", "mkdocs.yml", "site"]


def test_a_file_named_site_is_replaced_and_the_next_build_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    project = minimal_project(tmp_path)
    fake_mkdocs(monkeypatch)
    (project / "site").write_text("not a folder", encoding="utf-8")
    for _ in range(2):
        assert build.build_site(project / "mkdocs.yml") is True
        assert (project / "site" / "index.html").read_text(encoding="utf-8") == "new"
        assert not build.leftovers(project / "site")


def test_a_site_that_cannot_be_replaced_stops_with_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               caplog: pytest.LogCaptureFixture):
    project = minimal_project(tmp_path)
    fake_mkdocs(monkeypatch)
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("old", encoding="utf-8")
    real = os.rename

    def refuse(src, dst, *args, **kwargs):
        if Path(src).name.startswith(".site.building") or Path(src).name == "site":
            raise PermissionError(1, "Operation not permitted", str(src))
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "rename", refuse)
    assert build.build_site(project / "mkdocs.yml", lang="en") is False
    said = caplog.text
    assert f"cannot replace {project / 'site'} with the new build (PermissionError: Operation not permitted)" in said
    assert f"delete {project / 'site'} by hand" in said and "Traceback" not in said
    assert (project / "site" / "index.html").read_text(encoding="utf-8") == "old"
    assert not build.leftovers(project / "site")

    monkeypatch.setattr(os, "rename", real)
    assert build.build_site(project / "mkdocs.yml") is True  # once fixed, the next build just works
    assert (project / "site" / "index.html").read_text(encoding="utf-8") == "new"


def test_a_leftover_that_cannot_be_removed_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    caplog: pytest.LogCaptureFixture):
    project = minimal_project(tmp_path)
    fake_mkdocs(monkeypatch)
    (project / "site").mkdir()
    (project / ".site.old").mkdir()
    real = shutil.rmtree

    def refuse(path, *args, **kwargs):
        if Path(path).name == ".site.old":
            raise PermissionError(1, "Operation not permitted", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(shutil, "rmtree", refuse)
    assert build.build_site(project / "mkdocs.yml", lang="vi") is False
    assert f"không xoá được {project / '.site.old'}" in caplog.text and "hãy tự xoá nó" in caplog.text
    assert list((project / "site").iterdir()) == []


# --- 2 (again) and 4: the PDF workers ---------------------------------------------------------


def children_of() -> dict[int, int]:
    """pid → parent pid of every live (not zombie) process, from /proc."""
    out = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            state, ppid = stat.rsplit(")", 1)[1].split()[:2]
            if state not in ("Z", "X"):
                out[int(entry)] = int(ppid)
    return out


def descendants(pid: int) -> set[int]:
    table, found, frontier = children_of(), set(), {pid}
    while frontier:
        frontier = {child for child, parent in table.items() if parent in frontier} - found
        found |= frontier
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_pdf_workers_end_with_a_killed_build(tmp_path: Path):
    """kill -9 of a build while its workers render: none of its processes lives on."""
    script = tmp_path / "slow_build.py"
    script.write_text(textwrap.dedent(f"""
        from pathlib import Path
        from aidcatalog import pdf

        if __name__ == "__main__":
            page = "<p>" + "Dự án nước sạch cho bản làng vùng cao. " * 400 + "</p>"
            jobs = {{str(i): pdf.Job(f"doc-{{i}}.pdf", "<html><body>" + page * 40 + "</body></html>",
                                    Path({str(tmp_path)!r}).as_uri() + "/", (str(pdf.FONT_DIR),))
                    for i in range(8)}}
            pdf._render_all(jobs, 2, pdf.BuildStats())
    """), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script)], cwd=REPO)
    family: set[int] = set()
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            family = descendants(proc.pid)
            workers = {p for p in family if children_of().get(p) in family}  # grandchildren: the pool's workers
            if len(workers) >= 2:
                break
            time.sleep(0.1)
        else:
            pytest.fail("no PDF workers started")
        time.sleep(0.5)  # rendering
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        killed = time.monotonic()
        while time.monotonic() < killed + 5 and set(children_of()) & family:
            time.sleep(0.05)
        left = set(children_of()) & family
        assert not left, f"still running after the build was killed: {left}"
    finally:
        proc.kill()
        for pid in set(children_of()) & (family | descendants(proc.pid)):
            os.kill(pid, signal.SIGKILL)


def test_a_document_needing_too_much_memory_fails_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from PIL import Image

    Image.new("RGB", (8000, 8000), (200, 30, 30)).save(tmp_path / "huge.png", compress_level=1)
    monkeypatch.setenv("AIDCATALOG_PDF_MEMORY_MB", "400")  # the baseline of a worker is well under 300 MiB
    page = '<html><body><p>Ảnh</p><img src="huge.png" style="width: 17cm"></body></html>'
    huge = pdf.Job("pdf/en/briefs/huge.pdf", page, tmp_path.as_uri() + "/", (str(pdf.FONT_DIR), str(tmp_path)))
    small = pdf.Job("pdf/en/briefs/small.pdf", "<p>ok</p>", tmp_path.as_uri() + "/", (str(pdf.FONT_DIR),))
    started = time.monotonic()
    with pytest.raises(pdf.PdfError) as failed:
        pdf._render_all({"huge": huge, "small": small}, 2, pdf.BuildStats())
    assert time.monotonic() - started < 30
    assert str(failed.value).startswith("pdf/en/briefs/huge.pdf needs more memory than allowed (400 MiB per PDF worker)")
    assert failed.value.text("vi").startswith("pdf/en/briefs/huge.pdf cần nhiều bộ nhớ hơn mức cho phép")
