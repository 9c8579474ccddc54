"""`aidcatalog build`: all or nothing, and the same bytes every time.

The mechanisms are tested on the small catalogue (``small_build``); the reproducibility of the
whole example site is compared on the example catalogue, its PDFs coming from the shared cache,
while the PDFs' own reproducibility is shown by two cold builds of the small catalogue.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from site_helpers import Build, cli_build, copy_site_project, copy_small_project, digest

from aidcatalog import pdf
from aidcatalog.build import build_site, source_date_epoch


@pytest.fixture(scope="module")
def built(small_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the small project with its finished site (and its PDF cache, shared)."""
    project = tmp_path_factory.mktemp("atomic") / "project"
    shutil.copytree(small_build.project, project, symlinks=True)
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

    monkeypatch.setattr(pdf.site, "build_pdfs", broken)  # the site step (aidcatalog.pdf.site) calls it
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    # build_site sets SOURCE_DATE_EPOCH in this process: set it here so that it is undone afterwards
    # (the builds that follow would otherwise date their PDFs by this project and miss the cache).
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(source_date_epoch(built)))
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


def same_bytes(first: Path, second: Path) -> dict[str, str]:
    one, two = digest(first), digest(second)
    assert one.keys() == two.keys()
    different = [name for name in one if one[name] != two[name]]
    assert different == []
    return one


def test_two_builds_of_the_same_sources_are_byte_identical(example_build: Build, small_build: Build, pdf_cache: Path,
                                                           tmp_path: Path):
    # The whole example site, built again in another folder: every page, index and PDF the same, though
    # example_build's internal records carry markers (internal data reaches no file). Its PDFs come from
    # the run's cache (they were rendered once, for example_build).
    again = copy_site_project(tmp_path / "b", pdf_cache)
    result = cli_build(again)
    assert result.returncode == 0, result.stderr
    one = same_bytes(example_build.site, again / "site")
    assert "sitemap.xml" in one and "pdf/vi/catalogue.pdf" in one

    # The PDFs rendered twice, in two processes, with no cache shared (no PDFs, font subsets or compiled
    # templates of the run's): the small catalogue.
    cold = copy_small_project(tmp_path / "small", shared=False)
    result = cli_build(cold)
    assert result.returncode == 0, result.stderr
    small = same_bytes(small_build.site, cold / "site")
    pdfs = {small[name] for name in small if name.endswith(".pdf")}
    assert len(pdfs) == 2 * 3 + 2  # three briefs and the catalogue, in two languages
    # Every one rendered by this build: none came from a cache, and each is in this build's own cache
    # (which also keeps the parts its catalogues are assembled from).
    assert "pdf: 8 rendered, 0 from the cache" in result.stderr
    assert pdfs <= set(digest(cold / ".cache" / "pdf").values())
