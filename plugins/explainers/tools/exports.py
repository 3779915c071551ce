"""A reference manager's export, read into the fields of a source: CSL-JSON or BibTeX.

The format is told by the file's first character, never by its name (Zotero, JabRef and
Better BibTeX name files as they like, `.BIB` and `.json` alike). BibTeX's LaTeX (`{\\'e}`,
`{Riverton}`, `--`) is decoded to text by pylatexenc, as bibtexparser's own decoding does,
after the names are split, so that a braced corporate name stays one name. Whatever is
read here is only a candidate: the importer passes it through the `Source` model, the
project's allow-list, before anything is written.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import bibtexparser
from bibtexparser.middlewares import MonthIntMiddleware
from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names
from pylatexenc.latex2text import LatexNodes2Text

from ..document import dates
from ..document.model import DOI_PATTERN, KEY_RE
from ..render.data import source_type_of
from . import languages


@dataclass
class Entry:
    """One item of an export: its own key if it has a usable one, the fields of a source,
    the names a key is made of, and the fields left out."""

    where: str  # "line 12" (BibTeX) or "item 3" (CSL-JSON), for messages
    own_key: str | None
    fields: dict[str, Any]
    families: list[str] = field(default_factory=list)  # for a key: family or corporate names
    unmapped: list[str] = field(default_factory=list)
    problem: tuple[str, str] | None = None  # (severity, why) for an entry that could not be read
    warnings: list[str] = field(default_factory=list)  # what was left out of an imported entry, and why


class ExportError(ValueError):
    """The file is neither CSL-JSON nor BibTeX."""


# BibTeX entry types, onto the format's source types (CSL's: `data.CSL_TYPES`). An
# `@article` is read by `bibtex_type`: a journal's, as CSL's article-journal is, or a paper's.
BIBTEX_TYPES = {
    "article": "news",
    "report": "report",
    "techreport": "report",
    "dataset": "dataset",
    "online": "other",
    "misc": "other",
    "video": "video",
    "jurisdiction": "official",
    "legislation": "official",
}
# What only a journal article carries: Zotero's BibTeX writes a newspaper's article as an
# `@article` too, with nothing else to tell the two apart (Better BibTeX's biblatex says
# `entrysubtype = {newspaper}` or `{magazine}`).
JOURNAL_FIELDS = ("volume", "number", "issue", "issn", "doi", "eprint")


def bibtex_type(entry_type: str, values: dict[str, Any]) -> str:
    kind = entry_type.lower()
    if kind == "article":
        subtype = str(values.get("entrysubtype", "")).strip().lower()
        if subtype in ("newspaper", "magazine"):
            return "news"
        if any(values.get(name) for name in JOURNAL_FIELDS):
            return source_type_of("article-journal")
        return "news"
    return BIBTEX_TYPES.get(kind, "other")


# Where a BibTeX entry names its publisher, in order of preference.
BIBTEX_PUBLISHER_FIELDS = (
    "journal",
    "journaltitle",
    "publisher",
    "organization",
    "institution",
    "howpublished",
)
BIBTEX_USED = {
    "title",
    *BIBTEX_PUBLISHER_FIELDS,
    "url",
    "doi",
    "date",
    "year",
    "month",
    "day",
    "urldate",
    "author",
    "language",
    "langid",
    "entrysubtype",
    "note",
}
CSL_USED = {
    "id",
    "citation-key",
    "type",
    "title",
    "container-title",
    "publisher",
    "URL",
    "DOI",
    "issued",
    "accessed",
    "author",
    "language",
    "note",
}
_DOI_RE = re.compile(DOI_PATTERN)
# How exports write a DOI: bare, as doi:…, or as a doi.org link.
_DOI_PREFIX_RE = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)", re.IGNORECASE)
_LATEX = LatexNodes2Text()


def read(text: str) -> list[Entry]:
    """Every entry of an export, CSL-JSON or BibTeX, told apart by its first character."""
    start = text.lstrip("\ufeff \t\r\n")[:1]
    if start in ("[", "{"):
        return read_csl(text)
    if start in ("@", "%") or not start:
        return read_bibtex(text)
    raise ExportError("it is neither CSL-JSON (which starts with [ or {) nor BibTeX (which starts with @)")


# --- CSL-JSON ---------------------------------------------------------------------------------


def read_csl(text: str) -> list[Entry]:
    try:
        items = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise ExportError(f"not valid CSL-JSON: {exc}") from exc
    if isinstance(items, dict):
        items = items.get("items", [items])
    if not isinstance(items, list):
        raise ExportError("CSL-JSON is a list of items")
    return [from_csl(item, number) for number, item in enumerate(items, 1) if isinstance(item, dict)]


def own_csl_key(item: dict[str, Any]) -> str | None:
    """Better BibTeX and Zotero 7 write the item's citation key as `citation-key`; an `id`
    is the key only where it reads as one: Zotero's own ids are addresses
    (http://zotero.org/users/…/items/ABCD1234), never keys."""
    for candidate in (item.get("citation-key"), item.get("id")):
        if isinstance(candidate, str) and KEY_RE.fullmatch(candidate) and not re.search(r"[:/]", candidate):
            return candidate
    return None


# Han, kana and Hangul: a name in these scripts is written family name first, with no space.
_CJK = re.compile(
    r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"
)


def family_first(family: str, given: str) -> str | None:
    """王小明 for family 王 and given 小明: a name in a CJK script, as it is written."""
    if family and _CJK.search(family + given):
        return family + given
    return None


def csl_name(name: dict[str, Any]) -> tuple[str, str]:
    """A CSL name as shown ("José van der Berg Jr.", "王小明") and the part a key is made of."""
    if name.get("literal"):
        return str(name["literal"]), str(name["literal"])
    family, given = str(name.get("family") or ""), str(name.get("given") or "")
    parts = ("given", "dropping-particle", "non-dropping-particle", "family", "suffix")
    shown = family_first(family, given) or " ".join(str(name[p]) for p in parts if name.get(p))
    return shown, family or given


def csl_date(value: Any) -> str | None:
    """CSL's date-parts, else its `raw` or `literal` date: ISO 8601 (2026-11-17), or in
    English words ("February 2026", "17 February 2026", "February 17, 2026", "2026")."""
    parts = dates.from_csl(value)
    if parts or not isinstance(value, dict):
        return parts
    text = str(value.get("raw") or value.get("literal") or "").strip()
    return text if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text) else worded_date(text)


