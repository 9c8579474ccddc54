"""Small text helpers shared by every part: ASCII slugs and accent folding."""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """``Nước sạch Đà Bắc`` → ``nuoc sach da bac``: what people type without accents."""
    text = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def slugify(text: str, max_length: int = 60) -> str:
    """An ASCII slug for ids and URLs (``đ`` becomes ``d``, unlike Python-Markdown's default)."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return slug[:max_length].rstrip("-") or "entry"
