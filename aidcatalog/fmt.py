"""Numbers, money and dates in the reader's language (Babel's locale data, not hand-made rules)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

LOCALES = {"vi": "vi_VN", "en": "en_GB"}


@lru_cache(maxsize=8192)  # pages repeat the same figures; Babel's formatting is slow
def number(value: float, lang: str) -> str:
    return format_decimal(round(value) if float(value).is_integer() else value, locale=LOCALES[lang])


@lru_cache(maxsize=8192)  # pages repeat the same figures; Babel's formatting is slow
def money(amount: float, currency: str, lang: str) -> str:
    """``250.000.000 ₫`` in Vietnamese, ``VND 250,000,000`` in English; USD as ``US$120,000``."""
    if lang == "en":
        if currency == "VND":
            return f"VND {format_decimal(round(amount), locale='en_GB')}"
        return f"US${format_decimal(round(amount), locale='en_US')}"
    return format_currency(round(amount), currency, locale="vi_VN", format="#,##0 ¤", currency_digits=False)


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
    """Short figure for headlines: ``12,4 tỷ ₫`` / ``US$1.2 million``."""
    if currency == "VND":
        if lang == "vi":
            return f"{format_decimal(round(amount / 1e9, 1), locale='vi_VN')} tỷ ₫"
        return f"VND {format_decimal(round(amount / 1e9, 1), locale='en_GB')} billion"
    if lang == "vi":
        return f"{format_decimal(round(amount / 1e6, 2), locale='vi_VN')} triệu USD"
    return f"US${format_decimal(round(amount / 1e6, 2), locale='en_US')} million"


@lru_cache(maxsize=8192)
def percent(value: float, lang: str) -> str:
    return format_percent(value / 100, locale=LOCALES[lang])


@lru_cache(maxsize=8192)
def date(value: dt.date, lang: str, style: str = "long") -> str:
    """``ngày 28 tháng 11 năm 2026`` / ``28 November 2026``; ``short``: ``28/11/2026`` / ``28 Nov 2026``."""
    if lang == "vi":
        pattern = "'ngày' d 'tháng' M 'năm' y" if style == "long" else "dd/MM/y"
    else:
        pattern = "d MMMM y" if style == "long" else "d MMM y"
    return format_date(value, format=pattern, locale=LOCALES[lang])


@lru_cache(maxsize=8192)
def month(value: dt.date, lang: str) -> str:
    return format_date(value, format="MMMM y" if lang == "en" else "'tháng' M/y", locale=LOCALES[lang])
