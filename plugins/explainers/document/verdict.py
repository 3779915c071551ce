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
  in headings alone.
- Prettifying puts line breaks between block elements: white space, which no check
  reads but where it runs before `attr_list`, `smarty` and `toc` read the text. A line
  break after a `<br>` keeps `{: onclick=…}` at the start of the next line as text
  (without it, `attr_list` gives the `<br>` the attribute), as one after a block's last
  block keeps `{: …}` ending the block's first line (`dd`, `li`); and a line break in a
  heading (after its `<br>`, between the paragraphs of `<h2 markdown="block">`) is a
  hyphen in its id (`pre-war`, not `prewar`). So in a check it runs on a body with a `{`
  in its text, a `<br>` or a heading holding elements.

- The body's HTML itself: a check reads it for Pelican's links (`{static}…`, and files
  named by a plain address) and ids given twice (`body.finish`), and needs neither its
  text nor its form. Where what it reads there is in the start tags of its links and
  images alone (`body.links_alone`: no raw HTML with a tag, no id twice, no other element
  with an address, no `'` in any other value), a check writes those tags alone and
  confines their links, and empties the tree before Markdown serializes it: the sanitizer
  runs over a line a link. A site whose Markdown has a postprocessor this code does not
  know keeps the whole HTML, as does one whose footnotes' backlink is a tag
  (`BACKLINK_TEXT`, put in after the tree); a site whose smart punctuation writes a tag
  (`<img …>`, stashed as raw HTML) keeps it everywhere.

Emphasis was left out too, for a while, but for headings: Python-Markdown's emphasis can
cut the placeholder of a link or citation beside it (`*a**b*[x](o.md)` loses the link, and
the page shows `klzzwxh:0000`), so where it runs decides what a build's page links to.

tests/test_check_agrees_with_build.py holds check and build to the same verdict
(tests/test_verdict.py and tests/test_attack20.py, on generated bodies too).
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import Registry

from . import body
from .body import HEADINGS
from .files import Door
from .prefilter import text_holds


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


class LinksAlone(Treeprocessor):
    """Last of the passes: where the body's HTML holds nothing a check reads but its links
    and images (see above), their HTML alone is kept (`links`, for `body.finish`) and the
    tree emptied, so that Markdown serializes nothing."""

    def __init__(self, md: Markdown, door: Door):
        super().__init__(md)
        self.door = door
        self.links: str | None = None

    def run(self, root: etree.Element) -> None:
        raw = self.md.htmlStash.rawHtmlBlocks
        self.links = body.links_alone(root, raw, self.md.serializer, self.door)
        if self.links is not None:
            root.clear()


def links_alone(md: Markdown) -> str | None:
    """The HTML of the links and images alone of the body `md` last converted, where a check
    made no other (`LinksAlone`); else None. Taken once: a body Markdown converts to nothing
    (all white space) runs no pass, and must not find the last body's."""
    if _LINKS_ALONE not in md.treeprocessors:
        return None
    processor = md.treeprocessors[_LINKS_ALONE]
    links, processor.links = processor.links, None
    return links


# The passes that read the tree after prettifying (and smart punctuation), and the HTML
# after the tree, that the reasons above were worked out for: Markdown's, its `extra`,
# `smarty` and `toc` extensions' and the reader's own.
KNOWN_LATER_PASSES = frozenset(
    {"attr_list", "abbr", "smarty", "toc", "safe-links", "explainers-body-check", "unescape"}
)
KNOWN_POSTPROCESSORS = frozenset({"footnote", "amp_substitute", "raw_html"})
_LINKS_ALONE = "explainers-links-alone"


def for_a_check(md: Markdown, door: Door | None) -> None:
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
    if (
        door is not None
        and set(md.postprocessors._data) <= KNOWN_POSTPROCESSORS
        and _plain_backlink(_named(md.postprocessors, "footnote"))
    ):
        # (No door: no body's links are confined, and its HTML is all there is to see.)
        # After every pass (the last, unescaping, at 0): the tree Markdown serializes.
        lowest = min(item.priority for item in processors._priority)
        processors.register(LinksAlone(md, door), _LINKS_ALONE, min(lowest, 0) - 1)


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
    `&#8617;` by default) goes into the HTML after the tree, where `LinksAlone` cannot see it."""
    if footnotes is None:
        return True
    try:
        text = footnotes.footnotes.getConfig("BACKLINK_TEXT")  # type: ignore[attr-defined]
    except AttributeError:  # a footnotes' postprocessor of another make: not known
        return False
    return isinstance(text, str) and "<" not in text


def _named(registry: Registry, name: str) -> object | None:
    """The item of a Markdown registry by its name, or None (a Registry has no `get`)."""
    if name not in registry:
        return None
    return registry[name]


def _priority(registry: Registry, name: str) -> float:
    return next(item.priority for item in registry._priority if item.name == name)
