"""Schema, vocabularies and cross references: a whole catalogue folder → a Catalogue or Problems.

Every file is read and every problem collected before anything is decided, so staff see all
that is wrong in one run. A catalogue with any error is never handed to the renderers.
"""

from __future__ import annotations

import math
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from . import model
from .load import Document, field_name, read
from .model import Locality, Need, Partner, Site, Story, Term
from .problems import LANGUAGE_NAMES, Problem
from .text import closest

MAX_FILES = 20_000
"""Entry files in one catalogue: more is refused before anything is read."""

VOCABULARIES = ("sectors", "themes", "sdgs", "statuses", "beneficiary_groups", "modalities", "localities")
FOLDERS = {"needs": Need, "stories": Story, "partners": Partner}
KIND_NAMES = {
    "need": ("nhu cầu", "need"),
    "story": ("mô hình", "model project"),
    "localities": ("xã/phường", "commune"),
    "places": ("địa bàn", "place"),
}
# What a pattern-constrained string is, in words, by its field name.
FORMATS = {
    "id": (
        ("mã", "id"),
        (
            " (chữ thường không dấu, nối bằng gạch ngang, ví dụ `nuoc-sach-da-bac`)",
            " (lower-case ASCII words joined by hyphens, e.g. `clean-water-da-bac`)",
        ),
    ),
    "email": (("địa chỉ thư điện tử", "e-mail address"), ("", "")),
    "phone": (("số điện thoại", "phone number"), ("", "")),
    "url": (("địa chỉ web", "web address"), (" (bắt đầu bằng https://)", " (starting with https://)")),
    "website": (("địa chỉ web", "web address"), (" (bắt đầu bằng https://)", " (starting with https://)")),
    "file": (
        ("đường dẫn tệp", "file path"),
        (" (tương đối trong catalog/media/, .jpg .png .webp .pdf)", " (relative to catalog/media/; .jpg .png .webp .pdf)"),
    ),
}
TYPE_NAMES = {
    "string": ("chữ", "text"),
    "int": ("số nguyên", "a whole number"),
    "float": ("số", "a number"),
    "bool": ("true hoặc false", "true or false"),
    "list": ("danh sách", "a list"),
    "dict": ("ánh xạ `khóa: giá trị`", "a mapping of `key: value`"),
    "date": ("ngày YYYY-MM-DD", "a date YYYY-MM-DD"),
    "NoneType": ("để trống", "empty"),
    "str": ("chữ", "text"),
    "datetime": ("ngày giờ", "a date and time"),
}


@dataclass
class Catalogue:
    """A validated catalogue: what the site, the PDFs and the reports are made from."""

    root: Path
    site: Site
    needs: dict[str, Need]
    """Published needs, by id, in a stable order (first sector, then title)."""
    stories: dict[str, Story]
    """Published model projects, by id."""
    partners: dict[str, Partner]
    vocab: dict[str, dict[Any, Term]]
    localities: dict[str, Locality]
    unpublished: dict[str, str] = field(default_factory=dict)
    """Ids of drafts and withdrawn entries → their status."""
    sources: dict[str, str] = field(default_factory=dict)
    """Entry id → its file, as shown to staff."""
    raw: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Entry id → its data as written (drafts included), for reports."""
    former: dict[str, set[str]] = field(default_factory=dict)
    """Former district or province id → the ids of today's communes that were part of it."""

    def places(self) -> set[str]:
        """Every id a place filter may name: communes, former districts, former provinces."""
        return set(self.localities) | set(self.former)

    def term(self, vocabulary: str, key: Any) -> Term:
        return self.vocab[vocabulary][key]


@dataclass
class Report:
    catalogue: Catalogue | None
    problems: list[Problem]
    files: int

    @property
    def ok(self) -> bool:
        return self.catalogue is not None


