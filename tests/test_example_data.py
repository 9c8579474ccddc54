"""Facts about the example data shipped in catalog/: what the issue asked of it, and what is made of it.

These tests fail when the example entries change, not when the code does: a new example entry
may need a number here updated. The code's behaviour is tested on catalogues written by the
tests themselves (tests/test_pdf.py, tests/test_validate.py) or on the example catalogue's site
(``example_build``, tests/test_site.py).
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from catalog_helpers import CATALOG
from pypdf import PdfReader
from site_helpers import BRIEF_MAX_BYTES, BRIEF_MAX_PAGES, Build, assert_contents_match, in_ci

from aidcatalog import languages, pdf
from aidcatalog.validate import validate


def test_shipped_catalogue_meets_the_brief():
    cat = validate(CATALOG).catalogue
    assert cat is not None
    assert len(cat.needs) >= 24
    assert len({n.sectors[0] for n in cat.needs.values()}) >= 8
    assert len({t for n in cat.needs.values() for t in n.themes}) >= 6
    assert len(cat.stories) >= 6
    provinces = {cat.localities[loc.commune].former.province.id for n in cat.needs.values() for loc in n.locations}
    assert provinces == {"phu-tho-province", "vinh-phuc-province", "hoa-binh-province"}
    assert cat.site.illustrative is True
    assert len(cat.localities) == 148


def test_example_catalogue_briefs_stay_within_bounds(example_build: Build, example_catalogue) -> None:
    """Every brief of the shipped example catalogue: at most two pages, small enough to e-mail.

    The PDFs are the ones the session's site build made (rendered once, see tests/conftest.py).
    """
    cat = example_catalogue
    site = example_build.site
    paths = sorted(site.glob("pdf/*/briefs/*.pdf")) + sorted(site.glob("pdf/*/catalogue.pdf"))
    expected = {site / pdf.brief_path(lang, i) for lang in languages.DEFAULT.codes for i in cat.needs}
    expected |= {site / pdf.catalogue_path(lang) for lang in languages.DEFAULT.codes}
    assert set(paths) == expected
    for path in paths:
        reader = PdfReader(path)
        if path.parent.name == "briefs":
            assert len(reader.pages) <= BRIEF_MAX_PAGES, path
            assert path.stat().st_size < BRIEF_MAX_BYTES, path
        else:
            assert len(reader.pages) <= 4 + 3 * (len(cat.needs) + len(cat.stories)) + 2 * len(cat.vocab["sectors"])
            assert_contents_match(path)


def test_localities_file_is_what_the_script_generates():
    """The README says `scripts/update_localities.py --check` tells whether the file is current."""
    script = CATALOG.parent / "scripts" / "update_localities.py"
    result = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True, timeout=300,
                            check=False)
    if result.returncode not in (0, 1) and not in_ci():
        pytest.skip("the pre-merger gazetteer could not be downloaded here")
    assert result.returncode == 0, result.stdout + result.stderr
