"""Schema, vocabularies and cross references: a whole catalogue folder → a Catalogue or Problems.

Every file is read and every problem collected before anything is decided, so staff see all
that is wrong in one run. A catalogue with any error is never handed to the renderers.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import math
import os
import re
import stat
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from . import languages, load, media, model
from .catalogue import Catalogue, Internal, Report  # made here; re-exported for `from aidcatalog.validate import …`
from .languages import msg
from .load import Document, field_name, read
from .model import Locality, Need, Partner, Site, Story, Term
from .problems import Problem
from .text import closest, fold

MAX_FILES = 20_000
"""Entry files in one catalogue: more is refused before anything is read."""

VOCABULARIES = ("sectors", "themes", "sdgs", "statuses", "beneficiary_groups", "modalities", "localities")
FOLDERS = {"needs": Need, "stories": Story, "partners": Partner}
KIND_NAMES = {
    "need": msg("need"),
    "story": msg("model project"),
    "localities": msg("commune"),
    "places": msg("place"),
    "partner": msg("partner"),
}
# What a pattern-constrained string is, in words, by its field name.
FORMATS = {
    "id": (
        msg("id"),
        msg(" (lower-case ASCII words joined by hyphens, e.g. `clean-water-da-bac`)"),
    ),
    "email": (msg("e-mail address"), ""),
    "phone": (msg("phone number"), ""),
    "url": (msg("web address"), msg(" (starting with https://)")),
    "website": (msg("web address"), msg(" (starting with https://)")),
    "file": (
        msg("file path"),
        msg(" (relative to catalog/media/; .jpg .png .webp .pdf)"),
    ),
}
TYPE_NAMES = {
    "string": msg("text"),
    "int": msg("a whole number"),
    "float": msg("a number"),
    "bool": msg("true or false"),
    "list": msg("a list"),
    "dict": msg("a mapping of `key: value`"),
    "date": msg("a date YYYY-MM-DD"),
    "NoneType": msg("empty"),
    "str": msg("text"),
    "datetime": msg("a date and time"),
}


def validate(root: Path | str, *, shown_from: Path | None = None, today: dt.date | None = None) -> Report:
    """Read and check every file under ``root`` (the ``catalog/`` folder).

    Files are named relative to ``shown_from`` (default: the folder that holds ``root``). ``today``
    (default: the system's date) is the day a disbursement may not be later than.
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

    vocabulary_folder = root / "vocabularies"
    docs: dict[Path, Document] = {}
    vocabulary_bytes: dict[Path, bytes] = {}
    for path in files:
        if path.parent == vocabulary_folder:  # parsed only when they changed (_Vocabularies)
            raw, found = load.read_bytes(path, shown(path))
            problems.extend(found)
            if raw is not None:
                vocabulary_bytes[path] = raw
            continue
        doc, found = read(path, shown(path))
        problems.extend(found)
        if doc is not None:
            docs[path] = doc

    checker = _Checker(root, problems)
    checker.declare_languages(docs.get(site_path))
    _Vocabularies.check(checker, {path.stem: (shown(path), raw) for path, raw in vocabulary_bytes.items()})
    site = checker.entry(docs.get(site_path), Site)
    for folder, cls in FOLDERS.items():
        for path, doc in docs.items():
            if path.is_relative_to(root / folder):
                checker.entry(doc, cls, path)
    checker.references()
    checker.funding(site, today or dt.date.today())

    problems.sort(key=lambda p: (p.file, p.line, p.column, p.code))
    if any(p.severity == "error" for p in problems) or site is None:
        return Report(None, problems, len(files))
    return Report(checker.catalogue(site), problems, len(files), checker.internal_records())


def _discover(root: Path, problems: list[Problem], shown: Any) -> list[Path]:
    """Every entry file of the catalogue; every other file under it is reported, never skipped unseen.

    Nothing is opened here and no link is followed: a link is read only when it leads to a file
    inside the catalogue. A folder that cannot be listed is an error (its entries would be lost).
    """
    found: list[Path] = []
    real_root = Path(os.path.realpath(root))
    seen: set[tuple[int, int]] = set()

    def ignored(path: Path, why: Any, severity: str = "warning") -> None:
        params = {"why": why}
        problems.append(Problem(shown(path), 0, 0, "ignored-file", params=params, severity=severity))  # type: ignore[arg-type]

    def refused(path: Path, why: Any) -> None:
        problems.append(Problem(shown(path), 0, 0, "bad-path", params={"value": shown(path), "why": why}))

    def unreadable(path: Path, exc: OSError, folder: bool) -> None:
        problems.append(Problem(shown(path), 0, 0, "unreadable", params=load.unreadable(exc, folder=folder)))

    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            info = os.stat(folder)
            if (info.st_dev, info.st_ino) in seen:  # a folder met twice (a bind mount): read once
                continue
            seen.add((info.st_dev, info.st_ino))
            with os.scandir(folder) as listing:
                names = sorted(listing, key=lambda e: e.name, reverse=True)
        except OSError as exc:
            unreadable(folder, exc, True)
            continue
        for item in names:
            path = Path(item.path)
            rel = path.relative_to(root).parts
            if item.name.startswith((".", "~$")):
                ignored(path, _HIDDEN_FILE)
                continue
            try:
                mode = item.stat(follow_symlinks=False).st_mode
                if stat.S_ISLNK(mode):
                    target = Path(os.path.realpath(path, strict=True))
                    if not target.is_relative_to(real_root):
                        refused(path, msg("a link that leads outside catalog/"))
                        continue
                    mode = os.stat(path).st_mode
                    if stat.S_ISDIR(mode):
                        ignored(path, _FOLDER_LINK)
                        continue
            except OSError as exc:
                if exc.errno == errno.ELOOP:
                    refused(path, msg("a link that loops back on itself"))
                elif exc.errno == errno.ENOENT:
                    refused(path, msg("a link to a file that does not exist"))
                else:
                    unreadable(path, exc, False)
                continue
            if stat.S_ISDIR(mode):
                stack.append(path)
                continue
            why = _not_an_entry(rel)
            if why is None:
                found.append(path)
                if len(found) > MAX_FILES:  # enough to refuse: stop looking
                    return found
            elif why == "outside":
                problems.append(Problem(shown(path), 0, 0, "unexpected-file", severity="warning"))
            elif why != "media":
                ignored(path, why[1], why[0])
    return sorted(found)


_HIDDEN_FILE = msg("a hidden file (its name starts with a dot or ~$: a system file, an editor's or Office's temporary "
                   "file); if it is an entry rename it, otherwise delete it")
_FOLDER_LINK = msg("a link to another folder of the catalogue is not followed; its files are read where they really are")
_OFFICE = {".doc", ".docx", ".xls", ".xlsx", ".odt", ".ods", ".rtf", ".json", ".csv", ".txt", ".md", ".pdf",
           ".pages", ".numbers", ".ppt", ".pptx", ".html", ".htm", ".xml"}
_YAMLISH = re.compile(r"\.ya?ml(?=$|[.~_ -])|\.ya?ml$", re.IGNORECASE)


def _not_an_entry(rel: tuple[str, ...]) -> Any:
    """None for an entry file; else ``media``, ``outside`` or (severity, why)."""
    name = rel[-1]
    stem, suffix = os.path.splitext(name)
    if rel == ("site.yaml",):
        return None
    if rel[0] == "media" and len(rel) > 1:
        if suffix in media.EXPECTED:
            return "media"
        if suffix.lower() in media.EXPECTED:
            return ("warning", msg("the extension must be lower case: rename it `{name}`",
                                   name=_printable(stem + suffix.lower())))
        return ("warning", msg("photos and attachments can only be .jpg .jpeg .png .webp .pdf"))
    if rel[0] not in (*FOLDERS, "vocabularies") or len(rel) < 2:
        return "outside"
    if suffix in (".yaml", ".yml") and not stem.startswith("."):
        return None
    yamlish = _YAMLISH.search(name)
    if yamlish is not None:
        right = _printable(name[: yamlish.start()] + yamlish.group().lower()[:5].rstrip("."))
        right = right if right.endswith((".yaml", ".yml")) else right + ".yaml"
        return ("error", msg("an entry's name must end in .yaml, lower case, with nothing after it: rename it `{name}`",
                             name=right))
    if suffix.lower() in _OFFICE:
        return ("error", msg("an office document in an entry folder: its content belongs in a .yaml entry "
                             "(`aidcatalog new`); attachments go in catalog/media/"))
    return ("warning", msg("not an entry (.yaml)"))


def _printable(name: str) -> str:
    """A file name safe to print: undecodable bytes and control characters become U+FFFD."""
    name = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return "".join("\ufffd" if unicodedata.category(c) == "Cc" else c for c in name)


class _Vocabularies:
    """The checked vocabularies of the last catalogue read, reused while their bytes and the languages stay the same.

    The vocabularies are most of the reading (the communes file alone is 40 KB) and rarely change, while
    `mkdocs serve`, the proposal forms and the tests validate a catalogue again and again.
    """

    _last: tuple[Any, dict[str, Any]] | None = None

    @classmethod
    def check(cls, checker: _Checker, files: dict[str, tuple[str, bytes]]) -> None:
        """Fill ``checker``'s vocabulary tables from ``files`` (stem → (shown path, bytes)), with their problems."""
        declared = tuple((lang.code, lang.name, lang.required, lang.locale, lang.fallback) for lang in checker.languages)
        missing = str(checker.root) if set(VOCABULARIES) - set(files) else ""  # its problem names the full path
        read = tuple(sorted((stem, shown, hashlib.blake2b(raw).digest()) for stem, (shown, raw) in files.items()))
        key = (declared, missing, read)
        if cls._last is None or cls._last[0] != key:
            fresh = _Checker(checker.root, [])
            fresh.languages = checker.languages
            docs: dict[str, Document] = {}
            for stem, (shown, raw) in files.items():
                doc, found = load.parse(raw, shown)
                fresh.problems.extend(found)
                if doc is not None:
                    docs[stem] = doc
            fresh.vocabularies(docs)
            tables = {"vocab": fresh.vocab, "localities": fresh.localities, "former": fresh.former,
                      "former_units": fresh.former_units, "problems": fresh.problems}
            cls._last = (key, tables)
        tables = cls._last[1]
        checker.vocab = {name: dict(table) for name, table in tables["vocab"].items()}
        checker.localities = dict(tables["localities"])
        checker.former = {unit: set(ids) for unit, ids in tables["former"].items()}
        checker.former_units = dict(tables["former_units"])
        checker.problems.extend(tables["problems"])


class _Checker:
    """Holds what has been read so far; each method adds the problems it finds."""

    def __init__(self, root: Path, problems: list[Problem]):
        self.root = root
        self.problems = problems
        self.vocab: dict[str, dict[Any, Term]] = {name: {} for name in VOCABULARIES if name != "localities"}
        self.localities: dict[str, Locality] = {}
        self.former: dict[str, set[str]] = {}
        self.former_units: dict[str, Any] = {}
        self._names: dict[str, dict[str, Any]] = {}
        self.entries: dict[str, dict[str, tuple[Document, Any]]] = {"need": {}, "story": {}, "partner": {}}
        self.status: dict[str, str] = {}
        self.raw: dict[str, dict[str, Any]] = {}
        self.media_checked: dict[Path, Any] = {}
        self.languages = languages.DEFAULT
        self.internal: dict[str, dict[str, tuple[Document, Any]]] = {"need": {}, "partner": {}}

    def declare_languages(self, doc: Document | None) -> None:
        """The languages ``site.yaml`` declares: every text is checked against them."""
        entries = doc.data.get("languages") if doc is not None else None
        if doc is None or entries is None:
            languages.use(self.languages)
            return
        checked = self.model(doc, model.Site.model_fields["languages"].annotation.__args__[0], entries, ("languages",),
                             many=True)
        if checked is not None:
            plain = [d.model_dump() for d in checked]
            for i, name, code, params in languages.check(plain):
                self.add(doc, ("languages", i, name), code, **params)
            if not languages.check(plain):
                self.languages = languages.declare(plain)
        languages.use(self.languages)

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
                self.as_written(doc, cls, ("items", i))
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
                        self.former_units.setdefault(unit.id, unit)

    # --- entries ------------------------------------------------------------------------

    def entry(self, doc: Document | None, cls: type[BaseModel], path: Path | None = None) -> Any:
        if doc is None:
            return None
        data = self.split_internal(doc, cls)
        draft = (cls is Need and data.get("status") == "draft") or (cls is Story and data.get("draft") is True)
        self.as_written(doc, cls)
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

    def model(self, doc: Document, cls: type[BaseModel], data: Any, at: tuple, *, lenient: bool = False,
              many: bool = False) -> Any:
        try:
            if many:  # a list of cls (the languages' declarations)
                from pydantic import TypeAdapter

                return TypeAdapter(list[cls]).validate_python(data, context={"languages": self.languages})  # type: ignore[valid-type]
            return cls.model_validate(data, context={"languages": self.languages})
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
            found = [_explain(err, data, cls) for err in errors]
            empty = [err.get("input") in (None, "", [], {}) for err in errors]
            # A misspelt key also leaves its field missing: the 'did you mean' says it all.
            meant = {
                (*path[:-1], params["hint"].params["best"])
                for code, path, params, _ in found
                if code == "unknown-field" and params["hint"]
            }
            for (code, path, params, key), blank in zip(found, empty, strict=True):
                if lenient and (blank or code in ("missing-field", "missing-translation")):
                    continue  # a draft may leave anything blank; what it does write must be right
                if code == "missing-field" and path in meant:
                    continue
                if field_name(at + path) in doc.reported or (
                    code == "budget-mismatch" and any(f.startswith(field_name(at + path[:-1]) + ".") for f in doc.reported)
                ):  # a sum of amounts already reported (`250.000`) says nothing new
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
            if vocabulary in ("need", "story", "partner"):
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
            known = set(self.languages.codes) if vocabulary == "languages" else set(self.vocab[vocabulary])
        if value in known:
            return
        names = self.names(vocabulary)
        named = names.get(fold(str(value)), names.get(fold(_unit_words(str(value)))))
        if vocabulary == "localities" and named is None and value in self.former:
            named = value
        if vocabulary == "localities" and named in self.former and named not in self.localities:
            self.add(doc, path, "former-unit", value=value, unit=_FormerName(self.former_units[named]),
                     detail=self.former_detail(named))
            return
        if named is not None and named != value:
            hint: Any = msg("; `{value}` is a name: write its id, `{best}`", value=value, best=named)
        else:
            hint = _suggest(value, known)
        if vocabulary in ("localities", "places"):
            kind = KIND_NAMES[vocabulary]
            if not hint and vocabulary == "localities":
                hint = msg("; if it is a commune from before 1 July 2025, write the commune it became part of "
                           "(catalog/vocabularies/localities.yaml lists today's communes with their former district)")
            self.add(doc, path, "unknown-reference", value=value, kind=kind, hint=hint)
        else:
            self.add(doc, path, "not-in-vocabulary", value=value, vocabulary=vocabulary, hint=hint)

    def names(self, vocabulary: str) -> dict[str, Any]:
        """Every name of a vocabulary's terms in every language, accent-folded → the term's id."""
        if vocabulary in self._names:
            return self._names[vocabulary]
        found: dict[str, Any] = {}
        if vocabulary in ("localities", "places"):
            for ident, unit in self.former_units.items():
                for code in self.languages.codes:
                    try:
                        name = languages.plain(languages.text(unit, code))
                    except (LookupError, KeyError):
                        continue
                    found.setdefault(fold(_unit_words(name)), ident)
                    found.setdefault(fold(name), ident)
            tables: Any = [self.localities]
        else:
            tables = [self.vocab.get(vocabulary, {})]
        for table in tables:
            for ident, term in table.items():
                for code in self.languages.codes:
                    try:
                        name = languages.plain(languages.text(term.name, code))
                    except (LookupError, KeyError):
                        continue
                    found[fold(_unit_words(name))] = ident
                    found[fold(name)] = ident
        self._names[vocabulary] = found
        return found

    def former_detail(self, unit: str) -> Any:
        communes = sorted(self.former.get(unit, ()))
        if not communes or len(communes) > 30:
            return msg("write today's commune where the work takes place (catalog/vocabularies/localities.yaml "
                       "lists each with its former district)")
        listed = _CommuneList(tuple(self.localities[c] for c in communes if c in self.localities))
        return msg("its area now lies in the communes {communes}; write the one where the work takes place",
                   communes=listed)

    def media(self, doc: Document, value: str, path: tuple) -> None:
        folder = Path(os.path.realpath(self.root / "media"))
        target = Path(os.path.realpath(folder / value))  # a link loop gives the path back, which is no file
        if not target.is_relative_to(folder) or ".." in Path(value).parts:
            why = msg("it must stay inside catalog/media/")
            self.add(doc, path, "bad-path", value=value, why=why)
        elif not target.is_file():
            self.add(doc, path, "missing-file", value=value)
        else:
            if target not in self.media_checked:
                self.media_checked[target] = media.check(target, value)
            found = self.media_checked[target]
            if found is not None:
                self.add(doc, path, found[0], **found[1])

    def as_written(self, doc: Document, cls: type[BaseModel], prefix: tuple = ()) -> None:
        """What only the text as written shows: `250.000` for 250 thousand, invisible characters, http:// links.

        Fields reported here are not reported again by the schema check.
        """
        def inside(path: tuple) -> tuple | None:
            return path[len(prefix):] if path[: len(prefix)] == prefix else None

        for path, raw in doc.numbers.items():
            sub = inside(path)
            kind = _kind(cls, sub) if sub else None
            if kind not in ("money", "count"):
                continue
            if _THOUSANDS.fullmatch(raw):
                read = float(raw)
                shown = str(int(read)) if read.is_integer() else repr(read)
                self.add(doc, path, "thousands-separator", value=raw, digits=raw.replace(".", "").lstrip("+"),
                         read=msg("the number {number}", number=shown))
                doc.reported.add(field_name(path))
            elif kind == "money":
                amount = _get(doc.data, path)
                currency = _currency(doc.data, path)
                if not isinstance(amount, float) or not math.isfinite(amount):
                    continue
                if currency == "VND" and amount != int(amount):
                    rule = msg("amounts in đồng are whole numbers")
                elif currency != "VND" and round(amount, 2) != amount:
                    rule = msg("dollar amounts have at most two decimals")
                else:
                    continue
                self.add(doc, path, "money-fraction", value=raw, rule=rule)
                doc.reported.add(field_name(path))
        for path, char in doc.invisible.items():
            sub = inside(path)
            if sub is None:
                continue
            codepoint, name = f"{ord(char):04X}", unicodedata.name(char, "")
            if _kind(cls, sub) == "identifier":
                last = next((p for p in reversed(sub) if isinstance(p, str)), "")
                what = FORMATS.get("id" if last in REFERENCE_FIELDS else last, (msg("id"), ""))[0]
                self.add(doc, path, "invisible-in-identifier", codepoint=codepoint, name=name, what=what)
                doc.reported.add(field_name(path))
            elif _get(doc.data, path) != "":  # empty once they are gone: reported as missing
                self.add(doc, path, "invisible-character", severity="warning", codepoint=codepoint, name=name)
        for path, value in _strings(_get(doc.data, prefix), prefix):  # this entry (or vocabulary item) only
            last = next((p for p in reversed(path) if isinstance(p, str)), "")
            if last in ("url", "website") and value[:7].lower() == "http://":
                self.add(doc, path, "insecure-link", severity="warning", value=value)


    # --- funding, registrations, internal records ---------------------------------------

    def split_internal(self, doc: Document, cls: type[BaseModel]) -> Any:
        """The entry without its ``internal:`` block, which is checked against its own schema and kept apart.

        The public schema classes have no ``internal`` field: what is split off here can only reach
        :attr:`Report.internal`, never the catalogue the outputs are made from.
        """
        kind = {Need: "need", Partner: "partner"}.get(cls)  # type: ignore[call-overload]
        data = doc.data
        if kind is None or not isinstance(data, dict) or "internal" not in data:
            return data
        block = data["internal"]
        draft = kind == "need" and data.get("status") == "draft"
        obj = self.model(doc, model.INTERNAL[kind], block, ("internal",), lenient=draft) if block is not None else None
        ident = data.get("id")
        if isinstance(ident, str) and ident and ident not in self.internal[kind]:
            self.internal[kind][ident] = (doc, obj)
        return {key: value for key, value in data.items() if key != "internal"}

    def internal_records(self) -> Internal:
        return Internal(
            needs={i: e[1] for i, e in sorted(self.internal["need"].items()) if e[1] is not None},
            partners={i: e[1] for i, e in sorted(self.internal["partner"].items()) if e[1] is not None},
        )

    def partner_ref(self, doc: Document, path: tuple, value: str | None) -> None:
        if value is not None and value not in self.entries["partner"]:
            hint = _suggest(value, set(self.entries["partner"]))
            self.add(doc, path, "unknown-reference", value=value, kind=KIND_NAMES["partner"], hint=hint)

    def funding(self, site: Site | None, today: dt.date) -> None:
        """Contributions, partners' registrations and the internal records, once every entry is known."""
        from decimal import Decimal

        from .funding import Amount, from_vnd, to_vnd

        statuses = self.vocab["statuses"]
        for doc, need in self.entries["need"].values():
            if need is None:
                continue
            requested = to_vnd(need.budget.requested, need.budget.currency, site.usd_to_vnd) if site else None
            running = None if requested is None else Decimal(0)
            over = False
            for i, item in enumerate(need.funding):
                where = ("funding", i)
                if (item.partner is None) == (item.organisation is None):
                    self.add(doc, where, "contribution-source", at_key=True)
                self.partner_ref(doc, (*where, "partner"), item.partner)
                if item.stage == "disbursed" and item.date > today:
                    self.add(doc, (*where, "date"), "funding-future", date=item.date.isoformat(),
                             today=today.isoformat())
                if running is not None and site is not None:
                    running += to_vnd(item.amount, item.currency, site.usd_to_vnd)
                    if running > requested and not over:
                        over = True
                        total = sum((to_vnd(c.amount, c.currency, site.usd_to_vnd) for c in need.funding), Decimal(0))
                        currency = need.budget.currency
                        self.add(doc, (*where, "amount"), "funding-exceeds",
                                 total=Amount(from_vnd(total, currency, site.usd_to_vnd), currency),
                                 requested=Amount(need.budget.requested, currency))
            term = statuses.get(need.status)
            committed = [c for c in need.funding if c.stage in model.COMMITTED_STAGES]
            if term is not None and term.funded and not committed:
                self.add(doc, ("status",), "funding-missing", status=need.status)
            elif term is not None and term.open and committed and site is not None and not over:
                given = sum((to_vnd(c.amount, c.currency, site.usd_to_vnd) for c in committed), Decimal(0))
                if given >= requested:
                    self.add(doc, ("status",), "funding-status", severity="warning", status=need.status)
        self.registrations(site)
        for kind, records in self.internal.items():
            for doc, block in records.values():
                if block is None:
                    continue
                for i, contact in enumerate(block.contacts):
                    where = ("internal", "contacts", i)
                    if kind == "need" and contact.partner is None and contact.organisation is None:
                        self.add(doc, (*where, "partner"), "missing-field", at_key=True)
                    self.partner_ref(doc, (*where, "partner"), contact.partner)
                    if contact.need is not None and contact.need not in self.entries["need"]:
                        hint = _suggest(contact.need, set(self.entries["need"]))
                        self.add(doc, (*where, "need"), "unknown-reference", value=contact.need,
                                 kind=KIND_NAMES["need"], hint=hint)
                    if contact.next_date is not None and contact.next_step is None:
                        self.add(doc, (*where, "next_step"), "missing-field", at_key=True)

    def registrations(self, site: Site | None) -> None:
        """A registration's dates in order, and an area that includes some of the province."""
        ours = {loc.former.province.id for loc in self.localities.values() if loc.former}
        if site is not None and site.province_id:
            ours.add(site.province_id)
        for doc, partner in self.entries["partner"].values():
            reg = partner.registration if partner is not None else None
            if reg is None:
                continue
            if reg.valid_until < reg.valid_from:
                self.add(doc, ("registration", "valid_until"), "date-order")
            if ours and not set(reg.provinces) & ours:
                self.add(doc, ("registration", "provinces"), "registration-province", severity="warning",
                         known=", ".join(sorted(ours)))

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
                        if ref == ident and other == kind:
                            self.add(doc, (name, i), "self-reference", value=ref)
                        elif ref not in self.entries[other]:
                            hint = _suggest(ref, set(self.entries[other]))
                            self.add(doc, (name, i), "unknown-reference", value=ref, kind=words, hint=hint)
                        elif self.published(kind, ident) and not self.published(other, ref):
                            self.add(
                                doc,
                                (name, i),
                                "unpublished-reference",
                                severity="warning",
                                value=ref,
                                kind=words,
                                Kind=languages.Capitalized(words),
                            )

    def catalogue(self, site: Site) -> Catalogue:
        def order(item: tuple[str, Any]) -> tuple:
            obj = item[1][1]
            return (obj.sectors[0], languages.plain(languages.text(obj.title, self.languages.default)))

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
            languages=self.languages,
            unpublished=unpublished,
            sources={i: e[0].file for k in ("need", "story", "partner") for i, e in self.entries[k].items()},
            raw=self.raw,
        )


