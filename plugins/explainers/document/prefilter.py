"""Python-Markdown's inline pass, not trying a pattern on a text that cannot match it.

Python-Markdown's `InlineProcessor` tries every inline pattern on every piece of text, in
priority order: the body's ~16 patterns and smart punctuation's ~18, each a regular
expression search and a few Python calls, on each text of each paragraph, list item and
link. Most of those texts are prose with no `[`, `<`, `&`, `*`, quote or dash, and most of
the tries find nothing: on 1,000 explainers that was about a third of reading them.

Here each pattern's regular expression is read once (`re`'s own parser) for text that any
match must hold (`\\[` needs "[", `(?<!-)---(?!-)` needs "---", `'(?=\\w)` needs "'");
a pattern whose needed text is not in the text is passed over, as if it had been tried and
had not matched. A pattern whose expression is not understood (a case-insensitive one,
one that can match nothing, a class of characters) is always tried. So the HTML is the
same, byte for byte (tests/test_prefilter.py compares it with Python-Markdown's own pass).

The block parser is spared the same way: it offers each block (a paragraph, most often) to
each block processor in turn, and ten of them take a block only where one expression finds
something in it (a heading's `#`, a quote's `>`, a definition's `:`, a footnote's `[^`…),
each a search over the whole block; a processor is passed over for a block that lacks
what its expression needs, as if it had searched and found nothing.

Three later passes over the tree are passed over the same way where they cannot act: the
table of contents' search for its marker (`[TOC]`), in a body where no element's text holds
it; the restoring of backslash escapes, on a text or value holding no escape's
placeholder; and `attr_list`'s, on a body with no `{` in its text.
"""

from __future__ import annotations

import functools
import re
import re._constants as sre  # the parser's opcodes (re._parser's, used only to read patterns)
import re._parser as sre_parse
import xml.etree.ElementTree as etree
from collections.abc import Iterable
from typing import Any

from markdown import Markdown, util
from markdown.blockprocessors import (
    BlockQuoteProcessor,
    HashHeaderProcessor,
    HRProcessor,
    OListProcessor,
    ReferenceProcessor,
    SetextHeaderProcessor,
    UListProcessor,
)
from markdown.extensions.abbr import AbbrBlockprocessor
from markdown.extensions.attr_list import AttrListTreeprocessor
from markdown.extensions.def_list import DefListProcessor
from markdown.extensions.footnotes import FootnoteBlockProcessor
from markdown.extensions.toc import TocTreeprocessor
from markdown.inlinepatterns import LinkInlineProcessor, ReferenceInlineProcessor
from markdown.treeprocessors import InlineProcessor, UnescapeTreeprocessor

# A class of characters ([*_], [A-Z]) is a requirement when it is this small at most.
MAX_CHOICES = 16
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)

# (texts one of which every match holds, or None when unknown; whether it can match nothing)
_Need = tuple[frozenset[str] | None, bool]


@functools.cache
def needed(expression: re.Pattern) -> tuple[str, ...] | None:
    """Texts one of which every match of `expression` holds (or looks at: a lookahead's or a
    lookbehind's text is in the searched text too); None when any text may match."""
    if expression.flags & re.IGNORECASE:
        return None
    try:
        choices, empty = _sequence(sre_parse.parse(expression.pattern, expression.flags))
    except (re.error, TypeError, ValueError):  # bytes, or a form this reader does not know
        return None
    if empty or choices is None:
        return None
    return tuple(sorted(choices))


def _sequence(items: Iterable[tuple[Any, Any]]) -> _Need:
    """A sequence of items: every item that cannot match nothing is needed; the best of
    their needs stands for the whole (runs of literal characters read as one text)."""
    found: list[frozenset[str]] = []
    empty, run = True, ""
    for op, value in items:
        if op is sre.LITERAL:
            run += chr(value)
            empty = False
            continue
        if op in _REPEATS and _literal_repeat(value):
            low, high, ((_, character),) = value
            run += chr(character) * low
            empty = False
            if high != low:  # more may follow: the run ends here
                found.append(frozenset([run]))
                run = ""
            continue
        if run:
            found.append(frozenset([run]))
            run = ""
        choices, item_empty = _item(op, value)
        empty = empty and item_empty
        if choices is not None:
            found.append(choices)
    if run:
        found.append(frozenset([run]))
    # Fewest choices first; then the longest shortest text (the rarer to find).
    best = min(found, key=lambda choices: (len(choices), -min(map(len, choices))), default=None)
    return best, empty


def _literal_repeat(value: Any) -> bool:
    low, _high, body = value
    return low >= 1 and len(body) == 1 and body[0][0] is sre.LITERAL


