"""The body's HTML, checked and cleaned: what a Markdown body may become on a page.

`BodyCheck` is a Markdown tree processor: after every other one has run (the extensions'
`attr_list` and `toc` included), it reads each element Markdown made against the HTML
allow-list, so `{onmouseover=…}` or `{style=…}` from `attr_list` is reported, and gives a
heading whose id would take one of the page's own (`## Source alpha` → `source-alpha`)
another one. `finish` then checks the raw HTML the writer typed, confines Pelican's
intrasite links, and runs the sanitizer over the whole body: the final wall.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections import Counter
from collections.abc import Callable
from html import unescape as html_unescape
from html.parser import HTMLParser

from markdown import Markdown
from markdown.treeprocessors import Treeprocessor

from . import intrasite, notes
from .files import Door
from .sanitize import Finding, Sanitizer

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# How deep raw HTML may nest elements: far past any real page (Markdown's own nesting is
# bounded by Python's recursion limit, which the spine turns into a problem).
MAX_DEPTH = 200
_TAG = re.compile(r"<(/?)([A-Za-z][^\s/>]*)[^>]*?(/?)>")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def nesting(fragment: str) -> int:
    """The deepest nesting of elements in a piece of raw HTML, counted from its tags alone
    (in one linear pass, before any parser sees it)."""
    depth = deepest = 0
    for match in _TAG.finditer(fragment):
        closing, name, self_closing = match.groups()
        if name.lower() in _VOID or self_closing:
            continue
        depth = max(depth - 1, 0) if closing else depth + 1
        deepest = max(deepest, depth)
    return deepest


class BodyCheck(Treeprocessor):
    def __init__(self, md: Markdown, sanitizer: Sanitizer, own_markup: Callable[[], list[etree.Element]]):
        super().__init__(md)
        self.sanitizer = sanitizer
        self.own_markup = own_markup  # the elements the plugin made (citations): not checked
        self.findings: list[Finding] = []
        self.without_alt: list[str] = []  # the addresses of Markdown images with no alt text

    def run(self, root: etree.Element) -> None:
        self.findings = []
        self.without_alt = []
        own = {id(element) for group in self.own_markup() for element in group.iter()}
        # A figure's image without alt text is already an error (figures.py).
        in_figures = {id(image) for figure in root.iter("figure") for image in figure.iter("img")}
        for element in root.iter():
            if element is root or id(element) in own or not isinstance(element.tag, str):
                continue
            if element.tag == "img" and id(element) not in in_figures and not element.get("alt", "").strip():
                # Only Markdown's `![](…)`: raw HTML's `<img alt="">` is the writer saying the
                # image only decorates (and is not in this tree).
                self.without_alt.append(element.get("src", ""))
            identifier = element.get("id")
            if identifier and element.tag in HEADINGS and notes.is_reserved_id(identifier):
                # The id `toc` made from the heading's words: the page's own wins.
                element.set("id", f"section-{identifier}")
            self.findings += self.sanitizer.check_element(element.tag, element.attrib.items())

    @classmethod
    def install(cls, md: Markdown, sanitizer: Sanitizer, own_markup) -> BodyCheck:
        check = cls(md, sanitizer, own_markup)
        # Priority 1: after attr_list (8), toc (5), the citations' numbering (15) and the
        # safe-links pass (5), before Python-Markdown's unescape (0).
        md.treeprocessors.register(check, "explainers-body-check", 1)
        return check


def finish(md: Markdown, check: BodyCheck, html: str, *, path: str, door: Door, sanitizer: Sanitizer):
    """(clean HTML, findings as (needle, message, code, fragment), intrasite targets) of one
    body. `fragment` is the raw HTML a finding is in (None for Markdown's own elements): its
    place in the body is where the finding is looked for first."""
    problems: list[tuple[str, str, str, str | None]] = []
    for finding in check.findings:
        problems.append((finding.needle, f"HTML in the body: {finding.reason}", "unsafe-html", None))
    for stashed in md.htmlStash.rawHtmlBlocks:
        fragment = str(stashed)
        if (depth := nesting(fragment)) > MAX_DEPTH:
            # Parsing it is slow in every HTML parser (each open element is searched on every
            # tag); the file fails anyway, so nothing of it is parsed or kept.
            message = f"raw HTML in the body: elements nested {depth} deep, more than {MAX_DEPTH}: close them"
            problems.append((fragment.lstrip()[:20], message, "html-too-deep", fragment))
            return "", problems, []
        for finding in sanitizer.check_fragment(fragment):
            problems.append(
                (finding.needle, f"raw HTML in the body: {finding.reason}", "unsafe-html", fragment)
            )
    # Links are confined in the sanitizer's output, the HTML Pelican will read: an unquoted
    # or entity-encoded `{attach}` in raw HTML is only written out plainly there.
    html, link_problems, targets = intrasite.confine(sanitizer.clean(html), path, door)
    problems += [(p.needle, p.message, p.code, None) for p in link_problems]
    problems += repeated_ids(html, [str(stashed) for stashed in md.htmlStash.rawHtmlBlocks])
    return html, problems, targets


# What an attribute's value may hold for `nothing_to_find` to read it as `finish` would in
# either serializer's HTML: no quote, no escape, no `&` or `<`, no intrasite link's `{` or `|`
# (an `abbr`'s title `x href='{static}…'` is a link to `confine`), no placeholder.
_INERT_VALUE = re.compile(r"""[^"'&<>{|\x00-\x1f\x7f\xa0]*""")
# A value ending where `intrasite`'s patterns look for an address (`… src=`, `… href =`): what
# they read after it is the next attribute's name, between two attributes' quotes.
_ENDS_LIKE_AN_ADDRESS = re.compile(r"(?:href|src)\s*=\s*$", re.IGNORECASE)


def nothing_to_find(root: etree.Element, raw: list, door: Door) -> bool:
    """Whether `finish` can find nothing in the HTML made of this tree beyond what the tree's
    own check found: no raw HTML with a tag in it, every attribute's value plain, no file
    named by a plain address (`plain_file_link`), no id given twice. The HTML is then the
    serializer's and the sanitizer's work for nothing, in a check (`verdict.py`): the
    sanitizer only takes away, so what it leaves holds no more links or ids than the tree."""
    if any("<" in str(fragment) for fragment in raw):
        return False
    if not _parsed_as_it_is(root):
        return False
    ids: set[str] = set()
    for element in root.iter():
        if not isinstance(element.tag, str):
            return False
        for name, value in element.items():
            # An HTML parser reads names in lower case (`{: ID=x}` is an id, `HREF` a link),
            # and keeps the first of two: a name in upper case is read by the HTML alone.
            if not isinstance(name, str) or name != name.lower():
                return False
            if not isinstance(value, str) or not _INERT_VALUE.fullmatch(value):
                return False
            if _ENDS_LIKE_AN_ADDRESS.search(value):
                # `confine`'s pattern reads `alt="x src="` up to the next attribute's quote as an
                # address (` src=`), which it refuses: read where the HTML is made.
                return False
            if name in ("href", "src") and intrasite.plain_file_link(element.tag, value, door):
                return False
            if name == "id":
                if value in ids:
                    return False
                ids.add(value)
    return True


# The elements an HTML parser reopens (a copy, its attributes and id with it) after it closed
# them for a tag they may not hold (the "active formatting elements"), and the tags it closes
# them, or a paragraph, for: an `<a>` inside an `<a>` (`[x **y [@alpha]**{: #k}](…)`: the
# `strong` and its id twice), a block inside a paragraph or a formatting element.
_FORMATTING = {
    "a",
    "b",
    "big",
    "code",
    "em",
    "font",
    "i",
    "nobr",
    "s",
    "small",
    "strike",
    "strong",
    "tt",
    "u",
}
_CLOSES_P = {
    "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl", "dd",
    "dt", "li", "fieldset", "figcaption", "figure", "footer", "header", "hgroup", "main", "menu", "nav",
    "ol", "p", "search", "section", "summary", "ul", "pre", "listing", "form", "plaintext", "table", "hr",
    "xmp", "tr", "td", "th", "tbody", "thead", "tfoot", "caption", *HEADINGS,
}  # fmt: skip


def _parsed_as_it_is(root: etree.Element) -> bool:
    """Whether an HTML parser reads the tree's HTML as the tree it is: no link inside a link,
    no block inside a paragraph, a heading or a formatting element (which it would close,
    and reopen, copied, after). Markdown's trees are so, but where a link's words hold a
    link, a note's or a citation's."""

    def walk(element: etree.Element, in_link: bool, in_inline: bool) -> bool:
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            if (tag == "a" and in_link) or (tag in _CLOSES_P and in_inline):
                return False
            inline = in_inline or tag in _FORMATTING or tag == "p" or tag in HEADINGS
            if not walk(child, in_link or tag == "a", inline):
                return False
        return True

    return walk(root, False, False)


# The clean body's ids, read from its tags alone (`id="x"` in a code span is text, and in a
# sentence too, where a check's Markdown leaves its quotes straight): the sanitizer writes
# every attribute in double quotes, escaped, and `<` in text as `&lt;`.
_ID = re.compile(r'<[A-Za-z][^\s/>]*(?:\s+[^\s"=/>]+(?:="[^"]*")?)*?\s+id="([^"]*)"')


class _Ids(HTMLParser):
    """The ids of a piece of raw HTML as a browser reads them (entities decoded, any quotes)."""

    def __init__(self, fragment: str):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []  # (id, the attribute as typed, to find it by)
        self.feed(fragment)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        text = self.get_starttag_text() or ""
        for name, value in attrs:
            if name == "id" and value:
                typed = re.search(r"\bid\s*=", text, re.IGNORECASE)
                self.found.append((value, typed.group() if typed else text))

    handle_startendtag = handle_starttag


def repeated_ids(html: str, fragments: list[str]) -> list[tuple[str, str, str, str | None]]:
    """An id on two elements of the body (two raw elements, or a raw one and a heading or
    other element Markdown made): a link to it leads to the first, and the page is not valid
    HTML. Reported at each raw element that repeats it (the writer's to rename), or, for
    ids Markdown alone repeats (`{#same}` twice), at the id."""
    counts = Counter(map(html_unescape, _ID.findall(html)))
    repeated = {identifier for identifier, count in counts.items() if count > 1}
    if not repeated:
        return []
    # Each raw fragment's repeated ids, with the attribute to find each by.
    typed = [(fragment, [(i, n) for i, n in _Ids(fragment).found if i in repeated]) for fragment in fragments]
    raw = Counter(identifier for _, found in typed for identifier, _ in found)
    problems: list[tuple[str, str, str, str | None]] = []
    seen: Counter[str] = Counter()
    for fragment, found in typed:
        for identifier, needle in found:
            seen[identifier] += 1
            made = counts[identifier] - raw[identifier]  # by Markdown: a heading's, `{#…}`
            if seen[identifier] > 1 or made:
                message = (
                    f'the id "{identifier}" is on another element of the page too'
                    f"{' (a heading, or an id given in Markdown)' if made else ''}: give each its own"
                )
                problems.append((needle, message, "duplicate-id", fragment))
    for identifier in sorted(repeated - raw.keys()):
        message = f'the id "{identifier}" is on two elements of the page: give each its own'
        problems.append((f"#{identifier}", message, "duplicate-id", None))
    return problems
