"""Only safe addresses in links: what a Markdown link may point at, and what an http(s)
address is (a source's url, an archived copy, the site's own address).

`javascript:`, `data:` and the like never reach a page. The body may also use
relative links (to other pages of the site, Pelican's `{filename}` links, or
`#fragments`); text from the front matter may link only to http(s) addresses.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from markdown import Markdown
from markdown.treeprocessors import Treeprocessor

WEB_SCHEMES = ("http", "https")
# `is_web_address` as the JSON Schema tells editors, which cannot run urlsplit.
WEB_ADDRESS_PATTERN = r"^https?://[^\s/]+"
# Raw HTML a writer may put in the body, but never anything that runs.
SCRIPTING_TAGS = {
    "script",
    "iframe",
    "object",
    "embed",
    "frame",
    "frameset",
    "applet",
    "base",
    "meta",
    "link",
    "form",
    "style",
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "background"}


def is_web_address(url: str) -> bool:
    """An absolute http(s) address, with a host and no white space in it."""
    parts = urlsplit(url)
    return parts.scheme in WEB_SCHEMES and bool(parts.netloc) and not any(c.isspace() for c in url)


def _as_browsers_read(url: str) -> str:
    # Browsers ignore white space inside a scheme, and Markdown keeps it in a link.
    return "".join(url.split())


def is_web_link(url: str) -> bool:
    """A link to another site: its address, as a browser reads it, is an http(s) address."""
    return is_web_address(_as_browsers_read(url))


def is_safe_body_link(url: str) -> bool:
    """http(s), mailto, or a relative address (no scheme at all)."""
    scheme = urlsplit(_as_browsers_read(url)).scheme.lower()
    if not scheme:
        return True
    if scheme == "mailto":
        return True
    return scheme in WEB_SCHEMES


# What every link to another site carries: the page it opens gets no handle on ours
# (noopener) and learns nothing of where the reader came from (noreferrer).
EXTERNAL_REL = "noopener noreferrer"


def unsafe_html(fragment: str) -> list[tuple[str, str]]:
    """(text to find it by, reason) for each thing in a raw HTML fragment that could run."""
    if "<" not in fragment:
        return []
    found = []
    for element in BeautifulSoup(fragment, "html.parser").find_all(True):
        if element.name in SCRIPTING_TAGS:
            found.append((f"<{element.name}", f"<{element.name}> is not allowed"))
        for name, value in element.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on"):
                found.append((name, f'the event handler attribute "{name}" is not allowed'))
            elif name.lower() in URL_ATTRIBUTES and not is_safe_body_link(text):
                found.append(
                    (
                        text[:40],
                        f'{name}="{text[:60]}": only http(s), mailto and relative addresses are allowed',
                    )
                )
    return found


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