_THOUSANDS = re.compile(r"[+-]?[0-9]+\.[0-9]{3}")
"""`250.000`: 250 thousand as written in Vietnamese; YAML reads 250.0."""
_THOUSANDS_TEXT = re.compile(r"\s*[+-]?[0-9]{1,3}(?:\.[0-9]{3})+(?:[.,][0-9]+)?\s*(?:đ|đồng|vnđ|vnd|usd|\$)?\s*", re.I)
"""`2.000.000.000` (and `2.000.000 đồng`): YAML reads text."""
REFERENCE_FIELDS = ("related_stories", "related_needs", "scale_up_needs")


def _kind(cls: type[BaseModel], path: tuple) -> str | None:
    """What the field at ``path`` holds (see :func:`model.kind_of`); None outside the schema."""
    last = max((i for i, p in enumerate(path) if isinstance(p, str)), default=None)
    if last is None:
        return None
    owner = _model_at(cls, path[:last])
    info = owner.model_fields.get(path[last]) if owner is not None else None
    return model.kind_of(info) if info is not None else None


def _get(data: Any, path: tuple) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _currency(data: Any, path: tuple) -> Any:
    """The currency of the amount at ``path``: from the nearest mapping that states one."""
    for end in range(len(path) - 1, -1, -1):
        holder = _get(data, path[:end])
        if isinstance(holder, dict) and "currency" in holder:
            return holder["currency"]
    return "USD"  # a partner's budget range says USD unless it states otherwise


