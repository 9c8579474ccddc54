"""Small text helpers shared by every part: ASCII slugs and accent folding."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable


def fold(text: str) -> str:
    """``Nước sạch Đà Bắc`` → ``nuoc sach da bac``: what people type without accents."""
    text = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def closest(value: object, options: Iterable[object]) -> str | None:
    """The option nearest to ``value``, compared without accents or case; None when nothing is close."""
    by_fold = {fold(str(o)): str(o) for o in options}
    match = difflib.get_close_matches(fold(str(value)), list(by_fold), n=1, cutoff=0.6)
    return by_fold[match[0]] if match else None


def slugify(text: str, max_length: int = 60) -> str:
    """An ASCII slug for ids and URLs (``đ`` becomes ``d``, unlike Python-Markdown's default)."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return slug[:max_length].rstrip("-") or "entry"
