"""`aidcatalog build`: all or nothing, and the same bytes every time."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from site_helpers import SITE_URL, Build, copy_site_project

from aidcatalog import pdf
from aidcatalog.build import build_site


def digest(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` → the hash of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def cli_build(project: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env.update(NO_MKDOCS_2_WARNING="1", SITE_URL=SITE_URL)
    return subprocess.run([sys.executable, "-m", "aidcatalog", "build", *extra], cwd=project, env=env,
                          capture_output=True, text=True, timeout=600, check=False)


@pytest.fixture(scope="module")
def built(example_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the example project with its finished site (and PDF cache)."""
    project = tmp_path_factory.mktemp("atomic") / "project"
    shutil.copytree(example_build.project, project, symlinks=True)
    return project


def test_invalid_catalogue_leaves_the_previous_site_as_it_was(built: Path):
    before = digest(built / "site")
    need = next((built / "catalog" / "needs" / "health").glob("*.yaml"))
    good = need.read_text(encoding="utf-8")
    need.write_text(good.replace("currency:", "curency:", 1), encoding="utf-8")
    try:
        result = cli_build(built, "--lang", "en")
    finally:
        need.write_text(good, encoding="utf-8")
    assert result.returncode == 1
    assert "trường lạ `curency`; có phải ý bạn là `currency`?" in result.stderr  # the catalogue's language
    assert "The site was not built; the previous site/ is kept as it was." in result.stderr
    assert "Traceback" not in result.stderr
    assert digest(built / "site") == before
    assert not (built / ".site.building").exists()


def test_failed_pdf_leaves_the_previous_site_as_it_was(built: Path, monkeypatch: pytest.MonkeyPatch):
    before = digest(built / "site")

    def broken(*args, **kwargs):
        raise RuntimeError("the font file is unreadable")

    monkeypatch.setattr(pdf, "build_pdfs", broken)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.chdir(built)
    assert build_site(built / "mkdocs.yml") is False
    assert digest(built / "site") == before
    assert not (built / ".site.building").exists()


def test_successful_build_replaces_the_site_as_a_whole(built: Path):
    stray = built / "site" / "left-over.html"
    stray.write_text("from an older build", encoding="utf-8")
    result = cli_build(built)
    assert result.returncode == 0, result.stderr
    assert not stray.exists()
    assert (built / "site" / "en" / "index.html").is_file()
    assert (built / "site" / pdf.catalogue_path("en")).is_file()
    assert not (built / ".site.building").exists() and not (built / ".site.old").exists()


def test_two_builds_of_the_same_sources_are_byte_identical(tmp_path: Path):
    first = copy_site_project(tmp_path / "a")
    second = copy_site_project(tmp_path / "b")
    for project in (first, second):  # no shared cache: every page and PDF is made twice
        result = cli_build(project)
        assert result.returncode == 0, result.stderr
    one, two = digest(first / "site"), digest(second / "site")
    assert one.keys() == two.keys()
    different = [name for name in one if one[name] != two[name]]
    assert different == []
    assert "sitemap.xml" in one and "pdf/vi/catalogue.pdf" in one
