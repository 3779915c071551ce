"""Readable source keys for imported items that bring none, made as Better BibTeX makes
its citation keys: the first author's family name, the year and the first word of the title
(`ortega-2026-police`), in plain ASCII, lower case; a second item with the same key gets
`-a`, a third `-b`, and so on. A corporate author of three words or more is shortened to its
initials (World Health Organization: `who`).
"""

from __future__ import annotations

import itertools
import re
import string
from typing import Any

from unidecode import unidecode

# Words a title's first word is never taken from, nor a corporate author's initials.
SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "on",
        "in",
        "at",
        "to",
        "for",
        "and",
        "or",
        "by",
        "with",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "de",
        "la",
        "le",
        "el",
        "der",
        "die",
        "das",
    ]
)


def words(text: str) -> list[str]:
    """The text's words in lower-case ASCII (Østergaard: ostergaard)."""
    return re.findall(r"[a-z0-9]+", unidecode(text).lower())


def author_part(family: str) -> str:
    found = words(family)
    significant = [w for w in found if w not in SMALL_WORDS]
    if len(significant) >= 3:
        return "".join(w[0] for w in significant)
    return "".join(found)


def make_key(families: list[str], fields: dict[str, Any]) -> str:
    """author-year-word, leaving out what the item lacks; `source` if it lacks everything."""
    author = author_part(families[0]) if families else ""
    published = str(fields.get("published") or "")
    year = published[:4] if published[:4].isdigit() else ""
    title_words = [w for w in words(str(fields.get("title") or "")) if w not in SMALL_WORDS]
    parts = [part for part in (author, year, title_words[0] if title_words else "") if part]
    return "-".join(parts) or "source"


def deduplicate(key: str, taken: set[str]) -> str:
    """`key`, or else `key-a`, `key-b` … `key-z`, `key-aa` …: the first not taken."""
    if key not in taken:
        return key
    for length in range(1, 4):
        for letters in itertools.product(string.ascii_lowercase, repeat=length):
            candidate = f"{key}-{''.join(letters)}"
            if candidate not in taken:
                return candidate
    raise ValueError(f"too many items would have the key {key}")