def validate(root: Path | str, *, shown_from: Path | None = None) -> Report:
    """Read and check every file under ``root`` (the ``catalog/`` folder).

    Files are named relative to ``shown_from`` (default: the folder that holds ``root``).
    """
    root = Path(root)
    base = os.path.abspath(shown_from or root.parent)

    def shown(path: Path) -> str:
        """Paths as staff see them in the repository: ``catalog/needs/…``."""
        return _printable(Path(os.path.relpath(os.path.abspath(path), base)).as_posix())

    problems: list[Problem] = []
    site_path = root / "site.yaml"
    if not site_path.is_file():
        return Report(None, [Problem(shown(site_path), 0, 0, "missing-catalogue", params={"path": shown(root)})], 0)
    files = _discover(root, problems, shown)
    if len(files) > MAX_FILES:
        count = {"count": len(files), "limit": MAX_FILES}
        return Report(None, [Problem(shown(root), 0, 0, "too-many-files", params=count)], len(files))

    docs: dict[Path, Document] = {}
    for path in files:
        doc, found = read(path, shown(path))
        problems.extend(found)
        if doc is not None:
            docs[path] = doc

    checker = _Checker(root, problems)
    checker.vocabularies({p.stem: d for p, d in docs.items() if p.parent == root / "vocabularies"})
    site = checker.entry(docs.get(site_path), Site)
    for folder, cls in FOLDERS.items():
        for path, doc in docs.items():
            if path.is_relative_to(root / folder):
                checker.entry(doc, cls, path)
    checker.references()

    problems.sort(key=lambda p: (p.file, p.line, p.column, p.code))
    if any(p.severity == "error" for p in problems) or site is None:
        return Report(None, problems, len(files))
    return Report(checker.catalogue(site), problems, len(files))


def _discover(root: Path, problems: list[Problem], shown: Any) -> list[Path]:
    """Every YAML file of the catalogue, refusing links that lead outside it."""
    found: list[Path] = []
    real_root = root.resolve()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for d in list(dirnames):
            if (here / d).is_symlink():
                dirnames.remove(d)
                _refuse_link(here / d, real_root, problems, shown)
        for name in sorted(filenames):
            path = here / name
            if not name.endswith((".yaml", ".yml")) or name.startswith("."):
                continue
            if path.is_symlink() and not _refuse_link(path, real_root, problems, shown):
                continue
            rel = path.relative_to(root)
            if (rel.parts[0] in (*FOLDERS, "vocabularies") and len(rel.parts) > 1) or rel == Path("site.yaml"):
                found.append(path)
                if len(found) > MAX_FILES:  # enough to refuse: stop looking
                    return found
            else:
                problems.append(Problem(shown(path), 0, 0, "unexpected-file", severity="warning"))
    return found


def _printable(name: str) -> str:
    """A file name safe to print: undecodable bytes and control characters become U+FFFD."""
    name = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return "".join("\ufffd" if unicodedata.category(c) == "Cc" else c for c in name)


def _refuse_link(path: Path, real_root: Path, problems: list[Problem], shown: Any) -> bool:
    """True when a symbolic link stays inside the catalogue (and may be read)."""
    target = path.resolve()
    if target.is_relative_to(real_root) and target.exists():
        return True
    why = ("liên kết trỏ ra ngoài thư mục catalog/", "a link that leads outside catalog/")
    problems.append(Problem(shown(path), 0, 0, "bad-path", params={"value": shown(path), "why_vi": why[0], "why_en": why[1]}))
    return False


