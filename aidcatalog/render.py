"""The one Jinja environment, and the filters templates use to show catalogue values.

Every page, print document and template file comes from this environment. Templates get the
language as ``lang`` and show values through filters, so no template picks ``.vi``/``.en`` or
formats a number itself:

``{{ need.title | tr(lang) }}``, ``{{ need.context | md(lang) }}`` (staff Markdown, sanitised),
``{{ amount | money(currency, lang) }}``, ``{{ day | date(lang) }}``, ``{{ t('budget', lang) }}``.
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path
from typing import Any

import markdown as md_lib
import nh3
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from jinja2.bccache import Bucket, BytecodeCache
from markupsafe import Markup, escape

from . import fmt, languages
from .labels import t, tn
from .model import Former, Locality, Text

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "blockquote", "h3", "h4",
    "table", "thead", "tbody", "tr", "th", "td", "code", "sup", "sub", "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
ALLOWED_SCHEMES = {"http", "https", "mailto", "tel"}


def tr(text: Text | Former | None, lang: str) -> str:
    """The text in the reader's language (see :func:`aidcatalog.languages.text`: a missing optional
    translation comes back as a marked :class:`~aidcatalog.languages.Fallback`); empty for a missing
    optional text."""
    return languages.text(text, lang)


def formerly(locality: Locality, lang: str) -> str:
    """``trước đây thuộc huyện Mai Châu, tỉnh Hòa Bình`` / ``formerly in Mai Châu District, Hòa Bình Province``.

    Empty when the gazetteer does not say. The message gets the district's name as written and
    with a lower-case first letter (``district_mid``), for languages that lower-case a unit's kind
    mid-sentence (``huyện``, ``thành phố``); each translation picks the form it needs.
    """
    if locality.former is None:
        return ""
    district = languages.plain(tr(locality.former.district, lang))
    return t("formerly", lang, district=district, district_mid=district[:1].lower() + district[1:],
             province=languages.plain(tr(locality.former.province, lang)))


@cache
def _markdown() -> md_lib.Markdown:
    return md_lib.Markdown(extensions=["tables", "sane_lists"], output_format="html")


def sanitise(html: str) -> str:
    """Only plain formatting and safe links survive: no raw HTML, scripts, handlers or odd schemes."""
    return nh3.clean(
        html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer nofollow", strip_comments=True,
    )


_MARKDOWN_SYNTAX = re.compile(r"[\\`*_{}\[\]<>#+\-!|&]|^\s*\d+[.)]\s|\n\s*\n|  \n", re.M)


@cache
def markdown_html(source: str) -> str:
    """Staff Markdown → safe HTML (cached: the same text is shown on many pages and PDFs).

    Text with no Markdown or HTML syntax at all (most short texts) is one escaped paragraph:
    the same result as the converter and the sanitiser, at a fraction of the cost.
    """
    if not _MARKDOWN_SYNTAX.search(source):
        return f"<p>{escape(source.strip())}</p>" if source.strip() else ""
    converter = _markdown()
    converter.reset()
    return sanitise(converter.convert(source))


def md(text: Text | str | None, lang: str | None = None) -> Markup:
    """Staff Markdown as safe HTML; a text shown in a fallback language is marked with its own ``lang``."""
    source = tr(text, lang or languages.active().default) if isinstance(text, Text) else (text or "")
    html = Markup(markdown_html(languages.plain(source)))
    if isinstance(source, languages.Fallback) and html:
        return languages.wrap_fallback(html, source.lang, source.page_lang, inline=False)
    return html


class CompiledTemplates(BytecodeCache):
    """Jinja's compiled templates, kept in memory for the life of the process and, once a build has
    said where (:meth:`keep_in`: the project's ``.cache/templates``), on disk for the next one.

    Jinja drops a compiled template whose source's checksum or Python's version differs, so a stale
    file is never used; a file that cannot be read or written is simply compiled again."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}
        self.folder: Path | None = None

    def keep_in(self, folder: Path) -> None:
        self.folder = folder

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.code.get(bucket.key)
        if code is None and self.folder is not None:
            try:
                code = (self.folder / f"{bucket.key}.bin").read_bytes()
            except OSError:
                return
        if code is not None:
            bucket.bytecode_from_string(code)  # dropped by Jinja if the source's checksum differs

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = code = bucket.bytecode_to_string()
        if self.folder is None:
            return
        path = self.folder / f"{bucket.key}.bin"
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(code)
            tmp.replace(path)
        except OSError:
            tmp.unlink(missing_ok=True)


TEMPLATE_CODE = CompiledTemplates()
"""Every template environment's compiled templates: this package's, and the theme's, which the MkDocs
hook gives to every environment MkDocs makes (one per language per build; ``mkdocs serve`` builds
again after every edit)."""


@cache
def templates() -> Environment:
    env = Environment(
        bytecode_cache=TEMPLATE_CODE,
        loader=PackageLoader("aidcatalog", "templates"),
        autoescape=select_autoescape(("html", "htm", "xml", "md", "html.j2", "md.j2", "xml.j2")),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        tr=tr, plain=languages.plain, md=md, money=fmt.money, approx=fmt.approx, compact_money=fmt.compact_money,
        number=fmt.number, percent=fmt.percent, date=fmt.date, month=fmt.month,
    )
    env.globals.update(t=t, tn=tn)
    return env


def render(template: str, **context: Any) -> str:
    return templates().get_template(template).render(**context)
