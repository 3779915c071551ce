"""The allow-list for HTML that came from content: what may reach a page, and what a
writer is told when their HTML would be changed.

Two walls, one list. The sanitizer (`Sanitizer.clean`) runs over every piece of HTML made
from content, after Markdown: Ammonia (through nh3) parses it as a browser does (html5ever)
and keeps only the allowed elements, attributes, URL schemes and style properties, so
whatever a check misses cannot run. Before that, the checks (`Sanitizer.check_fragment`
for raw HTML, `Sanitizer.check_element` for elements Markdown made) read the same list and
report each thing the sanitizer would drop, at its line, so a writer learns instead of
losing text silently. The checks parse raw HTML with html5lib, which follows the same
WHATWG parsing rules as browsers and Ammonia: a comment such as `<!-->`, CDATA, or the
content of `<noscript>`, `<xmp>` or `<textarea>` is read as a browser reads it.

Why Ammonia: an allow-list sanitizer that parses with a browser-grade HTML5 parser, kept
and fuzzed, fast enough to run on every page (it is Rust). Bleach is deprecated; a
hand-written list of dangerous tags (what this replaced) is a deny-list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from html import escape, unescape
from urllib.parse import urlsplit

import html5lib
import nh3
from html5lib._tokenizer import HTMLTokenizer
from html5lib.constants import tokenTypes

from . import notes
from .htmlpolicy import HtmlPolicy

# Markup the plugin itself puts into the body (citations), allowed by the final wall but
# never accepted from a writer's raw HTML: a writer cannot forge a note reference.
EMBED_HINT = (
    "embed a chart, map or video with an Embed: line and its Title: line, from a host the site "
    'allows in EXPLAINERS["EMBED_HOSTS"] (see the writers\' guide)'
)
_PLUGIN_ATTRIBUTES = {"a": {"role", "data-source", "data-locator"}, "span": {"data-claim"}}
# Links to other sites carry this rel (set by the links tree processor); no other value.
_REL = {"a": {"rel": {"noopener noreferrer"}}}
# Attributes whose value is an address.
URL_ATTRIBUTES = frozenset(
    {
        "href",
        "src",
        "cite",
        "action",
        "formaction",
        "poster",
        "background",
        "srcset",
        "ping",
        "xlink:href",
        "data",
    }
)
# The content of these never reaches a page as text either.
_DROPPED_WITH_CONTENT = {"script", "style"}
_NAMESPACE = re.compile(r"^\{[^}]*\}")
_EXTERNAL_LINK = re.compile(r'<a ((?:[^>]*? )?href="(?:https?:)?//[^"]*"[^>]*)>', re.IGNORECASE)


def _with_rel(match: re.Match[str]) -> str:
    attributes = match.group(1)
    if ' rel="' in f" {attributes}":
        return match.group(0)
    return f'<a {attributes} rel="noopener noreferrer">'


_START_TAG, _EMPTY_TAG = tokenTypes["StartTag"], tokenTypes["EmptyTag"]


@dataclass(frozen=True)
class Finding:
    """Something the sanitizer would remove; `needle` finds its line in the file."""

    needle: str
    reason: str


# An address holding one of these may be one no browser can follow (white space, a
# character no URL holds unescaped): only such a one is put to the final wall to see.
_UNUSUAL = re.compile(r"[\s<>\"{}|\\^`\x00-\x1f\x7f]|[^\x00-\x7f]")
# What a browser skips in an address: white space and control characters (up to the space,
# and DEL).
_SKIPPED = re.compile("[\x00-\x20\x7f]")


def _as_browsers_read(url: str) -> str:
    # Entities decoded; white space and control characters dropped (browsers skip them).
    return _SKIPPED.sub("", unescape(url))


def url_scheme(url: str) -> str:
    """The scheme a browser would see: entities decoded, control characters and white
    space removed (browsers ignore them inside a scheme), lower case. '' if relative."""
    cleaned = _as_browsers_read(url)
    try:
        scheme = urlsplit(cleaned).scheme if ":" in cleaned else ""
    except ValueError:  # e.g. a malformed IPv6 host: no browser-safe reading of it
        return "invalid"
    return scheme.lower()


def has_host(url: str) -> bool:
    """Whether an address names a host (`https://x`, `//x`, `\\\\x`: browsers read a
    backslash as a slash)."""
    cleaned = _as_browsers_read(url).replace("\\", "/")
    try:
        return bool(urlsplit(cleaned).netloc) or cleaned.startswith("//")
    except ValueError:
        return True


class Sanitizer:
    def __init__(self, policy: HtmlPolicy):
        self.policy = policy

    @cached_property
    def _cleaner(self) -> nh3.Cleaner:
        attributes: dict[str, set[str]] = {tag: set(names) for tag, names in self.policy.attributes.items()}
        for tag, names in _PLUGIN_ATTRIBUTES.items():
            attributes.setdefault(tag, set()).update(names)
        return nh3.Cleaner(
            tags=set(self.policy.tags),
            clean_content_tags=_DROPPED_WITH_CONTENT - set(self.policy.tags),
            attributes=attributes,
            url_schemes=set(self.policy.url_schemes),
            tag_attribute_values=_REL,
            filter_style_properties=set(self.policy.style_properties),
            link_rel=None,
            strip_comments=True,
        )

    def clean(self, html: str) -> str:
        """The final wall: only what the allow-list names survives, and every link to another
        site carries rel="noopener noreferrer" (raw HTML's too)."""
        cleaned = self._cleaner.clean(html)
        if "http" not in cleaned:
            return cleaned
        # Ammonia's output is canonical: double quotes, one space between attributes.
        return _EXTERNAL_LINK.sub(_with_rel, cleaned)

    # --- the checks: what the writer is told --------------------------------------

    def check_element(self, tag: str, attributes: Iterable[tuple[str, str]]) -> list[Finding]:
        """Problems with one element: its name, each attribute, each address, its style."""
        tag = _NAMESPACE.sub("", tag).lower()
        if tag not in self.policy.tags:
            if tag in ("iframe", "embed", "object"):
                # A writer who types a frame wants a chart, map or video: name the way to one.
                return [Finding(f"<{tag}", f"<{tag}> is not allowed; {EMBED_HINT}")]
            return [Finding(f"<{tag}", f"<{tag}> is not allowed")]
        found = []
        for written, value in attributes:
            name = _NAMESPACE.sub("", written).lower()
            if name == "rel" and value in _REL.get(tag, {}).get("rel", ()):
                continue
            if name.startswith("on"):
                found.append(Finding(name, f'the event handler attribute "{name}" is not allowed'))
            elif not self.policy.allows_attribute(tag, name):
                found.append(Finding(name, f'the attribute "{name}" is not allowed on <{tag}>'))
            elif (
                name in URL_ATTRIBUTES
                and (scheme := url_scheme(value))
                and scheme not in self.policy.url_schemes
            ):
                allowed = _scheme_names(self.policy.url_schemes)
                found.append(
                    Finding(
                        value[:40],
                        f'{name}="{value[:60]}": only {allowed} and relative addresses are allowed',
                    )
                )
            elif name in URL_ATTRIBUTES and _UNUSUAL.search(value) and not self._keeps(tag, name, value):
                found.append(
                    Finding(
                        value[:40],
                        f'{name}="{value[:60]}": not an address a browser can follow (a space or '
                        "a character no address holds), so it would be removed: write the address as "
                        "the site that has it shows it",
                    )
                )
            elif name == "src" and (url_scheme(value) or has_host(value)):
                # The page's Content-Security-Policy would block it, and it tells another
                # host who reads the page.
                found.append(
                    Finding(
                        value[:40],
                        f'{name}="{value[:60]}": images come from the site itself '
                        "({static}images/…), never from another host",
                    )
                )
            elif name == "style":
                found += self._check_style(tag, value)
            elif name == "id" and notes.is_reserved_id(value):
                found.append(Finding(value, f'the id "{value}" is the page\'s own; choose another'))
        return found

    def _keeps(self, tag: str, name: str, value: str) -> bool:
        """Whether the final wall keeps this address: Ammonia drops one its URL parser (a
        browser's) refuses, such as a host with a space in it."""
        cleaned = self._cleaner.clean(f'<{tag} {name}="{escape(value, quote=True)}">x</{tag}>')
        return f" {name}=" in cleaned

    def _check_style(self, tag: str, value: str) -> list[Finding]:
        found = []
        for declaration in value.split(";"):
            prop = declaration.partition(":")[0].strip().lower()
            if prop and prop not in self.policy.style_properties:
                found.append(Finding("style", f'the style property "{prop}" is not allowed on <{tag}>'))
        return found

    def check_fragment(self, fragment: str) -> list[Finding]:
        """Everything in a piece of raw HTML that the sanitizer would remove.

        Read twice: as a tree, as browsers build it (a comment `<!-->` ends at once, the
        content of `<noscript>` is text), and as a stream of tags, which also sees the tags
        a tree drops where they cannot stand (`<frameset>`, a `<td>` outside a table) but
        that the sanitizer's own parser, or a browser in another context, may keep.
        """
        if "<" not in fragment:
            return []
        parser = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False)
        tree = parser.parseFragment(fragment)
        found = []
        for element in tree.iter():
            if not isinstance(element.tag, str) or element is tree:
                continue  # comments and the fragment's own root
            found += self.check_element(element.tag, element.attrib.items())
        # html5lib's tokenizer is not exported by name; its interface is stable in 1.1 (pinned).
        for token in HTMLTokenizer(fragment):
            if token["type"] in (_START_TAG, _EMPTY_TAG):
                found += self.check_element(token["name"], dict(token["data"]).items())
        return list(dict.fromkeys(found))


def _scheme_names(schemes: frozenset[str]) -> str:
    """'http(s), mailto' for the default schemes, as the writers' guide says it."""
    names = sorted(schemes - {"http", "https"})
    if {"http", "https"} <= schemes:
        names.insert(0, "http(s)")
    else:
        names += sorted(schemes & {"http", "https"})
    return ", ".join(names)
