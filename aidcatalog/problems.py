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

Lang = Literal["vi", "en"]

MESSAGES: dict[str, tuple[str, str]] = {
    # code: (Vietnamese, English)
    "not-utf8": (
        "tệp không phải văn bản UTF-8 (byte lạ ở dòng {line}); hãy lưu lại với mã hoá UTF-8",
        "the file is not UTF-8 text (bad byte on line {line}); save it as UTF-8",
    ),
    "file-too-large": (
        "tệp quá lớn ({size} byte; tối đa {limit} byte)",
        "the file is too large ({size} bytes; the limit is {limit})",
    ),
    "too-many-files": (
        "quá nhiều tệp trong danh mục ({count}; tối đa {limit})",
        "too many files in the catalogue ({count}; the limit is {limit})",
    ),
    "empty-file": ("tệp trống", "the file is empty"),
    "yaml-syntax": ("lỗi cú pháp YAML: {detail}", "YAML syntax error: {detail}"),
    "yaml-tab": (
        "có ký tự Tab; YAML chỉ dùng dấu cách để thụt lề",
        "a tab character; YAML indents with spaces only",
    ),
    "multiple-documents": (
        "tệp chứa nhiều tài liệu YAML (dấu ---); mỗi tệp chỉ một mục",
        "the file holds several YAML documents (---); one entry per file",
    ),
    "forbidden-tag": (
        "thẻ YAML {tag} không được phép",
        "the YAML tag {tag} is not allowed",
    ),
    "too-complex": (
        "tệp có quá nhiều giá trị sau khi mở rộng alias (tối đa {limit})",
        "too many values once aliases are expanded (the limit is {limit})",
    ),
    "too-deep": (
        "cấu trúc lồng quá sâu (tối đa {limit} cấp)",
        "nested too deeply (the limit is {limit} levels)",
    ),
    "not-mapping": (
        "tệp phải là danh sách trường dạng `khóa: giá trị`, không phải {got}",
        "the file must be a mapping of `key: value` fields, not {got}",
    ),
    "bad-key": ("khóa phải là chữ, không phải {got}", "a key must be text, not {got}"),
    "duplicate-key": (
        "khóa `{key}` xuất hiện hai lần (lần đầu ở dòng {first}); hãy xoá một",
        "the key `{key}` appears twice (first on line {first}); remove one",
    ),
    "unknown-field": ("trường lạ `{key}`{hint}", "unknown field `{key}`{hint}"),
    "missing-field": ("thiếu trường bắt buộc", "a required field is missing"),
    "missing-translation": (
        "thiếu bản {language}",
        "the {language} text is missing",
    ),
    "wrong-type": (
        "cần {expected}, nhưng đang là {got}{hint}",
        "expected {expected}, found {got}{hint}",
    ),
    "not-allowed": ("giá trị `{value}` không hợp lệ; chọn một trong: {allowed}",
                    "`{value}` is not allowed; use one of: {allowed}"),
    "out-of-range": ("{detail_vi}", "{detail_en}"),
    "bad-format": (
        "`{value}` không phải {what_vi} hợp lệ{hint_vi}",
        "`{value}` is not a valid {what_en}{hint_en}",
    ),
    "bad-date": ("ngày không có thật hoặc sai dạng: `{value}` (dạng đúng: YYYY-MM-DD)",
                 "not a real date or not in YYYY-MM-DD form: `{value}`"),
    "budget-mismatch": (
        "số tiền đề nghị ({requested}) cộng vốn đối ứng ({counterpart}) vượt tổng kinh phí ({total})",
        "requested ({requested}) plus counterpart ({counterpart}) is more than the total ({total})",
    ),
    "date-order": ("ngày kết thúc trước ngày bắt đầu", "the end date is before the start date"),
    "not-in-vocabulary": (
        "`{value}` không có trong danh mục {vocabulary}{hint}",
        "`{value}` is not in the {vocabulary} vocabulary{hint}",
    ),
    "duplicate-id": (
        "mã `{id}` đã được dùng ở {other}",
        "the id `{id}` is already used in {other}",
    ),
    "id-mismatch": (
        "mã `{id}` khác tên tệp `{stem}`; hãy đặt tên tệp là `{id}.yaml`",
        "the id `{id}` differs from the file name `{stem}`; name the file `{id}.yaml`",
    ),
    "unknown-reference": (
        "không có {kind_vi} nào mang mã `{value}`{hint}",
        "there is no {kind_en} with the id `{value}`{hint}",
    ),
    "unpublished-reference": (
        "{kind_vi} `{value}` chưa được đăng nên sẽ không hiện liên kết",
        "the {kind_en} `{value}` is not published, so no link is shown",
    ),
    "consent-required": (
        "chỉ đăng khi đã có sự đồng ý (consent: true)",
        "published only with consent (consent: true)",
    ),
    "missing-file": ("không tìm thấy tệp `{value}` trong catalog/media/",
                     "the file `{value}` is not in catalog/media/"),
    "bad-path": ("đường dẫn `{value}` không được phép: {why_vi}", "the path `{value}` is not allowed: {why_en}"),
    "hidden-character": (
        "có ký tự ẩn điều khiển hướng chữ hoặc ký tự điều khiển (U+{codepoint}); hãy xoá",
        "a hidden direction or control character (U+{codepoint}); remove it",
    ),
    "unexpected-file": (
        "tệp nằm ngoài các thư mục needs/, stories/, partners/, vocabularies/ nên bị bỏ qua",
        "this file is outside needs/, stories/, partners/ and vocabularies/, so it is ignored",
    ),
    "wrong-folder": (
        "mục thuộc lĩnh vực `{sector}` nên đặt trong thư mục needs/{sector}/",
        "an entry of sector `{sector}` belongs in the folder needs/{sector}/",
    ),
    "missing-catalogue": (
        "không tìm thấy danh mục tại {path} (cần có site.yaml)",
        "no catalogue at {path} (site.yaml is missing)",
    ),
    "invalid": ("giá trị không hợp lệ: {detail}", "invalid value: {detail}"),
}