def _strings(value: Any, at: tuple = ()) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, str):
        yield at, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*at, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, (*at, i))


def _type_name(value: Any) -> Any:
    return TYPE_NAMES.get(type(value).__name__, type(value).__name__)


_UNIT_WORDS = re.compile(r"^\s*(?:xã|phường|thị trấn|huyện|thị xã|thành phố|tp\.?|tỉnh|commune|ward|district|"
                         r"province|town|city)\s+|\s+(?:commune|ward|district|province|town|city)\s*$", re.IGNORECASE)


def _unit_words(name: str) -> str:
    """``Xã Đà Bắc``, ``Da Bac District`` → ``Đà Bắc``, ``Da Bac``: a place's name without its kind."""
    return _UNIT_WORDS.sub("", unicodedata.normalize("NFC", name)).strip()


class _FormerName:
    """A former district or province, named in the reader's language (``Huyện Đà Bắc``)."""

    def __init__(self, unit: Any):
        self.unit = unit

    def localize(self, lang: str) -> str:
        name = languages.plain(languages.text(self.unit, lang))
        if self.unit.id.endswith("-province"):
            return msg("the former {name} Province (`{id}`)", name=name, id=self.unit.id).localize(lang)
        return msg("the former {name} (`{id}`)", name=name, id=self.unit.id).localize(lang)


