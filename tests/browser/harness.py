"""A built site served on a local port, and Debian's chromium driven by Playwright: for the browser
tests (tests/browser/) and the scripts that look at the site (scripts/screenshots.py, scripts/lighthouse.py).

Playwright's own browser download is never used: it drives the system's ``chromium``
(``apt-get install chromium``), found by :func:`chromium_path`.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar

HERE = Path(__file__).resolve().parent
NODE_MODULES = HERE / "node_modules"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"]


def chromium_path() -> str | None:
    """The system's chromium (``CHROMIUM`` overrides), or None."""
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


class _Quiet(http.server.SimpleHTTPRequestHandler):
    extra: ClassVar[dict[str, Path]] = {}

    def log_message(self, *args: object) -> None:  # no access log in the test output
        pass

    def translate_path(self, path: str) -> str:
        added = self.extra.get(path.split("?", 1)[0])
        return str(added) if added is not None else super().translate_path(path)


@contextmanager
def serve(site: Path, extra: dict[str, Path] | None = None) -> Iterator[str]:
    """Serve ``site`` on 127.0.0.1 (a free port) in a thread; yields its base URL (ending with /).

    ``extra`` serves more files at addresses of their own (``{"/__axe.min.js": path}``): from the
    site's origin, which its Content-Security-Policy allows, and cached by the browser like the site's
    own files (Last-Modified), so that a script loaded into every page is compiled once per browser context."""
    handler = functools.partial(type("Handler", (_Quiet,), {"extra": dict(extra or {})}), directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def browser(executable: str | None = None) -> Iterator[object]:
    """One headless chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    path = executable or chromium_path()
    if path is None:
        raise RuntimeError("chromium is not installed (apt-get install chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=FLAGS, headless=True)
        try:
            yield b
        finally:
            b.close()
