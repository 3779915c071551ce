"""A check's Markdown: what no problem depends on is left out of a body's conversion.

`make check` reads every file as `make html` does and must give the same verdict (the
same problems, at the same lines), but it makes no page: the HTML it makes is read for
what is wrong with it, and then dropped. Two of the passes a page needs change little
any check reads, and cost a tenth of converting a body:

- Smart punctuation (`smarty`) turns quotes, dashes and ellipses into their typographic
  forms, in text. No check reads text (the body's ids are read from its tags alone:
  `id="x"` in a sentence is text, `id=“x”` after it), but one place where text names
  something: a heading's id, which the table of contents makes from the heading's
  words after smart punctuation has run (`a -- b` is `ab` after it, `a-b` before). An
  id can repeat another, or take one of the page's own: so in a check it still runs,
  in headings alone (everywhere on a site whose substitutions write a tag, `<img …>`:
  stashed as raw HTML, it is read).
- Prettifying puts line breaks between block elements: white space, which no check
  reads but where it runs before `attr_list`, `smarty` and `toc` read the text. A line
  break after a `<br>` keeps `{: onclick=…}` at the start of the next line as text
  (without it, `attr_list` gives the `<br>` the attribute), as one after a block's last
  block keeps `{: …}` ending the block's first line (`dd`, `li`); and a line break in a
  heading (after its `<br>`, between the paragraphs of `<h2 markdown="block">`) is a
  hyphen in its id (`pre-war`, not `prewar`). So in a check it runs on a body with a `{`
  in its text, a `<br>` or a heading holding elements.
- Emphasis (`*em*`, `__strong__`) makes `<em>` and `<strong>` elements around words,
  which every allow-list here takes bare. Its pattern is the last of the inline pass, so
  no other pattern reads what it leaves, and it was a sixth of reading a body with much
  of it. What reads it: a heading's id, made from the heading's words once emphasis is
  gone (`## The _big_ one` is `the-big-one`; an id keeps `_`), so in a check it still
  runs in headings; `attr_list`, which gives `*word*{: onclick=…}`'s attributes to the
  `em` (reported there), and a browser's parser, the sanitizer's, which rebuilds emphasis
  around raw HTML's blocks (and their ids): so it runs everywhere in a body with a `<` in
  it, and a body whose text holds a `{` after the inline pass is converted again with it
  everywhere (the `{` of a link's address, `{static}`, is not in the text).
  Abbreviations are found in the words it leaves (`_HTML_` holds no word `HTML` until
  emphasis is made), and an `abbr`'s title is read (`intrasite.confine` finds
  `href='{static}…'` in any tag): a body with abbreviations (its own, or the site's
  glossary) is converted again with emphasis everywhere too. So is one whose headings
  hold an inline placeholder after the inline pass (Python-Markdown's emphasis leaves one
  in `#*_**;*[]()`): its number, in the heading's id, counts the nodes stashed before it,
  emphasis everywhere among them. A site whose allow-list does not take `em`, `strong` or
  `abbr` so keeps emphasis everywhere, as does one whose Markdown has an inline pattern
  after it, or a table of contents' marker with a `*` or `_` (`_contents_` is no marker
  once emphasis is made).

- The body's HTML itself: a check reads it for Pelican's links (`{static}…`, and files
  named by a plain address) and ids given twice (`body.finish`), and needs neither its
  text nor its form. Where the tree after every pass can hold none of them
  (`body.nothing_to_find`: no raw HTML with a tag, every attribute's value plain, no
  file's plain address, no id twice), a check empties it before Markdown serializes it,
  and the sanitizer, the links' confinement and the ids' count run over nothing. A site
  whose Markdown has a postprocessor this code does not know keeps it, as does one whose
  footnotes' backlink is a tag (`BACKLINK_TEXT`, put in after the tree). The tree is read as
  an HTML parser reads it: attribute names in lower case (`{: ID=x}` is an id), and a tree
  it would reshape (a link inside a link's words, a note's or a citation's, which closes the
  outer link and reopens the formatting elements around it, ids and all) is left whole.

tests/test_check_agrees_with_build.py holds check and build to the same verdict
(tests/test_verdict.py, emphasis among the rest).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable

from markdown import Markdown, util
from markdown.extensions.abbr import AbbrTreeprocessor
from markdown.inlinepatterns import DelimiterProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import Registry

from . import body
from .body import HEADINGS
from .files import Door
from .prefilter import PrefilteredInlineProcessor, text_holds
from .sanitize import Sanitizer


class InHeadings(Treeprocessor):
    """A pass over the tree, run on each heading alone (its words, and what they hold)."""

    def __init__(self, md: Markdown, inner: Treeprocessor):
        super().__init__(md)
        self.inner = inner

    def run(self, root: etree.Element) -> None:
        for heading in [element for element in root.iter() if element.tag in HEADINGS]:
            # The pass reads the children of the element it is given: the heading, held alone
            # (an element has no parent of its own in ElementTree: it stays where it is).
            # Its tail is the text after it, not its own: kept out of the pass.
            holder, tail = etree.Element("div"), heading.tail
            heading.tail = None
            holder.append(heading)
            self.inner.run(holder)
            heading.tail = tail


class WhereRead(Treeprocessor):
    """Prettifying, on a body where its line breaks are read (see above). Elsewhere it
    changes white space alone."""

    def __init__(self, md: Markdown, inner: Treeprocessor):
        super().__init__(md)
        self.inner = inner

    def run(self, root: etree.Element) -> None:
        if (
            text_holds(root, "{")  # attr_list's, or what may look like it
            or next(root.iter("br"), None) is not None
            or any(len(heading) for tag in HEADINGS for heading in root.iter(tag))
        ):
            self.inner.run(root)


class EmphasisRead(Exception):  # noqa: N818 (not an error: a conversion to make again)
    """A check's conversion found, after its inline pass, that emphasis it passed over may
    be read (`FoundRead`): `converted` converts the body again, emphasis everywhere."""


class EmphasisWhereRead(Preprocessor):
    """Emphasis in a check (see above): everywhere in a body with a `<` in it (raw HTML may
    be), else in headings alone, decided from the body as written, before any pass; and
    everywhere in a body whose text holds a `{` once emphasis would have run (`FoundRead`,
    which asks for the conversion again: a `{` in a link's address, as `{static}`, is not
    in the text). Emphasis moves no character in or out of the text: the `{` are the same."""

    def __init__(self, md: Markdown, inline: PrefilteredInlineProcessor, emphasis: DelimiterProcessor):
        super().__init__(md)
        self.inline = inline
        self.emphasis = emphasis
        self.everywhere = False  # set by `converted` for a body's second conversion
        self.read = False  # whether emphasis is made everywhere in this conversion
        self.braces = False  # whether the body holds a `{` (`FoundRead` looks for it in the text)

    def run(self, lines: list[str]) -> list[str]:
        read = self.everywhere or any("<" in line for line in lines)
        self.read = read
        self.braces = not read and any("{" in line for line in lines)
        self.inline.only_within = {} if read else {self.emphasis: _HEADINGS}
        return lines


class FoundRead(Treeprocessor):
    """Right after the inline pass: a body converted with emphasis in headings alone whose
    text holds a `{`, that has abbreviations, or whose headings hold a placeholder, is
    converted again (`EmphasisRead`), where emphasis was passed over somewhere (a `*` or
    `_` outside headings: else the tree is the build's)."""

    def __init__(self, md: Markdown, where: EmphasisWhereRead):
        super().__init__(md)
        self.where = where

    def run(self, root: etree.Element) -> None:
        if self.where.read or not self.where.inline.passed_over:
            return  # emphasis was tried wherever the build tries it: the same tree
        if (
            (self.where.braces and text_holds(root, "{"))
            or _abbreviations(self.md)
            or any(
                _placeholder_left(text)
                for heading in root.iter()
                if heading.tag in _HEADINGS
                for text in heading.itertext()
            )
        ):
            raise EmphasisRead


# Whole placeholders the same in a check: an escape's (STX, the escaped character's number,
# ETX) and raw HTML's, an entity's (the table of contents puts back what it stands for).
_HTML_PREFIX = util.HTML_PLACEHOLDER[1:-1] % ""  # "wzxhzdk:"
_ESCAPE = re.compile(f"{re.escape(util.STX)}(?:{re.escape(_HTML_PREFIX)})?\\d+{re.escape(util.ETX)}")


def _placeholder_left(text: str) -> bool:
    """Whether `text` holds what is left of an inline placeholder (`\\x02klzzwxh:0004\\x03`,
    or a piece of one: the emphasis that cut it may leave `klzzwxh:0004\\x03`), whose number
    counts the nodes stashed before it. An escape's and an entity's are the same in a check."""
    rest = _ESCAPE.sub("", text)
    return util.STX in rest or util.ETX in rest or util.INLINE_PLACEHOLDER_PREFIX[1:] in rest


def _abbreviations(md: Markdown) -> bool:
    """Whether `md` has abbreviations to make in this body (an unknown `abbr` pass: maybe)."""
    if "abbr" not in md.treeprocessors:
        return False
    abbr = md.treeprocessors["abbr"]
    return not isinstance(abbr, AbbrTreeprocessor) or bool(abbr.abbrs)


class NothingRead(Treeprocessor):
    """Last of the passes: the tree emptied where its HTML holds nothing a check reads (see
    above), so that Markdown serializes nothing and `body.finish` reads nothing."""

    def __init__(self, md: Markdown, door: Door):
        super().__init__(md)
        self.door = door

    def run(self, root: etree.Element) -> None:
        if body.nothing_to_find(root, self.md.htmlStash.rawHtmlBlocks, self.door):
            root.clear()


def converted(md: Markdown, text: str, reset: Callable[[], None]) -> str:
    """`md.convert(text)` after `reset()` (which readies `md` and what is installed on it
    for a body); for a check's Markdown that finds emphasis read (`EmphasisRead`), made
    again with emphasis everywhere."""
    reset()
    try:
        return md.convert(text)
    except EmphasisRead:
        where = md.preprocessors[_EMPHASIS]
        reset()
        where.everywhere = True
        try:
            return md.convert(text)
        finally:
            where.everywhere = False


# The passes that read the tree after prettifying (and smart punctuation), and the HTML
# after the tree, that the reasons above were worked out for: Markdown's, its `extra`,
# `smarty` and `toc` extensions' and the reader's own.
KNOWN_LATER_PASSES = frozenset(
    {"attr_list", "abbr", "smarty", "toc", "safe-links", "explainers-body-check", "unescape"}
)
KNOWN_POSTPROCESSORS = frozenset({"footnote", "amp_substitute", "raw_html"})
# The passes after the inline pass that emphasis was worked out for: the citations' and
# footnotes' numbering walk the tree in its order, which emphasis does not change.
KNOWN_AFTER_INLINE = KNOWN_LATER_PASSES | {"footnote-duplicate", "citation-numbers", "prettify"}
_HEADINGS = frozenset(HEADINGS)
_EMPHASIS = "explainers-emphasis"
# Before every preprocessor: the body as the writer wrote it.
_BEFORE_ALL = 1000


def for_a_check(md: Markdown, sanitizer: Sanitizer, door: Door | None) -> None:
    """Leave out of `md` what no check reads (see above). Call it after every extension is
    loaded, and after the prefiltered passes are in place (`prefilter.install`). A site
    whose Markdown has another pass after prettifying (an extension this code does not
    know) keeps the build's Markdown whole: what that pass reads is not known here."""
    processors = md.treeprocessors
    if "prettify" in processors:
        prettify = _priority(processors, "prettify")
        later = {item.name for item in processors._priority if item.priority < prettify}
        if not later <= KNOWN_LATER_PASSES or not set(md.postprocessors._data) <= KNOWN_POSTPROCESSORS:
            return
    for name, lighter in (("smarty", InHeadings), ("prettify", WhereRead)):
        if name == "smarty" and not _writes_no_tag(_named(processors, name)):
            continue  # a site's substitution written as HTML (`<img …>`): read wherever it is made
        if name in processors:  # in its place: the same name and priority
            processors.register(lighter(md, processors[name]), name, _priority(processors, name))
    _emphasis_where_read(md, sanitizer)
    if (
        door is not None
        and set(md.postprocessors._data) <= KNOWN_POSTPROCESSORS
        and _plain_backlink(_named(md.postprocessors, "footnote"))
    ):
        # After every pass (the last, unescaping, at 0): the tree Markdown serializes.
        lowest = min(item.priority for item in processors._priority)
        processors.register(NothingRead(md, door), "explainers-nothing-read", min(lowest, 0) - 1)


def _writes_no_tag(smarty: object | None) -> bool:
    """Whether smart punctuation writes no tag (its defaults are entities, `&lsquo;`): a site's
    substitution written as HTML (`"left-single-quote": "<img …>"`) is stashed as raw HTML
    where it is made, and a check that does not make it there would not read it."""
    if smarty is None:
        return True
    patterns = getattr(smarty, "inlinePatterns", None)
    if patterns is None:
        return False
    return all(
        isinstance(part, int) or (isinstance(part, str) and "<" not in part)
        for pattern in patterns
        for part in getattr(pattern, "replace", ())
    )


def _plain_backlink(footnotes: object | None) -> bool:
    """Whether the footnotes' postprocessor writes no tag: their backlink's text (`BACKLINK_TEXT`,
    `&#8617;` by default) goes into the HTML after the tree, where `NothingRead` cannot see it."""
    if footnotes is None:
        return True
    try:
        text = footnotes.footnotes.getConfig("BACKLINK_TEXT")  # type: ignore[attr-defined]
    except AttributeError:  # a footnotes' postprocessor of another make: not known
        return False
    return isinstance(text, str) and "<" not in text


def _emphasis_where_read(md: Markdown, sanitizer: Sanitizer) -> None:
    """Emphasis where a check reads it (see above), where what reads it is known."""
    patterns = md.inlinePatterns
    if "inline" not in md.treeprocessors or "em_strong" not in patterns:
        return
    inline = md.treeprocessors["inline"]
    if not isinstance(inline, PrefilteredInlineProcessor):
        return
    emphasis = patterns["em_strong"]
    lowest = _priority(patterns, "em_strong")
    last = all(item.priority > lowest for item in patterns._priority if item.name != "em_strong")
    after = {
        item.name
        for item in md.treeprocessors._priority
        if item.priority < _priority(md.treeprocessors, "inline")
    }
    # The table of contents replaces a paragraph whose text is its marker: one emphasis
    # would change (`_contents_`) is read where emphasis is made.
    marker = str(getattr(_named(md.treeprocessors, "toc"), "marker", "") or "")
    allowed = not (
        "*" in marker
        or "_" in marker
        or sanitizer.check_element("em", ())
        or sanitizer.check_element("strong", ())
        or sanitizer.check_element("abbr", (("title", "a title"),))
    )
    if (
        type(emphasis) is DelimiterProcessor
        and last
        and after <= KNOWN_AFTER_INLINE
        and set(md.postprocessors._data) <= KNOWN_POSTPROCESSORS
        and allowed
    ):
        where = EmphasisWhereRead(md, inline, emphasis)
        md.preprocessors.register(where, _EMPHASIS, _BEFORE_ALL)
        inline_at = _priority(md.treeprocessors, "inline")
        # Between the inline pass and the next pass (the footnotes' and citations' numbering).
        next_at = max(
            (item.priority for item in md.treeprocessors._priority if item.priority < inline_at),
            default=inline_at - 1,
        )
        found = FoundRead(md, where)
        md.treeprocessors.register(found, "explainers-emphasis-read", (inline_at + next_at) / 2)


def _named(registry: Registry, name: str) -> object | None:
    return registry[name] if name in registry else None  # noqa: SIM401 (a Registry has no get)


def _priority(registry: Registry, name: str) -> float:
    return next(item.priority for item in registry._priority if item.name == name)
