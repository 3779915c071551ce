"""An export's language value as a BCP 47 tag, or the reason it cannot be one.

Reference managers write languages three ways: as tags (`en-US`, `ru`), as English names
(`Spanish`, Zotero's free text), and as biblatex's babel names in `langid` (`russian`,
`ngerman`, `american`). The site shows a source's language by its tag ("(in Russian)",
`hreflang`), so only a tag CLDR knows is kept; anything else is reported and left out,
never passed through for readers to see as "(in spanish)".
"""

from __future__ import annotations

import re

from babel import Locale

# babel's (and so biblatex's) language names that are not an English language name, and
# those that carry a region: from biblatex's documentation of `langid`.
BABEL_NAMES = {
    "american": "en-US",
    "usenglish": "en-US",
    "british": "en-GB",
    "ukenglish": "en-GB",
    "canadian": "en-CA",
    "australian": "en-AU",
    "newzealand": "en-NZ",
    "ngerman": "de",
    "austrian": "de-AT",
    "naustrian": "de-AT",
    "swissgerman": "de-CH",
    "nswissgerman": "de-CH",
    "brazil": "pt-BR",
    "brazilian": "pt-BR",
    "portuges": "pt",
    "francais": "fr",
    "acadian": "fr-CA",
    "canadien": "fr-CA",
    "norsk": "nb",
    "bokmal": "nb",
    "nynorsk": "nn",
    "magyar": "hu",
    "slovene": "sl",
    "serbianc": "sr-Cyrl",
}
_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


def _english_names() -> dict[str, str]:
    names = {}
    for code, name in Locale("en").languages.items():
        if "_" not in code:
            names.setdefault(name.lower(), code)
    return names


_NAMES = _english_names()
_CODES = frozenset(code for code in Locale("en").languages if "_" not in code)  # CLDR's languages


def tag_of(value: str) -> str | None:
    """`ru`, `pt-BR`, `es` for "ru", "pt_br", "Spanish", "russian"; None for what is not one."""
    text = value.strip()
    if not text:
        return None
    lower = text.lower()
    if lower in BABEL_NAMES:
        return BABEL_NAMES[lower]
    if lower in _NAMES:
        return _NAMES[lower]
    text = text.replace("_", "-")
    if not _TAG.fullmatch(text):
        return None
    # The tag as written, in BCP 47's customary case: language lower, script title, region upper.
    parts = text.split("-")
    shaped = [parts[0].lower()]
    for part in parts[1:]:
        shaped.append(part.title() if len(part) == 4 else part.upper() if len(part) == 2 else part)
    return "-".join(shaped) if shaped[0] in _CODES else None