_WORDED = (
    re.compile(r"^(?P<month>[A-Za-z]+)\.?\s+(?P<year>\d{4})$"),
    re.compile(r"^(?P<day>\d{1,2})\s+(?P<month>[A-Za-z]+)\.?,?\s+(?P<year>\d{4})$"),
    re.compile(r"^(?P<month>[A-Za-z]+)\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})$"),
)


def shown_date(value: Any) -> str:
    """A CSL date as the export wrote it, short, for a message."""
    if isinstance(value, dict):
        value = value.get("raw") or value.get("literal") or value.get("date-parts") or value
    return " ".join(str(value).split())[:40]


def worded_date(text: str) -> str | None:
    for pattern in _WORDED:
        match = pattern.match(text)
        month = dates.month_number(match["month"]) if match else None
        if not month or len(match["month"]) < 3:
            continue
        day = int(match.groupdict().get("day") or 0)
        if day and not 1 <= day <= 31:
            return None
        return f"{match['year']}-{month:02d}" + (f"-{day:02d}" if day else "")
    return None


# Better BibTeX for Zotero 6 keeps an item's citation key in its note, as a line of its own.
_CITATION_KEY_LINE = re.compile(
    r"^[ \t]*Citation Key:[ \t]*(?P<key>\S+)[ \t]*$", re.MULTILINE | re.IGNORECASE
)


def note_key(note: Any) -> tuple[str | None, Any]:
    """The `Citation Key: …` line of a CSL note, and the note without it."""
    if not isinstance(note, str):
        return None, note
    match = _CITATION_KEY_LINE.search(note)
    if match is None:
        return None, note
    rest = (note[: match.start()] + note[match.end() :]).strip()
    return match["key"], rest or None


def language(value: Any, entry_warnings: list[str]) -> str | None:
    """An export's language as a tag; anything else reported and left out."""
    if value is None or not str(value).strip():
        return None
    tag = languages.tag_of(str(value))
    if tag is None:
        entry_warnings.append(
            f'language "{str(value).strip()[:40]}" left out: not a language tag (es, ru, pt-BR) '
            "or a language's name"
        )
    return tag


def from_csl(item: dict[str, Any], number: int) -> Entry:
    names = [csl_name(a) for a in item.get("author", []) if isinstance(a, dict)]
    warnings: list[str] = []
    noted_key, note = note_key(item.get("note"))
    fields = {
        "title": item.get("title"),
        "publisher": item.get("container-title") or item.get("publisher"),
        "url": item.get("URL"),
        "doi": doi(item.get("DOI")),
        "published": csl_date(item.get("issued")),
        "accessed": csl_date(item.get("accessed")),
        "authors": [shown for shown, _ in names if shown],
        "type": source_type_of(str(item.get("type", ""))),
        "language": language(item.get("language"), warnings),
        "note": note,
    }
    unmapped = sorted(name for name in item if name not in CSL_USED)
    # A date the export gives but that cannot be read is said at its item: the writer has
    # to find that one item in the export to mend it, which a count of them does not help.
    for name, ours in (("issued", "published"), ("accessed", "accessed")):
        if item.get(name) and not fields[ours]:
            warnings.append(
                f'{name} date "{shown_date(item[name])}" left out: not a date (2026-02-14, February 2026)'
            )
    own = own_csl_key(item) or (noted_key if noted_key and KEY_RE.fullmatch(noted_key) else None)
    families = [family for _, family in names]
    return Entry(f"item {number}", own, fields, families, sorted(unmapped), warnings=warnings)


# --- BibTeX -----------------------------------------------------------------------------------