class _CommuneList:
    """Today's communes as ids with their names: ``da-bac`` (Xã Đà Bắc), …"""

    def __init__(self, items: tuple[Locality, ...]):
        self.items = items

    def localize(self, lang: str) -> str:
        return ", ".join(f"`{c.id}` ({languages.plain(languages.text(c.name, lang))})" for c in self.items)


def _suggest(value: Any, options: set[Any] | list[str]) -> Any:
    """A 'did you mean' hint (a message whose ``best`` is the suggestion); empty when nothing is close."""
    best = closest(value, options)
    if best is None:
        return ""
    return msg("; did you mean `{best}`?", best=best)


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
        if parent is not None and issubclass(parent, model.Text) and last in languages.active():
            return "missing-translation", path, {"language": languages.LanguageName(str(last))}, False
        return "missing-field", path, {}, False
    if kind == "extra_forbidden":
        options = [n for n in (parent.model_fields if parent else {}) if n not in _present(data, path[:-1])]
        return "unknown-field", path, {"key": last, "hint": _suggest(last, options)}, True
    if kind == "missing-translation":
        where = path if path[-1:] == (ctx["code"],) else (*path, ctx["code"])
        return "missing-translation", where, {"language": languages.LanguageName(ctx["code"])}, path == where
    if kind == "unknown-language":
        return "unknown-language", path, {"value": ctx["code"], "declared": ctx["declared"]}, True
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        target = _model_at(cls, path)
        if target is not None and issubclass(target, model.Text):
            shape = "{" + ", ".join(f"{code}: ..." for code in languages.active().codes) + "}"
            hint = languages.Message("text.shape", shape=shape)
            return (
                "wrong-type",
                path,
                {
                    "expected": languages.Message("text.expected", names=languages.NameList(languages.active().codes)),
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
    if expected in ("float", "int") and isinstance(value, str) and _THOUSANDS_TEXT.fullmatch(value):
        digits = re.sub(r"\D", "", value)
        return "thousands-separator", path, {"value": value, "digits": digits, "read": msg("text, not a number")}, False
    if expected == "date" and isinstance(value, str):
        return "bad-date", path, {"value": value, "detail": load.date_detail(value)}, False
    if expected:
        hint: Any = ""
        if isinstance(value, str) and expected in ("float", "int"):
            number = re.sub(r"[^0-9.,]", "", value).replace(",", ".").strip(".")
            if "%" in value or (parent is not None and _is_share(parent, last)):
                hint = msg("; write the number alone, without `%` or words (e.g. {number})", number=number or "50")
            elif _kind(cls, path) == "money":
                hint = msg("; write digits only, no dots, commas, spaces or units (e.g. 250000000)")
            else:
                hint = msg("; write digits only, no dots, commas or units (e.g. {number})",
                           number=re.sub(r"\D", "", value).lstrip("0") or "12")
        elif isinstance(value, bool) and expected == "string":
            hint = msg("; put the value in quotes")
        elif expected == "list" and not isinstance(value, (dict, list)):
            hint = msg("; one item per line starting with `- `")
        return "wrong-type", path, {"expected": TYPE_NAMES[expected], "got": _type_name(value), "hint": hint}, False
    if kind == "literal_error":
        allowed = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return "not-allowed", path, {"value": value, "allowed": allowed}, False
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal", "finite_number"):
        if isinstance(value, float) and not math.isfinite(value):  # `.nan` and `.inf`: no bound applies
            kind = "finite_number"
        bound = next((v for k, v in ctx.items() if k in ("gt", "ge", "lt", "le")), "")
        bound = f"{bound:g}" if isinstance(bound, float) else bound
        detail = {
            "greater_than": msg("`{value}` must be more than {bound}", value=value, bound=bound),
            "greater_than_equal": msg("`{value}` must be at least {bound}", value=value, bound=bound),
            "less_than": msg("`{value}` must be less than {bound}", value=value, bound=bound),
            "less_than_equal": msg("`{value}` must be at most {bound}", value=value, bound=bound),
            "finite_number": msg("`{value}` must be a finite number", value=value),
        }[kind]
        return "out-of-range", path, {"detail": detail}, False
    if kind in ("too_short", "too_long"):
        n = ctx.get("min_length" if kind == "too_short" else "max_length")
        detail = msg("needs at least {n} item(s)", n=n) if kind == "too_short" else msg("at most {n} items", n=n)
        return "out-of-range", path, {"detail": detail}, False
    if kind == "string_too_short" and value == "":  # blank, or only invisible characters
        return "missing-field", path, {}, False
    if kind in ("string_too_short", "string_too_long"):
        n = ctx.get("min_length" if kind == "string_too_short" else "max_length")
        length = len(value) if isinstance(value, str) else 0
        if kind == "string_too_short":
            return (
                "out-of-range",
                path,
                {"detail": msg("too short (at least {n} characters)", n=n)},
                False,
            )
        return (
            "out-of-range",
            path,
            {"detail": msg("{length} characters long; at most {n}", length=length, n=n)},
            False,
        )
    if kind == "string_pattern_mismatch":
        field_kind = next((p for p in reversed(path) if isinstance(p, str)), "")
        if field_kind in ("related_stories", "related_needs", "scale_up_needs"):
            field_kind = "id"
        what, hint = FORMATS.get(field_kind, (msg("value"), ""))
        odd = next(((i, c) for i, c in enumerate(str(value), 1) if not c.isascii()), None)
        if odd:  # a look-alike letter (Cyrillic а for Latin a) or an accent: name it, since it cannot be seen
            i, c = odd
            name = unicodedata.name(c, "?")
            hint = msg("{hint}; character {i} `{c}` is U+{codepoint} {name}, not ASCII", hint=hint, i=i, c=c,
                       codepoint=f"{ord(c):04X}", name=name)
        return (
            "bad-format",
            path,
            {"value": value, "what": what, "hint": hint},
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


def _is_share(owner: type[BaseModel], name: Any) -> bool:
    """Whether a field is a percentage (``women_share``: at most 100)."""
    info = owner.model_fields.get(name) if isinstance(name, str) else None
    return info is not None and any(getattr(m, "le", None) == 100 for m in model.annotations_of(info))


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
