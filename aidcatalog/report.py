"""Figures and to-do lists for staff: what the catalogue holds, and what needs attention."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from . import fmt, languages
from .catalogue import Catalogue
from .labels import t
from .render import tr

ATTENTION = ("untranslated", "review-due", "start-passed", "no-results", "draft")
"""Kinds of attention, most urgent first; their words are the labels ``report.<kind>``."""
HEAD = ("report.head_id", "report.head_file", "report.head_attention", "report.head_detail")


@dataclass(frozen=True)
class Attention:
    id: str
    file: str
    code: str
    detail: str = ""


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, 28))


def untranslated(data: Any, path: str = "", declared: languages.Languages | None = None) -> list[str]:
    """Fields of an entry as written whose text in a declared language is missing or empty.

    A text is a mapping whose keys are all declared language codes. Optional languages count
    too: staff see what is left to translate, though the site can do without it.
    """
    declared = declared or languages.active()
    codes = set(declared.codes)
    out: list[str] = []
    if isinstance(data, dict):
        keys = set(data)
        if keys & codes and keys <= codes:
            return [f"{path}.{lang}".lstrip(".") for lang in declared.codes if not data.get(lang)]
        for key, value in data.items():
            out += untranslated(value, f"{path}.{key}" if path else str(key), declared)
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out += untranslated(value, f"{path}[{i}]", declared)
    return out


def attention(cat: Catalogue, today: dt.date) -> list[Attention]:
    """Every entry that staff should look at, most urgent kinds first."""
    items: list[Attention] = []
    months = cat.site.review_after_months
    for ident, data in cat.raw.items():
        file = cat.sources.get(ident, "")
        missing = untranslated(data, "", cat.languages)
        if ident in cat.unpublished and cat.unpublished[ident] == "draft":
            items.append(Attention(ident, file, "draft", ", ".join(missing[:3]) + (" …" if len(missing) > 3 else "")))
            continue
        if missing:
            items.append(Attention(ident, file, "untranslated", ", ".join(missing[:3])))
        reviewed = data.get("last_reviewed")
        if isinstance(reviewed, dt.date) and _add_months(reviewed, months) < today:
            items.append(Attention(ident, file, "review-due", reviewed.isoformat()))
    for ident, need in cat.needs.items():
        if need.status == "calling" and need.planned_start and need.planned_start < today:
            items.append(Attention(ident, cat.sources[ident], "start-passed", need.planned_start.isoformat()))
    for ident, story in cat.stories.items():
        if not story.results:
            items.append(Attention(ident, cat.sources[ident], "no-results"))
    order = list(ATTENTION)
    return sorted(items, key=lambda a: (order.index(a.code), a.file))


def attention_table(items: list[Attention], lang: str, markdown: bool) -> str:
    rows = [(a.id, a.file, t(f"report.{a.code}", lang), a.detail) for a in items]
    if not rows:
        return t("report.nothing", lang)
    head = tuple(t(key, lang) for key in HEAD)
    title = t("report.attention_title", lang)
    return f"## {title} ({len(rows)})\n\n" + _table(head, rows, markdown) if markdown else _table(head, rows, False)


def _table(head: tuple[str, ...], rows: list[tuple[str, ...]], markdown: bool) -> str:
    if markdown:
        esc = [tuple(str(c).replace("|", "\\|") for c in r) for r in rows]
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(f"`{r[0]}`" if i == 0 else r[i] for i in range(len(r))) + " |" for r in esc]
        return "\n".join(lines) + "\n"
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows, strict=False)]
    out = ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=False)).rstrip() for r in [head, *rows]]
    out.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(out) + "\n"


def stats(cat: Catalogue, lang: str, today: dt.date) -> str:
    """Counts and money sought, by sector, by status and by former province; then what needs attention."""
    rate = cat.site.usd_to_vnd
    drafts = sum(1 for s in cat.unpublished.values() if s == "draft")
    parts = [t("report.counts", lang, needs=len(cat.needs), unpublished=len(cat.unpublished), drafts=drafts,
               stories=len(cat.stories), partners=len(cat.partners)), ""]
    groups: dict[str, dict[str, list[float]]] = {"sector": defaultdict(list), "status": defaultdict(list),
                                                  "place": defaultdict(list)}
    for need in cat.needs.values():
        usd = fmt.convert(need.budget.requested, need.budget.currency, "USD", rate)
        groups["sector"][tr(cat.term("sectors", need.sectors[0]).name, lang)].append(usd)
        groups["status"][tr(cat.term("statuses", need.status).name, lang)].append(usd)
        formers = [cat.localities[loc.commune].former for loc in need.locations]
        provinces = list(dict.fromkeys(languages.plain(tr(f.province, lang)) if f else "?" for f in formers))
        for province in provinces:  # a need in several former provinces counts in each, its money shared
            groups["place"][province].append(usd / len(provinces))
    titles = {"sector": "report.by_sector", "status": "report.by_status", "place": "report.by_place"}
    head = (t("report.head_group", lang), t("report.head_needs", lang), t("report.head_amount", lang))
    total = sum(sum(v) for v in groups["sector"].values())
    for key, table in groups.items():
        parts.append(t(titles[key], lang))
        rows = [(name, str(len(v)), fmt.money(sum(v), "USD", lang))
                for name, v in sorted(table.items(), key=lambda kv: -sum(kv[1]))]
        parts.append(_table(head, rows, False))
    parts.append(t("report.total", lang)
                 + f"{fmt.money(total, 'USD', lang)} ({fmt.money(total * rate, 'VND', lang)})")
    parts.append("")
    parts.append(attention_table(attention(cat, today), lang, markdown=False))
    return "\n".join(parts)
