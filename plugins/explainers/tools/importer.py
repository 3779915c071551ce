"""`make import-sources FILE=…`: a reference manager's export into the site-wide sources.

Reads CSL-JSON (Zotero's "Export Library… > CSL JSON") or BibTeX, maps each entry onto
the fields of a source, and appends the new ones to `sources/<file name>.yml`. A key that
already exists anywhere in the sources folder is never overwritten: it is skipped and
reported. Fields with no place in the format are reported too, entry by entry.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import sys
from typing import Any

import bibtexparser
import yaml
from rich.progress import track

from ..document import dates
from ..document.library import load_library
from ..document.model import Source
from ..render.data import source_type_of

# BibTeX entry types, onto the format's source types (CSL's: `data.CSL_TYPES`).
BIBTEX_TYPES = {
    "article": "news",
    "report": "report",
    "techreport": "report",
    "dataset": "dataset",
    "online": "other",
    "misc": "other",
    "video": "video",
    "jurisdiction": "official",
}
CSL_USED = {
    "id",
    "type",
    "title",
    "container-title",
    "publisher",
    "URL",
    "issued",
    "accessed",
    "author",
    "language",
    "note",
    "abstract",
}
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
    "ID",
    "ENTRYTYPE",
    "title",
    *BIBTEX_PUBLISHER_FIELDS,
    "url",
    "date",
    "year",
    "month",
    "urldate",
    "author",
    "language",
    "note",
}


def key_for(raw: str) -> str:
    """A valid source key from a reference manager's id: other characters become hyphens."""
    key = re.sub(r"[^A-Za-z0-9_:./-]+", "-", raw).strip("-:./")
    return key or "source"


def from_csl(item: dict[str, Any]) -> tuple[str, dict[str, Any], list[str]]:
    source = {
        "title": item.get("title"),
        "publisher": item.get("container-title") or item.get("publisher"),
        "url": item.get("URL"),
        "published": dates.from_csl(item.get("issued")),
        "accessed": dates.from_csl(item.get("accessed")),
        "authors": [
            " ".join(p for p in (a.get("given"), a.get("family")) if p) or a.get("literal", "")
            for a in item.get("author", [])
        ],
        "type": source_type_of(item.get("type", "")),
        "language": item.get("language"),
        "note": item.get("note"),
    }
    unmapped = sorted(set(item) - CSL_USED)
    if item.get("abstract"):
        unmapped.append("abstract")
    return key_for(str(item.get("id", ""))), source, unmapped


def bibtex_date(entry: dict[str, str], field: str) -> str | None:
    if entry.get(field):
        return entry[field].strip()
    if field == "date" and entry.get("year", "").strip().isdigit():
        month = entry.get("month", "").strip().lower()[:3]
        number = dates.month_number(month) or (int(month) if month.isdigit() else None)
        return f"{int(entry['year']):04d}" + (f"-{number:02d}" if number else "")
    return None


def from_bibtex(entry: dict[str, str]) -> tuple[str, dict[str, Any], list[str]]:
    authors = [name.strip() for name in entry.get("author", "").split(" and ") if name.strip()]
    source = {
        "title": entry.get("title"),
        "publisher": next((entry[f] for f in BIBTEX_PUBLISHER_FIELDS if entry.get(f)), None),
        "url": entry.get("url"),
        "published": bibtex_date(entry, "date"),
        "accessed": bibtex_date(entry, "urldate"),
        "authors": [_bibtex_name(name) for name in authors],
        "type": BIBTEX_TYPES.get(entry.get("ENTRYTYPE", "").lower(), "other"),
        "language": entry.get("language"),
        "note": entry.get("note"),
    }
    unmapped = sorted(set(entry) - BIBTEX_USED)
    return key_for(entry.get("ID", "")), source, unmapped


def _bibtex_name(name: str) -> str:
    # "Family, Given" -> "Given Family"
    family, _, given = name.partition(",")
    return f"{given.strip()} {family.strip()}".strip() if given else name


def read_entries(path: str) -> list[tuple[str, dict[str, Any], list[str]]]:
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    if path.endswith(".bib"):
        library = bibtexparser.parse_string(text)
        return [
            from_bibtex(
                {"ID": e.key, "ENTRYTYPE": e.entry_type, **{f.key.lower(): str(f.value) for f in e.fields}}
            )
            for e in library.entries
        ]
    items = json.loads(text)
    if isinstance(items, dict):
        items = items.get("items", [items])
    return [from_csl(item) for item in items]


def run(path: str, content_path: str, sources_dir: str, schema_path: str) -> int:
    """Import `path`; print what was added, skipped and not mapped; return the exit code."""
    try:
        entries = read_entries(path)
    except (OSError, ValueError) as exc:
        print(f"{path}: error: cannot read it as CSL-JSON or BibTeX: {exc}", file=sys.stderr)
        return 1
    library, _ = load_library(content_path, sources_dir)
    target = os.path.join(content_path, sources_dir, os.path.splitext(os.path.basename(path))[0] + ".yml")
    added: dict[str, dict[str, Any]] = {}
    skipped = invalid = 0
    for key, raw_fields, unmapped in track(
        entries,
        description="Importing sources",
        transient=True,
        console=None,
        disable=not sys.stderr.isatty(),
    ):
        fields = {name: value for name, value in raw_fields.items() if value not in (None, "", [])}
        if key in library or key in added:
            where = library[key].where if key in library else "earlier in this file"
            print(f"{path}: warning: {key}: skipped, the key already exists ({where})", file=sys.stderr)
            skipped += 1
            continue
        try:
            Source.model_validate(fields)
        except ValueError as exc:
            reason = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            print(f"{path}: error: {key}: not imported, {reason}", file=sys.stderr)
            invalid += 1
            continue
        if unmapped:
            print(f"{path}: warning: {key}: not mapped: {', '.join(unmapped)}", file=sys.stderr)
        added[key] = fields
    if added:
        write(target, added, os.path.relpath(schema_path, os.path.dirname(target)))
    print(
        f"Imported {len(added)} source{'s' * (len(added) != 1)} into {os.path.relpath(target)}; "
        f"{skipped} skipped (key exists), {invalid} not valid",
        file=sys.stderr,
    )
    return 1 if invalid else 0


def write(target: str, sources: dict[str, dict[str, Any]], schema: str) -> None:
    """Append the sources to `target` as YAML, after whatever it already holds."""
    os.makedirs(os.path.dirname(target), exist_ok=True)
    stamp = datetime.date.today().isoformat()
    text = yaml.safe_dump(sources, allow_unicode=True, sort_keys=False, width=100)
    with open(target, "a", encoding="utf-8") as handle:
        if handle.tell() == 0:
            handle.write(f"# yaml-language-server: $schema={schema}\n")
        handle.write(f"\n# Imported {stamp}\n{text}")