def read_bibtex(text: str) -> list[Entry]:
    library = bibtexparser.parse_string(text, append_middleware=[MonthIntMiddleware(True)])
    entries = []
    for entry in library.entries:
        values = {f.key.lower(): f.value for f in entry.fields}
        line = entry.start_line + 1
        try:
            entries.append(from_bibtex(entry.key, entry.entry_type, values, line))
        except Exception as exc:  # pylatexenc fails in its own ways on broken macros (IndexError…)
            reason = f"not imported, its LaTeX cannot be read ({type(exc).__name__}: {exc})"
            entries.append(Entry(f"line {line}", None, {}, problem=("error", reason)))
    # What could not be read is reported, and the rest imported: one broken entry in a
    # library of hundreds should not keep out the others.
    for block in library.failed_blocks:
        line = getattr(block, "start_line", 0) + 1
        key = getattr(block, "key", None)
        if key:
            problem = ("warning", f'skipped, the key "{key}" is used twice: the first entry is imported')
        else:
            problem = ("error", "not imported, not a BibTeX entry (a brace or quote left open?)")
        entries.append(Entry(f"line {line}", None, {}, problem=problem))
    return entries


def decode(value: Any) -> str | None:
    """LaTeX to text: `{\\'e}` to é, `{Riverton}` to Riverton, `--` to an en dash."""
    if value is None:
        return None
    return " ".join(_LATEX.latex_to_text(str(value)).split()) or None


def bibtex_name(raw: str) -> tuple[str, str]:
    """A BibTeX name as shown ("Anna Müller", "World Health Organization") and the part a
    key is made of. A name in braces is one name, a body's (`{{World Health Organization}}`)."""
    raw = raw.strip()
    if raw.startswith("{") and raw.endswith("}") and raw.count("{") == raw.count("}"):
        corporate = decode(raw) or ""
        return corporate, corporate
    parts = parse_single_name_into_parts(raw, strict=False)
    family = " ".join(parts.von + parts.last)
    shown = family_first(decode(family) or "", decode(" ".join(parts.first)) or "")
    shown = shown or decode(" ".join(parts.first + parts.von + parts.last + parts.jr))
    return shown or "", decode(" ".join(parts.last)) or decode(family) or ""


def bibtex_date(values: dict[str, Any], field: str) -> str | None:
    """biblatex's `date` (2026-11-17, or the start of a range), else `year`, `month`, `day`."""
    if values.get(field):
        return str(values[field]).strip().split("/")[0] or None
    if field != "date":
        return None
    year = str(values.get("year", "")).strip()
    if not (len(year) == 4 and year.isdigit()):
        return None
    month = values.get("month")
    month = (
        month
        if isinstance(month, int)
        else dates.month_number(str(month or ""))
        or (int(month) if str(month or "").strip().isdigit() else None)
    )
    if not month or not 1 <= month <= 12:
        return year
    day = str(values.get("day", "")).strip()
    return f"{year}-{month:02d}" + (f"-{int(day):02d}" if day.isdigit() and 1 <= int(day) <= 31 else "")


# `howpublished = {\url{https://…}}`: BibTeX's way of giving an address before `url` existed.
_URL_MACRO = re.compile(r"^\s*\\url\{(?P<url>[^{}]*)\}\s*$")


def from_bibtex(key: str, entry_type: str, values: dict[str, Any], line: int) -> Entry:
    names = [bibtex_name(n) for n in split_multiple_persons_names(str(values.get("author", ""))) if n.strip()]
    howpublished = _URL_MACRO.match(str(values.get("howpublished", "")))
    if howpublished:  # an address, not a publisher
        values = {name: value for name, value in values.items() if name != "howpublished"}
    url = values.get("url") or (howpublished["url"] if howpublished else None)
    publisher = next((values[f] for f in BIBTEX_PUBLISHER_FIELDS if values.get(f)), None)
    warnings: list[str] = []
    fields = {
        "title": decode(values.get("title")),
        "publisher": decode(publisher),
        "url": str(url).strip() if url else None,
        "doi": doi(values.get("doi")),
        "published": bibtex_date(values, "date"),
        "accessed": bibtex_date(values, "urldate"),
        "authors": [shown for shown, _ in names if shown],
        "type": bibtex_type(entry_type, values),
        # biblatex's `langid` (Zotero's and Better BibTeX's exports), else BibTeX's `language`.
        "language": language(values.get("langid") or values.get("language"), warnings),
        "note": decode(values.get("note")),
    }
    unmapped = sorted(name for name in values if name not in BIBTEX_USED)
    own_key = key if KEY_RE.fullmatch(key or "") else None
    families = [family for _, family in names]
    return Entry(f"line {line}", own_key, fields, families, unmapped, warnings=warnings)


def doi(value: Any) -> str | None:
    """A DOI as the format keeps it: bare (10.5555/…), without doi: or doi.org/ before it."""
    if not value:
        return None
    text = _DOI_PREFIX_RE.sub("", str(value).strip())
    return text if _DOI_RE.fullmatch(text) else str(value).strip()
