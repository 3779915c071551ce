"""`make import-sources FILE=…`: a reference manager's export into the site-wide sources.

Reads CSL-JSON (Zotero's "Export Library… > CSL JSON") or BibTeX (`exports`), keys each
entry (its citation key, else one made as Better BibTeX makes them: `citekeys`), and
appends the new ones to `sources/<file name>.yml`. A key that already exists anywhere in
the sources folder is never overwritten, nor is an item imported twice (same DOI, address,
or title and year): both are skipped and reported. Every entry passes the `Source` model
before it is written. Fields with no place in the format are counted, in one line.
"""

from __future__ import annotations

import datetime
import os
import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml
from rich.progress import track

from ..document.library import DeclaredSource, load_library
from ..document.model import Source
from . import citekeys, exports


@dataclass
class Candidate:
    """An entry of the export with the key it is imported under."""

    key: str
    entry: exports.Entry
    fields: dict[str, Any]


def identities(fields: dict[str, Any]) -> list[str]:
    """What makes two entries the same item: the same DOI, or address, or title and year.
    Each is checked on its own: an item in the library with a DOI is the same as one
    exported without it when their titles and years agree."""
    found = []
    if fields.get("doi"):
        found.append(f"doi {str(fields['doi']).lower()}")
    if fields.get("url"):
        found.append(f"url {str(fields['url']).rstrip('/')}")
    title = " ".join(citekeys.words(str(fields.get("title") or "")))
    if title:
        found.append(f"title {title} {year_of(fields.get('published'))}")
    return found


def year_of(published: Any) -> str:
    """The year of an export's date text (2019-03), or of a library source's date, which
    `model_dump` gives as a date or, for a month or a year alone, as {"year": 2019, …}."""
    if isinstance(published, dict):
        return str(published.get("year", ""))
    if hasattr(published, "year"):
        return str(published.year)
    return str(published or "")[:4]


def candidates(entries: list[exports.Entry], default_lang: str) -> list[Candidate]:
    """Each entry with its key: the export's own, else one made from author, year and title."""
    own = {entry.own_key for entry in entries if entry.own_key}
    taken: set[str] = set()
    found = []
    for entry in entries:
        if entry.problem:
            continue
        fields = {name: value for name, value in entry.fields.items() if value not in (None, "", [])}
        language = str(fields.get("language", ""))
        # A source in the site's own language needs no "(in English)" beside it.
        if language.split("-", maxsplit=1)[0].lower() == default_lang.split("-", maxsplit=1)[0].lower():
            del fields["language"]
        # A body that is its own publisher (a report by the council) is shown once, not as
        # "Riverton City Council: … By Riverton City Council."
        if fields.get("authors") == [fields.get("publisher")]:
            del fields["authors"]
        key = entry.own_key or citekeys.deduplicate(citekeys.make_key(entry.families, fields), own | taken)
        taken.add(key)
        found.append(Candidate(key, entry, fields))
    return found


def target_for(path: str, content_path: str, sources_dir: str) -> str:
    """`sources/<the export's name>.yml`: the name in plain letters, digits, dots and hyphens."""
    stem = os.path.splitext(os.path.basename(path))[0]
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", stem).strip("-.")[:60] or "imported"
    return os.path.join(content_path, sources_dir, f"{name}.yml")


