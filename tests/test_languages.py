"""Languages are data: declared once in site.yaml, with gettext catalogues for the program's words.

The three-language build (a French catalogue added as an optional language, two French titles
and nothing else) is one PDF-less MkDocs build of a small catalogue plus the PDFs of one need.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
from catalog_helpers import REPO, copy_catalog, run

from aidcatalog import glyphs, languages, pdf, siteconfig
from aidcatalog.messages import source_messages
from aidcatalog.validate import validate

PACKAGE = REPO / "aidcatalog"
CODE = re.compile(r"^[a-z]{2}$")


def test_every_message_has_a_translation_in_every_required_language():
    """A required language's catalogue must hold every message the program can show."""
    assert subprocess.run([sys.executable, str(REPO / "scripts" / "messages.py"), "--check"]).returncode == 0
    for lang in languages.DEFAULT.required:
        if lang.code == languages.SOURCE:
            continue
        table = languages._catalogue(lang.code)
        missing = [key for key, english in source_messages() if not table.get((key, english))]
        assert not missing, f"{lang.code}: no translation for {missing[:10]} (run scripts/messages.py and translate)"


def test_a_missing_translation_of_a_required_language_is_an_error(monkeypatch):
    monkeypatch.setitem(languages._catalogue("vi"), ("needs", "Projects seeking funding"), "")
    with pytest.raises(LookupError, match="`needs` has no vi translation"):
        languages.gettext("needs", "vi", "Projects seeking funding")


def test_no_python_file_outside_the_language_module_names_a_language():
    """Language codes live in catalog/site.yaml and languages.py; everything else asks them."""
    codes = {lang.code for lang in languages.DEFAULT} | {"fr", "ko", "zh"}
    found = []
    for path in [*PACKAGE.rglob("*.py"), *(REPO / "hooks").glob("*.py")]:
        if path.name == "languages.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in codes:
                found.append(f"{path.relative_to(REPO)}:{node.lineno}: {node.value!r}")
    assert not found, "\n".join(found)


def test_mkdocs_languages_are_generated_from_site_yaml():
    have, want = siteconfig.current(REPO / "mkdocs.yml")
    assert have == want, "run `aidcatalog languages --write`"


def _add_french(cat: Path, titled: int = 2) -> list[str]:
    """Declare French (optional) and give the first ``titled`` needs a French title."""
    site = cat / "site.yaml"
    text = site.read_text(encoding="utf-8")
    text = text.replace("  - {code: en, name: English, required: true, locale: en_GB}\n",
                        "  - {code: en, name: English, required: true, locale: en_GB}\n"
                        "  - {code: fr, name: Français, required: false}\n")
    site.write_text(text, encoding="utf-8")
    ids = []
    for path in sorted(cat.glob("needs/*/*.yaml")):
        body = path.read_text(encoding="utf-8")
        french = f"  fr: Projet {path.stem}\n"
        new = re.sub(r"^(title:\n  vi: .*\n  en: .*\n)", lambda m, add=french: m.group(1) + add, body, count=1, flags=re.M)
        if new != body and len(ids) < titled:
            path.write_text(new, encoding="utf-8")
            ids.append(path.stem)
    return ids


def test_an_undeclared_language_is_an_error_with_its_line(tmp_path, capsys):
    cat = copy_catalog(tmp_path)
    path = sorted(cat.glob("needs/*/*.yaml"))[0]
    body = path.read_text(encoding="utf-8")
    body = re.sub(r"^(title:\n  vi: .*\n  en: .*\n)", lambda m: m.group(1) + "  fr: Projet\n", body, count=1, flags=re.M)
    path.write_text(body, encoding="utf-8")
    line = body.splitlines().index("  fr: Projet") + 1
    code, out, _ = run(capsys, "validate", str(cat), "--lang", "en")
    assert code == 1
    shown = path.relative_to(tmp_path).as_posix()
    assert (f"{shown}:{line}:3: unknown-language: title.fr: `fr` is not a language declared in catalog/site.yaml "
            "(declared: vi, en)") in out
    code, out, _ = run(capsys, "validate", str(cat), "--lang", "vi")
    assert "`fr` không phải ngôn ngữ được khai báo trong catalog/site.yaml (đang khai báo: vi, en)" in out


def test_a_missing_required_text_names_the_language_in_each_language(tmp_path, capsys):
    cat = copy_catalog(tmp_path)
    _add_french(cat)
    site = cat / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("code: fr, name: Français, required: false",
                                                             "code: fr, name: Français, required: true"), encoding="utf-8")
    code, out, _ = run(capsys, "validate", str(cat), "--lang", "en")
    assert code == 1 and "missing-translation: title.fr: the French text is missing" in out
    code, out, _ = run(capsys, "validate", str(cat), "--lang", "vi")
    assert "thiếu bản tiếng Pháp" in out


def test_bad_declarations_are_refused(tmp_path, capsys):
    cat = copy_catalog(tmp_path)
    site = cat / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace(
        "  - {code: en, name: English, required: true, locale: en_GB}\n",
        "  - {code: en, name: English, required: true, locale: en_GB}\n"
        "  - {code: en, name: English again}\n  - {code: xx, name: Nowhere, required: false, fallback: de}\n"),
        encoding="utf-8")
    code, out, _ = run(capsys, "validate", str(cat), "--lang", "en")
    assert code == 1
    assert "languages[2].code: invalid language declaration: the language `en` is declared twice" in out
    assert "languages[3].code: invalid language declaration: `xx` is not a locale known to CLDR" in out
    assert ("languages[3].fallback: invalid language declaration: the fallback `de` must be a required language "
            "declared in this list") in out


