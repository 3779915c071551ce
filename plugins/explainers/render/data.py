"""Claims as data: each explainer's claims and sources as JSON, and its sources as CSL-JSON.

Written next to the page (`slug.claims.json`, `slug.sources.csl.json`) and linked from it,
for other newsrooms, fact-check tools and reference managers (Zotero imports CSL-JSON).
"""

from __future__ import annotations

import json
from typing import Any

from ..document.dates import csl_parts, iso
from ..document.model import Source
from . import names
from .structured_data import plain
from .view import ExplainerView, NoteView

# Each of the format's source types as CSL item types: the one it is written as, then
# those a reference manager's items of which are read as it (`make import-sources`).
# Not a one-to-one match: an intelligence assessment is written as a CSL "report", but a
# "report" is read as a report; an official source is written as a "document", but a
# "document" is read as "other", since few documents in a reference manager are official.
CSL_TYPES: dict[str, tuple[str, tuple[str, ...]]] = {
    "news": ("article-newspaper", ("article-newspaper", "article-magazine")),
    "official": ("document", ("legislation", "legal_case", "regulation")),
    "intelligence": ("report", ()),
    # A journal's article or a conference's paper: research published, as a report is.
    "report": ("report", ("report", "article-journal", "paper-conference")),
    "dataset": ("dataset", ("dataset",)),
    "video": ("motion_picture", ("motion_picture", "broadcast")),
    "social": ("post", ("post", "post-weblog")),
    "interview": ("interview", ("interview",)),
    "other": ("webpage", ("webpage", "document")),
}
_SOURCE_TYPE_OF_CSL = {csl: kind for kind, (_, read) in CSL_TYPES.items() for csl in read}


def csl_type(source_type: str | None, address: str | None = None) -> str:
    """The CSL item type a source is written as: a source of no kind is a web page only
    when it has an address, else a document."""
    written = CSL_TYPES[source_type or "other"][0]
    return "document" if written == "webpage" and not address else written


def source_type_of(csl: str) -> str:
    """The source type a CSL item is read as: "other" for a type the format has no match for."""
    return _SOURCE_TYPE_OF_CSL.get(csl, "other")


def data_base(save_as: str) -> str:
    """`slug.html` -> `slug`: where the page's data files go, beside it."""
    return save_as.removesuffix(".html")


def claims_document(view: ExplainerView, page_url: str, date: Any, modified: Any) -> dict[str, Any]:
    model = view.model
    return {
        "explainer": {
            "title": model.title,
            "url": page_url,
            "published": date.isoformat(),
            "modified": modified.isoformat() if modified else None,
            "authors": model.authors,
        },
        "claims": [
            {
                "id": item.claim.id,
                "url": f"{page_url}#{item.id}",
                "text": plain(item.text),
                "status": item.status.key,
                "status_label": item.status.label,
                "by": item.claim.by,
                "note": plain(item.note) if item.note else None,
                "as_of": iso(item.claim.as_of) or None,
                "review_by": iso(item.claim.review_by) or None,
                "sources": [
                    {"key": link.key, "number": link.number, "locator": link.locator or None}
                    for link in item.sources
                ],
            }
            for item in view.claims
        ],
        "sources": [
            {"key": note.key, "number": note.number, **source_fields(note.source), **archive_fields(note)}
            for note in view.notes
        ],
        "corrections": [
            {"date": iso(item.correction.date), "kind": item.correction.kind, "text": plain(item.text)}
            for item in view.corrections
        ],
    }


def source_fields(source: Source) -> dict[str, Any]:
    fields = source.model_dump(exclude_none=True)
    for name in ("published", "accessed"):
        if name in fields:
            fields[name] = iso(getattr(source, name))
    return fields


def archive_fields(note: NoteView) -> dict[str, Any]:
    """The lockfile's archived copy of a source that declares none (`make archive`)."""
    if note.archived is None:
        return {}
    return {"archive_url": note.archived.archive_url, "archived": iso(note.archived.archived)}


def csl_document(view: ExplainerView) -> list[dict[str, Any]]:
    items = []
    for note in view.notes:
        source = note.source
        item: dict[str, Any] = {
            "id": note.key,
            "type": csl_type(source.type, source.url),
            "title": source.title,
        }
        if item["type"] in ("article-newspaper", "post", "webpage"):
            item["container-title"] = source.publisher
        else:
            item["publisher"] = source.publisher
        if source.address:
            item["URL"] = source.address
        if source.doi:
            item["DOI"] = source.doi
        for name, field in (("issued", "published"), ("accessed", "accessed")):
            value = getattr(source, field)
            if value is not None:
                item[name] = {"date-parts": [csl_parts(value)]}
        if source.authors:
            item["author"] = [names.csl_name(name) for name in source.authors]
        if source.language:
            item["language"] = source.language
        if source.note:
            item["note"] = source.note
        items.append(item)
    return items


def dumps(document: Any) -> str:
    # Compact: the files are for programs, and without `indent` json encodes in C (ten times faster).
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"
