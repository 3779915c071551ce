"""Numbering (contract §3), the ids of notes and citations, and the backlinks.

Sources are numbered in the order the body first cites them; sources reached only
through claims the body never cites come next, in claims order. Ids are made
here and nowhere else.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Iterable
from dataclasses import dataclass, field

from markdown import Markdown
from markdown.treeprocessors import Treeprocessor

NOTEREF_ROLE = "doc-noteref"


def note_id(key: str) -> str:
    return f"source-{key}"


def claim_id(key: str) -> str:
    return f"claim-{key}"


def citation_id(key: str, index: int) -> str:
    """The id of the `index`-th (0-based) citation of source `key` in the body."""
    return f"cite-{key}-{index + 1}"


def passage_id(claim: str, index: int) -> str:
    """The id of the `index`-th (0-based) place the body cites claim `claim`."""
    return f"passage-{claim}-{index + 1}"


def letter(index: int) -> str:
    """a, b, … z, aa, ab, …: Wikipedia's names for a note's several backlinks."""
    letters = string.ascii_lowercase
    name = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        name = letters[remainder] + name
    return name


@dataclass(frozen=True)
class Backlink:
    target: str  # the id of the citation it returns to
    name: str  # its accessible name, e.g. "Back to citation 3b"
    mark: str  # what it shows: "↩" alone, or the letter when there are several


@dataclass
class Numbering:
    """The outcome of numbering one document."""

    order: list[str] = field(default_factory=list)  # source keys, in number order
    citations: dict[str, list[str]] = field(default_factory=dict)  # key -> citation ids
    passages: dict[str, list[str]] = field(default_factory=dict)  # claim id -> its marks' ids

    @functools.cached_property
    def numbers(self) -> dict[str, int]:
        # Asked for each note and each source of a file: made once (`order` is made whole).
        return {key: index + 1 for index, key in enumerate(self.order)}

    def backlinks(self, key: str) -> list[Backlink]:
        number = self.numbers[key]
        ids = self.citations.get(key, [])
        if len(ids) == 1:
            return [Backlink(ids[0], f"Back to citation {number}", "↩")]
        return [
            Backlink(target, f"Back to citation {number}{letter(i)}", letter(i))
            for i, target in enumerate(ids)
        ]


def number_sources(cited_in_body: Iterable[str], claims_sources: Iterable[Iterable[str]]) -> list[str]:
    """Source keys in number order: body first, then the rest reached through claims."""
    order = dict.fromkeys(cited_in_body)
    for sources in claims_sources:
        for key in sources:
            order.setdefault(key)
    return list(order)


class NumberingTreeprocessor(Treeprocessor):
    """Walks the finished body in document order; gives each citation its number and id."""

    def __init__(self, md: Markdown, extension):
        super().__init__(md)
        self.extension = extension

    def run(self, root):
        anchors: dict[str, list] = {}
        passages: dict[str, list[str]] = {}
        for element in root.iter("a"):
            if element.get("role") == NOTEREF_ROLE:
                anchors.setdefault(element.get("data-source"), []).append(element)
            elif element.get("class", "").startswith("claim-mark ") and element.get("data-claim"):
                ids = passages.setdefault(element.get("data-claim"), [])
                ids.append(passage_id(element.get("data-claim"), len(ids)))
                element.set("id", ids[-1])
        claims = self.extension.document.claim_sources.values()
        order = number_sources(anchors, ([key for key, _ in uses] for uses in claims))
        numbers = {key: index + 1 for index, key in enumerate(order)}
        citations = {}
        for key, elements in anchors.items():
            ids = []
            for index, element in enumerate(elements):
                element.text = str(numbers[key])
                element.set("id", citation_id(key, index))
                ids.append(citation_id(key, index))
            citations[key] = ids
        self.extension.numbering = Numbering(order=order, citations=citations, passages=passages)


# Ids the page itself uses (the theme's landmarks and the plugin's notes, claims and
# citations): an id from the body must never take one of them.
RESERVED_IDS = frozenset(
    {"main", "sources", "sources-title", "claims", "claims-title", "corrections", "corrections-title",
     "glance", "glance-title", "story",
     "search-query", "search-status", "search-results"}
)  # fmt: skip
RESERVED_PREFIXES = ("source-", "claim-", "cite-", "status-", "passage-")


def is_reserved_id(value: str) -> bool:
    value = value.strip().lower()
    return value in RESERVED_IDS or value.startswith(RESERVED_PREFIXES)
