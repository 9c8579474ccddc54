"""What the schema declared in :mod:`aidcatalog.model` gives to editors and to the staff guide.

- :func:`json_schema`: the JSON Schema of one kind of entry, with Vietnamese descriptions (what
  VS Code shows on hover) and, when a catalogue is given, the vocabulary ids as allowed values
  (so the editor completes `sectors:` with the real list).
- :func:`field_reference`: the field table of the staff guide, in either language.
"""

from __future__ import annotations

import copy
from typing import Any, get_args

from pydantic import BaseModel

from .model import KINDS, Text
from .validate import Catalogue, iter_fields

SCHEMA_IDS = {"need": "need.schema.json", "story": "story.schema.json", "partner": "partner.schema.json",
              "site": "site.schema.json"}


def json_schema(kind: str, catalogue: Catalogue | None = None) -> dict[str, Any]:
    cls = KINDS[kind]
    schema = copy.deepcopy(cls.model_json_schema(mode="validation"))
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
    if vocabulary == "localities":
        return sorted(catalogue.localities)
    if vocabulary == "places":
        return sorted(catalogue.places())
    return list(catalogue.vocab[vocabulary])


def field_reference(kind: str, lang: str = "vi") -> str:
    """A Markdown table of every field of one kind of entry."""
    cls = KINDS[kind]
    head = ("| Trường | Bắt buộc | Kiểu | Ý nghĩa |" if lang == "vi" else "| Field | Required | Type | Meaning |")
    rows = [head, "|---|---|---|---|"]
    for name, info, _owner in iter_fields(cls):
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        meaning = info.description if lang == "vi" else extra.get("x-description-en", "")
        required = ("có" if lang == "vi" else "yes") if info.is_required() else ""
        rows.append(f"| `{name}` | {required} | {_type_words(info.annotation, lang)} | {meaning or ''} |")
    return "\n".join(rows) + "\n"


def _type_words(annotation: Any, lang: str) -> str:
    text = str(annotation)
    vi = lang == "vi"
    if isinstance(annotation, type) and issubclass(annotation, Text):
        return "`{vi: …, en: …}`"
    if "list[" in text:
        return "danh sách" if vi else "list"
    models = [a for a in (annotation, *get_args(annotation)) if isinstance(a, type) and issubclass(a, BaseModel)]
    if models:
        if issubclass(models[0], Text):
            return "`{vi: …, en: …}`"
        return "nhóm trường" if vi else "group"
    for word, (v, e) in {"date": ("ngày", "date"), "bool": ("true/false", "true/false"), "float": ("số", "number"),
                         "int": ("số nguyên", "whole number"), "Literal": ("một giá trị cho trước", "one of a set"),
                         "Text": ("`{vi: …, en: …}`", "`{vi: …, en: …}`")}.items():
        if word in text:
            return v if vi else e
    return "chữ" if vi else "text"
