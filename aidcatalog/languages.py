"""The only module that knows which languages exist.

Languages are data, declared once in ``catalog/site.yaml``::

    languages:
      - {code: vi, name: Tiếng Việt, required: true}   # the first is the default, at /
      - {code: en, name: English, required: true, locale: en_GB}
      - {code: fr, name: Français, required: false}     # optional: may be partial

Everything else derives from that list: the texts an entry must carry, the site's languages
(``mkdocs.yml``'s i18n block is generated from it by ``aidcatalog languages --write``, and a
build stops when the two differ), the PDF sets, the search indexes, the validator's messages.

A language code travels through the program as a :class:`Language`, a ``str`` subclass that
also knows its name, CLDR locale and fallback, so ``lang == other`` and ``{lang: …}`` work
as with plain codes.

**Fallback.** A text must exist in every *required* language (the validator says so). An
*optional* language may be partial: a missing text is shown in the language's ``fallback``
(default: English) as a :class:`Fallback`, a ``str`` that knows which language it really is
in. In HTML it renders as ``<span lang="en">…</span>`` with a discreet "not yet translated"
note, so screen readers and search read it correctly. Nothing falls back silently: interface
words missing from an optional language's message catalogue are counted and reported once
(:func:`untranslated_interface`).

**Words.** Interface words and validator messages live in gettext catalogues,
``aidcatalog/locale/<code>/LC_MESSAGES/aidcatalog.po``: the message's key is its ``msgctxt``,
the English text its ``msgid`` (the source the program is written in), the translation its
``msgstr``. :func:`gettext` looks them up; a required language lacking a message is a test
failure (``tests/test_languages.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

SOURCE = "en"
"""The language the program's own words are written in (gettext ``msgid``)."""
DEFAULT_FALLBACK = "en"
DEFAULT_DECLARATION: tuple[dict[str, Any], ...] = (
    {"code": "vi", "name": "Tiếng Việt", "required": True, "locale": "vi_VN"},
    {"code": "en", "name": "English", "required": True, "locale": "en_GB"},
)
"""What a catalogue that declares no languages gets: the province's two working languages."""
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "aidcatalog"


class Language(str):
    """A declared language code that knows its name, locale and fallback."""

    name: str
    required: bool
    locale: str
    fallback: str | None
    default: bool

    def __new__(cls, code: str, name: str = "", *, required: bool = True, locale: str = "",
                fallback: str | None = None, default: bool = False) -> Language:
        self = super().__new__(cls, code)
        self.name = name or code
        self.required = required
        self.locale = locale or code
        self.fallback = None if required else (fallback or DEFAULT_FALLBACK)
        self.default = default
        return self

    @property
    def code(self) -> str:
        return str.__str__(self)

    def __reduce__(self) -> Any:  # picklable for the PDF workers
        return (_language, (self.code, self.name, self.required, self.locale, self.fallback, self.default))


def _language(code: str, name: str, required: bool, locale: str, fallback: str | None, default: bool) -> Language:
    return Language(code, name, required=required, locale=locale, fallback=fallback, default=default)


@dataclass(frozen=True)
class Languages:
    """The declared languages, in order; the first is the default (built at ``/``)."""

    items: tuple[Language, ...]

    def __iter__(self) -> Iterator[Language]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __contains__(self, code: object) -> bool:
        return any(code == lang for lang in self.items)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(lang.code for lang in self.items)

    @property
    def default(self) -> Language:
        return self.items[0]

    @property
    def required(self) -> tuple[Language, ...]:
        return tuple(lang for lang in self.items if lang.required)

    @property
    def others(self) -> tuple[Language, ...]:
        """Every language but the default (each built under ``/<code>/``)."""
        return self.items[1:]

    def get(self, code: str) -> Language:
        for lang in self.items:
            if lang == code:
                return lang
        raise KeyError(code)

    def prefix(self, code: str) -> str:
        """The URL prefix of a language: ``""`` for the default, ``"en/"`` for the others."""
        return "" if code == self.default else f"{code}/"


def declare(entries: Iterable[Mapping[str, Any]]) -> Languages:
    """Languages from checked declarations (see :class:`aidcatalog.model.LanguageDecl`)."""
    items = []
    for i, entry in enumerate(entries):
        items.append(Language(entry["code"], entry.get("name") or entry["code"], required=entry.get("required", True),
                              locale=entry.get("locale") or "", fallback=entry.get("fallback"), default=i == 0))
    return Languages(tuple(items))


DEFAULT = declare(DEFAULT_DECLARATION)

_active: list[Languages] = [DEFAULT]


def use(languages: Languages) -> None:
    """Make ``languages`` the ones plain codes are looked up in (set when a catalogue is validated)."""
    _active[0] = languages


def active() -> Languages:
    return _active[0]


def resolve(code: str) -> Language:
    """A plain code → its declared :class:`Language` (an undeclared code is an error, never a guess)."""
    if isinstance(code, Language):
        return code
    for langs in (_active[0], DEFAULT):
        if code in langs:
            return langs.get(code)
    raise KeyError(f"the language `{code}` is not declared in catalog/site.yaml")


