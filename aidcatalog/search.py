"""The site's search: a Pagefind index per language, made from the built pages.

Why Pagefind and not Material's own search (measured with ``scripts/bench_site.py --search``):

- one index per language: the Vietnamese pages are searched from ``/pagefind/``, the English
  ones from ``/en/pagefind/``, so an English query only ever meets English pages. Material
  writes one ``search_index.json`` for both languages and mixes them in its results;
- diacritics are folded: ``nuoc sach`` finds ``nước sạch``. Pagefind leaves ``đ`` alone (it has
  no decomposition), so every page also carries, hidden, its words with ``đ`` written ``d``
  (:func:`d_words`, ``overrides/main.html``): ``da bac`` finds ``Đà Bắc``. lunr (``lang: vi``)
  folds nothing; doing it by hand means a second copy of the text in a single index that
  every visitor downloads whole;
- the index is split into chunks fetched on demand (the largest ~0.2 MB at 1,000 needs), where
  Material's ``search_index.json`` (16 MB at 1,000 needs) is downloaded whole before the
  first result;
- it costs less: Material's plugin adds ~3–4 ms a page inside the build; Pagefind runs outside
  it, one language while MkDocs builds the next.

Only the element marked ``data-pagefind-body`` (the article, see ``overrides/main.html``) is
indexed, card lists are skipped (``data-pagefind-ignore``) so that a query finds the project's
own page first.

No Pagefind filters (``data-pagefind-filter``): Pagefind 1.5 writes its filter and metadata
files in a different order on every run, which would break byte-identical builds; sector, theme
and place have pages of their own. Without filters the index is the same bytes every time
(``tests/test_build.py``).
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .languages import Languages, active

BUNDLE = "pagefind"
"""Folder of a language's index and search UI, inside that language's root."""


_LETTERS = re.compile(r"[^\W\d_]*")  # a word's letters (what \w matches, less digits and _)
_D = re.compile(r"[đĐ]")
_TAG = re.compile(r"<[^>]*>")


def d_words(page_html: str) -> str:
    """The page's words that contain ``đ``, with ``d`` instead: ``Đà đường`` → ``Dà dường``.

    Indexed beside the text so that people typing without accents find them; Pagefind folds
    the other marks itself. (Every page runs through this: each ``đ`` is found and its word
    grown both ways, rather than trying a word pattern at every letter of the page.)
    """
    if "&" not in page_html and "đ" not in page_html and "Đ" not in page_html:
        return ""
    text = html.unescape(_TAG.sub(" ", page_html))
    words, at = [], 0
    while (found := _D.search(text, at)) is not None:
        start = found.start()
        while start > 0 and text[start - 1].isalnum() and not text[start - 1].isdecimal():
            start -= 1
        at = _LETTERS.match(text, found.end()).end()  # type: ignore[union-attr]  # matches, if only ""
        words.append(text[start:at])
    return " ".join(dict.fromkeys(w.replace("đ", "d").replace("Đ", "D") for w in words))


class SearchError(RuntimeError):
    """Pagefind failed; the message holds its output."""


@dataclass
class Job:
    lang: str
    root: Path
    process: subprocess.Popen[bytes]


def language_root(site_dir: Path, lang: str, default: str) -> Path:
    return Path(site_dir) if lang == default else Path(site_dir) / lang


def start(site_dir: Path, lang: str, default: str, others: list[str]) -> Job:
    """Index one language's built pages in the background; :func:`finish` waits for it."""
    root = language_root(site_dir, lang, default)
    command = [sys.executable, "-m", "pagefind", "--site", str(root), "--output-subdir", BUNDLE, "--quiet"]
    if lang == default:  # the other languages live in folders under the default one's root
        skip = {*others, BUNDLE}
        parts = ["*.html", *(f"{d.name}/**/*.html" for d in sorted(root.iterdir()) if d.is_dir() and d.name not in skip)]
        command += ["--glob", "{" + ",".join(parts) + "}"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return Job(lang, root, process)


def finish(jobs: list[Job]) -> str:
    """Wait for every index; a one-line summary (pages per language), or :class:`SearchError`."""
    failed = []
    for job in jobs:
        output, _ = job.process.communicate()
        if job.process.returncode != 0:
            failed.append(f"pagefind ({job.lang}) failed ({job.process.returncode}):\n{output.decode(errors='replace')}")
    if failed:
        raise SearchError("\n".join(failed))
    return ", ".join(f"{job.lang}: {pages(job.root)[job.lang]} pages" for job in jobs)


def stop(jobs: list[Job]) -> None:
    """A build failed: end the indexers it started."""
    for job in jobs:
        if job.process.poll() is None:
            job.process.kill()
            job.process.wait()


def pages(root: Path) -> dict[str, int]:
    """Pages per language in the bundle under ``root``."""
    entry = json.loads((Path(root) / BUNDLE / "pagefind-entry.json").read_text(encoding="utf-8"))
    return {lang: info["page_count"] for lang, info in entry["languages"].items()}


def index(site_dir: Path, declared: Languages | None = None) -> str:
    """Index a built site in one go (what the hook does in two steps, for scripts and tests)."""
    declared = declared or active()
    codes, default = declared.codes, declared.default.code
    jobs = [start(site_dir, lang, default, [o for o in codes if o != default]) for lang in codes]
    return finish(jobs)
