"""An atomic, reproducible, one-at-a-time site build: the whole new site, or the old one untouched.

MkDocs writes pages into ``site_dir`` as it goes, so a build that fails half-way (an invalid
catalogue, a template error, a PDF that cannot be made) would leave a half-written site. Here
MkDocs builds into a staging folder beside it (``.site.building-<pid>``); only a build that
finished replaces ``site/``, in two renames.

**One build at a time.** A build holds an exclusive lock on ``.cache/build.lock`` in the project
(``fcntl.flock``: the system drops it when the process ends, however it ends) from before the
generated pages are written into ``content/`` until ``site/`` is swapped in. A second build waits
for it, saying so on stderr (``--wait SECONDS`` bounds the wait). ``mkdocs build`` and
``mkdocs serve`` take the same lock in the hook (``hooks/catalog.py``).

**Leftovers are harmless.** Under the lock no other build can be running, so every staging or
old folder beside ``site/`` (``.site.building*``, ``.site.old*``) is a dead build's and is removed
first. What cannot be removed or replaced stops the build with a message naming the path.

Dates written into the output (sitemap, PDF metadata) come from ``SOURCE_DATE_EPOCH``: when it
is not set, the time of the last git commit, else the newest ``last_reviewed`` of the catalogue,
so two builds of the same commit are byte-identical.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from . import languages
from .labels import t

log = logging.getLogger("aidcatalog.build")

LOCK_FILE = Path(".cache") / "build.lock"
"""Relative to the project (the folder of ``mkdocs.yml``)."""
LOCK_POLL_SECONDS = 0.2



def message(key: str, lang: str, **params: object) -> str:
    """A message of the build (labels ``build.<key>``) in ``lang``."""
    return t(f"build.{key}", lang or languages.active().default, **params)


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return f"{type(exc).__name__}: {exc.strerror}"
    return f"{type(exc).__name__}: {exc}".rstrip(": ")


# --- one build at a time ------------------------------------------------------------------


class BuildBusy(Exception):
    """Another build holds the lock (after waiting as long as allowed), or the lock cannot be taken."""


_held: dict[str, list[int]] = {}  # lock file → [fd, how many times this process took it]
_held_guard = threading.Lock()


def lock_path(project: Path) -> Path:
    return Path(project).resolve() / LOCK_FILE


def _stderr(text: str) -> None:
    print(f"aidcatalog: {text}", file=sys.stderr, flush=True)


class BuildLock:
    """The project's build lock: exclusive between processes, re-entrant within one.

    ``acquire`` waits for another process's build (``wait`` seconds at most; None: as long as it
    takes; 0: not at all), telling ``notify`` once that it waits. Raises :class:`BuildBusy`.
    """

    def __init__(self, project: Path, *, lang: str | None = None, notify: Callable[[str], None] = _stderr):
        self.path = lock_path(project)
        self.lang = lang
        self.notify = notify
        self._key = str(self.path)
        self._taken = False

    def acquire(self, wait: float | None = None) -> BuildLock:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX: no lock
            return self
        with _held_guard:
            if self._key in _held:
                _held[self._key][1] += 1
                self._taken = True
                return self
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        except OSError as exc:
            raise BuildBusy(message("lock-failed", self.lang, path=self.path, error=_error_text(exc))) from None
        try:
            self._wait_for(fd, fcntl, wait)
        except BaseException:
            os.close(fd)
            raise
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        with _held_guard:
            _held[self._key] = [fd, 1]
        self._taken = True
        return self

    def _wait_for(self, fd: int, fcntl: object, wait: float | None) -> None:
        flock, exclusive = fcntl.flock, fcntl.LOCK_EX | fcntl.LOCK_NB  # type: ignore[attr-defined]
        started, told = time.monotonic(), False
        while True:
            try:
                flock(fd, exclusive)
                return
            except BlockingIOError:
                pass
            waited = time.monotonic() - started
            if wait is not None and waited >= wait:
                raise BuildBusy(message("busy", self.lang, who=self._who(fd), seconds=f"{waited:.0f}"))
            if not told:
                self.notify(message("waiting", self.lang, who=self._who(fd)))
                told = True
            time.sleep(LOCK_POLL_SECONDS)

    def _who(self, fd: int) -> str:
        try:
            pid = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        except OSError:
            pid = ""
        return message("who", self.lang, pid=pid) if pid.isdigit() else ""

    def release(self) -> None:
        if not self._taken:
            return
        self._taken = False
        with _held_guard:
            entry = _held.get(self._key)
            if entry is None:
                return
            entry[1] -= 1
            if entry[1] > 0:
                return
            del _held[self._key]
        os.close(entry[0])  # closing the only descriptor drops the flock

    def __enter__(self) -> BuildLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def holds_lock(project: Path) -> bool:
    """Whether this process holds the project's build lock."""
    return str(lock_path(project)) in _held


# --- dates --------------------------------------------------------------------------------


