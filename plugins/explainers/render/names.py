"""An author's name as CSL-JSON wants it: family and given parts, or `literal` for a body.

The format keeps each author as the name readers see ("Anna Müller", "Jan van der Berg",
"World Health Organization", "王小明"), so the parts are read back from it here, for the
page's CSL-JSON file, which reference managers sort and cite by family name. A name is
split only when it reads as a person's: two to four words, each capitalised or a particle
(van, de, al…), no word that names a body and no digit; anything else stays whole as a
`literal`, which CSL shows as written (a wrong split would misname a person, a literal
never does). "Family, Given" is split at its comma; a name in a CJK script stays whole.
"""

from __future__ import annotations

import re
from typing import Any

PARTICLES = frozenset(
    [
        "van",
        "von",
        "der",
        "den",
        "de",
        "del",
        "della",
        "di",
        "da",
        "dos",
        "du",
        "la",
        "le",
        "ter",
        "bin",
        "al",
    ]
)
SUFFIXES = frozenset(["Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"])
# Words that make a name a body's: an office, a desk, a company.
BODY_WORDS = frozenset(
    [
        "agency",
        "association",
        "authority",
        "bank",
        "board",
        "bureau",
        "center",
        "centre",
        "college",
        "commission",
        "committee",
        "company",
        "council",
        "court",
        "department",
        "desk",
        "foundation",
        "fund",
        "government",
        "group",
        "inc",
        "institute",
        "institution",
        "league",
        "library",
        "ltd",
        "ministry",
        "museum",
        "news",
        "office",
        "organisation",
        "organization",
        "parliament",
        "party",
        "police",
        "press",
        "service",
        "society",
        "staff",
        "team",
        "trust",
        "university",
    ]
)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def csl_name(name: str) -> dict[str, Any]:
    text = " ".join(name.split())
    if "," in text:
        family, _, given = (part.strip() for part in text.partition(","))
        if family and given and _personal(f"{given} {family}".split()):
            return {"family": family, "given": given}
        return {"literal": text}
    words = text.split()
    if _CJK.search(text) or not _personal(words):
        return {"literal": text}
    suffix = words.pop() if words[-1] in SUFFIXES else None
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in PARTICLES:
        start -= 1  # "van der" belongs with the family name
    parts: dict[str, Any] = {"family": " ".join(words[start:]), "given": " ".join(words[:start])}
    if suffix:
        parts["suffix"] = suffix
    return parts


def _personal(words: list[str]) -> bool:
    core = [word for word in words if word not in SUFFIXES]
    if not 2 <= len(core) <= 4 or any(ch.isdigit() or ch in "&/@" for ch in "".join(core)):
        return False
    if any(word.strip(".").lower() in BODY_WORDS for word in core):
        return False
    return all(word[0].isupper() or word.lower() in PARTICLES for word in core)