def from_site_file(path: Path) -> Languages:
    """The languages ``catalog/site.yaml`` declares, read cheaply (the validator checks them properly).

    Used where the catalogue is not validated first (the command line's message language,
    ``mkdocs.yml``'s generated block). A file that cannot be read gives the default languages.
    """
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        entries = data.get("languages") if isinstance(data, dict) else None
        if isinstance(entries, list) and entries and all(isinstance(e, dict) and isinstance(e.get("code"), str)
                                                         for e in entries):
            return declare(entries)
    except (OSError, ValueError, yaml.YAMLError):
        pass
    return DEFAULT


# --- texts -------------------------------------------------------------------------------


class Fallback(str):
    """A text shown in another language than the page's, because its translation is missing."""

    lang: str
    page_lang: str

    def __new__(cls, value: str, lang: str, page_lang: str) -> Fallback:
        self = super().__new__(cls, value)
        self.lang, self.page_lang = lang, page_lang
        return self

    def __html__(self) -> str:
        return str(wrap_fallback(escape(str.__str__(self)), self.lang, self.page_lang, inline=True))


def wrap_fallback(html: Markup | str, lang: str, page_lang: str, *, inline: bool) -> Markup:
    """HTML in another language than the page's: its own ``lang`` and a discreet note."""
    note = escape(gettext("untranslated", page_lang))
    tag = "span" if inline else "div"
    return Markup(f'<{tag} lang="{escape(lang)}" class="ac-fallback">{html}</{tag}>'
                  f'<small class="ac-untranslated"> ({note})</small>')


def text(value: Any, lang: str) -> str:
    """A text (a mapping of language codes, or an object with them as attributes) in ``lang``.

    Empty for a missing optional text. For an optional language whose text is missing, the
    fallback language's text as a :class:`Fallback`; for a required language it is always there
    (the validator made sure), and a missing one is an error, not a guess.
    """
    if value is None:
        return ""
    language = resolve(lang)
    found = _lookup(value, language.code)
    if found:
        return found
    if language.required and found == "":
        return found  # written empty (only an unchecked object can be): empty, as written
    seen = {language.code}
    current = language
    while current.fallback and current.fallback not in seen:
        seen.add(current.fallback)
        found = _lookup(value, current.fallback)
        if found:
            return Fallback(found, current.fallback, language.code)
        current = resolve(current.fallback)
    raise LookupError(f"no {language.code} text and no fallback for {value!r}")


def _lookup(value: Any, code: str) -> str | None:
    if isinstance(value, Mapping):
        found = value.get(code)
    else:
        extra = getattr(value, "__pydantic_extra__", None)
        found = extra.get(code) if extra is not None else getattr(value, code, None)
    return found if isinstance(found, str) else None


def plain(value: Any) -> str:
    """A text as a plain ``str`` (for attributes, file names, front matter): no fallback markup."""
    return str.__str__(value) if isinstance(value, str) else str(value)


# --- words: gettext catalogues -----------------------------------------------------------


@cache
def _catalogue(code: str) -> dict[tuple[str, str], str]:
    """``(msgctxt, msgid) → msgstr`` of one language's ``.po`` file, compiled once per process."""
    from babel.messages.pofile import read_po

    path = LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=None)
    return {(m.context or "", m.id): m.string for m in catalog if m.id and isinstance(m.id, str) and m.string
            and not m.fuzzy}


_missing: dict[str, set[str]] = {}


def gettext(key: str, lang: str, source: str | None = None) -> str:
    """The message ``key`` (a ``msgctxt``) in ``lang``; ``source`` is its English ``msgid``.

    ``source`` defaults to the interface words' table (:data:`aidcatalog.labels.LABELS`).
    A message an optional language lacks is shown in its fallback and counted, never silently.
    """
    if source is None:
        from .labels import LABELS

        source = LABELS[key]
    language = resolve(lang)
    current: Language | None = language
    seen: set[str] = set()
    while current is not None and current.code not in seen:
        seen.add(current.code)
        if current.code == SOURCE:
            found: str | None = source
        else:
            found = _catalogue(current.code).get((key, source))
        if found:
            if current is not language:
                _missing.setdefault(language.code, set()).add(key)
            return found
        current = resolve(current.fallback) if current.fallback else None
    if language.required:
        raise LookupError(f"the message `{key}` has no {language.code} translation ({LOCALE_DIR / language.code})")
    return source


def untranslated_interface() -> dict[str, int]:
    """Interface messages shown in a fallback language so far, per language (for the build's log)."""
    return {code: len(keys) for code, keys in sorted(_missing.items())}


def po_path(code: str) -> Path:
    return LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def locale_of(lang: str) -> str:
    """The CLDR locale (``vi_VN``, ``en_GB``) of a language, for Babel."""
    return resolve(lang).locale


def partner_language(partner: Any, declared: Languages) -> Language:
    """The language of a partner's catalogue: its own, else the fallback language (English), else the default."""
    if partner.language:
        return declared.get(partner.language)
    return declared.get(DEFAULT_FALLBACK) if DEFAULT_FALLBACK in declared else declared.default


