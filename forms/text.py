"""The one shape of translated text, shared by the phone and the server: ``{key: {"vi": ..., "en": ...}}``.

A ``Catalogue`` maps keys to their texts in each language; ``text(key, lang, **params)`` formats one.
English falls back to Vietnamese, an unknown key reads as the key itself, a missing parameter leaves the
text unformatted: a forgotten string is visible, never a crash. Pure Python, no imports beyond the
standard library (the phone uses it offline).
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping

DEFAULT_LANG = "vi"
LANGUAGES = ("vi", "en")


class Catalogue(dict):
    """``{key: {"vi": text, "en": text}}``; texts may hold ``{placeholders}`` filled by ``text``."""

    def text(self, key: str, lang: str | None = None, **params) -> str:
        entry = self.get(key)
        if entry is None:
            return key
        raw = entry.get(lang or DEFAULT_LANG) or entry.get(DEFAULT_LANG) or key
        if not params:
            return raw
        try:
            return raw.format(**params)
        except (KeyError, IndexError, ValueError):
            return raw

    def language(self, lang: str) -> dict[str, str]:
        """The flat ``{key: text}`` table of one language (vi where the language has no text)."""
        return {key: entry.get(lang) or entry.get(DEFAULT_LANG, "") for key, entry in self.items()}

    def problems(self) -> list[str]:
        """Keys missing a language, with an empty text, or whose languages disagree on placeholders."""
        out = []
        for key, entry in self.items():
            for lang in LANGUAGES:
                if not str(entry.get(lang) or "").strip():
                    out.append(f"{key}: no {lang} text")
            if len({frozenset(placeholders(str(entry.get(lang) or ""))) for lang in LANGUAGES}) > 1:
                out.append(f"{key}: vi and en placeholders differ")
        return out


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def merge(*catalogues: Mapping) -> Catalogue:
    """One catalogue from several; a key defined twice is a mistake (ValueError)."""
    out = Catalogue()
    for cat in catalogues:
        twice = set(out) & set(cat)
        if twice:
            raise ValueError(f"keys defined twice: {sorted(twice)}")
        out.update(cat)
    return out


def prefixed(prefix: str, catalogue: Mapping) -> Catalogue:
    return Catalogue({f"{prefix}{key}": entry for key, entry in catalogue.items()})


def keys_of(items: Iterable[str], prefix: str) -> set[str]:
    return {key[len(prefix):] for key in items if key.startswith(prefix)}