def _item(op: Any, value: Any) -> _Need:
    if op is sre.IN:
        choices = set()
        for kind, what in value:
            if kind is sre.LITERAL:
                choices.add(chr(what))
            elif kind is sre.RANGE and what[1] - what[0] < MAX_CHOICES:
                choices.update(chr(code) for code in range(what[0], what[1] + 1))
            else:  # a negation, a category (\s, \w), a wide range
                return None, False
        return (frozenset(choices) if len(choices) <= MAX_CHOICES else None), False
    if op is sre.SUBPATTERN:
        _group, add_flags, _del_flags, body = value
        if add_flags & re.IGNORECASE:
            return None, False
        return _sequence(body)
    if op is sre.ATOMIC_GROUP:
        return _sequence(value)
    if op is sre.BRANCH:
        union: set[str] | None = set()
        for branch in value[1]:
            choices, empty = _sequence(branch)
            if empty or choices is None:
                return None, empty
            union |= choices
        return frozenset(union), False
    if op in _REPEATS:
        low, _high, body = value
        choices, empty = _sequence(body)
        if low == 0 or empty:
            return None, True
        return choices, False
    if op is sre.ASSERT:  # a lookahead or lookbehind: matches nothing, but needs its text
        return _sequence(value[1])[0], True
    if op in (sre.ASSERT_NOT, sre.AT):  # a negative look, an anchor (^, \b): no text
        return None, True
    if op in (sre.ANY, sre.NOT_LITERAL, sre.CATEGORY):
        return None, False
    return None, True  # a back-reference, a conditional: may be empty, needs nothing known


class PrefilteredInlineProcessor(InlineProcessor):
    """`InlineProcessor`, whose loop over the patterns passes over those a text cannot match,
    and whose pass over the tree leaves a text that no pattern can match as it is."""

    def run(self, tree: Any, ancestors: list[str] | None = None) -> Any:
        # The patterns as the loop indexes them (Registry order), and what each needs.
        self._patterns = list(self.inlinePatterns)
        self._needs = [self._need(pattern) for pattern in self._patterns]
        # Every text any pattern needs; None when some pattern may match any text.
        self._any_need: tuple[str, ...] | None = tuple(
            sorted({text for need in self._needs if need is not None for text in need})
        )
        if any(need is None for need in self._needs):
            self._any_need = None
        return self._run(tree, ancestors)

    def _need(self, pattern: Any) -> tuple[str, ...] | None:
        """What `pattern` needs of a text, where its `handleMatch` needs more than its expression:
        a link (`[text](address)`) is made only where its text's `]` is followed by `(`; a
        reference (`[text][id]`, `[id]`, their images) only in a document that defines one,
        else its `handleMatch` finds no id in `md.references` and hands the text back as it
        was (the block parser has read every definition before the inline passes run): ()."""
        matcher = type(pattern).handleMatch
        if matcher is ReferenceInlineProcessor.handleMatch and not self.md.references:
            return ()
        if matcher is LinkInlineProcessor.handleMatch:
            return ("](",)
        return needed(pattern.getCompiledRegExp())

    def _inert(self, text: str) -> bool:
        """Whether no pattern can match anywhere in `text`: then the pass would hand it back
        unchanged, having tried every pattern on it (smart punctuation's pass, on a text with
        no quote, dash or ellipsis; the first pass, on plain words between two links)."""
        needs = self._any_need
        if needs is None or util.INLINE_PLACEHOLDER_PREFIX in text:
            # A placeholder (a node an outer pattern took out, as a link inside emphasis) is
            # put back by the pass: a text holding one is never inert.
            return False
        return not any(map(text.__contains__, needs))

    def _run(self, tree: Any, ancestors: list[str] | None) -> Any:
        """`InlineProcessor.run` (Python-Markdown 3.11), passing over inert texts: for such a
        text it takes it out, finds no placeholder in it, puts the same text back and inserts
        nothing, so passing over it leaves the same tree."""
        self.stashed_nodes = {}
        tree_parents = [] if ancestors is None else ancestors[:]
        handle, place = self._InlineProcessor__handleInline, self._InlineProcessor__processPlaceholders
        inert = self._inert
        self.parent_map = {c: p for p in tree.iter() for c in p}
        stack = [(tree, tree_parents)]
        self._InlineProcessor__build_ancestors(tree, tree_parents)
        while stack:
            current, parents = stack.pop(0)
            self.ancestors = parents
            if current is not tree:
                self.ancestors.append(current.tag.lower())
            queue = []
            for child in current:
                text = child.text
                if text and not isinstance(text, util.AtomicString) and not inert(text):
                    self.ancestors.append(child.tag.lower())
                    child.text = None
                    found = place(handle(text), child)
                    for item in found:
                        self.parent_map[item[0]] = child
                    stack += found
                    queue.append((child, found))
                    self.ancestors.pop()
                if child.tail and not inert(child.tail):
                    tail = handle(child.tail)
                    dummy = etree.Element("d")
                    child.tail = None
                    found = place(tail, dummy, False)
                    if dummy.tail:
                        child.tail = dummy.tail
                    position = list(current).index(child) + 1
                    found.reverse()
                    for item in found:
                        self.parent_map[item[0]] = current
                        current.insert(position, item[0])
                if len(child):
                    self.parent_map[child] = current
                    stack.append((child, self.ancestors[:]))
            for element, found in queue:
                for index, item in enumerate(found):
                    element.insert(index, item[0])
        return tree

    def _InlineProcessor__handleInline(self, data: str, index: int = 0) -> str:  # noqa: N802
        """`InlineProcessor.__handleInline` (Python-Markdown 3.11), with the pass-over."""
        if not isinstance(data, util.AtomicString):
            start = 0
            patterns, needs = self._patterns, self._needs
            apply = self._InlineProcessor__applyPattern
            while index < len(patterns):
                need = needs[index]
                if need is not None:
                    for text in need:
                        if text in data:
                            break
                    else:  # as `__applyPattern` answers when nothing matched
                        index += 1
                        start = 0
                        continue
                data, matched, start = apply(patterns[index], data, index, start)
                if not matched:
                    index += 1
        return data


