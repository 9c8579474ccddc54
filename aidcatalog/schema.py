"""What the schema declared in :mod:`aidcatalog.model` gives to editors and to the staff guide.

- :func:`json_schema`: the JSON Schema of one kind of entry, with Vietnamese descriptions (what
  VS Code shows on hover) and, when a catalogue is given, the vocabulary ids as allowed values
  (so the editor completes `sectors:` with the real list).
- :func:`field_reference`: the field table of the staff guide, in either language.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import BaseModel

from . import languages
from .catalogue import Catalogue
from .labels import t
from .model import INTERNAL, KINDS, Text
from .validate import iter_fields

SCHEMA_IDS = {"need": "need.schema.json", "story": "story.schema.json", "partner": "partner.schema.json",
              "site": "site.schema.json"}


def json_schema(kind: str, catalogue: Catalogue | None = None) -> dict[str, Any]:
    cls = KINDS[kind]
    schema = copy.deepcopy(cls.model_json_schema(mode="validation"))
    if kind in INTERNAL:  # declared beside the public class, which has no such field (see model.INTERNAL)
        inner = INTERNAL[kind].model_json_schema(mode="validation", ref_template="#/$defs/{model}")
        schema.setdefault("$defs", {}).update(inner.pop("$defs", {}))
        inner.pop("title", None)
        description = "Hồ sơ nội bộ của Sở: không bao giờ được đăng (trang web, PDF, dữ liệu mở)."
        schema["properties"]["internal"] = {**inner, "description": description,
                                            "x-description-en": "Staff records: never published (site, PDFs, open data).",
                                            "x-description-vi": description}
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_IDS[kind]
    _tune(schema, catalogue)
    return schema


def _tune(node: Any, catalogue: Catalogue | None) -> None:
    """Walk the generated schema: dates as strings, vocabulary ids as enums, no pydantic noise."""
    if isinstance(node, dict):
        if node.get("format") == "date":
            node["type"] = "string"  # YAML dates are written unquoted; JSON Schema sees a string
        vocabulary = node.get("x-vocabulary")
        if vocabulary and catalogue is not None:
            ids = _ids(vocabulary, catalogue)
            target = node["items"] if node.get("type") == "array" else node
            if ids:
                target["enum"] = ids
        if "x-description-en" in node:
            node.pop("title", None)  # pydantic's English title would hide the Vietnamese description on hover
        if "description" in node and "x-description-en" in node:
            node["markdownDescription"] = f"{node['description']}\n\n*{node['x-description-en']}*"
        for value in node.values():
            _tune(value, catalogue)
    elif isinstance(node, list):
        for value in node:
            _tune(value, catalogue)


def _ids(vocabulary: str, catalogue: Catalogue) -> list[Any]:
    if vocabulary in ("need", "story"):
        return []  # entries change too often to pin in an editor schema
    if vocabulary == "partner":
        return sorted(catalogue.partners)
    if vocabulary == "localities":
        return sorted(catalogue.localities)
    if vocabulary == "places":
        return sorted(catalogue.places())
    if vocabulary == "languages":
        return list(catalogue.languages.codes)
    return list(catalogue.vocab[vocabulary])


def field_reference(kind: str, lang: str) -> str:
    """A Markdown table of every field of one kind of entry, in ``lang`` (descriptions from the schema)."""
    cls = KINDS[kind]
    rows = [t("fields.head", lang), "|---|---|---|---|"]
    inner = INTERNAL.get(kind)
    fields = [*iter_fields(cls), *(iter_fields(inner, "internal.") if inner else ())]
    for name, info, _owner in fields:
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        meaning = extra.get(f"x-description-{languages.resolve(lang).code}") or info.description
        required = t("fields.yes", lang) if info.is_required() else ""
        rows.append(f"| `{name}` | {required} | {_type_words(info.annotation, lang)} | {meaning or ''} |")
    return "\n".join(rows) + "\n"


def _type_words(annotation: Any, lang: str) -> str:
    """What a value of this annotation is, in words (``str`` constraints are text, not numbers)."""
    shape = "`{" + ", ".join(f"{code}: …" for code in languages.active().codes) + "}`"
    args = [annotation, *get_args(annotation)]
    if any(isinstance(a, type) and issubclass(a, Text) for a in args):
        return shape
    if get_origin(annotation) is list or any(get_origin(a) is list for a in args):
        return t("fields.list", lang)
    if any(isinstance(a, type) and issubclass(a, BaseModel) for a in args):
        return t("fields.group", lang)
    plain = [a for a in args if a is not type(None)]
    for candidate in plain:  # Annotated[str, StringConstraints(...)] → str; Literal[...] → a choice
        base = get_args(candidate)[0] if get_origin(candidate) is Annotated else candidate
        if base is str:
            return t("fields.text", lang)
        if base is bool:
            return t("fields.bool", lang)
        if base is int:
            return t("fields.whole", lang)
        if base is float:
            return t("fields.number", lang)
        if base in (dt.date, dt.datetime):
            return t("fields.date", lang)
        if get_origin(base) is Literal:
            return t("fields.choice", lang)
    return t("fields.text", lang)
