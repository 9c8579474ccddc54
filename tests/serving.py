"""`mkdocs serve` of a project copy, for the test of previews (tests/test_site.py) and the preview
benchmark (scripts/bench_serve.py): a free port, its output in a log file, and waits on what it serves.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path


class ServeError(RuntimeError):
    """The server ended, or a page did not show what was waited for: the message ends with its output."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, timeout: float = 120) -> str:
    """The page at ``url``, or "" while nothing is served there."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


@dataclass
class MkDocsServe:
    """``mkdocs serve`` (``--dirty`` when ``dirty``) of the project in ``where``, on a free port."""

    where: Path
    dirty: bool = True
    hook_free: bool = False
    """A project without the catalogue hook: nothing finishes after the pages (:meth:`settle`)."""
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    port: int = field(default_factory=free_port)
    log: Path = field(init=False)
    process: subprocess.Popen[bytes] = field(init=False)

    def __post_init__(self) -> None:
        self.log = self.where / f"serve-{'dirty' if self.dirty else 'plain'}.log"
        command = [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{self.port}"]
        if self.dirty:
            command.append("--dirty")
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(command, cwd=self.where, env=self.env, stdout=out,
                                            stderr=subprocess.STDOUT, start_new_session=True)

    def __enter__(self) -> MkDocsServe:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}"

    def page(self, path: str, timeout: float = 120) -> str:
        return fetch(self.url(path), timeout)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def builds(self) -> int:
        return self.output().count("Building documentation...")

    def wait_until(self, path: str, text: str, timeout: float = 600) -> float:
        """Poll ``path`` until it contains ``text``; the seconds it took."""
        start = time.perf_counter()
        while time.perf_counter() - start < timeout:
            if self.process.poll() is not None:
                raise ServeError(f"mkdocs serve ended ({self.process.returncode}):\n{self.output()[-3000:]}")
            page = self.page(path)
            if page and text in page:
                return time.perf_counter() - start
            time.sleep(0.05)
        raise ServeError(f"{path} did not show {text!r} within {timeout} s:\n{self.output()[-3000:]}")

    def settle(self, quiet: float = 2.0, timeout: float = 300) -> None:
        """Wait until the last build has ended, its search index and data files too (the hook finishes
        them after the pages are served), and no other build started for ``quiet`` seconds."""
        start, seen, since = time.perf_counter(), self.builds(), time.perf_counter()
        while time.perf_counter() - start < timeout:
            time.sleep(0.2)
            now = self.builds()
            tail = self.output().rsplit("Building documentation...", 1)[-1]
            ended = any(word in tail for word in ("Reloading browsers", "Serving on", "An error happened"))
            ended = ended and (self.hook_free or "Search index and data files updated" in tail)
            if now != seen:
                seen, since = now, time.perf_counter()
            elif ended and time.perf_counter() - since >= quiet:
                return
        raise ServeError(f"mkdocs serve did not settle within {timeout} s:\n{self.output()[-3000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