def for_validation(context: Any) -> Languages:
    """The languages a text is checked against: the validation's context, else the active ones."""
    if isinstance(context, dict) and isinstance(context.get("languages"), Languages):
        return context["languages"]
    return active()


def check(entries: list[Mapping[str, Any]]) -> list[tuple[int, str, str, dict[str, Any]]]:
    """What is wrong with checked declarations as a whole: ``(index, field, problem code, params)``."""
    from babel import Locale, UnknownLocaleError

    found: list[tuple[int, str, str, dict[str, Any]]] = []
    codes = [e["code"] for e in entries]
    required = {e["code"] for e in entries if e.get("required", True)}
    for i, entry in enumerate(entries):
        code = entry["code"]
        if codes.index(code) != i:
            found.append((i, "code", "bad-language", {"detail": Message("language.twice", code=code)}))
        try:
            Locale.parse(entry.get("locale") or code)
        except (ValueError, UnknownLocaleError):
            found.append((i, "locale" if entry.get("locale") else "code", "bad-language",
                          {"detail": Message("language.no_locale", locale=entry.get("locale") or code)}))
        fallback = entry.get("fallback")
        if entry.get("required", True) and fallback:
            found.append((i, "fallback", "bad-language", {"detail": Message("language.fallback_required")}))
        elif not entry.get("required", True) and (fallback or DEFAULT_FALLBACK) not in required:
            found.append((i, "fallback" if fallback else "required", "bad-language",
                          {"detail": Message("language.fallback_unknown", code=fallback or DEFAULT_FALLBACK)}))
    if entries and not entries[0].get("required", True):
        found.append((0, "required", "bad-language", {"detail": Message("language.default_optional")}))
    return found


# --- messages whose words depend on the reader's language -------------------------------


class Message:
    """A message kept as its key and parameters, put into words only when a language is chosen.

    A problem found by the validator is printed in Vietnamese or in English; its parts (a hint,
    a detail) are :class:`Message` values, localised with the problem.
    """

    def __init__(self, key: str, source: str | None = None, **params: Any):
        self.key, self.source, self.params = key, source, params

    def localize(self, lang: str) -> str:
        from .labels import LABELS

        text = gettext(self.key, lang, self.source if self.source is not None else LABELS[self.key])
        return text.format(**{k: localize(v, lang) for k, v in self.params.items()}) if self.params else text

    def __repr__(self) -> str:
        return f"Message({self.key!r}, {self.params!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and (self.key, self.params) == (other.key, other.params)

    def __hash__(self) -> int:
        return hash(self.key)


INLINE = "msg"
"""The ``msgctxt`` of messages written inline with :func:`msg` (their English text is their key)."""


def msg(english: str, **params: Any) -> Message:
    """A message written where it is used, in English, translated by the catalogues like any other.

    ``scripts/messages.py`` finds every ``msg("…")`` call in the package (the first argument must
    be a plain string) and keeps the catalogues in step with them.
    """
    return Message(INLINE, english, **params)


class LanguageName:
    """A language's name, said in the reader's language (``tiếng Anh``, ``English``, ``anglais``)."""

    def __init__(self, code: str):
        self.code = code

    def localize(self, lang: str) -> str:
        from babel import Locale

        english = Locale.parse("en").languages.get(self.code, self.code)
        key = f"language.{self.code}"
        if resolve(lang).code == SOURCE:
            return english
        own = _catalogue(resolve(lang).code).get((key, english))
        return own or Locale.parse(locale_of(lang)).languages.get(self.code, self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LanguageName) and other.code == self.code

    def __hash__(self) -> int:
        return hash(self.code)


class Capitalized:
    """A message parameter with its first letter upper-case, for a translation that starts a sentence with it."""

    def __init__(self, value: Any):
        self.value = value

    def localize(self, lang: str) -> str:
        text = str(localize(self.value, lang))
        return text[:1].upper() + text[1:]


class NameList:
    """Languages' names as a list in the reader's words (``tiếng Việt và tiếng Anh``)."""

    def __init__(self, codes: Iterable[str]):
        self.codes = tuple(codes)

    def localize(self, lang: str) -> str:
        from babel.lists import format_list

        return format_list([LanguageName(c).localize(lang) for c in self.codes], locale=locale_of(lang))


NAMED = ("vi", "en", "fr", "de", "ja", "ko", "zh", "es", "it", "nl", "sv", "da", "no", "fi")
"""Languages whose names are messages of their own (the languages of the default declaration, and
those of the province's usual partners): a translation may write a name differently mid-sentence
than CLDR does at the start of a label (``tiếng Pháp``, not ``Tiếng Pháp``). Others use CLDR's name."""


def name_messages() -> list[tuple[str, str]]:
    """The names of :data:`NAMED` languages, as messages."""
    from babel import Locale

    return [(f"language.{code}", Locale.parse("en").languages[code]) for code in NAMED]


def localize(value: Any, lang: str) -> Any:
    """A message parameter in ``lang``: :class:`Message` and :class:`LanguageName` are put into words."""
    if hasattr(value, "localize"):
        return value.localize(lang)
    return value
