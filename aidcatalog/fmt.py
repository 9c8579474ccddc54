"""Numbers, money and dates in the reader's language, from Babel's CLDR data for its locale.

No language is special-cased here: each declared language has a CLDR locale
(:func:`aidcatalog.languages.locale_of`), and the patterns, separators, month names and
currency symbols are that locale's. One rule of our own, for money: a currency is shown by its
symbol where the symbol cannot be mistaken (the locale's country uses the currency, or the
symbol names its country, as ``US$`` does), else by its ISO code: ``250.000.000 ₫`` in
Vietnamese, ``VND 250,000,000`` and ``US$120,000`` in British English.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.numbers import (
    format_compact_decimal,
    format_currency,
    format_decimal,
    format_percent,
    get_currency_symbol,
    get_territory_currencies,
)

from . import languages
from .languages import locale_of


@lru_cache(maxsize=64)
def _locale(lang: str) -> Locale:
    return Locale.parse(locale_of(lang))


@lru_cache(maxsize=8192)  # pages repeat the same figures; Babel's formatting is slow
def number(value: float, lang: str) -> str:
    return format_decimal(round(value) if float(value).is_integer() else value, locale=_locale(lang))


@lru_cache(maxsize=256)
def _currency_pattern(currency: str, lang: str) -> tuple[str, bool]:
    """The locale's money pattern without decimals, and whether the symbol goes before the number."""
    locale = _locale(lang)
    pattern = locale.currency_formats["standard"].pattern.split(";")[0]
    pattern = pattern.replace(".00", "").replace("\u00a0", " ")
    symbol = get_currency_symbol(currency, locale=locale)
    home = bool(locale.territory) and currency in get_territory_currencies(locale.territory, dt.date(2026, 1, 1))
    if not (home or any(c.isalpha() for c in symbol)):
        pattern = pattern.replace("¤", "¤¤")  # the ISO code: ₫ alone could be read as another currency
    return pattern, pattern.index("¤") < pattern.index("#")


@lru_cache(maxsize=8192)  # pages repeat the same figures; Babel's formatting is slow
def money(amount: float, currency: str, lang: str) -> str:
    """``250.000.000 ₫`` in Vietnamese, ``VND 250,000,000`` in English; USD as ``US$120,000``."""
    pattern, before = _currency_pattern(currency, lang)
    text = format_currency(round(amount), currency, locale=_locale(lang), format=pattern, currency_digits=False)
    if "¤¤" in pattern and before and not text[len(currency):].startswith(" "):
        text = f"{currency} {text[len(currency):]}"  # CLDR's currency spacing: a code never touches the digits
    return text


@lru_cache(maxsize=64)
def reader_currency(lang: str, catalogue_currencies: tuple[str, ...] = ("VND", "USD")) -> str:
    """The currency a reader thinks in, among the catalogue's: their locale's country's, else US dollars."""
    locale = _locale(lang)
    own = get_territory_currencies(locale.territory, dt.date(2026, 1, 1)) if locale.territory else []
    return next((c for c in own if c in catalogue_currencies), "USD")


@lru_cache(maxsize=8192)
def convert(amount: float, currency: str, target: str, usd_to_vnd: float) -> float:
    if currency == target:
        return amount
    return amount * usd_to_vnd if target == "VND" else amount / usd_to_vnd


@lru_cache(maxsize=8192)
def approx(amount: float, currency: str, lang: str, usd_to_vnd: float) -> str:
    """The same amount in the other currency, rounded as an estimate (``≈ US$95,000``)."""
    other = "USD" if currency == "VND" else "VND"
    value = convert(amount, currency, other, usd_to_vnd)
    step = 1_000 if other == "USD" else 1_000_000
    return "≈ " + money(max(step, round(value / step) * step), other, lang)


@lru_cache(maxsize=8192)
def compact_money(amount: float, currency: str, lang: str) -> str:
    """Short figure for headlines, in the locale's words: ``146,2 tỷ ₫``, ``US$150 thousand``."""
    pattern, before = _currency_pattern(currency, lang)
    figure = format_compact_decimal(amount, format_type="long", locale=_locale(lang), fraction_digits=1)
    symbol = currency if "¤¤" in pattern else get_currency_symbol(currency, locale=_locale(lang))
    if before:
        return f"{symbol}{' ' if '¤¤' in pattern or symbol[-1:].isalpha() else ''}{figure}"
    return f"{figure} {symbol}"


@lru_cache(maxsize=8192)
def percent(value: float, lang: str) -> str:
    return format_percent(value / 100, locale=_locale(lang))


@lru_cache(maxsize=8192)
def date(value: dt.date, lang: str, style: str = "long") -> str:
    """A day as the locale writes it: ``long`` (``1 December 2026``) or ``short`` (``1 Dec 2026``).

    The locale's CLDR pattern, unless the language's catalogue gives its own (``format.date_long``,
    ``format.date_short``): Vietnamese writes ``ngày 1 tháng 12 năm 2026`` and ``01/12/2026``, as
    official documents do, where CLDR has ``1 tháng 12, 2026``.
    """
    pattern = languages.gettext("format.date_long" if style == "long" else "format.date_short", lang)
    return format_date(value, format=pattern, locale=_locale(lang))


@lru_cache(maxsize=8192)
def month(value: dt.date, lang: str) -> str:
    """A month and year (``December 2026``, ``tháng 12 năm 2026``)."""
    return format_skeleton("yMMMM", value, locale=_locale(lang))