class _Checker:
    """Holds what has been read so far; each method adds the problems it finds."""

    def __init__(self, root: Path, problems: list[Problem]):
        self.root = root
        self.problems = problems
        self.vocab: dict[str, dict[Any, Term]] = {name: {} for name in VOCABULARIES if name != "localities"}
        self.localities: dict[str, Locality] = {}
        self.former: dict[str, set[str]] = {}
        self.entries: dict[str, dict[str, tuple[Document, Any]]] = {"need": {}, "story": {}, "partner": {}}
        self.status: dict[str, str] = {}
        self.raw: dict[str, dict[str, Any]] = {}

    def add(self, doc: Document, path: tuple, code: str, *, at_key: bool = False, severity: str = "error", **params: Any) -> None:
        line, col = doc.where(path, key=at_key)
        self.problems.append(Problem(doc.file, line, col, code, field_name(path), params, severity))  # type: ignore[arg-type]

    # --- vocabularies -------------------------------------------------------------------

    def vocabularies(self, docs: dict[str, Document]) -> None:
        for name in VOCABULARIES:
            doc = docs.get(name)
            if doc is None:
                path = self.root / "vocabularies" / f"{name}.yaml"
                if not path.exists():
                    self.problems.append(Problem(str(path), 0, 0, "missing-field", f"vocabularies/{name}.yaml"))
                continue
            items = doc.data.get("items")
            if not isinstance(items, list):
                self.add(
                    doc,
                    ("items",),
                    "missing-field" if items is None else "wrong-type",
                    expected=TYPE_NAMES["list"],
                    got=_type_name(items),
                )
                continue
            cls = Locality if name == "localities" else Term
            for i, item in enumerate(items):
                obj = self.model(doc, cls, item, ("items", i))
                if obj is None:
                    continue
                table: dict[Any, Any] = self.localities if name == "localities" else self.vocab[name]
                if obj.id in table:
                    self.add(doc, ("items", i, "id"), "duplicate-id", id=obj.id, other=f"{doc.file}")
                table[obj.id] = obj
                if isinstance(obj, Locality) and obj.former:
                    for unit in (obj.former.district, obj.former.province):
                        self.former.setdefault(unit.id, set()).add(obj.id)

    # --- entries ------------------------------------------------------------------------

    def entry(self, doc: Document | None, cls: type[BaseModel], path: Path | None = None) -> Any:
        if doc is None:
            return None
        data = doc.data
        draft = (cls is Need and data.get("status") == "draft") or (cls is Story and data.get("draft") is True)
        obj = self.model(doc, cls, data, (), lenient=draft)
        if cls is Site:
            return obj
        kind = {Need: "need", Story: "story", Partner: "partner"}[cls]
        ident = data.get("id")
        if not isinstance(ident, str) or not ident:
            return obj
        seen = self.entries[kind].get(ident)
        if seen is not None or (kind != "partner" and ident in self.entries["story" if kind == "need" else "need"]):
            other = seen[0].file if seen else self.entries["story" if kind == "need" else "need"][ident][0].file
            self.add(doc, ("id",), "duplicate-id", id=ident, other=other)
            return obj
        if path is not None and path.stem != ident and re.match(model.ID_PATTERN, ident):
            self.add(doc, ("id",), "id-mismatch", id=ident, stem=_printable(path.stem))
        self.entries[kind][ident] = (doc, obj)
        self.raw[ident] = data
        if kind == "need":
            self.status[ident] = str(data.get("status"))
            sectors = data.get("sectors")
            folder = path.parent.name if path is not None else ""
            known = isinstance(sectors, list) and sectors and isinstance(sectors[0], str) and sectors[0] in self.vocab["sectors"]
            if known and folder != "needs" and folder not in sectors:
                self.add(doc, ("sectors",), "wrong-folder", severity="warning", sector=sectors[0])
        elif kind == "story":
            self.status[ident] = "draft" if draft else "published"
        self.refs_in(doc, cls, data, ())
        return obj

    def model(self, doc: Document, cls: type[BaseModel], data: Any, at: tuple, *, lenient: bool = False) -> Any:
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
            found = [_explain(err, data, cls) for err in errors]
            empty = [err.get("input") in (None, "", [], {}) for err in errors]
            # A misspelt key also leaves its field missing: the 'did you mean' says it all.
            meant = {
                (*path[:-1], params["hint"][1].split("`")[1])
                for code, path, params, _ in found
                if code == "unknown-field" and params["hint"][1]
            }
            for (code, path, params, key), blank in zip(found, empty, strict=True):
                if lenient and (blank or code in ("missing-field", "missing-translation")):
                    continue  # a draft may leave anything blank; what it does write must be right
                if code == "missing-field" and path in meant:
                    continue
                if field_name(at + path) in doc.reported:
                    continue  # the loader said it already, in its own words
                self.add(doc, at + path, code, at_key=key or code in ("missing-field", "missing-translation"), **params)
            return None

    def refs_in(self, doc: Document, cls: type[BaseModel], data: Any, at: tuple) -> None:
        """Check every value that names a vocabulary term, walking the schema's own annotations.

        Works on the data as written, so a file with other mistakes still gets these checked.
        """
        if not isinstance(data, dict):
            return
        for name, info in cls.model_fields.items():
            if name not in data:
                continue
            value = data[name]
            extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
            vocabulary = extra.get("x-vocabulary")
            inner = _inner(info.annotation)
            if vocabulary in ("need", "story"):
                continue  # checked once every entry is known
            if vocabulary:
                values = value if isinstance(value, list) else [value]
                for i, v in enumerate(values):
                    path = (*at, name, i) if isinstance(value, list) else (*at, name)
                    if isinstance(v, str | int) and not isinstance(v, bool):
                        self.term(doc, path, vocabulary, v)
            elif isinstance(inner, type) and issubclass(inner, BaseModel) and not issubclass(inner, model.Text):
                items = enumerate(value) if isinstance(value, list) else [(None, value)]
                for i, item in items:
                    sub = (*at, name) if i is None else (*at, name, i)
                    self.refs_in(doc, inner, item, sub)
                    if isinstance(item, dict) and "consent" in inner.model_fields and item.get("consent") is not True:
                        self.add(doc, (*sub, "consent"), "consent-required")
            if name == "file" and isinstance(value, str):
                self.media(doc, value, (*at, name))

    def term(self, doc: Document, path: tuple, vocabulary: str, value: Any) -> None:
        if vocabulary == "localities":
            known: set[Any] = set(self.localities)
        elif vocabulary == "places":
            known = set(self.localities) | set(self.former)
        else:
            known = set(self.vocab[vocabulary])
        if value in known:
            return
        hint = _suggest(value, known)
        if vocabulary in ("localities", "places"):
            kind = KIND_NAMES[vocabulary]
            self.add(doc, path, "unknown-reference", value=value, kind_vi=kind[0], kind_en=kind[1], hint=hint)
        else:
            self.add(doc, path, "not-in-vocabulary", value=value, vocabulary=vocabulary, hint=hint)

    def media(self, doc: Document, value: str, path: tuple) -> None:
        media = (self.root / "media").resolve()
        target = (media / value).resolve()
        if not target.is_relative_to(media) or ".." in Path(value).parts:
            why = ("phải nằm trong catalog/media/", "it must stay inside catalog/media/")
            self.add(doc, path, "bad-path", value=value, why_vi=why[0], why_en=why[1])
        elif not target.is_file():
            self.add(doc, path, "missing-file", value=value)

    # --- cross references ---------------------------------------------------------------

    def published(self, kind: str, ident: str) -> bool:
        status = self.status.get(ident)
        if kind == "story":
            return status == "published"
        term = self.vocab["statuses"].get(status)
        return bool(term and term.published)

    def references(self) -> None:
        fields = {"need": ("related_stories", "related_needs"), "story": ("scale_up_needs",)}
        target = {"related_stories": "story", "related_needs": "need", "scale_up_needs": "need"}
        for kind, names in fields.items():
            for ident, (doc, obj) in self.entries[kind].items():
                if obj is None:
                    continue
                for name in names:
                    for i, ref in enumerate(getattr(obj, name)):
                        other = target[name]
                        words = KIND_NAMES[other]
                        if ref not in self.entries[other]:
                            hint = _suggest(ref, set(self.entries[other]))
                            self.add(
                                doc, (name, i), "unknown-reference", value=ref, kind_vi=words[0], kind_en=words[1], hint=hint
                            )
                        elif self.published(kind, ident) and not self.published(other, ref):
                            self.add(
                                doc,
                                (name, i),
                                "unpublished-reference",
                                severity="warning",
                                value=ref,
                                kind_vi=words[0].capitalize(),
                                kind_en=words[1],
                            )

    def catalogue(self, site: Site) -> Catalogue:
        def order(item: tuple[str, Any]) -> tuple:
            obj = item[1][1]
            return (obj.sectors[0], obj.title.vi)

        def listed(kind: str) -> list[tuple[str, Any]]:
            """Published entries only: an incomplete draft has no schema object to sort by."""
            return sorted(((i, e) for i, e in self.entries[kind].items() if self.published(kind, i)), key=order)

        needs = {i: e[1] for i, e in listed("need")}
        stories = {i: e[1] for i, e in listed("story")}
        unpublished = {i: s for i, s in self.status.items() if i not in needs and i not in stories}
        return Catalogue(
            root=self.root,
            site=site,
            needs=needs,
            stories=stories,
            partners={i: e[1] for i, e in sorted(self.entries["partner"].items())},
            vocab=self.vocab,
            localities=self.localities,
            former=self.former,
            unpublished=unpublished,
            sources={i: e[0].file for k in ("need", "story", "partner") for i, e in self.entries[k].items()},
            raw=self.raw,
        )


