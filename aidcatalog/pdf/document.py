"""What a print document shows: its paths and dates, the fonts, the stylesheet, its HTML from the templates."""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple

import fontpkg_be_vietnam_pro
from markupsafe import Markup

from .. import __version__, fmt, views
from ..catalogue import Catalogue
from ..labels import t
from ..model import Need, Partner, Story, Term
from ..render import templates
from ..select import Filters, Selection

LOG = logging.getLogger("aidcatalog.pdf")


DEFAULT_SITE_URL = "https://aidcatalog.example.gov.vn/"  # as in mkdocs.yml


VIET_NAM = dt.timezone(dt.timedelta(hours=7), "ICT")


FONT_DIR = Path(fontpkg_be_vietnam_pro.ROOT) / "files"


FONT_FAMILY = "Be Vietnam Pro"


FONT_FACES = (  # (weight, style, file stem suffix): only the faces the stylesheet uses
    (300, "normal", "Light"), (400, "normal", "Regular"), (400, "italic", "Italic"),
    (500, "normal", "Medium"), (600, "normal", "SemiBold"), (700, "normal", "Bold"),
)


def font_files() -> tuple[Path, ...]:
    """The font files the print stylesheet embeds."""
    return tuple(FONT_DIR / f"BeVietnamPro-{stem}.ttf" for _, _, stem in FONT_FACES)


def brief_path(lang: str, need_id: str) -> PurePosixPath:
    """Where a need's brief goes, relative to the site folder (also its URL path)."""
    return PurePosixPath("pdf", lang, "briefs", f"{need_id}.pdf")


def catalogue_path(lang: str) -> PurePosixPath:
    """Where the full catalogue in ``lang`` goes, relative to the site folder."""
    return PurePosixPath("pdf", lang, "catalogue.pdf")


def default_site_url() -> str:
    return os.environ.get("SITE_URL") or DEFAULT_SITE_URL


def need_url(site_url: str, lang: str, need_id: str) -> str:
    """The need's page on the site: ``{site_url}/needs/<id>/`` or ``{site_url}/en/needs/<id>/``."""
    return views.page_url(site_url, lang, f"needs/{need_id}/")


def content_day(entries: Iterable[Need | Story]) -> dt.date | None:
    """The day a document showing ``entries`` is dated: the latest review of its entries (``last_reviewed``).

    A document is dated by what it shows, not by when it was made: an entry that did not change
    gives the same PDF, byte for byte, on any day (and the PDF cache stays useful across days).
    """
    return max((e.last_reviewed for e in entries), default=None)


def production_time(day: dt.date | None = None) -> dt.datetime:
    """When a document counts as produced: ``day``, else ``SOURCE_DATE_EPOCH``, else today (Viet Nam time)."""
    if day is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        if epoch.isdigit():
            return dt.datetime.fromtimestamp(int(epoch), VIET_NAM)
        day = dt.datetime.now(VIET_NAM).date()
    return dt.datetime.combine(day, dt.time(0), VIET_NAM)


class Amount(NamedTuple):
    """An amount as a table of several entries prints it: in the reader's currency, and its own below."""

    main: str
    """In the reader's currency: ``US$225,000``, or converted, ``≈ US$224,000``."""
    original: str
    """In the entry's own currency when that differs (``VND 5,900,000,000``), else empty."""


