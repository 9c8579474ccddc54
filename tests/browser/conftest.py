"""The browser tests' session: the example site (``example_build``) served by a local http.server thread,
and one headless Debian chromium driven by Playwright. Missing chromium or Playwright: skipped on a laptop,
failed under ``CI=true`` (tests/site_helpers.py, ``require``)."""

from __future__ import annotations

import pytest
from harness import NODE_MODULES, browser, chromium_path, serve
from site_helpers import Build, in_ci

AXE = NODE_MODULES / "axe-core" / "axe.min.js"


def _missing(message: str) -> None:
    if in_ci():
        pytest.fail(f"{message}; CI must have it (.ci/run installs it)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def base_url(example_build: Build):
    """The example site's address; axe-core's script is served beside it, at ``__axe.min.js``."""
    with serve(example_build.site, {"/__axe.min.js": AXE}) as url:
        yield url


@pytest.fixture(scope="session")
def chromium():
    path = chromium_path()
    if path is None:
        _missing("chromium is not installed (apt-get install chromium)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        _missing("Playwright for Python is not installed (pip install -e '.[test]')")
    with browser(path) as b:
        yield b


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe_url(base_url: str) -> str:
    if not AXE.is_file():
        _missing("axe-core is not installed (npm ci in tests/browser)")
    return base_url + "__axe.min.js"
