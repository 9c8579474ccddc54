"""Check a built site: every internal link and anchor resolves, nothing is loaded from elsewhere.

    python -m aidcatalog.linkcheck site [--site-url https://example.org/]

A link is internal when it is relative, root-relative, or starts with the site's own URL. Links
to other sites are allowed in ``<a href>`` (a donor's website) but not as resources a page
loads (stylesheets, scripts, images, frames, fonts): the site makes no request elsewhere.
``javascript:`` URLs are always refused.
"""

from __future__ import annotations

import argparse
import posixpath
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

LOADING = {"script": "src", "img": "src", "iframe": "src", "source": "src", "audio": "src", "video": "src",
           "embed": "src", "object": "data", "input": "src", "track": "src"}
LOADING_RELS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest", "apple-touch-icon",
                "preconnect", "dns-prefetch"}
NOT_CHECKED = ("mailto:", "tel:", "data:")


@dataclass(frozen=True)
class Link:
    tag: str
    attr: str
    url: str
    loads: bool
    """A resource the browser fetches on its own (not a link a reader follows)."""


@dataclass(frozen=True)
class Broken:
    page: str
    url: str
    why: str

    def __str__(self) -> str:
        return f"{self.page}: {self.url}: {self.why}"


@dataclass
class Page:
    ids: set[str] = field(default_factory=set)
    links: list[Link] = field(default_factory=list)
    lang: str = ""


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.page.ids.add(a["id"])
        if tag == "a" and "name" in a:
            self.page.ids.add(a["name"])
        if tag == "html":
            self.page.lang = a.get("lang", "")
        if tag == "a" and "href" in a:
            self.page.links.append(Link(tag, "href", a["href"], False))
        elif tag == "link" and "href" in a:
            rels = set(a.get("rel", "").lower().split())
            self.page.links.append(Link(tag, "href", a["href"], bool(rels & LOADING_RELS)))
        elif tag == "form" and a.get("action"):
            self.page.links.append(Link(tag, "action", a["action"], False))
        elif tag in LOADING and a.get(LOADING[tag]):
            self.page.links.append(Link(tag, LOADING[tag], a[LOADING[tag]], True))
        if "srcset" in a:
            for part in a["srcset"].split(","):
                if part.strip():
                    self.page.links.append(Link(tag, "srcset", part.split()[0], True))
        style = a.get("style", "")
        if "url(" in style:
            self.page.links.append(Link(tag, "style", style.split("url(", 1)[1].split(")", 1)[0].strip("'\""), True))


def parse(path: Path) -> Page:
    parser = _Parser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return parser.page


def pages(site: Path) -> Iterator[Path]:
    yield from sorted(p for p in site.rglob("*.html") if "pagefind" not in p.relative_to(site).parts)


def check(site: Path | str, site_url: str | None = None) -> list[Broken]:
    """Every problem in the built ``site`` folder (empty when all is well)."""
    site = Path(site)
    parsed = {p.relative_to(site).as_posix(): parse(p) for p in pages(site)}
    own = urlsplit(site_url) if site_url else None
    problems: list[Broken] = []
    for rel, page in parsed.items():
        for link in page.links:
            why = _problem(site, rel, link, parsed, own)
            if why:
                problems.append(Broken(rel, link.url, why))
    return problems


def _problem(site: Path, rel: str, link: Link, parsed: dict[str, Page], own: object) -> str:
    url = link.url.strip()
    if url.lower().startswith("javascript:"):
        return "javascript: URL"
    if url.lower().startswith(NOT_CHECKED):
        return ""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        own_parts = own if own is not None else None
        if own_parts is not None and parts.netloc == own_parts.netloc and parts.path.startswith(own_parts.path):
            target = parts.path[len(own_parts.path.rstrip("/")):]
            return _resolve(site, "/" + target.lstrip("/"), parts.fragment, parsed, root=True)
        if link.loads:
            return "loads a resource from outside the site"
        return ""
    if not parts.path and not parts.fragment:
        return ""
    if parts.path.startswith("/"):
        return _resolve(site, parts.path, parts.fragment, parsed, root=True)
    base = posixpath.dirname(rel)
    target = posixpath.normpath(posixpath.join(base, unquote(parts.path))) if parts.path else rel
    if target.startswith(".."):
        return "leads outside the site"
    return _resolve(site, target, parts.fragment, parsed, root=False, same_page=rel if not parts.path else None)


def _resolve(site: Path, target: str, fragment: str, parsed: dict[str, Page], *, root: bool,
             same_page: str | None = None) -> str:
    if same_page is not None:
        file = same_page
    else:
        path = unquote(target).lstrip("/") if root else target
        candidate = site / path
        if path in ("", ".") or candidate.is_dir():
            file = posixpath.join(path, "index.html") if path not in ("", ".") else "index.html"
        else:
            file = path
        if not (site / file).is_file():
            return "no such file"
    if fragment and file.endswith(".html"):
        page = parsed.get(posixpath.normpath(file))
        if page is not None and unquote(fragment) not in page.ids:
            return f"no anchor #{fragment}"
    return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m aidcatalog.linkcheck", description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, nargs="?", default=Path("site"))
    parser.add_argument("--site-url", help="the site's own address, so that absolute links to it are checked too")
    args = parser.parse_args(argv)
    problems = check(args.site, args.site_url)
    for problem in problems:
        print(problem)
    print(f"{len(problems)} broken links in {sum(1 for _ in pages(args.site))} pages.")
    return 1 if problems else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
