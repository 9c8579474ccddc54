"""The part of ``mkdocs.yml`` that follows from ``catalog/site.yaml``: the site's languages.

mkdocs-static-i18n reads its languages from ``mkdocs.yml`` while the configuration is loaded,
before any hook could hand them over, so the list is written there, between two marker
comments, generated from the catalogue's declaration: each language's locale, name, site name
and description (from ``site.yaml``) and the menu's titles in that language (from the
interface words). ``aidcatalog build`` rewrites the block when it is stale, and every MkDocs
build (``mkdocs serve`` too) stops with a clear message when the two lists differ, so they
are never kept by hand.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from . import languages
from .labels import t

BEGIN = "# BEGIN languages: generated from catalog/site.yaml by `aidcatalog languages --write`; do not edit"
END = "# END languages"
NAV = {"home": "site.home", "catalogue": "catalogue", "stories": "stories", "partner": "how_to_partner",
       "about": "about", "contact": "contact"}
"""The menu's entries (``nav:`` in ``mkdocs.yml``, titled in the default language) and their words."""


class ConfigError(Exception):
    """``mkdocs.yml`` cannot take the generated block (its markers are missing)."""


def block(site_file: Path, indent: str = "      ") -> str:
    """The generated ``languages:`` block for the i18n plugin, as YAML text."""
    declared = languages.from_site_file(site_file)
    names = _site_texts(site_file)
    lines = [indent + BEGIN, indent + "languages:"]
    for lang in declared:
        lines.append(f"{indent}  - locale: {lang.code}")
        lines.append(f"{indent}    name: {json.dumps(lang.name, ensure_ascii=False)}")
        if lang.default:
            lines.append(f"{indent}    default: true")
        lines.append(f"{indent}    build: true")
        if not lang.default:
            province = languages.plain(languages.text(names["province"], lang)) if names.get("province") else ""
            for key, label in (("site_name", "site.short_name"), ("site_description", "site.description")):
                value = t(label, lang, province=province, province_mid=province[:1].lower() + province[1:])
                lines.append(f"{indent}    {key}: {json.dumps(value, ensure_ascii=False)}")
            lines.append(f"{indent}    nav_translations:")
            for key in NAV.values():
                lines.append(f"{indent}      {json.dumps(t(key, declared.default), ensure_ascii=False)}: "
                             f"{json.dumps(t(key, lang), ensure_ascii=False)}")
    lines.append(END)  # at the margin, like the top-level key that follows the plugins (yamllint)
    return "\n".join(lines) + "\n"


def _site_texts(site_file: Path) -> dict:
    import yaml

    try:
        data = yaml.safe_load(site_file.read_text(encoding="utf-8"))
    except (OSError, ValueError, yaml.YAMLError):
        return {}
    return {k: v for k, v in (data or {}).items() if k == "province" and isinstance(v, dict)}


_BLOCK = re.compile(r"^([ \t]*)" + re.escape(BEGIN) + r"\n.*?^[ \t]*" + re.escape(END) + r"\n", re.M | re.S)


def current(config_file: Path) -> tuple[str, str]:
    """(the block ``mkdocs.yml`` holds, the block it should hold)."""
    text = config_file.read_text(encoding="utf-8")
    found = _BLOCK.search(text)
    if found is None:
        raise ConfigError(f"{config_file.name}: the markers `{BEGIN}` … `{END}` are missing under the i18n plugin")
    site_file = config_file.parent / "catalog" / "site.yaml"
    return found.group(0), block(site_file, found.group(1))


def write(config_file: Path) -> bool:
    """Rewrite the block when it is stale; True when the file changed."""
    have, want = current(config_file)
    if have == want:
        return False
    text = config_file.read_text(encoding="utf-8")
    config_file.write_text(text.replace(have, want, 1), encoding="utf-8")
    return True


def stale_message(config_file: Path, lang: str) -> str | None:
    """A message for staff when ``mkdocs.yml``'s languages differ from ``site.yaml``'s, else None."""
    try:
        have, want = current(config_file)
    except ConfigError as exc:
        return str(exc)
    return None if have == want else t("config.stale_languages", lang)
