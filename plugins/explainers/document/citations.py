"""The citation grammar of the contract (§2), as Python-Markdown inline processors.

    [@key]            [@a; @b]            [@key, p. 4]            [see @key]

Reading citations inside the Markdown conversion, rather than with a regex over
the file, is what makes escapes, code spans, code blocks, raw HTML and links
behave: by the time these processors run, Python-Markdown has already stashed
code, escapes, links and raw HTML out of the text they see.

The processors only build the citation markup and record problems; numbering
happens afterwards, in document order, in `notes.NumberingTreeprocessor`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

from .model import KEY_PATTERN
from .notes import NOTEREF_ROLE, NumberingTreeprocessor, claim_id, note_id
from .problems import hint

# A bracketed group with no nested brackets and no stashed element inside.
# (\x02 opens Python-Markdown's placeholders for code spans, escapes and HTML.)
# A group, or else an opened group that never closes: one pattern, so that each piece of
# text is searched once for both (inline patterns are the cost of a Markdown conversion).
CITATION_RE = (
    r"\[(?:(?P<body>[^\[\]\x02\x03]*)\]"
    rf"|(?P<unclosed>(?:[^\[\]\x02\x03]*?\s)?@{KEY_PATTERN})(?![^\[\]\x02\x03]*\]))"
)
# One item: an optional prefix ending in white space, @key, an optional ", locator".
ITEM_RE = re.compile(rf"^(?P<prefix>(?:.*\s)?)@(?P<key>{KEY_PATTERN})(?P<rest>.*)$", re.DOTALL)
# An @ that could open a citation: at the start of an item or after white space.
OPENER_RE = re.compile(r"(?:^|[\s;])@[A-Za-z0-9_]")
# The tail of a bare web address ending right before the bracket: `https://x.org/[@a]`.
URL_TAIL_RE = re.compile(r"(?:https?://|www\.)\S*$")


@dataclass(frozen=True)
class CitationItem:
    key: str
    prefix: str = ""
    locator: str = ""


@dataclass(frozen=True)
class CitationProblem:
    """A problem in the body; `needle` is the text to find in the file for its line."""

    needle: str
    message: str
    code: str


class CitationSyntaxError(ValueError):
    pass


def parse_group(body: str) -> list[CitationItem] | None:
    """The items of a bracketed group, or None when the group is not a citation.

    Raises CitationSyntaxError for a group that is meant as a citation but is malformed.
    """
    if not OPENER_RE.search(body):
        return None
    items = []
    for raw in body.split(";"):
        match = ITEM_RE.match(raw.strip())
        if match is None:
            raise CitationSyntaxError(
                f'"{raw.strip()}" does not name a key; write each item of a citation group as @key'
            )
        rest = match["rest"]
        if rest and not rest.startswith(","):
            raise CitationSyntaxError(
                f'unexpected "{rest.strip()}" after @{match["key"]}: a locator '
                "follows a comma, as in [@key, p. 4]"
            )
        items.append(CitationItem(key=match["key"], prefix=match["prefix"].strip(), locator=rest[1:].strip()))
    return items


@dataclass
class DocumentCitations:
    """What one document's citations may name, and what went wrong with them."""

    claim_sources: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # id -> (key, locator)
    source_keys: frozenset[str] = frozenset()
    problems: list[CitationProblem] = field(default_factory=list)
    # The markup this document's citations made: the body's checks leave it alone.
    groups: list[etree.Element] = field(default_factory=list)


class CitationInlineProcessor(InlineProcessor):
    """Turns a citation group into its markup: [see 1, p. 4; 2]."""

    def __init__(self, pattern: str, extension: CitationExtension):
        super().__init__(pattern)
        self.extension = extension

    def handleMatch(self, m: re.Match[str], data: str):  # noqa: N802 (Markdown's API)
        if _follows_web_address(data, m.start()):
            return None, None, None
        state = self.extension.document
        if m["body"] is None:
            state.problems.append(
                CitationProblem(
                    m.group(0), f'citation group "{m.group(0)}" is never closed with ]', "unclosed-citation"
                )
            )
            return None, None, None
        try:
            items = parse_group(m["body"])
        except CitationSyntaxError as exc:
            state.problems.append(
                CitationProblem(m.group(0), f"citation {m.group(0)!s}: {exc}", "citation-syntax")
            )
            return None, None, None
        if items is None:
            return None, None, None
        unknown = [
            item.key
            for item in items
            if item.key not in state.claim_sources and item.key not in state.source_keys
        ]
        for key in unknown:
            known = sorted(state.claim_sources) + sorted(state.source_keys)
            state.problems.append(
                CitationProblem(
                    f"@{key}", f'citation names unknown key "{key}"{hint(key, known)}', "unknown-key"
                )
            )
        if unknown:
            return None, None, None
        group = build_group(items, state)
        state.groups.append(group)
        return group, m.start(0), m.end(0)


