"""``aidcatalog pdf``: one PDF — the whole catalogue, a selection, a partner's catalogue or one brief."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import fmt, glyphs, languages
from .cliargs import EXIT_INVALID, EXIT_OK, EXIT_USAGE, fail, load_or_report
from .labels import t
from .select import Currency, Filters, check, partner_filters, select

EPILOG = """\
examples:
  aidcatalog pdf --lang en                          the whole catalogue in English
  aidcatalog pdf --sector health --place yen-lap-district --max-budget 300000USD
  aidcatalog pdf --partner clearwater-asia          that partner's catalogue, in its language
  aidcatalog pdf --brief first-1000-days-yen-lap --lang en

A filter may be repeated or take several values separated by commas; values of one filter are
alternatives, different filters must all hold. --place takes a commune id or a former district
or province id. The budget range applies to the amount requested, converted at site.usd_to_vnd.
With --partner, a filter given here replaces the partner's. --lang is also the PDF's language
(default: the partner's language, else the catalogue's).
"""


def register(sub: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser(
        "pdf", help="write a PDF: the whole catalogue, a selection, a partner's catalogue or one brief",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    common(p)
    what = p.add_mutually_exclusive_group()
    what.add_argument("--brief", metavar="NEED", help="one need's brief instead of a catalogue")
    what.add_argument("--partner", metavar="ID", help="the catalogue for the partner in catalog/partners/ID.yaml")
    add_filter_options(p)
    p.add_argument("--include-outside-registration", action="store_true",
                   help="with --partner: keep needs outside the partner's registration (Decree 58/2022), with a warning")
    p.add_argument("--out", type=Path, help="the PDF file to write (default: pdf-out/ and a name made from the selection)")
    p.add_argument("--site-url", help="the site's address, for links (default: site_url in site.yaml, else $SITE_URL)")
    p.add_argument("--date", type=dt.date.fromisoformat, metavar="YYYY-MM-DD",
                   help="date printed on the PDF (default: its content's, the latest last_reviewed of its "
                        "entries; a partner's letter: today)")
    p.set_defaults(func=cmd_pdf)


def add_filter_options(p: argparse.ArgumentParser) -> None:
    """The selection filters that ``pdf`` and ``export`` share (read back by :func:`given_filters`)."""
    for name, meta, text in (
        ("sector", "ID", "sector id (sectors.yaml)"), ("theme", "ID", "theme id (themes.yaml)"),
        ("place", "ID", "commune id, or a former district or province id"), ("status", "ID", "status id"),
        ("sdg", "N", "Sustainable Development Goal, 1-17"), ("id", "NEED", "only these needs"),
    ):
        p.add_argument(f"--{name}", action="append", default=[], metavar=meta, help=text)
    p.add_argument("--min-budget", metavar="AMOUNT", help="least amount requested, e.g. 50000USD or 1e9VND")
    p.add_argument("--max-budget", metavar="AMOUNT", help="largest amount requested")
    p.add_argument("--currency", choices=("USD", "VND"), default="USD",
                   help="currency of amounts written without one (default: USD)")


def given_filters(args: argparse.Namespace, cat: Any, command: str, *, brief: str | None = None) -> Filters | int:
    """The filters of :func:`add_filter_options`, checked against the catalogue; else the exit code,
    after saying on stderr what is wrong (``aidcatalog <command>: …``)."""
    lang = args.lang_resolved
    try:
        low, high, currency = _budget(args.min_budget, args.max_budget, args.currency, cat.site.usd_to_vnd)
    except ValueError as exc:
        return fail(command, t("pdf.budget_value", lang, value=exc.args[0]), EXIT_USAGE)
    given = Filters(
        sectors=_values(args.sector), themes=_values(args.theme), places=_values(args.place),
        statuses=_values(args.status), ids=_values(args.id), min_budget=low, max_budget=high, currency=currency,
        sdgs=tuple(int(v) if v.isdigit() else v for v in _values(args.sdg)),  # type: ignore[misc]
    )
    wrong = check(cat, given, partner=args.partner, brief=brief)
    if brief and not given.empty:
        return fail(command, t("pdf.brief_filters", lang), EXIT_USAGE)
    for item in wrong:
        fail(command, item.message(lang), EXIT_USAGE)
    return EXIT_USAGE if wrong else given


def _values(items: list[str]) -> tuple[str, ...]:
    return tuple(v.strip() for item in items for v in item.split(",") if v.strip())


def _amount(text: str | None, default_currency: str) -> tuple[float | None, str]:
    """``50000``, ``50,000 USD``, ``1.2e9vnd`` → (amount, currency); raises ValueError."""
    if text is None:
        return None, default_currency
    match = re.fullmatch(r"\s*([0-9][0-9_,.]*(?:e[0-9]+)?)\s*(usd|vnd|us\$|\$|₫)?\s*", text, re.IGNORECASE)
    if not match:
        raise ValueError(text)
    number, unit = match.groups()
    number = number.replace("_", "")
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", number):  # 1.200.000.000 or 50,000: thousands separators
        number = re.sub(r"[.,]", "", number)
    try:
        value = float(number.replace(",", ""))
    except ValueError:
        raise ValueError(text) from None
    currency = {"usd": "USD", "us$": "USD", "$": "USD", "vnd": "VND", "₫": "VND"}.get((unit or "").lower(),
                                                                                       default_currency)
    return value, currency


def _budget(low_text: str | None, high_text: str | None, default: str, usd_to_vnd: float
            ) -> tuple[float | None, float | None, Currency]:
    """The budget range in one currency: the first amount's, the other converted to it."""
    low, low_currency = _amount(low_text, default)
    high, high_currency = _amount(high_text, default)
    currency = low_currency if low is not None else high_currency
    if high is not None:
        high = fmt.convert(high, high_currency, currency, usd_to_vnd)
    return low, high, currency  # type: ignore[return-value]


