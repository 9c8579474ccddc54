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

ATTENTION = ("registration-expired", "untranslated", "review-due", "start-passed", "registration-expiring", "no-results",
             "draft")
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
    items += registrations(cat, today)
    order = list(ATTENTION)
    return sorted(items, key=lambda a: (order.index(a.code), a.file))


WIDEST = 40
"""A text table's widest column (characters): a terminal of 120 columns shows a row on one line."""
ATTENTION_WIDTHS = (40, 52, 34)
"""The widest file, what to do and detail of ``aidcatalog status`` in a terminal: what to do is never cut, and a
file keeps its name (``…/ncd-screening-tam-dao.yaml``), which is what staff look for."""


def _fit(text: str, width: int, keep_end: bool = False) -> str:
    """``text`` in at most ``width`` characters: cut at the end with ``…``, or at the start (a path keeps its name)."""
    if len(text) <= width:
        return text
    if keep_end:
        name = text.rsplit("/", 1)[-1]
        return ("…/" + name) if len(name) + 2 <= width else "…" + text[-(width - 1):]
    return text[: width - 1] + "…"


def _label(code: str, lang: str, months: int | None) -> str:
    if code == "review-due" and months:
        return t("report.review_due_after", lang, months=months)
    return t(f"report.{code}", lang)


def attention_table(items: list[Attention], lang: str, markdown: bool, months: int | None = None) -> str:
    """What needs attention as a table; ``months`` is the catalogue's review limit (said in the review rows)."""
    rows = [(a.id, a.file, _label(a.code, lang, months), a.detail) for a in items]
    if not rows:
        return t("report.nothing", lang)
    head = tuple(t(key, lang) for key in HEAD)
    title = t("report.attention_title", lang)
    if markdown:
        return f"## {title} ({len(rows)})\n\n" + _table(head, rows, markdown)
    file_w, todo_w, detail_w = ATTENTION_WIDTHS  # in a terminal the file names the entry: no id column
    short = [(_fit(f, file_w, keep_end=True), _fit(todo, todo_w), _fit(detail, detail_w)) for _, f, todo, detail in rows]
    return _table(head[1:], short, False, widest=max(ATTENTION_WIDTHS))


def _table(head: tuple[str, ...], rows: list[tuple[str, ...]], markdown: bool, widest: int = WIDEST) -> str:
    if markdown:
        esc = [tuple(str(c).replace("|", "\\|") for c in r) for r in rows]
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(f"`{r[0]}`" if i == 0 else r[i] for i in range(len(r))) + " |" for r in esc]
        return "\n".join(lines) + "\n"
    rows = [tuple(_fit(str(c), widest) for c in r) for r in rows]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows, strict=False)]
    out = ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=False)).rstrip() for r in [head, *rows]]
    out.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(out) + "\n"


