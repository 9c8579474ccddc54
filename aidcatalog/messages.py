"""Every message the program shows, as (gettext key, English source text): its interface words and
its validator messages. ``scripts/messages.py`` keeps the catalogues under ``aidcatalog/locale/``
in step with this list; ``tests/test_languages.py`` checks that each required language has them all.
"""

from __future__ import annotations

from collections.abc import Iterator


def source_messages() -> Iterator[tuple[str, str]]:
    from . import languages, problems
    from .labels import LABELS

    yield from LABELS.items()
    yield from languages.name_messages()
    yield from problems.english_messages()
    yield from inline_messages()


def inline_messages() -> list[tuple[str, str]]:
    """Every ``msg("English text")`` call in the package, in file order, once each."""
    import ast
    from pathlib import Path

    from .languages import INLINE

    found: dict[str, None] = {}
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name | ast.Attribute)
                    and (node.func.id if isinstance(node.func, ast.Name) else node.func.attr) == "msg"
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.setdefault(node.args[0].value)
    return [(INLINE, text) for text in found]
