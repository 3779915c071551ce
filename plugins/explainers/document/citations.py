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

from .brackets import BracketIndex
from .brackets import install as install_brackets
from .model import KEY_PATTERN
from .notes import NOTEREF_ROLE, NumberingTreeprocessor, claim_id, note_id
from .problems import Spotted, hint

# A `[` and the text after it up to the next bracket or stashed element (\x02 opens
# Python-Markdown's placeholders for code spans, escapes and HTML, \x03 closes them), with
# the `]` when that is what comes next: a group, or else a group that may never close. One
# character class and nothing after it to backtrack into, so each piece of text is read once
# however many `[` and `@` it holds; whether an unclosed group names a key is read from the
# same text (UNCLOSED_RE), not by a second branch of this pattern.
CITATION_RE = r"\[(?P<body>[^\[\]\x02\x03]*)(?P<close>\]?)"
# One item: an optional prefix ending in white space, @key, an optional ", locator".
ITEM_RE = re.compile(rf"^(?P<prefix>(?:.*\s)?)@(?P<key>{KEY_PATTERN})(?P<rest>.*)$", re.DOTALL)
# An @ that could open a citation: at the start of an item or after white space.
OPENER_RE = re.compile(r"(?:^|[\s;])@[A-Za-z0-9_]")
# In a group never closed: the first @key at its start or after white space.
UNCLOSED_RE = re.compile(rf"(?:^|(?<=\s))@{KEY_PATTERN}")
# What starts a bare web address, and the last white space before the end of what is searched.
ADDRESS_RE = re.compile(r"https?://|www\.")
LAST_SPACE_RE = re.compile(r"\s(?=\S*\Z)")


@dataclass(frozen=True)
class CitationItem:
    key: str
    prefix: str = ""
    locator: str = ""


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


def groups_in(text: str) -> list[str]:
    """The citation groups (`[@key]`, `[see @a; @b]`) in a field's text, as written: the
    front matter's text is not read by the body's processors. A `\\[` is an escaped bracket."""
    found = []
    for match in re.finditer(CITATION_RE, text):
        escaped = len(text[: match.start()]) - len(text[: match.start()].rstrip("\\"))
        if escaped % 2 == 0 and OPENER_RE.search(match["body"]):
            found.append(match.group())
    return found


@dataclass
class DocumentCitations:
    """What one document's citations may name, and what went wrong with them."""

    claim_sources: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # id -> (key, locator)
    # id -> (status key, label): each claim cited in the body shows its status there.
    claim_statuses: dict[str, tuple[str, str]] = field(default_factory=dict)
    source_keys: frozenset[str] = frozenset()
    problems: list[Spotted] = field(default_factory=list)
    # The markup this document's citations made: the body's checks leave it alone.
    groups: list[etree.Element] = field(default_factory=list)


class CitationInlineProcessor(InlineProcessor):
    """Turns a citation group into its markup: [see 1, p. 4; 2]."""

    def __init__(self, pattern: str, extension: CitationExtension):
        super().__init__(pattern)
        self.extension = extension
        self.follows_web_address = AddressTail()

    def handleMatch(self, m: re.Match[str], data: str):  # noqa: N802 (Markdown's API)
        state = self.extension.document
        body = m["body"]
        if not m["close"]:
            opener = UNCLOSED_RE.search(body)
            if opener is None or self.follows_web_address(data, m.start()):
                return None, None, None
            group = data[m.start() : m.start() + 1 + opener.end()]
            message = f'citation group "{group}" is never closed with ]'
            state.problems.append(Spotted(group, message, "unclosed-citation"))
            return None, None, None
        if not OPENER_RE.search(body) or self.follows_web_address(data, m.start()):
            return None, None, None
        try:
            items = parse_group(body)
        except CitationSyntaxError as exc:
            state.problems.append(Spotted(m.group(0), f"citation {m.group(0)!s}: {exc}", "citation-syntax"))
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
                Spotted(f"@{key}", f'citation names unknown key "{key}"{hint(key, known)}', "unknown-key")
            )
        if unknown:
            return None, None, None
        group = build_group(items, state)
        state.groups.append(group)
        return group, m.start(0), m.end(0)