def run(
    path: str,
    content_path: str,
    sources_dir: str,
    schema_path: str,
    *,
    default_lang: str = "en",
    cited_keys: Callable[[dict[str, DeclaredSource]], set[str]] | None = None,
) -> int:
    """Import `path`; print what was added, skipped and left out; return the exit code: 1 if
    an item was refused (not a valid source, or not readable), else 0, duplicates skipped or not.

    `cited_keys`: given the sources to be added, the keys explainers cite (CITED=1): only
    those are imported."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            entries = exports.read(handle.read())
    except (OSError, UnicodeDecodeError, exports.ExportError) as exc:
        print(f"{path}: error: cannot read it as CSL-JSON or BibTeX: {exc}", file=sys.stderr)
        return 1
    library, _ = load_library(content_path, sources_dir)
    known: dict[str, DeclaredSource] = {}
    for entry in library.values():
        for same in identities(entry.source.model_dump(exclude_none=True)):
            known.setdefault(same, entry)
    target = target_for(path, content_path, sources_dir)
    added: dict[str, dict[str, Any]] = {}
    seen: dict[str, str] = {}
    skipped = invalid = 0
    for entry in entries:
        if entry.problem:
            severity, reason = entry.problem
            print(f"{path}: {severity}: {entry.where}: {reason}", file=sys.stderr)
            skipped += severity == "warning"
            invalid += severity == "error"
    unmapped: Counter[str] = Counter()
    for candidate in track(
        candidates(entries, default_lang),
        description="Importing sources",
        transient=True,
        console=None,
        disable=not sys.stderr.isatty(),
    ):
        key, fields, where = candidate.key, candidate.fields, candidate.entry.where
        sames = identities(fields)
        if key in library or key in added:
            place = library[key].where if key in library else "earlier in this file"
            print(f"{path}: warning: {key}: skipped, the key already exists ({place})", file=sys.stderr)
            skipped += 1
            continue
        same = next((same for same in sames if same in known or same in seen), None)
        if same is not None:
            other = f"{known[same].key} ({known[same].where})" if same in known else seen[same]
            print(f"{path}: warning: {key} ({where}): skipped, the same item as {other}", file=sys.stderr)
            skipped += 1
            continue
        try:
            Source.model_validate(fields)
        except ValueError as exc:
            reason = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            print(f"{path}: error: {key} ({where}): not imported, {reason}", file=sys.stderr)
            invalid += 1
            continue
        for warning in candidate.entry.warnings:
            print(f"{path}: warning: {key} ({where}): {warning}", file=sys.stderr)
        unmapped.update(candidate.entry.unmapped)
        added[key] = fields
        for same in sames:
            seen.setdefault(same, key)
    uncited = 0
    if cited_keys is not None and added:
        declared = {key: DeclaredSource(key, Source(**fields), target, 1) for key, fields in added.items()}
        cited = cited_keys(declared)
        uncited = sum(1 for key in added if key not in cited)
        added = {key: fields for key, fields in added.items() if key in cited}
    if unmapped:
        left_out = ", ".join(f"{name} ({count})" for name, count in sorted(unmapped.items()))
        print(f"{path}: note: fields with no place in a source, left out: {left_out}", file=sys.stderr)
    # Named only when it is there: a file this import did not write must not be announced.
    into = f" into {os.path.relpath(target)}" if added or os.path.exists(target) else ", no file written"
    if added:
        write(target, added, os.path.relpath(schema_path, os.path.dirname(target)))
    print(
        f"Imported {len(added)} source{'s' * (len(added) != 1)}{into}; "
        f"{skipped} skipped (already there), {invalid} refused"
        + (f", {uncited} left out (no explainer cites them)" if cited_keys is not None else ""),
        file=sys.stderr,
    )
    if cited_keys is None and added:
        print(
            "Each source no explainer cites yet is a warning of `make check` (and fails `make publish`): "
            "cite it, delete it, or import with CITED=1 to take only the sources explainers cite.",
            file=sys.stderr,
        )
    if invalid:
        # Exit status 1 only for a refusal, which importing again would meet again: skipped
        # duplicates are what re-importing an export is meant to do, and succeed.
        them = "it" if invalid == 1 else "them"
        rest = "the rest were imported" if added else "nothing was imported"
        print(
            f"Refused {invalid} item{'s' * (invalid != 1)} (the errors above; {rest}): "
            f"fix {them} in {path} and import it again, or leave {them} out. Exit status 1.",
            file=sys.stderr,
        )
        return 1
    return 0


def write(target: str, sources: dict[str, dict[str, Any]], schema: str) -> None:
    """Append the sources to `target` as YAML, after whatever it already holds."""
    os.makedirs(os.path.dirname(target), exist_ok=True)
    stamp = datetime.date.today().isoformat()
    text = yaml.safe_dump(sources, allow_unicode=True, sort_keys=False, width=100)
    with open(target, "a", encoding="utf-8") as handle:
        if handle.tell() == 0:
            handle.write(f"# yaml-language-server: $schema={schema}\n")
        handle.write(f"\n# Imported {stamp}\n{text}")