OUT_DIR = Path("pdf-out")
"""Where PDFs go by default: a folder git ignores, so that no PDF is offered for a commit."""


def is_placeholder(url: str) -> bool:
    """Whether an address is an example (``aidcatalog.example.gov.vn``), not the published site."""
    host = re.sub(r"^[a-z]+://", "", url.strip().lower()).split("/")[0]
    return not host or any(part in ("example", "localhost", "invalid", "test") for part in host.split("."))



def cmd_pdf(args: argparse.Namespace) -> int:
    from . import pdf  # WeasyPrint loads only when a PDF is made

    lang_msg = args.lang_resolved
    cat = load_or_report(args)
    if cat is None:
        return EXIT_INVALID

    given = given_filters(args, cat, "pdf", brief=args.brief)
    if isinstance(given, int):
        return given

    site_url = args.site_url or cat.site.site_url or pdf.default_site_url()
    if is_placeholder(site_url):
        if not cat.site.illustrative:
            return fail("pdf", t("pdf.placeholder_refused", lang_msg, url=site_url), EXIT_INVALID)
        print(f"aidcatalog pdf: {t('pdf.placeholder_warning', lang_msg, url=site_url)}", file=sys.stderr)
    produced = pdf.production_time(args.date) if args.date else None  # None: dated by its content
    try:
        return _write(args, cat, given, lang_msg, site_url, produced)
    except glyphs.GlyphError as exc:
        return fail("pdf", exc.text(lang_msg), EXIT_INVALID)


def _write(args: argparse.Namespace, cat: Any, given: Filters, lang_msg: str, site_url: str, produced: Any) -> int:
    from . import pdf

    today = pdf.production_time(args.date)  # the partner's letter, and its registration's validity
    if args.brief:
        lang = args.lang or lang_msg
        written = pdf.render_brief(cat, args.brief, lang, site_url=site_url, produced=produced)
        count = 1
        out = args.out or OUT_DIR / f"{args.brief}-{lang}.pdf"
    else:
        partner = cat.partners[args.partner] if args.partner else None
        filters = merge(partner_filters(partner), given) if partner else given
        lang = args.lang or (languages.partner_language(partner, cat.languages) if partner else lang_msg)
        chosen = select(cat, filters)
        if partner is not None:
            filters = _registration(cat, partner, filters, chosen.needs, args, lang_msg, today.date())
            chosen = select(cat, filters)
        if not chosen.needs:
            described = filters.describe(cat, lang_msg) or t("pdf.no_needs", lang_msg)
            return fail("pdf", t("pdf.empty", lang_msg, filters=described), EXIT_INVALID)
        written, _ = pdf.render_catalogue(cat, lang, filters=filters, partner=partner, site_url=site_url,
                                          produced=produced, letter=today)
        count = len(chosen.needs)
        name = f"catalogue-{partner.id}" if partner else ("catalogue" if filters.empty else "catalogue-selection")
        out = args.out or OUT_DIR / f"{name}-{lang}.pdf"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(written.pdf)
    needs = t("pdf.count_one", lang_msg) if count == 1 else t("pdf.count", lang_msg, n=count)
    print(t("pdf.written", lang_msg, path=out, pages=written.pages, needs=needs))
    return EXIT_OK


def merge(profile: Filters, given: Filters) -> Filters:
    """A partner's profile, with each filter given on the command line replacing the profile's."""
    budget_given = given.min_budget is not None or given.max_budget is not None
    return Filters(
        sectors=given.sectors or profile.sectors, themes=given.themes or profile.themes,
        places=given.places or profile.places, statuses=given.statuses or profile.statuses,
        sdgs=given.sdgs or profile.sdgs, ids=given.ids or profile.ids,
        min_budget=given.min_budget if budget_given else profile.min_budget,
        max_budget=given.max_budget if budget_given else profile.max_budget,
        currency=given.currency if budget_given else profile.currency,
    )


def _registration(cat: Any, partner: Any, filters: Filters, needs: list[Any], args: argparse.Namespace, lang_msg: str,
                  day: dt.date) -> Filters:
    """Warn about a partner's registration (Decree 58/2022/NĐ-CP) and, unless asked to keep them, leave out
    the needs it does not cover."""
    from dataclasses import replace

    from .select import outside_registration

    reg = partner.registration
    if reg is None:
        print(f"aidcatalog pdf: {t('pdf.no_registration', lang_msg, partner=partner.name)}", file=sys.stderr)
        return filters
    if reg.valid_until < day:
        print(f"aidcatalog pdf: {t('pdf.registration_ended', lang_msg, partner=partner.name, day=reg.valid_until)}",
              file=sys.stderr)
    outside = outside_registration(cat, partner, needs)
    for item in outside:
        text = t("pdf.outside_registration", lang_msg, need=item.need.id, why=item.why(cat, lang_msg))
        print(f"aidcatalog pdf: {text}", file=sys.stderr)
    if not outside or args.include_outside_registration:
        return filters
    print(f"aidcatalog pdf: {t('pdf.left_out', lang_msg, n=len(outside))}", file=sys.stderr)
    left = {item.need.id for item in outside}
    return replace(filters, ids=tuple(n.id for n in needs if n.id not in left) or ("-",))
