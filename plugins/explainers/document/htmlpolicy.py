"""The allow-list for HTML that came from content, as the site's settings make it
(EXPLAINERS["HTML"]): read by the sanitizer (`sanitize.py`), which enforces it.

Apart from the sanitizer so that reading the settings does not load the HTML parsers: a
check whose every outcome is cached never parses HTML.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# The elements and attributes Markdown and its `extra`, `toc` and `smarty` extensions make,
# and what a writer may add as raw HTML. A site may replace any part in
# EXPLAINERS["HTML"]; nothing outside these lists reaches a page.
DEFAULT_HTML: dict[str, Any] = {
    "TAGS": [
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "cite",
        "code",
        "col",
        "colgroup",
        "dd",
        "del",
        "details",
        "dfn",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "time",
        "tr",
        "u",
        "ul",
        "var",
    ],
    "ATTRIBUTES": {
        "*": ["id", "class", "title", "lang", "dir"],
        "a": ["href", "hreflang"],
        "img": ["src", "alt", "width", "height", "loading"],
        "ol": ["start", "reversed", "type"],
        "li": ["value"],
        "td": ["colspan", "rowspan", "style"],
        "th": ["colspan", "rowspan", "scope", "style"],
        "col": ["span"],
        "colgroup": ["span"],
        "blockquote": ["cite"],
        "q": ["cite"],
        "del": ["cite", "datetime"],
        "ins": ["cite", "datetime"],
        "time": ["datetime"],
        "details": ["open"],
    },
    "URL_SCHEMES": ["http", "https", "mailto"],
    # Python-Markdown's tables align columns with style="text-align: …"; nothing else.
    "STYLE_PROPERTIES": ["text-align"],
}


@dataclass(frozen=True)
class HtmlPolicy:
    """The allow-list, from settings."""

    tags: frozenset[str]
    attributes: Mapping[str, frozenset[str]]
    url_schemes: frozenset[str]
    style_properties: frozenset[str]

    @classmethod
    def from_settings(cls, value: Mapping[str, Any] | None) -> HtmlPolicy:
        merged = {**DEFAULT_HTML, **(value or {})}
        return cls(
            tags=frozenset(merged["TAGS"]),
            attributes={tag: frozenset(names) for tag, names in merged["ATTRIBUTES"].items()},
            url_schemes=frozenset(s.lower() for s in merged["URL_SCHEMES"]),
            style_properties=frozenset(merged["STYLE_PROPERTIES"]),
        )

    def allows_attribute(self, tag: str, name: str) -> bool:
        return name in self.attributes.get("*", ()) or name in self.attributes.get(tag, ())