class PrefilteredUnescape(UnescapeTreeprocessor):
    """`UnescapeTreeprocessor.run` (Python-Markdown 3.11), passing over a text or value with
    no escape's placeholder (STX, a number, ETX): `unescape` would hand it back unchanged."""

    def run(self, root: etree.Element) -> None:
        stx, unescape = util.STX, self.unescape
        for element in root.iter():
            text = element.text
            if text and stx in text and element.tag != "code":
                element.text = unescape(text)
            tail = element.tail
            if tail and stx in tail:
                element.tail = unescape(tail)
            for key, value in element.items():
                if value is not None and stx in value:
                    element.set(key, unescape(value))


def _marker_sought_where_written(toc: TocTreeprocessor) -> None:
    """The table of contents replaces an element whose own text is its marker, alone: in a
    body where no element's text holds the marker, its search (a walk over every element,
    joining each one's text) would replace nothing."""
    replace = toc.replace_marker

    def replace_marker(root: etree.Element, div: etree.Element) -> None:
        marker = toc.marker
        if any(marker in text for element in root.iter() if (text := element.text)):
            replace(root, div)

    toc.replace_marker = replace_marker


def text_holds(root: etree.Element, needle: str) -> bool:
    """Whether any text or tail in the tree under `root` holds `needle`."""
    return any(needle in text for text in root.itertext())


class PrefilteredAttrList(AttrListTreeprocessor):
    """`attr_list`'s pass (Python-Markdown 3.11), run only on a tree some text or tail of
    which holds a `{`: every one of its expressions needs one, so elsewhere its walk over
    every element changes nothing."""

    def run(self, doc: etree.Element) -> None:
        if text_holds(doc, "{"):
            super().run(doc)


# The block processors (Python-Markdown 3.11) that take a block only where an expression,
# the attribute named, finds something in it: their `test` is that search (or a match at
# the block's start), or answers yes and their `run` puts the block back untouched and
# answers False when the search finds nothing; the parser then offers the block to the next.
GATED_BLOCKS = {
    HashHeaderProcessor: "RE",
    SetextHeaderProcessor: "RE",
    HRProcessor: "SEARCH_RE",
    OListProcessor: "RE",
    UListProcessor: "RE",
    BlockQuoteProcessor: "RE",
    DefListProcessor: "RE",
    FootnoteBlockProcessor: "RE",
    AbbrBlockprocessor: "RE",
    ReferenceProcessor: "RE",
}


def _gate(processor: Any, attribute: str) -> None:
    """`processor` offered only a block holding what its expression needs (`needed`)."""
    test = processor.test

    def gated(parent: etree.Element, block: str) -> bool:
        need = needed(getattr(processor, attribute))
        if need is not None and not any(map(block.__contains__, need)):
            return False  # as its search would find nothing
        return test(parent, block)

    processor.test = gated


def install(md: Markdown) -> None:
    """Put the prefiltered pass in place of each of `md`'s inline passes (Markdown's own, and
    smart punctuation's), with the same patterns, name and priority; offer the block
    processors of GATED_BLOCKS only the blocks they can take; and the unescaping pass and
    the table of contents' marker search, passing over what they cannot act on. Call it
    after every extension is loaded."""
    for item in list(md.parser.blockprocessors._priority):
        processor = md.parser.blockprocessors[item.name]
        if type(processor) in GATED_BLOCKS:
            _gate(processor, GATED_BLOCKS[type(processor)])
    for item in list(md.treeprocessors._priority):
        processor = md.treeprocessors[item.name]
        if type(processor) is InlineProcessor:
            prefiltered = PrefilteredInlineProcessor(md)
            prefiltered.inlinePatterns = processor.inlinePatterns
            md.treeprocessors.register(prefiltered, item.name, item.priority)
        elif type(processor) is UnescapeTreeprocessor:
            md.treeprocessors.register(PrefilteredUnescape(md), item.name, item.priority)
        elif type(processor) is AttrListTreeprocessor:
            md.treeprocessors.register(PrefilteredAttrList(md), item.name, item.priority)
        elif type(processor) is TocTreeprocessor:
            _marker_sought_where_written(processor)
