"""Atom feeds, one per language (``data/feed-<code>.xml``): needs and model projects, newest review first.

An entry is "new or updated" by its review date (``last_reviewed``): staff set it whenever they
publish or change an entry, and it is the only date the sources carry, so two builds of the same
sources write the same feed. Entries come from the public views; titles and summaries are in the
feed's language (a missing optional translation shows the fallback's text, as the pages do).

Links are absolute with the site's address (``SITE_URL``); without it, relative to the feed
file (``../needs/<id>/``), which readers resolve against the feed's own address.
"""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree as ET

from . import languages
from .catalogue import Catalogue
from .labels import t
from .opendata import DATA_DIR, sources_date
from .views import Views

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def feed_path(lang: str) -> str:
    """The feed of one language, relative to the site's root."""
    return f"{DATA_DIR}/feed-{languages.resolve(lang).code}.xml"


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _link(cat: Catalogue, site_url: str, lang: str, path: str) -> str:
    rel = f"{cat.languages.prefix(lang)}{path}"
    return site_url.rstrip("/") + "/" + rel if site_url else "../" + rel


def _id(site_url: str, cat: Catalogue, lang: str, path: str) -> str:
    if site_url:
        return _link(cat, site_url, lang, path)
    return f"urn:aidcatalog:{languages.resolve(lang).code}:{path.strip('/').replace('/', ':') or 'home'}"


def feed(cat: Catalogue, lang: str, site_url: str = "") -> bytes:
    """The Atom feed of ``lang``: every published need and model project, the newest review first."""
    ET.register_namespace("", ATOM)
    views = Views(cat, lang)
    text = languages.text
    plain = languages.plain

    def sub(parent: ET.Element, tag: str, value: str | None = None, **attrs: str) -> ET.Element:
        node = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if value is not None:
            node.text = value
        return node

    root = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: languages.resolve(lang).code})
    sub(root, "id", _id(site_url, cat, lang, feed_path(lang)) if not site_url
        else site_url.rstrip("/") + "/" + feed_path(lang))
    sub(root, "title", f"{plain(text(cat.site.name, lang))} — {t('data.feed_title', lang)}")
    sub(root, "subtitle", plain(text(cat.site.tagline, lang)))
    sub(root, "updated", _stamp(sources_date(cat)))
    author = sub(root, "author")
    sub(author, "name", plain(text(cat.site.office.name, lang)))
    sub(author, "email", cat.site.office.email)
    self_href = site_url.rstrip("/") + "/" + feed_path(lang) if site_url else f"feed-{languages.resolve(lang).code}.xml"
    sub(root, "link", rel="self", type="application/atom+xml", href=self_href)
    sub(root, "link", rel="alternate", type="text/html", href=_link(cat, site_url, lang, ""))
    sub(root, "rights", f"{t('data.licence', lang)}: {cat.site.open_data.licence.name if cat.site.open_data else ''}"
        .rstrip(": "))

    entries = [(v.last_reviewed, "need", v) for v in views.needs(cat.needs.values())]
    entries += [(v.last_reviewed, "story", v) for v in views.stories(cat.stories.values())]
    entries.sort(key=lambda e: (-e[0].toordinal(), e[1], e[2].id))
    for day, kind, v in entries:
        entry = sub(root, "entry")
        sub(entry, "id", _id(site_url, cat, lang, v.page))
        sub(entry, "title", plain(text(v.title, lang)))
        sub(entry, "updated", _stamp(day))
        sub(entry, "link", rel="alternate", type="text/html", href=_link(cat, site_url, lang, v.page))
        sub(entry, "summary", plain(text(v.summary, lang)))
        sub(entry, "category", term=kind, label=t(kind, lang))
        for sector in v.sectors:
            sub(entry, "category", term=str(sector.id), label=plain(text(sector.name, lang)))
    ET.indent(root, space=" ")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8", xml_declaration=False) + b"\n"
