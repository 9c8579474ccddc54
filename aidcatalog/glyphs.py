"""Before a PDF is laid out: can its fonts draw every character of its language's texts?

A font that lacks a character makes WeasyPrint draw an empty box (or fall back to whatever
font the machine has), and a partner would receive a PDF with holes in it. So the PDF step
first gathers the characters each language's texts use — every text of the published entries
and of ``site.yaml`` in that language (a missing optional translation counts in its fallback's
language), and the interface words — and compares them with the fonts' character maps. What
is missing stops the step with a message naming the language, the characters and the fonts
tried.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from . import languages
from .catalogue import Catalogue
from .labels import LABELS, t
from .model import LanguageDecl, Text

IGNORED = {"Cc", "Cf", "Zl", "Zp"}
"""Unicode categories nothing is drawn for (controls, format characters, separators)."""


class GlyphError(RuntimeError):
    """Some characters of a language cannot be drawn with the PDF fonts."""

    def __init__(self, lang: str, missing: str, fonts: Iterable[str]):
        self.lang, self.missing, self.fonts = lang, missing, tuple(fonts)
        super().__init__(self.text(languages.SOURCE))

    def text(self, lang: str) -> str:
        shown = " ".join(f"{c} (U+{ord(c):04X})" for c in self.missing[:12]) + (" …" if len(self.missing) > 12 else "")
        return t("pdf.glyphs_missing", lang, language=languages.LanguageName(self.lang).localize(lang),
                 characters=shown, count=len(self.missing), fonts=", ".join(self.fonts))


@cache
def coverage(font_files: tuple[Path, ...]) -> frozenset[int]:
    """Every code point the fonts can draw."""
    from fontTools.ttLib import TTFont

    points: set[int] = set()
    for path in font_files:
        with TTFont(str(path), lazy=True) as font:
            points |= set(font.getBestCmap() or {})
    return frozenset(points)


def texts(value: Any, lang: str) -> Iterator[str]:
    """Every string a reader of ``lang`` sees in a model value (texts, names, figures' units…)."""
    if isinstance(value, LanguageDecl):
        return  # a language's own name is shown by the site's switcher, not in a PDF
    if isinstance(value, Text):
        yield languages.text(value, lang)
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from texts(getattr(value, name), lang)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from texts(item, lang)
    elif isinstance(value, str):
        yield value


def missing(cat: Catalogue, lang: str, font_files: tuple[Path, ...]) -> str:
    """The characters a PDF in ``lang`` would show that the fonts cannot draw, in order of first use."""
    can = coverage(font_files)
    seen: dict[str, None] = {}
    sources: list[Any] = [cat.site, *cat.needs.values(), *cat.stories.values(),
                          *(cat.vocab[v][k] for v in cat.vocab for k in cat.vocab[v])]
    words = (t(key, lang) for key in LABELS)
    for chunk in (*(s for source in sources for s in texts(source, lang)), *words):
        for char in chunk:
            if char not in seen and ord(char) not in can and unicodedata.category(char) not in IGNORED and not char.isspace():
                seen[char] = None
    return "".join(seen)


def check(cat: Catalogue, langs: Iterable[str], font_files: tuple[Path, ...]) -> None:
    """Raise :class:`GlyphError` for the first language whose texts the fonts cannot draw."""
    for lang in langs:
        lacking = missing(cat, lang, font_files)
        if lacking:
            raise GlyphError(lang, lacking, (p.name for p in font_files))
