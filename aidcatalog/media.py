"""Photos and documents under ``catalog/media/``: is the file what its name says, whole, and small enough?

Checked without decoding a picture: the first bytes (the signature) must match the extension, the
last ones must close the file, and an image's pixel size is read from its header before anything
is decoded, so that a few kilobytes claiming 50,000 × 50,000 pixels (a decompression bomb) are
refused. The site and the PDFs only ever see files that passed.
"""

from __future__ import annotations

import os
import stat
import warnings
from pathlib import Path
from typing import Any

from .languages import msg

MAX_IMAGE_BYTES = 20 * 1024 * 1024
"""A photo larger than this is refused (a phone photo is 2–8 MB)."""
MAX_PDF_BYTES = 50 * 1024 * 1024
"""An attached PDF larger than this is refused."""
MAX_PIXELS = 40_000_000
"""40 megapixels: more than any camera a project team carries; a bomb claims billions."""

EXPECTED = {".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png", ".webp": "webp", ".pdf": "pdf"}
NAMES = {
    "jpeg": msg("a JPEG image"),
    "png": msg("a PNG image"),
    "webp": msg("a WebP image"),
    "pdf": msg("a PDF document"),
    "gif": msg("a GIF image"),
    "svg": msg("an SVG image or HTML page (it may hold a script)"),
    "zip": msg("an Office document or an archive (docx, xlsx, zip)"),
    "heic": msg("an iPhone HEIC image"),
    "empty": msg("an empty file"),
    "unknown": msg("a file of an unknown kind"),
}
FORMATS = {"jpeg": msg("JPEG image"), "png": msg("PNG image"), "webp": msg("WebP image"), "pdf": msg("PDF document")}
"""The format a file's extension promises, as named in the message."""


def sniff(head: bytes) -> str:
    """What the first bytes of a file say it is."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1"):
        return "heic"
    if not head:
        return "empty"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<", b"<?xml", b"<svg", b"<!doctype", b"<html")):
        return "svg"
    return "unknown"


def check(path: Path, value: str) -> tuple[str, dict[str, Any]] | None:
    """A problem code and its params for the media file ``path`` (named ``value`` in the entry), or None."""
    suffix = os.path.splitext(value)[1].lower()
    expected = EXPECTED.get(suffix)
    if expected is None:
        return None  # the schema refuses the name already
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return "media-damaged", _why(value, "không phải tệp thông thường", "not a regular file")
        limit = MAX_PDF_BYTES if expected == "pdf" else MAX_IMAGE_BYTES
        if info.st_size > limit:
            mb = {"size": f"{info.st_size / 1024 / 1024:.1f}", "limit": limit // 1024 // 1024}
            return "media-file-size", {"value": value, **mb}
        with path.open("rb") as handle:
            head = handle.read(64)
            handle.seek(max(0, info.st_size - 1024))
            tail = handle.read(1024)
    except OSError as exc:
        return "media-damaged", _why(value, exc.strerror or msg("cannot be read"))
    found = sniff(head)
    if found != expected:
        return "media-wrong-type", {"value": value, "suffix": suffix, "found": NAMES[found], "expected": FORMATS[expected]}
    if not _complete(expected, head, tail, info.st_size):
        return "media-damaged", _why(value, msg("the end of the file is missing"))
    if expected != "pdf":
        return _pixels(path, value)
    return None


def _complete(kind: str, head: bytes, tail: bytes, size: int) -> bool:
    """Whether the file ends as its format requires (a copy cut short does not)."""
    if kind == "jpeg":
        return b"\xff\xd9" in tail[-32:]
    if kind == "png":
        return b"IEND\xaeB`\x82" in tail[-32:]
    if kind == "webp":
        return int.from_bytes(head[4:8], "little") + 8 <= size
    return b"%%EOF" in tail


def _pixels(path: Path, value: str) -> tuple[str, dict[str, Any]] | None:
    """Read the pixel size from the header only; nothing is decoded."""
    from PIL import Image, UnidentifiedImageError  # Pillow comes with WeasyPrint

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:  # reads the header; pixels are decoded only on load()
                width, height = image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return "image-pixels", {"value": value, "width": "?", "height": "?", "limit": MAX_PIXELS // 1_000_000}
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        return "media-damaged", _why(value, msg("its header cannot be read: {error}", error=exc))
    if width * height > MAX_PIXELS:
        return "image-pixels", {"value": value, "width": width, "height": height, "limit": MAX_PIXELS // 1_000_000}
    return None


def _why(value: str, why: Any) -> dict[str, Any]:
    return {"value": value, "why": why}
