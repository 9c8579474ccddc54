"""A catalogue assembled from parts rendered separately, so that editing one entry re-lays only its part.

Every part of a catalogue starts a page, and only a part does: the template gives the block
that starts one the class ``part-start`` (``break-before: page``), so the catalogue can be cut
there without changing a line of its layout. Between two parts the blocks (a sector's overview,
its entries, the next sector…) follow one another on the page, each after a rule, so that a
need of a page and a bit leaves no near-empty page behind it:

- the **front** (cover, letter, contents): the contents print page numbers, so it is rendered
  last, with the numbers written into the links (``data-page``) instead of ``target-counter``;
- the introduction and the contact page, each alone;
- the **sectors, their entries and the model projects** in between, in chunks cut where a
  block's anchor hashes to 0 modulo :data:`CHUNK` (:func:`starts_part`; the first sector always
  starts one), and after :data:`MOST_BLOCKS` blocks at most (:class:`Chunks`): adding or removing
  an entry changes one chunk, and moves no boundary past the next one its hash sets;
- an **overlay** of page numbers ("page X of Y"), one blank page per page, stamped onto the
  pages while merging. No part prints its own page number, so a part that grows by a page
  shifts nothing else: only the contents and the overlay (a fraction of a second of layout)
  are made again.

A part's running head (``string(section, start)``: the section the page starts in) is, when the
part opens with an entry, the last section title before it, set on that entry; links to another
part become ``aidpart:<anchor>`` links and are turned back into links to the named destination
when merging. Each rendered part comes with its
:class:`Layout` (page names, bookmarks with their levels, anchors), from which the merge
rebuilds the whole outline and the named destinations. pypdf merges; the result is byte-identical
for the same parts.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .document import css_string

CHUNK = 8
"""Entries per part, on average (content-defined boundaries)."""
MOST_BLOCKS = 2 * CHUNK
"""Blocks (sectors, entries) per part at most: an unlucky run of hashes does not make one part of half the
catalogue, re-rendered whole for any edit in it."""

LINK_SCHEME = "aidpart:"
"""Links to an anchor in another part, while the parts are rendered apart."""

_BLOCK = re.compile(r"\n(?=<section[\s>]|<div class=\"entry[\s\"])")
_STARTS = re.compile(r'<(?:section|div) class="[^"]*\bpart-start\b')
_BODY = re.compile(r"<body[^>]*>")
_ID = re.compile(r'\sid="([^"]+)"')
_HREF = re.compile(r'href="#([^"]+)"')
_SECTION_TITLE = re.compile(r'<h1 class="[^"]*\bsection-title\b[^"]*"[^>]*>(.*?)</h1>', re.S)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Layout:
    """What the merge needs of a rendered part: per page, its name, bookmarks and anchors (PDF points)."""

    names: tuple[str, ...]
    marks: tuple[tuple[int, int, str, float, float], ...]
    """(page index, level, label, x, y)"""
    anchors: tuple[tuple[int, str, float, float], ...]
    """(page index, name, x, y)"""

    @property
    def pages(self) -> int:
        return len(self.names)

    def dumps(self) -> str:
        return json.dumps({"names": self.names, "marks": self.marks, "anchors": self.anchors}, ensure_ascii=False)

    @classmethod
    def loads(cls, text: str) -> Layout:
        data = json.loads(text)
        return cls(tuple(data["names"]), tuple(tuple(m) for m in data["marks"]),  # type: ignore[misc]
                   tuple(tuple(a) for a in data["anchors"]))  # type: ignore[misc]

    @classmethod
    def of(cls, document: Any) -> Layout:
        """From a rendered WeasyPrint document (the transform WeasyPrint's PDF writer applies, at zoom 1)."""
        names, marks, anchors = [], [], []
        for i, page in enumerate(document.pages):
            names.append(page._page_box.page_type.name or "")
            for level, label, (x, y), _state in page.bookmarks:
                marks.append((i, level, label, round(x * 0.75, 3), round((page.height - y) * 0.75, 3)))
            for name, (x, y, *_rest) in page.anchors.items():
                anchors.append((i, name, round(x * 0.75, 3), round((page.height - y) * 0.75, 3)))
        return cls(tuple(names), tuple(marks), tuple(anchors))


@dataclass
class Split:
    """A catalogue's HTML cut into its front and its parts."""

    head: str
    """Everything before the body's content (doctype, head, ``<body …>``)."""
    front: list[str]
    parts: list[list[str]] = field(default_factory=list)
    before: list[str] = field(default_factory=list)
    """Per part: the running head's text carried into it (the last section title before it)."""


def split(html: str) -> Split:
    body = _BODY.search(html)
    end = html.rfind("</body>")
    if body is None or end < 0:
        raise ValueError("not a catalogue: no <body>")
    head, inner = html[: body.end()], html[body.end(): end]
    blocks = [b for b in _BLOCK.split(inner) if b.strip()]
    toc = next((i for i, b in enumerate(blocks) if 'class="toc' in b.split(">", 1)[0]), 0)
    out = Split(head, blocks[: toc + 1])
    title = _last_title(out.front, "")
    current: list[str] = []
    for block in blocks[toc + 1:]:
        if current and _STARTS.match(block):
            out.parts.append(current)
            current = []
        if not current:
            out.before.append(title)
        current.append(block)
        title = _last_title([block], title)
    if current:
        out.parts.append(current)
    return out


class Chunks:
    """Which blocks of a catalogue start a part, asked once per block in their order (the template's
    ``part_start``): where the anchor's hash says so (:func:`starts_part`), when asked to (the first sector),
    or after :data:`MOST_BLOCKS` blocks without a start."""

    def __init__(self) -> None:
        self.size = 0

    def __call__(self, anchor: str, force: bool = False) -> bool:
        start = force or self.size >= MOST_BLOCKS or starts_part(anchor)
        self.size = 1 if start else self.size + 1
        return start


def starts_part(anchor: str) -> bool:
    """Whether the block whose anchor is ``anchor`` (``need-<id>``, ``sector-<id>``…) starts a chunk, and so a
    page: the template marks it (``part-start``), so that one rendering breaks its pages where the parts do."""
    return hashlib.sha256(anchor.encode()).digest()[0] % CHUNK == 0


def _last_title(blocks: Sequence[str], title: str) -> str:
    for block in blocks:
        for match in _SECTION_TITLE.finditer(block):
            title = html_lib.unescape(_TAG.sub("", match.group(1))).strip()
    return title


def _ids(blocks: Sequence[str]) -> set[str]:
    return {m.group(1) for b in blocks for m in _ID.finditer(b)}


def _with_style(head: str, css: str) -> str:
    """``head`` (up to and with ``<body>``) with one more style element at the end of ``<head>``."""
    at = head.rfind("</head>")
    return head[:at] + f"<style>\n{css}\n</style>\n" + head[at:]


NO_PAGE_NUMBER = "@page { @bottom-right { content: none; } }"


def part_html(split_: Split, index: int) -> str:
    """The HTML of one part: the catalogue's head, the running head carried in, its blocks, links to other parts."""
    blocks = split_.parts[index]
    css = [NO_PAGE_NUMBER]
    if not _SECTION_TITLE.search(blocks[0]) and split_.before[index]:  # it opens with an entry, not a section
        # on the entry, not the root: WeasyPrint records a string set on every page its box is on
        css.append(f"body > :first-child {{ string-set: section {css_string(split_.before[index])}; }}")
    own = _ids(blocks)
    text = "\n".join(blocks)
    text = _HREF.sub(lambda m: m.group(0) if m.group(1) in own else f'href="{LINK_SCHEME}{m.group(1)}"', text)
    return _with_style(split_.head, "\n".join(css)) + text + "\n</body>\n</html>\n"


def front_html(split_: Split, numbers: dict[str, int]) -> str:
    """The front (cover, contents): links to other parts carry the page of their anchor, printed by the contents."""
    own = _ids(split_.front)

    def link(m: re.Match[str]) -> str:
        anchor = m.group(1)
        if anchor in own:
            return m.group(0)
        page = f' data-page="{numbers[anchor]}"' if anchor in numbers else ""
        return f'href="{LINK_SCHEME}{anchor}"{page}'

    text = _HREF.sub(link, "\n".join(split_.front))
    css = NO_PAGE_NUMBER + '\n.toc-list a[data-page]::after { content: leader(".") attr(data-page); }'
    return _with_style(split_.head, css) + text + "\n</body>\n</html>\n"


def overlay_html(split_: Split, names: Sequence[str]) -> str:
    """One blank page per page of the catalogue, named like it, with only the page number in its margin."""
    kinds = sorted({n for n in names if n})
    css = ["@page { @top-left { content: none; } @top-right { content: none; } @bottom-left { content: none; } }",
           "body > div + div { break-before: page; }",
           *(f".page-{i} {{ page: {name}; }}" for i, name in enumerate(kinds))]
    pages = "".join(f'<div class="page-{kinds.index(n)}"></div>' if n else "<div></div>" for n in names)
    head = _with_style(split_.head, "\n".join(css))
    return head + pages + "\n</body>\n</html>\n"


def numbers(front_pages: int, layouts: Sequence[Layout]) -> dict[str, int]:
    """The 1-based page of every anchor of the parts after a front of ``front_pages`` pages."""
    out: dict[str, int] = {}
    offset = front_pages
    for layout in layouts:
        for page, name, _x, _y in layout.anchors:
            out.setdefault(name, offset + page + 1)
        offset += layout.pages
    return out


def merge(front: tuple[bytes, Layout], parts: Sequence[tuple[bytes, Layout]], overlay: bytes) -> bytes:
    """One PDF: the front then the parts, the page numbers stamped, the outline and destinations rebuilt."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        Fit,
        FloatObject,
        NameObject,
        TextStringObject,
    )

    writer = PdfWriter()
    first = PdfReader(io.BytesIO(front[0]))
    marks: list[tuple[int, int, str, float, float]] = []
    anchors: dict[str, tuple[int, float, float]] = {}
    offset = 0
    for data, layout in [front, *parts]:
        reader = first if data is front[0] else PdfReader(io.BytesIO(data))
        for page in reader.pages:
            writer.add_page(page)
        for page_index, level, label, x, y in layout.marks:
            marks.append((offset + page_index, level, label, x, y))
        for page_index, name, x, y in layout.anchors:
            anchors.setdefault(name, (offset + page_index, x, y))
        offset += layout.pages

    numbered = PdfReader(io.BytesIO(overlay))
    for i, page in enumerate(writer.pages):
        _stamp(writer, page, i, numbered.pages[i], DecodedStreamObject, DictionaryObject, ArrayObject, NameObject)
        for annot in page.get("/Annots", ArrayObject()):
            annot = annot.get_object()
            action = annot.get("/A")
            uri = action.get_object().get("/URI") if action is not None else None
            if isinstance(uri, str) and uri.startswith(LINK_SCHEME):
                del annot[NameObject("/A")]
                annot[NameObject("/Dest")] = TextStringObject(uri[len(LINK_SCHEME):])

    for name in sorted(anchors):
        page_index, x, y = anchors[name]
        writer.add_named_destination_array(TextStringObject(name), ArrayObject([
            writer.pages[page_index].indirect_reference, NameObject("/XYZ"), FloatObject(x), FloatObject(y),
            FloatObject(0)]))
    parents: list[tuple[int, Any]] = []
    for page_index, level, label, x, y in marks:
        while parents and parents[-1][0] >= level:
            parents.pop()
        item = writer.add_outline_item(title=label, page_number=page_index, parent=parents[-1][1] if parents else None,
                                       fit=Fit.xyz(left=x, top=y, zoom=0))
        parents.append((level, item))
    info = first.metadata or {}
    writer.add_metadata({k: v for k, v in info.items()})
    root = first.trailer["/Root"]
    for key in ("/Lang", "/ViewerPreferences"):
        if key in root:
            writer._root_object[NameObject(key)] = root[key]
    if marks:
        writer._root_object[NameObject("/PageMode")] = NameObject("/UseOutlines")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _stamp(writer: Any, page: Any, index: int, numbered: Any, stream: Any, dictionary: Any, array: Any,
           name: Any) -> None:
    """Draw ``numbered`` (a page of the overlay) on ``page``, as a form XObject after its own content.

    The form's name is the page's own (``/AcPageNumber<index>``): the pages of one part share their
    resources, so one name for all would print the part's last number on each of its pages."""
    own = name(f"/AcPageNumber{index}")
    form = stream()
    form.set_data(numbered.get_contents().get_data() if numbered.get_contents() is not None else b"")
    form.update({
        name("/Type"): name("/XObject"), name("/Subtype"): name("/Form"),
        name("/BBox"): numbered.mediabox,
        name("/Resources"): numbered["/Resources"].clone(writer),
    })
    form_ref = writer._add_object(form)
    resources = page["/Resources"].get_object()
    xobjects = resources.get("/XObject")
    if xobjects is None:
        xobjects = dictionary()
        resources[name("/XObject")] = xobjects
    xobjects = xobjects.get_object()
    xobjects[own] = form_ref
    contents = page[name("/Contents")]
    items = list(contents.get_object()) if isinstance(contents.get_object(), list) else [contents]
    before, after = stream(), stream()
    before.set_data(b"q\n")
    after.set_data(b"\nQ q " + own.encode() + b" Do Q\n")
    page[name("/Contents")] = array([writer._add_object(before), *items, writer._add_object(after)])
