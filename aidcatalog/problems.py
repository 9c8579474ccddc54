"""Problems found in a catalogue, and the one table of their messages in Vietnamese and English.

Every kind of problem has a short stable ``code`` that tests and staff can rely on. A message
is a template filled from the problem's ``params``; the same problem prints as::

    catalog/needs/health/x.yaml:14:3: duplicate-key: budget: ...
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from .languages import SOURCE, gettext, localize

MESSAGES: dict[str, str] = {
    # code: the English message (the gettext msgid; msgctxt `problem.<code>`); translations in locale/
    "not-utf8": "the file is not UTF-8 text (bad byte on line {line}); save it as UTF-8",
    "file-too-large": "the file is too large ({size} bytes; the limit is {limit})",
    "too-many-files": "too many files in the catalogue ({count}; the limit is {limit})",
    "empty-file": "the file is empty",
    "yaml-syntax": "YAML syntax error: {detail}",
    "yaml-tab": "a tab character; YAML indents with spaces only",
    "multiple-documents": "the file holds several YAML documents (---); one entry per file",
    "forbidden-tag": "the YAML tag {tag} is not allowed",
    "too-complex": "too many values once aliases are expanded (the limit is {limit})",
    "too-deep": "nested too deeply (the limit is {limit} levels)",
    "not-mapping": "the file must be a mapping of `key: value` fields, not {got}",
    "bad-key": "a key must be text, not {got}",
    "duplicate-key": "the key `{key}` appears twice (first on line {first}); remove one",
    "unknown-field": "unknown field `{key}`{hint}",
    "missing-field": "a required field is missing",
    "missing-translation": "the {language} text is missing",
    "wrong-type": "expected {expected}, found {got}{hint}",
    "not-allowed": "`{value}` is not allowed; use one of: {allowed}",
    "out-of-range": "{detail}",
    "bad-format": "`{value}` is not a valid {what}{hint}",
    "bad-date": "the date `{value}` cannot be read: {detail}",
    "budget-mismatch": "requested ({requested}) plus counterpart ({counterpart}) is more than the total ({total})",
    "funding-exceeds": "the contributions add up to {total}, more than the {requested} requested",
    "funding-future": "a disbursement dated {date}, after today ({today}): record it once the money is paid",
    "funding-missing": "the status `{status}` needs a committed contribution in `funding` (stage: committed or disbursed)",
    "funding-status": "the contributions commit the whole amount requested, but the status `{status}` still seeks funding",
    "contribution-source": "give either `partner` (a partner's id) or `organisation` (a name), not both or neither",
    "registration-province": "the registration covers none of this catalogue's provinces ({known})",
    "date-order": "the end date is before the start date",
    "not-in-vocabulary": "`{value}` is not in the {vocabulary} vocabulary{hint}",
    "duplicate-id": "the id `{id}` is already used in {other}",
    "id-mismatch": "the id `{id}` differs from the file name `{stem}`; name the file `{id}.yaml`",
    "unknown-reference": "there is no {kind} with the id `{value}`{hint}",
    "unpublished-reference": "the {kind} `{value}` is not published, so no link is shown",
    "consent-required": "published only with consent (consent: true)",
    "missing-file": "the file `{value}` is not in catalog/media/",
    "bad-path": "the path `{value}` is not allowed: {why}",
    "hidden-character": "a hidden direction or control character (U+{codepoint}); remove it",
    "unexpected-file": "this file is outside needs/, stories/, partners/ and vocabularies/, so it is ignored",
    "wrong-folder": "an entry of sector `{sector}` belongs in the folder needs/{sector}/",
    "unknown-language": "`{value}` is not a language declared in catalog/site.yaml (declared: {declared})",
    "bad-language": "invalid language declaration: {detail}",
    "missing-catalogue": "no catalogue at {path} (site.yaml is missing)",
    "invalid": "invalid value: {detail}",
    "bad-character": "the character U+{codepoint} ({name}) is not allowed: {why}",
    "invisible-character": (
        "the invisible character U+{codepoint} ({name}) was removed from the text; delete it from the file "
        "and check the text around it"
    ),
    "invisible-in-identifier": (
        "the invisible character U+{codepoint} ({name}) is inside this {what} and breaks it; delete it and "
        "retype"
    ),
    "thousands-separator": (
        "`{value}`: YAML reads this as {read}. The dot is the Vietnamese thousands separator, which YAML does"
        " not know; write digits only, e.g. {digits}"
    ),
    "money-fraction": "the amount `{value}` has a fraction; {rule}",
    "ignored-file": "this file is not read: {why}",
    "unreadable": "cannot read this {what} ({reason}); what it holds would be left out, so check its permissions",
    "media-wrong-type": "the file `{value}` is named {suffix} but is really {found}; save it in the right format ({expected})",
    "media-file-size": "the file `{value}` is too large ({size} MB; the limit is {limit} MB); make it smaller",
    "image-pixels": (
        "the image `{value}` is too large: {width} × {height} pixels (the limit is {limit} megapixels); scale"
        " it down"
    ),
    "media-damaged": "the file `{value}` is damaged or incomplete ({why}); copy the original again",
    "self-reference": "this entry names itself (`{value}` is its own id); name another entry or remove the line",
    "former-unit": (
        "`{value}` is {unit}, which no longer exists since 1 July 2025 (districts were abolished, provinces and "
        "communes merged); {detail}"
    ),
    "insecure-link": (
        "the link `{value}` uses http:// (not encrypted; browsers flag it as not secure); use https:// if the"
        " site offers it"
    ),
}


WARNING = "warning: "
"""What prefixes a warning's message (``summary.warning_label``)."""

