"""Inline Markdown for text from the front matter: claims, notes, corrections, summary.

The contract allows inline Markdown there (emphasis, code, links) and no raw
HTML, so this converter has no block syntax and no HTML pass-through: `<b>`
arrives on the page as the text "<b>". Links may point only at http(s).
"""

from __future__ import annotations

import html
import re

from markdown import Markdown
from markupsafe import Markup, escape

from . import brackets, prefilter
from .links import SafeLinksTreeprocessor, is_web_link

# Kept: the paragraph itself. Everything else would turn "1. Foo" into a list
# or "# Foo" into a heading inside what is one sentence.
_KEPT_BLOCKS = {"empty", "paragraph"}
# Dropped: raw HTML, images, and e-mail autolinks (mailto: is not a web link).
_DROPPED_INLINE = ("html", "image_link", "image_reference", "short_image_ref", "automail")
# Any character that could start inline Markdown (or an entity, or an autolink), or that
# smart punctuation changes (quotes, -- and ...).
_MARKUP = re.compile(r"[\\`*_\[\]<>&!{}'\"]|--|\.\.\.|  $|https?://")
# An apostrophe inside a word ("Russia's"), the one piece of punctuation most claims have:
# smart punctuation makes it ’ whatever surrounds it, so such text needs no Markdown pass.
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
# The start of a link `is_web_link` allows, whatever follows: an http(s) scheme and a host of
# letters, digits, dots and hyphens, ended by its path, query or fragment.
_WEB_LINK = re.compile(r"\]\(\s*https?://[A-Za-z0-9.-]+[/?#]")


class InlineRenderer:
    """Renders one field's text; collects the unsafe addresses it refused."""

    def __init__(self) -> None:
        self.refused: list[str] = []
        # Smart quotes, as the body has them (the site's MARKDOWN setting): "Russia's" in a
        # claim reads as in the story.
        self.md = Markdown(extensions=["markdown.extensions.smarty"])
        for name in [item.name for item in self.md.parser.blockprocessors._priority]:
            if name not in _KEPT_BLOCKS:
                self.md.parser.blockprocessors.deregister(name)
        self.md.preprocessors.deregister("html_block")
        for name in _DROPPED_INLINE:
            self.md.inlinePatterns.deregister(name)
        brackets.bound(self.md)  # a field of unclosed `[` reads in linear time, as a body does
        self.md.treeprocessors.register(
            SafeLinksTreeprocessor(self.md, is_web_link, self.refused), "safe-links", 5
        )
        prefilter.install(self.md)
        # Smart punctuation alone: nothing else in the text is read as Markdown.
        self.quotes = Markdown(extensions=["markdown.extensions.smarty"])
        for name in [item.name for item in self.quotes.inlinePatterns._priority]:
            self.quotes.inlinePatterns.deregister(name)
        for name in [item.name for item in self.quotes.parser.blockprocessors._priority]:
            if name != "paragraph":
                self.quotes.parser.blockprocessors.deregister(name)
        self.quotes.preprocessors.deregister("html_block")
        prefilter.install(self.quotes)

    def render(self, text: str) -> Markup:
        if not _MARKUP.search(_APOSTROPHE.sub("’", text)):
            # Most claims are plain sentences: escaping gives the same HTML, fifty times faster.
            # Every ' here is inside a word: as the Markdown pass writes it, &rsquo;.
            return Markup(str(escape(" ".join(text.split()))).replace("&#39;", "&rsquo;"))
        self.md.reset()
        # One paragraph: blank lines inside a field do not start new blocks.
        html = self.md.convert(" ".join(text.split()))
        if html.startswith("<p>") and html.endswith("</p>"):
            html = html[3:-4]
        return Markup(html)

    def refused_in(self, text: str) -> list[str]:
        """The addresses `render` refuses in `text`, rendering it only when it may hold a link
        it refuses: an autolink (a `<`), or a Markdown link whose `](` is not followed by an
        http(s) address with a plain host. A link's address starts after its `](`; the
        scheme and host read there are the address's, however the link ends. (A reference
        names no definition here: no block but the paragraph is read, so there are none.)"""
        if "<" not in text and text.count("](") == len(_WEB_LINK.findall(text)):
            return []
        self.render(text)
        return self.take_refused()

    def smart(self, text: str) -> str:
        """Plain text with smart quotes and dashes, as plain text (for a title)."""
        text = _APOSTROPHE.sub("’", text)
        if not _MARKUP.search(text):
            return text
        self.quotes.reset()
        converted = self.quotes.convert(html.escape(" ".join(text.split()), quote=False))
        return html.unescape(converted.removeprefix("<p>").removesuffix("</p>"))

    def take_refused(self) -> list[str]:
        refused, self.refused[:] = list(self.refused), []
        return refused
