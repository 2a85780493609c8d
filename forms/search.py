"""Accent-insensitive search text: «Nguyễn Văn Đức» and «nguyen van duc» fold to the same words.

The one normalise function of the project (server search columns, the search box, usable by the phone):
NFD-decompose, drop the combining marks (Vietnamese tones and vowel hats), đ/Đ -> d, case-fold, keep
letters and digits, one space between words. Pure Python, standard library only.
"""

from __future__ import annotations

import unicodedata

_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "ø": "o", "ł": "l", "ß": "ss"})


def fold(text: object) -> str:
    """«  Nguyễn  Văn-Đức » -> «nguyen van duc»; None -> ''."""
    if text is None:
        return ""
    decomposed = unicodedata.normalize("NFD", str(text).translate(_EXTRA))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().translate(_EXTRA)
    return " ".join("".join(c if c.isalnum() else " " for c in plain).split())


def search_text(*parts: object) -> str:
    """The folded words of every part, in order, separated by « | », after one leading space (so that every
    word, the first too, follows a space: «a word begins here» is ``LIKE '% word%'``, one condition a
    trigram index serves); empty parts left out; '' when nothing is left."""
    text = " | ".join(f for f in (fold(p) for p in parts) if f)
    return " " + text if text else ""


def terms(query: object, limit: int = 8) -> list[str]:
    """What a search box asks for: the folded words of the query, each once, at most ``limit``; [] when
    nothing is left. «Nguyen Van» -> ["nguyen", "van"]. Each must begin a word of the search text
    (``matches``), except a number of ``ANYWHERE_DIGITS`` digits or more, found inside one too (the end of
    a CCCD)."""
    out: list[str] = []
    for word in fold(query).split():
        if word not in out:
            out.append(word)
    return out[:limit]


ANYWHERE_DIGITS = 4


def anywhere(word: str) -> bool:
    """A word that may match inside a word of the search text (a long number), not only at its start."""
    return word.isdigit() and len(word) >= ANYWHERE_DIGITS


def matches(text: str, query: object) -> bool:
    """Does ``text`` (a search text) answer ``query``? The rule the server's SQL follows
    (server/services/listing.py), for the phone and for tests."""
    return all((w in text) if anywhere(w) else (" " + w) in text for w in terms(query))