def stats(cat: Catalogue, lang: str, today: dt.date) -> str:
    """Counts and money sought, by sector, by status and by former province; then what needs attention."""
    rate = cat.site.usd_to_vnd
    unpublished = {i: s for i, s in cat.unpublished.items() if "/stories/" not in cat.sources.get(i, "")}
    drafts = sum(1 for s in unpublished.values() if s == "draft")  # needs only: model projects are counted apart
    parts = [t("report.counts", lang, needs=len(cat.needs), unpublished=len(unpublished), drafts=drafts,
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
        if key == "place" and sum(len(v) for v in table.values()) > len(cat.needs):
            parts.append(t("report.by_place_note", lang) + "\n")
    parts.append(t("report.total", lang)
                 + f"{fmt.money(total, 'USD', lang)} ({fmt.money(total * rate, 'VND', lang)})")
    parts.append("")
    parts.append(attention_table(attention(cat, today), lang, markdown=False, months=cat.site.review_after_months))
    return "\n".join(parts)


# --- the year against the plan: `aidcatalog report` ----------------------------------------

DUE_DAYS = 30
"""A follow-up is due when its date is within this many days (overdue once it has passed)."""
EXPIRY_DAYS = 90
"""A registration is flagged by ``aidcatalog status`` when it ends within this many days."""


@dataclass(frozen=True)
class Signed:
    id: str
    title: str
    sector: str
    funders: str
    day: dt.date
    committed_vnd: Any
    """Decimal: everything committed to it so far, in đồng."""


@dataclass(frozen=True)
class FollowUp:
    day: dt.date
    overdue: bool
    partner: str
    need: str
    step: str
    by: str


@dataclass(frozen=True)
class YearReport:
    """Figures of one year for the department's leadership (all money in đồng, exact Decimals)."""

    year: int
    today: dt.date
    target: Any
    """The year's :class:`aidcatalog.model.Target`, or None."""
    signed: list[Signed]
    by_sector: list[tuple[str, Any, Any]]
    """(sector name, committed, disbursed) in the year."""
    by_partner: list[tuple[str, Any, Any]]
    committed: Any
    disbursed: Any
    open_needs: list[tuple[str, str, Any, Any, Any]]
    """(id, title, requested, committed, still sought), in đồng."""
    sought: Any
    follow_ups: list[FollowUp]
    not_contacted: list[str]


def registrations(cat: Catalogue, today: dt.date) -> list[Attention]:
    """Partners' registrations (Decree 58/2022/NĐ-CP) that ended, or end within :data:`EXPIRY_DAYS`."""
    items = []
    for ident, partner in cat.partners.items():
        reg = partner.registration
        if reg is None:
            continue
        if reg.valid_until < today:
            items.append(Attention(ident, cat.sources.get(ident, ""), "registration-expired", reg.valid_until.isoformat()))
        elif (reg.valid_until - today).days <= EXPIRY_DAYS:
            items.append(Attention(ident, cat.sources.get(ident, ""), "registration-expiring",
                                   f"{reg.valid_until.isoformat()} ({reg.number})"))
    return items


def year_report(cat: Catalogue, internal: Any, year: int, lang: str, today: dt.date) -> YearReport:
    """The year against the plan, from the public funding lists and the internal contact logs.

    A project counts as signed in the year its first contribution at stage ``committed`` or
    ``disbursed`` is dated. Money committed and disbursed in the year are the contributions at that
    stage dated in the year. Dollars are converted at the indicative rate ``site.usd_to_vnd``.
    """
    from decimal import Decimal

    from . import funding
    from .model import COMMITTED_STAGES

    rate = cat.site.usd_to_vnd
    target = next((x for x in cat.site.targets if x.year == year), None)

    def title(ident: str) -> str:
        return languages.plain(tr(cat.needs[ident].title, lang)) if ident in cat.needs else ident

    def sector(need: Any) -> str:
        return languages.plain(tr(cat.term("sectors", need.sectors[0]).name, lang))

    signed: list[Signed] = []
    sectors: dict[str, list[Decimal]] = {}
    partners: dict[str, list[Decimal]] = {}
    for ident, need in cat.needs.items():
        committed = [c for c in need.funding if c.stage in COMMITTED_STAGES]
        if committed:
            first = min(c.date for c in committed)
            if first.year == year:
                names = ", ".join(dict.fromkeys(funding.funder(c, cat.partners) for c in committed))
                signed.append(Signed(ident, title(ident), sector(need), names, first,
                                     funding.sum_vnd(committed, rate)))
        for c in need.funding:
            if c.date.year != year or c.stage == "pledged":
                continue
            column = 0 if c.stage == "committed" else 1
            vnd = funding.to_vnd(c.amount, c.currency, rate)
            for table, key in ((sectors, sector(need)), (partners, funding.funder(c, cat.partners))):
                table.setdefault(key, [Decimal(0), Decimal(0)])[column] += vnd
    open_needs = []
    for ident, need in cat.needs.items():
        if not cat.is_open(need):
            continue
        found = funding.of(need, rate)
        requested = funding.to_vnd(need.budget.requested, need.budget.currency, rate)
        committed = funding.to_vnd(found.committed, need.budget.currency, rate)
        open_needs.append((ident, title(ident), requested, committed, requested - committed))
    open_needs.sort(key=lambda row: (-row[4], row[0]))

    follow: list[FollowUp] = []
    contacted: set[str] = set()
    logs = [("need", i, b) for i, b in internal.needs.items()] + [("partner", i, b) for i, b in internal.partners.items()]
    latest: dict[tuple[str, str, str], Any] = {}
    for kind, ident, block in logs:
        for contact in block.contacts:
            who = contact.partner or (ident if kind == "partner" else "") or ""
            if contact.date.year == year and who:
                contacted.add(who)
            about = ident if kind == "need" else (contact.need or "")
            key = (who or contact.organisation or "", about, kind + ":" + ident)
            if key not in latest or contact.date >= latest[key].date:
                latest[key] = contact
    for (who, about, _), contact in latest.items():
        if contact.next_date is None or (contact.next_date - today).days > DUE_DAYS:
            continue
        name = cat.partners[who].name if who in cat.partners else who
        follow.append(FollowUp(contact.next_date, contact.next_date < today, name, title(about) if about else "",
                               contact.next_step or "", contact.by or ""))
    follow.sort(key=lambda f: (f.day, f.partner))

    def rows(table: dict[str, list[Decimal]]) -> list[tuple[str, Any, Any]]:
        return sorted(((k, v[0], v[1]) for k, v in table.items()), key=lambda r: (-(r[1] + r[2]), r[0]))

    return YearReport(
        year=year, today=today, target=target, signed=sorted(signed, key=lambda s: (s.day, s.id)),
        by_sector=rows(sectors), by_partner=rows(partners),
        committed=sum((v[0] for v in sectors.values()), Decimal(0)),
        disbursed=sum((v[1] for v in sectors.values()), Decimal(0)),
        open_needs=open_needs, sought=sum((r[4] for r in open_needs), Decimal(0)),
        follow_ups=follow,
        not_contacted=[p.name for i, p in cat.partners.items() if i not in contacted],
    )


def _vnd(amount: Any, lang: str) -> str:
    return fmt.money(float(amount), "VND", lang)


def report_markdown(cat: Catalogue, rep: YearReport, lang: str) -> str:
    """The report as Markdown, in the style of a provincial report (headings numbered, tables, a closing note)."""
    office = languages.plain(tr(cat.site.office.name, lang))
    year = rep.year
    out = [f"# {t('yr.title', lang, year=year)}", "",
           f"*{t('yr.subtitle', lang, office=office, day=fmt.date(rep.today, lang))}*", ""]
    out += [f"## 1. {t('yr.signed_h', lang)}", ""]
    n = len(rep.signed)
    target = rep.target
    if target is None:
        out.append(t("yr.signed_no_target", lang, n=n, year=year))
    else:
        goal = (t("yr.range", lang, low=target.projects_min, high=target.projects_max)
                if target.projects_max and target.projects_max != target.projects_min else str(target.projects_min))
        share = fmt.percent(n * 100 // target.projects_min if target.projects_min else 100, lang)
        key = "yr.signed_met" if n >= target.projects_min else "yr.signed_short"
        out.append(t(key, lang, n=n, year=year, goal=goal, share=share, missing=max(0, target.projects_min - n)))
        if target.plan:
            out.append(t("yr.plan", lang, plan=target.plan))
    out.append("")
    if rep.signed:
        head = (t("yr.col_need", lang), t("yr.col_sector", lang), t("yr.col_funders", lang), t("yr.col_date", lang),
                t("yr.col_committed", lang))
        out.append(_plain_table(head, [(s.title, s.sector, s.funders, fmt.date(s.day, lang), _vnd(s.committed_vnd, lang))
                                       for s in rep.signed]))
    out += [f"## 2. {t('yr.money_h', lang)}", "",
            t("yr.money_total", lang, year=year, committed=_vnd(rep.committed, lang), disbursed=_vnd(rep.disbursed, lang),
              rate=fmt.number(cat.site.usd_to_vnd, lang)), ""]
    for key, rows_ in (("yr.by_sector", rep.by_sector), ("yr.by_partner", rep.by_partner)):
        out += [f"### {t(key, lang)}", ""]
        if rows_:
            head = (t("yr.col_group", lang), t("yr.col_committed", lang), t("yr.col_disbursed", lang))
            body = [(name, _vnd(c, lang), _vnd(d, lang)) for name, c, d in rows_]
            body.append((f"**{t('yr.total', lang)}**", f"**{_vnd(rep.committed, lang)}**", f"**{_vnd(rep.disbursed, lang)}**"))
            out.append(_plain_table(head, body))
        else:
            out += [t("yr.none", lang), ""]
    out += [f"## 3. {t('yr.open_h', lang)}", "",
            t("yr.open_total", lang, n=len(rep.open_needs), sought=_vnd(rep.sought, lang)), ""]
    if rep.open_needs:
        head = (t("yr.col_need", lang), t("yr.col_requested", lang), t("yr.col_committed", lang), t("yr.col_gap", lang))
        out.append(_plain_table(head, [(f"{name} (`{ident}`)", _vnd(req, lang), _vnd(com, lang), _vnd(gap, lang))
                                       for ident, name, req, com, gap in rep.open_needs]))
    out += [f"## 4. {t('yr.follow_h', lang)}", ""]
    if rep.follow_ups:
        head = (t("yr.col_due", lang), t("yr.col_partner", lang), t("yr.col_need", lang), t("yr.col_step", lang),
                t("yr.col_by", lang))
        out.append(_plain_table(head, [(fmt.date(f.day, lang) + (f" — **{t('yr.overdue', lang)}**" if f.overdue else ""),
                                        f.partner, f.need or "—", f.step, f.by or "—") for f in rep.follow_ups]))
    else:
        out += [t("yr.none", lang), ""]
    out += [f"## 5. {t('yr.silent_h', lang, year=year)}", ""]
    out += [f"- {name}" for name in rep.not_contacted] or [t("yr.all_contacted", lang)]
    out += ["", f"*{t('yr.internal', lang)}*", ""]
    return "\n".join(out)


def _plain_table(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    esc = [tuple(str(c).replace("|", "\\|") for c in r) for r in rows]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r) + " |" for r in esc]
    return "\n".join(lines) + "\n"


def report_xlsx(cat: Catalogue, rep: YearReport, lang: str, path: Any) -> None:
    """The same figures as a workbook: one sheet per part, amounts as numbers in đồng."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    bold = Font(bold=True)
    money = "#,##0"

    def sheet(title: str, head: tuple[str, ...], rows: list[tuple[Any, ...]], first: bool = False) -> None:
        ws = book.active if first else book.create_sheet()
        ws.title = title[:31]
        ws.append(list(head))
        for cell in ws[1]:
            cell.font = bold
        for row in rows:
            ws.append([float(v) if hasattr(v, "as_tuple") else v for v in row])
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, float):
                    cell.number_format = money
        ws.freeze_panes = "A2"
        for column in ws.columns:
            width = max(len(str(c.value or "")) for c in column)
            ws.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))

    target = rep.target
    summary = [(t("yr.x_year", lang), rep.year), (t("yr.x_signed", lang), len(rep.signed)),
               (t("yr.x_target_min", lang), target.projects_min if target else None),
               (t("yr.x_target_max", lang), target.projects_max if target else None),
               (t("yr.x_committed", lang), rep.committed), (t("yr.x_disbursed", lang), rep.disbursed),
               (t("yr.x_sought", lang), rep.sought), (t("yr.x_rate", lang), cat.site.usd_to_vnd)]
    sheet(t("yr.x_summary", lang), (t("yr.col_group", lang), ""), summary, first=True)
    sheet(t("yr.signed_h", lang), (t("yr.col_need", lang), t("yr.col_sector", lang), t("yr.col_funders", lang),
                                   t("yr.col_date", lang), t("yr.col_committed", lang)),
          [(s.title, s.sector, s.funders, s.day, s.committed_vnd) for s in rep.signed])
    for key, rows_ in (("yr.by_sector", rep.by_sector), ("yr.by_partner", rep.by_partner)):
        sheet(t(key, lang), (t("yr.col_group", lang), t("yr.col_committed", lang), t("yr.col_disbursed", lang)), rows_)
    sheet(t("yr.open_h", lang), (t("yr.col_need", lang), t("yr.col_requested", lang), t("yr.col_committed", lang),
                                 t("yr.col_gap", lang)), [(name, req, com, gap) for _, name, req, com, gap in rep.open_needs])
    sheet(t("yr.follow_h", lang), (t("yr.col_due", lang), t("yr.col_partner", lang), t("yr.col_need", lang),
                                   t("yr.col_step", lang), t("yr.col_by", lang)),
          [(f.day, f.partner, f.need, f.step, f.by) for f in rep.follow_ups])
    sheet(t("yr.silent_h", lang, year=rep.year), (t("yr.col_partner", lang),), [(n,) for n in rep.not_contacted])
    book.properties.creator = "aidcatalog"
    book.save(path)