@dataclass
class View:
    """What only print documents show, in one language: colours, page margins, counts, the site's address.

    What an entry shows (places, money, totals, readiness…) is its view: ``views`` (:mod:`aidcatalog.views`).
    """

    cat: Catalogue
    lang: str
    site_url: str

    def home(self) -> str:
        """The site's home page in this language."""
        return self.site_url.rstrip("/") + "/" + self.cat.languages.prefix(self.lang)

    def colour_css(self) -> Markup:
        """Classes for the colours of SDGs (``sdg-3``) and statuses (``status-calling``), once per document.

        Classes, not ``style`` attributes: WeasyPrint parses every attribute anew (seconds for 100 needs).
        """
        rules = []
        for prefix, vocabulary in (("sdg", "sdgs"), ("status", "statuses")):
            for term in self.cat.vocab[vocabulary].values():
                if term.colour:
                    rules.append(f".{prefix}-{term.id} {{ background-color: {term.colour}; }}")
        return Markup("\n".join(rules))

    def currency(self) -> str:
        """The currency this reader compares amounts in: VND in Vietnamese, US$ otherwise (:func:`fmt.reader_currency`)."""
        return fmt.reader_currency(self.lang)

    def amount(self, money: views.MoneyView) -> Amount:
        """``money`` in the reader's currency (≈ when converted at ``site.usd_to_vnd``), with its own currency below:
        every amount of a table in one currency, so that a reader can compare them."""
        if money.currency == self.currency():
            return Amount(money.text, "")
        return Amount(fmt.approx(money.amount, money.currency, self.lang, self.cat.site.usd_to_vnd), money.text)

    def figure(self, amount: float, currency: str, approx: bool = False) -> str:
        """A total as a headline: in full below a million (``US$372,624``; ``≈ US$373,000`` when ``approx``,
        partly converted), else in the locale's words (``US$1.2 million``, ``12,4 tỷ ₫``). Never in capitals:
        the templates print it as it is."""
        if abs(amount) >= 1_000_000:
            return fmt.compact_money(amount, currency, self.lang)
        if approx:
            return "≈ " + fmt.money(round(amount / 1_000) * 1_000, currency, self.lang)
        return fmt.money(amount, currency, self.lang)

    def sought_figure(self, needs: Iterable[views.NeedView], totals: views.Totals) -> str:
        """What ``needs`` still seek from donors (``totals``, their :meth:`views.Views.totals`), in the reader's
        currency, as a headline (:meth:`figure`): ≈ when some of it was converted; empty when nothing is sought."""
        currency = self.currency()
        total = totals.sought.usd if currency == "USD" else totals.sought.vnd
        converted = any(n.funding.sought.amount > 0 and n.funding.sought.currency != currency for n in needs)
        return self.figure(total, currency, approx=converted) if total else ""

    def count(self, n: int) -> str:
        return t("pdf.count_one", self.lang) if n == 1 else t("pdf.count", self.lang, n=fmt.number(n, self.lang))

    def page_css(self, left: str) -> Markup:
        """The page-margin texts, which CSS cannot take from the document: footer and page X of Y."""
        page_of = t("page_of", self.lang, page="\0page\0", pages="\0pages\0")
        parts = []
        for i, piece in enumerate(page_of.split("\0")):
            if i % 2:
                parts.append(f"counter({piece})")
            elif piece:
                parts.append(css_string(piece))
        footer_left, footer_right = css_string(left), " ".join(parts)
        return Markup(f"@page {{ @bottom-left {{ content: {footer_left} }} @bottom-right {{ content: {footer_right} }} }}")


def css_string(text: str) -> str:
    """``text`` as a CSS string literal that is also safe inside an HTML ``<style>`` element."""
    out = []
    for ch in text:
        if ch in '"\\<>&' or ord(ch) < 32:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


@cache
def stylesheet() -> str:
    """The print stylesheet: ``@font-face`` rules for the packaged fonts, then ``templates/pdf/print.css``."""
    env = templates()
    assert env.loader is not None
    faces = [
        f'@font-face {{ font-family: "{FONT_FAMILY}"; font-weight: {weight}; font-style: {style}; '
        f"src: url({css_string((FONT_DIR / f'BeVietnamPro-{stem}.ttf').as_uri())}); }}"
        for weight, style, stem in FONT_FACES
    ]
    return "\n".join(faces) + "\n" + env.loader.get_source(env, "pdf/print.css")[0]


def _common(cat: Catalogue, lang: str, site_url: str, produced: dt.datetime) -> dict[str, Any]:
    return {
        "cat": cat, "site": cat.site, "lang": lang, "view": View(cat, lang, site_url),
        "views": views.Views(cat, lang, site_url),
        "produced": produced, "produced_iso": produced.isoformat(timespec="seconds"), "letter_day": produced,
        "generator": f"aidcatalog {__version__}",
        "css": lambda text: Markup(css_string(str(text))),
    }


def brief_html(cat: Catalogue, need: Need, lang: str, *, site_url: str, produced: dt.datetime) -> str:
    """The print HTML of one need's brief."""
    common = _common(cat, lang, site_url, produced)
    return templates().get_template("pdf/brief.html.j2").render(v=common["views"].need(need), **common)


def catalogue_html(
    cat: Catalogue, selection: Selection, lang: str, *, site_url: str, produced: dt.datetime,
    partner: Partner | None = None, filters: Filters | None = None, letter: dt.datetime | None = None,
) -> str:
    """The print HTML of a catalogue: every need of ``selection``, grouped by (first) sector.

    ``produced`` is the date it carries (its content's: :func:`content_day`); ``letter``, the date of the
    partner's letter (the day it is sent), defaults to it."""
    groups: list[tuple[Term, list[Need]]] = []
    for sector_id, sector in cat.vocab["sectors"].items():
        needs = [n for n in selection.needs if n.sectors[0] == sector_id]
        if needs:
            groups.append((sector, needs))
    from .assemble import Chunks  # assemble reads this module

    tailored = partner is not None or (filters is not None and not filters.empty)
    common = _common(cat, lang, site_url, produced) | {"part_start": Chunks()}
    if letter is not None and partner is not None:
        common["letter_day"] = letter
    return templates().get_template("pdf/catalogue.html.j2").render(
        groups=groups, needs=selection.needs, stories=selection.stories, partner=partner, tailored=tailored,
        selection_text=filters.describe(cat, lang) if filters is not None and partner is None else "",
        **common,
    )