SUMMARY = {
    "clean": "No problems: {files} files checked.",
    "errors": "{errors} error{es}, {warnings} warning{ws} in {bad} file{bs} ({files} files checked).",
    "warnings": "No errors, {warnings} warning{ws} ({files} files checked).",
}


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one place. ``line`` and ``column`` are 1-based; 0 means unknown."""

    file: str
    line: int
    column: int
    code: str
    field: str = ""
    params: dict[str, Any] = dataclasses.field(default_factory=dict, compare=False, hash=False)
    severity: Literal["error", "warning"] = dataclasses.field(default="error", compare=False)

    def message(self, lang: str = SOURCE) -> str:
        template = gettext(f"problem.{self.code}", lang, MESSAGES[self.code])
        params = {k: localize(v, lang) for k, v in self.params.items()}
        return template.format_map(_Blank(params))

    def format(self, lang: str = SOURCE) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        field_part = f"{self.field}: " if self.field else ""
        label = "" if self.severity == "error" else gettext("summary.warning_label", lang, WARNING)
        return f"{where}: {self.code}: {label}{field_part}{self.message(lang)}"

    def as_dict(self, lang: str = SOURCE) -> dict[str, Any]:
        return {
            "file": self.file, "line": self.line, "column": self.column, "code": self.code,
            "field": self.field, "severity": self.severity, "message": self.message(lang),
        }

    def github(self, lang: str = SOURCE) -> str:
        """A GitHub Actions workflow command, so the problem shows on the changed line."""
        kind = "error" if self.severity == "error" else "warning"
        props = f"file={_escape_prop(self.file)}"
        if self.line:
            props += f",line={self.line},col={max(self.column, 1)}"
        props += f",title={_escape_prop(self.code)}"
        text = f"{self.field}: {self.message(lang)}" if self.field else self.message(lang)
        return f"::{kind} {props}::{_escape_data(text)}"


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def summary(problems: Iterable[Problem], files: int, lang: str = SOURCE) -> str:
    problems = list(problems)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    bad = len({p.file for p in problems if p.severity == "error"})
    key = "errors" if errors else ("warnings" if warnings else "clean")
    plural = {"es": errors != 1, "ws": warnings != 1, "bs": bad != 1}
    return gettext(f"summary.{key}", lang, SUMMARY[key]).format(
        errors=errors, warnings=warnings, bad=bad, files=files, **{k: "s" if v else "" for k, v in plural.items()}
    )


def render(problems: list[Problem], files: int, fmt: str, lang: str) -> str:
    """The validator's whole output in one of its formats."""
    if fmt == "json":
        return json.dumps(
            {"files": files, "problems": [p.as_dict(lang) for p in problems]}, ensure_ascii=False, indent=2
        )
    lines = [p.github(lang) if fmt == "github" else p.format(lang) for p in problems]
    lines.append(summary(problems, files, lang))
    return "\n".join(lines)


def english_messages() -> list[tuple[str, str]]:
    """Every message of this module as (gettext key, English text), for the catalogues."""
    return [*((f"problem.{code}", text) for code, text in MESSAGES.items()),
            *((f"summary.{key}", text) for key, text in SUMMARY.items()), ("summary.warning_label", WARNING)]