def source_date_epoch(project: Path) -> int:
    """The moment the output claims to be from (seconds since 1970, UTC)."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=project, capture_output=True, text=True,
                             check=True, timeout=10).stdout.strip()
        if out.isdigit():
            return int(out)
    except (OSError, subprocess.SubprocessError):
        pass
    newest = dt.date(2025, 7, 1)
    for path in (project / "catalog").rglob("*.y*ml"):
        try:
            for found in re.findall(r"^last_reviewed:\s*(\d{4}-\d{2}-\d{2})", path.read_text(encoding="utf-8"), re.M):
                newest = max(newest, dt.date.fromisoformat(found))
        except (OSError, UnicodeDecodeError, ValueError):
            continue
    return int(dt.datetime(newest.year, newest.month, newest.day, tzinfo=dt.UTC).timestamp())


# --- the build ----------------------------------------------------------------------------


def build_site(config_file: Path, site_dir: Path | None = None, *, strict: bool = True, lang: str | None = None,
               wait: float | None = None) -> bool:
    """Build into a staging folder and swap it in. True on success; on failure ``site_dir`` is untouched.

    Waits for another build of the same project first (``wait`` seconds at most; None: no limit).
    Every failure is logged (``aidcatalog.build``, in ``lang`` for our own messages); nothing raises
    but an interrupt.
    """
    project = Path(config_file).resolve().parent
    try:
        lock = BuildLock(project, lang=lang).acquire(wait)
    except BuildBusy as exc:
        log.error(str(exc))
        return False
    try:
        return _build_locked(Path(config_file), project, site_dir, strict=strict, lang=lang)
    finally:
        lock.release()


def _build_locked(config_file: Path, project: Path, site_dir: Path | None, *, strict: bool, lang: str) -> bool:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    os.environ["SOURCE_DATE_EPOCH"] = str(source_date_epoch(project))
    target = Path(site_dir or _configured_site_dir(config_file)).resolve()
    problem = clear_leftovers(target, lang)
    if problem:
        log.error(problem)
        return False
    staging = target.with_name(f".{target.name}.building-{os.getpid()}")
    try:
        config = load_config(str(config_file), site_dir=str(staging), strict=strict)
        build(config)
    except (MkDocsException, OSError) as exc:
        _remove(staging)
        text = str(exc).strip()
        if text:
            log.error(text)
        return False
    except Exception as exc:  # a bug or a library's surprise: a message, not a traceback
        _remove(staging)
        log.error(message("unexpected", lang, error=_error_text(exc)))
        log.debug("unexpected error", exc_info=True)
        return False
    except BaseException:
        _remove(staging)
        raise
    problem = swap(staging, target, lang)
    if problem:
        log.error(problem)
        return False
    return True


_LEFTOVER = re.compile(r"\.(?P<name>.+)\.(building|old)(-\d+)?")


def leftovers(target: Path) -> list[Path]:
    """Staging and old folders of earlier builds beside ``target`` (``.site.building-123``, ``.site.old``)."""
    try:
        names = os.listdir(target.parent)
    except OSError:
        return []
    out = []
    for name in sorted(names):
        found = _LEFTOVER.fullmatch(name)
        if found and found["name"] == target.name:
            out.append(target.parent / name)
    return out


def clear_leftovers(target: Path, lang: str) -> str | None:
    """Remove what dead builds left beside ``target``; a message naming what could not be removed."""
    for path in leftovers(target):
        error = _remove(path)
        if error is not None:
            return message("leftover", lang, path=path, error=_error_text(error))
    return None


def swap(staging: Path, target: Path, lang: str) -> str | None:
    """Put ``staging`` in the place of ``target`` (a folder, a file or nothing). A message if it cannot be done;
    then ``target`` is as it was and ``staging`` is gone."""
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    moved = False
    try:
        if os.path.lexists(target):
            os.rename(target, old)
            moved = True
        os.rename(staging, target)
    except OSError as exc:
        problem = message("swap", lang, target=target, parent=target.parent, error=_error_text(exc))
        if moved:
            try:
                os.rename(old, target)
            except OSError:
                problem += "; " + message("swap-back", lang, old=old, target=target)
        _remove(staging)
        return problem
    if moved and _remove(old) is not None:
        log.debug("%s is left behind; the next build removes it", old)
    return None


def _remove(path: Path) -> OSError | None:
    """Delete a file, link or folder; the error if it (or part of it) could not be deleted."""
    try:
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
        elif os.path.lexists(path):
            os.unlink(path)
    except OSError as exc:
        return exc
    return None


def _configured_site_dir(config_file: Path) -> Path:
    import yaml

    class _Loose(yaml.SafeLoader):
        """mkdocs.yml may hold !ENV and !!python/name tags: read past them, we only want site_dir."""

    _Loose.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_Loose)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        data = None  # MkDocs reports what is wrong with the file when it reads it
    name = (data.get("site_dir") if isinstance(data, dict) else None) or "site"
    return config_file.resolve().parent / str(name)