def _follows_web_address(data: str, start: int) -> bool:
    # Only the last word matters; a web address is not longer than a couple of KB.
    return URL_TAIL_RE.search(data, max(0, start - 2048), start) is not None


def build_group(items: list[CitationItem], state: DocumentCitations) -> etree.Element:
    """<sup class="citation">[see <a role="doc-noteref">…</a>, p. 4; …]</sup>

    The numbers and ids are filled in later, once the whole body is known.
    """
    group = etree.Element("sup", {"class": "citation"})
    group.text = "["
    last: etree.Element | None = None

    def add_text(text: str) -> None:
        if last is None:
            group.text += text
        else:
            last.tail = (last.tail or "") + text

    for index, item in enumerate(items):
        if index:
            add_text("; ")
        if item.prefix:
            add_text(item.prefix + " ")
        if item.key in state.claim_sources:
            uses = state.claim_sources[item.key]
            claim = etree.SubElement(group, "span", {"class": "citation__claim", "data-claim": item.key})
            last = claim
            inner: etree.Element | None = None
            if not uses:  # an unverified claim: point at the claim itself
                inner = etree.SubElement(
                    claim, "a", {"href": "#" + claim_id(item.key), "class": "citation__unsourced"}
                )
                inner.text = "unsourced claim"
            for use_index, (source_key, locator) in enumerate(uses):
                if use_index:
                    if inner is None:
                        claim.text = (claim.text or "") + ", "
                    else:
                        inner.tail = (inner.tail or "") + ", "
                inner = _noteref(claim, source_key, locator)
            if item.locator:
                claim_locator = etree.SubElement(claim, "span", {"class": "citation__locator"})
                claim_locator.text = ", " + item.locator
        else:
            last = _noteref(group, item.key, item.locator)
    add_text("]")
    # Locators and prefixes are text as written (a locator may come from the front matter):
    # no later inline pattern may read Markdown, or HTML, into them.
    for element in group.iter():
        element.text = AtomicString(element.text) if element.text else element.text
        element.tail = AtomicString(element.tail) if element.tail else element.tail
    return group


def _noteref(parent: etree.Element, key: str, locator: str) -> etree.Element:
    """The anchor, plus its locator beside it; returns the last element added."""
    attributes = {"role": NOTEREF_ROLE, "href": "#" + note_id(key), "data-source": key}
    if locator:
        attributes["data-locator"] = locator
    anchor = etree.SubElement(parent, "a", attributes)
    if not locator:
        return anchor
    shown = etree.SubElement(parent, "span", {"class": "citation__locator"})
    shown.text = ", " + locator
    return shown


class CitationExtension(Extension):
    """Citations for one Markdown instance; `begin()` sets what the next document may cite."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.document = DocumentCitations()
        self.numbering = None  # set by notes.NumberingTreeprocessor after each conversion

    def begin(self, claim_sources: dict[str, list[tuple[str, str]]], source_keys: frozenset[str]) -> None:
        self.document = DocumentCitations(claim_sources=claim_sources, source_keys=source_keys)
        self.numbering = None

    def reset(self) -> None:
        self.document = DocumentCitations()
        self.numbering = None

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        md.registerExtension(self)
        # `\@` must stay a literal @, so that `[\@key]` is not a citation.
        if "@" not in md.ESCAPED_CHARS:
            md.ESCAPED_CHARS.append("@")
        # Below 'html' (90): raw HTML, with its attributes, is stashed before we look,
        # and so are code spans (190), escapes (180) and links (160, 170), which keeps
        # `[@handle](https://…)` a link. Above emphasis (60), so that a locator's
        # characters reach us as the writer typed them.
        md.inlinePatterns.register(CitationInlineProcessor(CITATION_RE, self), "citation", 85)
        # After 'inline' (20): every citation exists; numbers follow document order.
        md.treeprocessors.register(NumberingTreeprocessor(md, self), "citation-numbers", 15)