class AddressTail:
    """Whether a `[` ends a bare web address, as in `https://x.org/[@a]`: then it is no citation.

    That is, whether the word running up to it holds `http://`, `https://` or `www.` no more
    than `LOOKBACK` characters back. Python-Markdown asks about rising positions in one text
    until it takes a match, so the word is followed as it grows rather than looked for again
    from each `[`: each character of a text is read once, however many `[` follow it. Only in
    a text just rebuilt around a citation taken is it looked for, `LOOKBACK` characters back.
    """

    LOOKBACK = 2048  # no web address is longer
    LONGEST = len("https://")

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.text: str | None = None
        self.bare = False  # whether the text holds no web address at all
        self.read_to = 0
        self.word = 0  # where the word running up to `read_to` starts
        self.address = -1  # where the last web address in that word starts, if any

    def __call__(self, text: str, start: int) -> bool:
        if text is not self.text or start < self.read_to:
            self.text = text
            # Every match of ADDRESS_RE holds "://" or "www.": in a text with neither (nearly
            # every paragraph), no `[` follows an address, and nothing need be followed.
            self.bare = "://" not in text and "www." not in text
            self.read_to = self.word = max(0, start - self.LOOKBACK)
            self.address = -1
        if self.bare:
            return False
        space = LAST_SPACE_RE.search(text, self.read_to, start)
        if space is not None:
            self.word, self.address = space.end(), -1
        for found in ADDRESS_RE.finditer(text, max(self.word, self.read_to - self.LONGEST + 1), start):
            self.address = max(self.address, found.start())
        self.read_to = start
        return self.address >= max(self.word, start - self.LOOKBACK)


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
            inner: etree.Element | None = _claim_mark(claim, item.key, state.claim_statuses.get(item.key))
            if not uses:  # an unverified claim: point at the claim itself
                if inner is not None:
                    inner.tail = " "
                inner = etree.SubElement(
                    claim, "a", {"href": "#" + claim_id(item.key), "class": "citation__unsourced"}
                )
                inner.text = "unsourced claim"
            for use_index, (source_key, locator) in enumerate(uses):
                if inner is not None:  # after the status, a space; between sources, a comma
                    inner.tail = (inner.tail or "") + (", " if use_index else " ")
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


def _claim_mark(parent: etree.Element, key: str, status: tuple[str, str] | None) -> etree.Element | None:
    """The claim's status at its sentence, as text (the mark beside it is the theme's),
    linking to its card; its id is given with the numbering."""
    if status is None:
        return None
    mark = etree.SubElement(
        parent,
        "a",
        {"class": f"claim-mark status--{status[0]}", "href": "#" + claim_id(key), "data-claim": key},
    )
    mark.text = status[1]
    return mark


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
        self.brackets = BracketIndex()
        self.processor = CitationInlineProcessor(CITATION_RE, self)

    def begin(
        self,
        claim_sources: dict[str, list[tuple[str, str]]],
        source_keys: frozenset[str],
        claim_statuses: dict[str, tuple[str, str]] | None = None,
    ) -> None:
        self.document = DocumentCitations(
            claim_sources=claim_sources, source_keys=source_keys, claim_statuses=claim_statuses or {}
        )
        self.numbering = None

    def reset(self) -> None:
        self.document = DocumentCitations()
        self.numbering = None
        self.brackets.reset()
        self.processor.follows_web_address.reset()

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        md.registerExtension(self)
        # `\@` must stay a literal @, so that `[\@key]` is not a citation.
        if "@" not in md.ESCAPED_CHARS:
            md.ESCAPED_CHARS.append("@")
        # Below 'html' (90): raw HTML, with its attributes, is stashed before we look,
        # and so are code spans (190), escapes (180) and links (160, 170), which keeps
        # `[@handle](https://…)` a link. Above emphasis (60), so that a locator's
        # characters reach us as the writer typed them.
        md.inlinePatterns.register(self.processor, "citation", 85)
        # Citations share their brackets with links: a body full of `[` that never close must
        # not cost Python-Markdown's link patterns the square of its length (brackets.py).
        install_brackets(md, self.brackets)
        # After 'inline' (20): every citation exists; numbers follow document order.
        md.treeprocessors.register(NumberingTreeprocessor(md, self), "citation-numbers", 15)
