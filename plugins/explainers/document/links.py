"""Only safe addresses in links: what a Markdown link may point at, and what an http(s)
address is (a source's url, an archived copy, the site's own address).

`javascript:`, `data:` and the like never reach a page. The body may also use
relative links (to other pages of the site, Pelican's `{filename}` links, or
`#fragments`); text from the front matter may link only to http(s) addresses.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from markdown import Markdown
from markdown.treeprocessors import Treeprocessor

from .sanitize import url_scheme

WEB_SCHEMES = ("http", "https")
# `is_web_address` as the JSON Schema tells editors, which cannot run urlsplit.
WEB_ADDRESS_PATTERN = r"^https?://[^\s/]+"
_SPACE = re.compile(r"\s")  # a character `str.isspace` calls white space, as `\s` is for text


# The plain address nearly every source has, which the test below would pass: an http(s)
# scheme in lower case, a host of ASCII letters, digits and the marks a host or its user and
# port may hold (no bracket: an IPv6 host is left to `urlsplit`, which checks it), then
# printable ASCII with no space. Told at once: `urlsplit` was 3 % of a check of sources.
_PLAIN_WEB_ADDRESS = re.compile(r"https?://[-A-Za-z0-9._~%!$&'()*+,;=:@]+(?:[/?#][!-~]*)?")


def is_web_address(url: str) -> bool:
    """An absolute http(s) address, with a host and no white space in it (a source's url)."""
    if _PLAIN_WEB_ADDRESS.fullmatch(url):
        return True
    try:
        parts = urlsplit(url)
    except ValueError:  # a malformed IPv6 host
        return False
    return parts.scheme in WEB_SCHEMES and bool(parts.netloc) and not _SPACE.search(url)


def is_web_link(url: str) -> bool:
    """A link to another site, its address read as a browser reads it (entities decoded,
    white space and control characters inside the scheme ignored)."""
    try:
        return url_scheme(url) in WEB_SCHEMES and bool(urlsplit(url.strip()).netloc)
    except ValueError:
        return False


def is_safe_body_link(url: str) -> bool:
    """http(s), mailto, or a relative address (no scheme at all), read as a browser reads
    it: `javascript&#58;…` and `java\tscript:…` are javascript: links."""
    return url_scheme(url) in ("", "mailto", *WEB_SCHEMES)


# What every link to another site carries: the page it opens gets no handle on ours
# (noopener) and learns nothing of where the reader came from (noreferrer).
EXTERNAL_REL = "noopener noreferrer"


class SafeLinksTreeprocessor(Treeprocessor):
    """Drops unsafe link and image addresses, recording each as a problem; marks links
    to other sites with a safe `rel`."""

    ATTRIBUTES = (("a", "href"), ("img", "src"))

    def __init__(self, md: Markdown, allow, problems: list[str]):
        super().__init__(md)
        self.allow = allow
        self.problems = problems

    def run(self, root):
        for tag, attribute in self.ATTRIBUTES:
            for element in root.iter(tag):
                url = element.get(attribute)
                if url is None:
                    continue
                if not self.allow(url):
                    self.problems.append(url)
                    del element.attrib[attribute]
                elif tag == "a" and is_web_link(url):
                    element.set("rel", EXTERNAL_REL)