def test_lang_must_be_a_declared_language(capsys):
    code, _, err = run(capsys, "validate", str(REPO / "catalog"), "--lang", "fr")
    assert code == 2
    assert "--lang fr: not a language of this catalogue (declared in site.yaml: vi, en)" in err


@pytest.fixture(scope="module")
def french_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """The small project (3 needs, 1 model project) with French declared (optional) and two French titles,
    built without PDFs."""
    from site_helpers import copy_small_project

    project = copy_small_project(tmp_path_factory.mktemp("french"))
    titled = _add_french(project / "catalog")
    env = {"AIDCATALOG_PDF": "0", "NO_MKDOCS_2_WARNING": "1"}
    import os

    result = subprocess.run([sys.executable, "-m", "aidcatalog", "build"], cwd=project, capture_output=True, text=True,
                            env={**os.environ, **env}, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    # French has no catalogue of interface words: the build says how many it showed in English
    assert re.search(r"fr: \d+ interface words shown in the fallback language", result.stderr), result.stderr[-2000:]
    return project, titled


def test_a_third_language_builds_a_three_language_site(french_site):
    project, titled = french_site
    site = project / "site"
    assert "- locale: fr" in (project / "mkdocs.yml").read_text(encoding="utf-8")  # generated by the build
    need = titled[0]
    page = (site / "fr" / "needs" / need / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fr"' in page
    assert f"<h1>Projet {need}</h1>" in page
    assert set(re.findall(r'<link rel="alternate" hreflang="([a-z-]+)"', page)) == {"vi", "en", "fr", "x-default"}
    switch = re.findall(r'class="ac-lang" href="([^"]+)" hreflang="([a-z]+)" lang="[a-z]+" title="([^"]+)">([^<]+)<', page)
    assert {(href, code, name) for href, code, _, name in switch} == {
        (f"../../../needs/{need}/", "vi", "Tiếng Việt"), (f"../../../en/needs/{need}/", "en", "English")}
    for other in ("", "en/"):  # and from the other languages, the switch lands on the French twin
        twin = (site / other / "needs" / need / "index.html").read_text(encoding="utf-8")
        assert f'needs/{need}/" hreflang="fr" lang="fr"' in twin and ">Français<" in twin
    # The untranslated texts are shown in English, marked as such
    assert '<span lang="en" class="ac-fallback">' in page or '<div lang="en" class="ac-fallback">' in page
    assert "(not yet translated)" in page
    second = (site / "fr" / "needs" / titled[1] / "index.html").read_text(encoding="utf-8")
    assert f"<h1>Projet {titled[1]}</h1>" in second
    others = sorted(p.parent.name for p in (site / "fr" / "needs").glob("*/index.html") if p.parent.name not in titled)
    untitled = (site / "fr" / "needs" / others[0] / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<h1><span lang="en" class="ac-fallback">', untitled)
    # French has its own search index
    assert (site / "fr" / "pagefind" / "pagefind-entry.json").is_file()
    assert '"fr"' in (site / "fr" / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8")


def test_a_third_language_gets_its_pdfs(french_site, tmp_path):
    project, titled = french_site
    report = validate(project / "catalog")
    assert report.catalogue is not None
    cat = report.catalogue
    keep = {titled[0]}
    cat.needs = {k: v for k, v in cat.needs.items() if k in keep}
    written = pdf.build_pdfs(cat, tmp_path / "site", tmp_path / "cache", "https://example.org/", jobs=1)
    made = {p.relative_to(tmp_path / "site").as_posix() for p in (tmp_path / "site").rglob("*.pdf")}
    assert {f"pdf/{lang}/briefs/{titled[0]}.pdf" for lang in ("vi", "en", "fr")} <= made
    assert {f"pdf/{lang}/catalogue.pdf" for lang in ("vi", "en", "fr")} <= made
    assert {p.relative_to(tmp_path / "site").as_posix() for p in written} == made
    from pypdf import PdfReader

    text = PdfReader(tmp_path / "site" / "pdf" / "fr" / "briefs" / f"{titled[0]}.pdf").pages[0].extract_text()
    assert f"Projet {titled[0]}" in text


def test_pdfs_refuse_characters_their_fonts_cannot_draw(tmp_path):
    cat_dir = copy_catalog(tmp_path)
    site = cat_dir / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace(
        "  - {code: en, name: English, required: true, locale: en_GB}\n",
        "  - {code: en, name: English, required: true, locale: en_GB}\n  - {code: ko, name: 한국어, required: false}\n"),
        encoding="utf-8")
    path = sorted(cat_dir.glob("needs/*/*.yaml"))[0]
    body = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^(title:\n  vi: .*\n  en: .*\n)", lambda m: m.group(1) + "  ko: 보건소 개선\n", body, count=1,
                           flags=re.M), encoding="utf-8")
    cat = validate(cat_dir).catalogue
    assert cat is not None
    with pytest.raises(glyphs.GlyphError) as caught:
        pdf.build_pdfs(cat, tmp_path / "site", tmp_path / "cache", "https://example.org/", jobs=1)
    message = caught.value.text("en")
    assert message.startswith("the PDF fonts cannot draw 5 character(s) of the Korean texts: 보 (U+BCF4) 건 (U+AC74)")
    assert "fonts tried: BeVietnamPro-Light.ttf" in message
    assert "phông chữ của PDF không vẽ được 5 ký tự trong nội dung tiếng Hàn" in caught.value.text("vi")
    assert not (tmp_path / "site" / "pdf").exists()  # stopped before any PDF was written