def _type_name(value: Any) -> tuple[str, str]:
    return TYPE_NAMES.get(type(value).__name__, (type(value).__name__, type(value).__name__))


def _suggest(value: Any, options: set[Any] | list[str]) -> tuple[str, str]:
    """A 'did you mean' hint, as (vi, en); empty when nothing is close."""
    best = closest(value, options)
    if best is None:
        return ("", "")
    return (f"; có phải ý bạn là `{best}`?", f"; did you mean `{best}`?")


def _data_path(loc: tuple, data: Any) -> tuple[tuple, bool]:
    """Pydantic's error location → the path in the data (dropping union tags).

    The flag says whether the last part is absent from the data (a missing field).
    """
    path: list[Any] = []
    current = data
    for part in loc:
        if isinstance(current, dict) and isinstance(part, str):
            path.append(part)
            if part not in current:
                return tuple(path), True
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            path.append(part)
            current = current[part]
        # else: a union member's tag (e.g. 'constrained-str'): not part of the data
    return tuple(path), False


def _model_at(cls: type[BaseModel], path: tuple) -> type[BaseModel] | None:
    """The schema class that describes the mapping at ``path``."""
    current: Any = cls
    for part in path:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or part not in current.model_fields:
            return None
        current = _inner(current.model_fields[part].annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner(annotation: Any) -> Any:
    """``list[X]``, ``X | None`` → X (the class a value or its items must be)."""
    for arg in (annotation, *get_args(annotation)):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
        if get_origin(arg) is list:
            return _inner(get_args(arg)[0])
    return annotation


def _explain(err: dict[str, Any], data: Any, cls: type[BaseModel]) -> tuple[str, tuple, dict[str, Any], bool]:
    """One pydantic error → (code, data path, message params, point at key?)."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    path, missing = _data_path(err["loc"], data)
    value = err.get("input")
    last = path[-1] if path else ""
    parent = _model_at(cls, path[:-1])

    if kind == "missing" or missing or (value is None and kind.endswith("_type")):
        if parent is not None and issubclass(parent, model.Text) and last in LANGUAGE_NAMES:
            return "missing-translation", path, {"language": LANGUAGE_NAMES[last]}, False
        return "missing-field", path, {}, False
    if kind == "extra_forbidden":
        options = [n for n in (parent.model_fields if parent else {}) if n not in _present(data, path[:-1])]
        return "unknown-field", path, {"key": last, "hint": _suggest(last, options)}, True
    if kind == "string_too_short" and parent is not None and issubclass(parent, model.Text) and last in LANGUAGE_NAMES:
        return "missing-translation", path, {"language": LANGUAGE_NAMES[last]}, False
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        target = _model_at(cls, path)
        if target is not None and issubclass(target, model.Text):
            hint = ("; hãy viết dạng {vi: ..., en: ...}", "; write it as {vi: ..., en: ...}")
            return (
                "wrong-type",
                path,
                {
                    "expected": ("bản tiếng Việt và tiếng Anh", "Vietnamese and English texts"),
                    "got": _type_name(value),
                    "hint": hint,
                },
                False,
            )
        return "wrong-type", path, {"expected": TYPE_NAMES["dict"], "got": _type_name(value)}, False
    expected = {
        "string_type": "string",
        "int_type": "int",
        "int_from_float": "int",
        "float_type": "float",
        "bool_type": "bool",
        "list_type": "list",
        "date_type": "date",
        "date_from_datetime_inexact": "date",
    }.get(kind)
    if expected:
        hint = ("", "")
        if isinstance(value, str) and expected in ("float", "int"):
            hint = (
                "; chỉ ghi số, không có dấu phẩy hay đơn vị (ví dụ 250000)",
                "; write digits only, no commas or units (e.g. 250000)",
            )
        elif isinstance(value, str) and expected == "date":
            hint = ("; bỏ dấu nháy quanh ngày", "; remove the quotes around the date")
        elif isinstance(value, bool) and expected == "string":
            hint = ("; hãy đặt giá trị trong dấu nháy", "; put the value in quotes")
        elif expected == "list" and not isinstance(value, (dict, list)):
            hint = ("; mỗi mục một dòng bắt đầu bằng `- `", "; one item per line starting with `- `")
        return "wrong-type", path, {"expected": TYPE_NAMES[expected], "got": _type_name(value), "hint": hint}, False
    if kind == "literal_error":
        allowed = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return "not-allowed", path, {"value": value, "allowed": allowed}, False
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal", "finite_number"):
        if isinstance(value, float) and not math.isfinite(value):  # `.nan` and `.inf`: no bound applies
            kind = "finite_number"
        words = {
            "greater_than": ("phải lớn hơn {}", "must be more than {}"),
            "greater_than_equal": ("phải từ {} trở lên", "must be at least {}"),
            "less_than": ("phải nhỏ hơn {}", "must be less than {}"),
            "less_than_equal": ("không được vượt quá {}", "must be at most {}"),
            "finite_number": ("phải là một số hữu hạn", "must be a finite number"),
        }[kind]
        bound = next((v for k, v in ctx.items() if k in ("gt", "ge", "lt", "le")), "")
        bound = f"{bound:g}" if isinstance(bound, float) else bound
        return (
            "out-of-range",
            path,
            {"detail_vi": f"`{value}` " + words[0].format(bound), "detail_en": f"`{value}` " + words[1].format(bound)},
            False,
        )
    if kind in ("too_short", "too_long"):
        n = ctx.get("min_length" if kind == "too_short" else "max_length")
        vi = f"cần ít nhất {n} mục" if kind == "too_short" else f"tối đa {n} mục"
        en = f"needs at least {n} item(s)" if kind == "too_short" else f"at most {n} items"
        return "out-of-range", path, {"detail_vi": vi, "detail_en": en}, False
    if kind in ("string_too_short", "string_too_long"):
        n = ctx.get("min_length" if kind == "string_too_short" else "max_length")
        length = len(value) if isinstance(value, str) else 0
        if kind == "string_too_short":
            return (
                "out-of-range",
                path,
                {"detail_vi": f"quá ngắn (cần ít nhất {n} ký tự)", "detail_en": f"too short (at least {n} characters)"},
                False,
            )
        return (
            "out-of-range",
            path,
            {"detail_vi": f"dài {length} ký tự; tối đa {n}", "detail_en": f"{length} characters long; at most {n}"},
            False,
        )
    if kind == "string_pattern_mismatch":
        field_kind = next((p for p in reversed(path) if isinstance(p, str)), "")
        if field_kind in ("related_stories", "related_needs", "scale_up_needs"):
            field_kind = "id"
        what, hint = FORMATS.get(field_kind, (("giá trị", "value"), ("", "")))
        odd = next(((i, c) for i, c in enumerate(str(value), 1) if not c.isascii()), None)
        if odd:  # a look-alike letter (Cyrillic а for Latin a) or an accent: name it, since it cannot be seen
            i, c = odd
            name = unicodedata.name(c, "?")
            hint = (
                f"{hint[0]}; ký tự thứ {i} `{c}` là U+{ord(c):04X} {name}, không phải ASCII",
                f"{hint[1]}; character {i} `{c}` is U+{ord(c):04X} {name}, not ASCII",
            )
        return (
            "bad-format",
            path,
            {"value": value, "what_vi": what[0], "what_en": what[1], "hint_vi": hint[0], "hint_en": hint[1]},
            False,
        )
    if kind == "budget-mismatch":
        counterpart = (value or {}).get("counterpart") or {}
        spent = sum(v for v in (counterpart.get("cash", 0), counterpart.get("in_kind", 0)) if isinstance(v, (int, float)))
        return (
            "budget-mismatch",
            (*path, "requested"),
            {"requested": f"{value.get('requested'):,}", "counterpart": f"{spent:,}", "total": f"{value.get('total'):,}"},
            False,
        )
    if kind == "bad-date":
        return "date-order", (*path, "end"), {}, False
    return "invalid", path, {"detail": err.get("msg", kind)}, False


def _present(data: Any, path: tuple) -> set[str]:
    for part in path:
        data = data[part]
    return set(data) if isinstance(data, dict) else set()


def iter_fields(cls: type[BaseModel], prefix: str = "") -> Iterator[tuple[str, Any, type[BaseModel]]]:
    """Every field of a schema class, depth first, as (dotted name, field info, owner)."""
    for name, info in cls.model_fields.items():
        dotted = f"{prefix}{name}"
        yield dotted, info, cls
        inner = _inner(info.annotation)
        if isinstance(inner, type) and issubclass(inner, BaseModel) and not issubclass(inner, model.Text):
            suffix = (
                "[]."
                if get_origin(info.annotation) is list or any(get_origin(a) is list for a in get_args(info.annotation))
                else "."
            )
            yield from iter_fields(inner, dotted + suffix)
