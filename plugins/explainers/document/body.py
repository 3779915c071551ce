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


def finish(
    md: Markdown,
    check: BodyCheck,
    html: str,
    *,
    path: str,
    door: Door,
    sanitizer: Sanitizer,
    links_alone: str | None = None,
):
    """(clean HTML, findings as (needle, message, code, fragment), intrasite targets) of one
    body. `fragment` is the raw HTML a finding is in (None for Markdown's own elements): its
    place in the body is where the finding is looked for first. `links_alone`: a check's body
    made into no HTML, but for its links and images alone (`links_alone`): its links are
    confined there, and the body's HTML is ''."""
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
    read = html if links_alone is None else links_alone
    html, link_problems, targets = intrasite.confine(sanitizer.clean(read), path, door)
    problems += [(p.needle, p.message, p.code, None) for p in link_problems]
    if links_alone is not None:
        return "", problems, targets  # no id twice (`links_alone`), and no body made
    problems += repeated_ids(html, [str(stashed) for stashed in md.htmlStash.rawHtmlBlocks])
    return html, problems, targets


# The elements whose start tags an HTML parser reads alike wherever they stand (their
# attributes kept as they are), so that they may be sanitized and confined alone.
_ALONE = frozenset({"a", "img"})


def links_alone(
    root: etree.Element, raw: list, serialize: Callable[[etree.Element], str], door: Door
) -> str | None:
    """For a check: the HTML of the body's links and images alone, each start tag written
    by Markdown's own serializer as in the whole body, where that is all `finish` would read
    in the body's HTML (`intrasite.confine`'s patterns read one start tag at a time, and
    `repeated_ids` nothing here): no raw HTML with a tag in it; no id given twice; no
    other element with an attribute `confine` reads; no `'` or `=` in any other element's
    value (`title="x href='{static}y'"` is a link to `confine`); attribute names in lower
    case; a tree the parser reads as it is (`_parsed_as_it_is`). A link or image whose tag
    `confine` can find nothing in is left out (a citation's `#source-x`, another site's
    page). None where the body's whole HTML must be read."""
    if any("<" in str(fragment) for fragment in raw) or not _parsed_as_it_is(root):
        return None
    ids: set[str] = set()
    tags: list[str] = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            return None
        linking = quoted = False
        for name, value in element.items():
            # An HTML parser reads names in lower case (`{: ID=x}` is an id, `HREF` a link).
            if not isinstance(value, str) or not isinstance(name, str) or name != name.lower():
                return None
            linking = linking or intrasite.reads_attribute(name)
            # `'`, the one quote the sanitizer leaves in a value, and `=`: `confine`'s patterns
            # read `alt="x src="` up to the next attribute's quote as an address (` src=`).
            quoted = quoted or "'" in value or "=" in value
            if name == "id":
                if value in ids:
                    return None
                ids.add(value)
        if linking and element.tag in _ALONE:
            if quoted or any(intrasite.may_find(element.tag, n, v, door) for n, v in element.items()):
                # Its start tag as in the whole body: read alone, the same way.
                tags.append(serialize(etree.Element(element.tag, dict(element.items()))))
        elif linking or quoted:
            return None
    return "\n".join(tags)


# The elements an HTML parser reopens (a copy, its attributes and id with it) after it closed
# them for a tag they may not hold (the "active formatting elements"), and the tags it closes
# them, or a paragraph, for: an `<a>` inside an `<a>` (`[x **y [@alpha]**{: #k}](…)`: the
# `strong` and its id twice), a block inside a paragraph or a formatting element.
_FORMATTING = {
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
}  # fmt: skip
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