LANGUAGE_NAMES = {"vi": ("tiếng Việt", "Vietnamese"), "en": ("tiếng Anh", "English")}

SUMMARY = {
    "clean": ("Không có lỗi: đã kiểm tra {files} tệp.", "No problems: {files} files checked."),
    "errors": (
        "{errors} lỗi, {warnings} cảnh báo trong {bad} tệp (đã kiểm tra {files} tệp).",
        "{errors} error{es}, {warnings} warning{ws} in {bad} file{bs} ({files} files checked).",
    ),
    "warnings": (
        "Không có lỗi, {warnings} cảnh báo (đã kiểm tra {files} tệp).",
        "No errors, {warnings} warning{ws} ({files} files checked).",
    ),
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

    def message(self, lang: Lang = "en") -> str:
        vi, en = MESSAGES[self.code]
        template = vi if lang == "vi" else en
        params = {k: (v[0 if lang == "vi" else 1] if isinstance(v, tuple) else v) for k, v in self.params.items()}
        return template.format_map(_Blank(params))

    def format(self, lang: Lang = "en") -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        field_part = f"{self.field}: " if self.field else ""
        label = "" if self.severity == "error" else ("cảnh báo: " if lang == "vi" else "warning: ")
        return f"{where}: {self.code}: {label}{field_part}{self.message(lang)}"

    def as_dict(self, lang: Lang = "en") -> dict[str, Any]:
        return {
            "file": self.file, "line": self.line, "column": self.column, "code": self.code,
            "field": self.field, "severity": self.severity, "message": self.message(lang),
        }

    def github(self, lang: Lang = "en") -> str:
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


def summary(problems: Iterable[Problem], files: int, lang: Lang = "en") -> str:
    problems = list(problems)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    bad = len({p.file for p in problems if p.severity == "error"})
    key = "errors" if errors else ("warnings" if warnings else "clean")
    vi, en = SUMMARY[key]
    plural = {"es": errors != 1, "ws": warnings != 1, "bs": bad != 1}
    return (vi if lang == "vi" else en).format(
        errors=errors, warnings=warnings, bad=bad, files=files, **{k: "s" if v else "" for k, v in plural.items()}
    )


def render(problems: list[Problem], files: int, fmt: str, lang: Lang) -> str:
    """The validator's whole output in one of its formats."""
    if fmt == "json":
        return json.dumps(
            {"files": files, "problems": [p.as_dict(lang) for p in problems]}, ensure_ascii=False, indent=2
        )
    lines = [p.github(lang) if fmt == "github" else p.format(lang) for p in problems]
    lines.append(summary(problems, files, lang))
    return "\n".join(lines)
