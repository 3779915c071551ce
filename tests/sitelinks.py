"""Link integrity of a built site, read as a browser and a static host read it.

Every internal `href` and `src` of every HTML page (and the canonical, `og:url` and
`og:image` addresses) must name a file the build wrote, and every `#fragment` an element
of that page with that id. An address is internal when it is relative, root-relative, or
absolute under the site's address. The 404 page is also read as a server sends it: for
an address several folders deep that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup

# The host a page is read from when resolving its links: any name that cannot be real.
_HOST = "http://site.invalid"
# Where a missing address is asked for, to read the 404 page as the server sends it there.
MISSING = "a/b/c/missing"
# Meta tags whose content is an address on the site.
_META_ADDRESSES = ("og:url", "og:image", "twitter:image")


@dataclass(frozen=True)
class Link:
    page: str  # the page it is on, relative to the output folder
    address: str  # as written
    target: str  # the file it leads to, relative to the output folder ("" when it leaves the site)
    fragment: str
    label: str
    area: str  # "header", "footer" or "" (the rest of the page)


class BuiltSite:
    def __init__(self, output: Path, site_url: str):
        self.output = output
        self.site_url = site_url.rstrip("/")
        self.root = urlsplit(self.site_url).path.rstrip("/")  # the site's folder on its host
        self._ids: dict[str, set[str]] = {}
        self._soups: dict[str, BeautifulSoup] = {}

    def pages(self) -> list[str]:
        return sorted(
            str(path.relative_to(self.output))
            for path in self.output.rglob("*.html")
            if "pagefind" not in path.relative_to(self.output).parts
        )

    def soup(self, page: str) -> BeautifulSoup:
        if page not in self._soups:
            self._soups[page] = BeautifulSoup((self.output / page).read_text(encoding="utf-8"), "lxml")
        return self._soups[page]

    def ids(self, page: str) -> set[str]:
        if page not in self._ids:
            soup = self.soup(page)
            found = {tag["id"] for tag in soup.find_all(id=True)}
            self._ids[page] = found | {tag["name"] for tag in soup.find_all("a", attrs={"name": True})}
        return self._ids[page]

    def target(self, address: str, served_at: str) -> tuple[str, str] | None:
        """The file an address leads to and its fragment, read from a page served at
        `served_at`; None when the address leaves the site."""
        if address.startswith(self.site_url + "/") or address == self.site_url:
            address = self.root + address[len(self.site_url) :] or "/"
        parts = urlsplit(address)
        if parts.scheme or parts.netloc:
            return None
        resolved = urlsplit(urljoin(f"{_HOST}{self.root}/{served_at}", address))
        path = unquote(resolved.path)
        if not path.startswith(self.root + "/"):
            return (f"(outside the site: {path})", resolved.fragment)
        path = path[len(self.root) + 1 :]
        if path == "" or path.endswith("/"):
            path += "index.html"
        return path, unquote(resolved.fragment)

    def links(self, page: str, served_at: str | None = None) -> list[Link]:
        soup = self.soup(page)
        served_at = served_at or page
        # The site's own header and footer (an article's <header> holds its byline, not navigation).
        areas = {
            id(tag): name
            for name in ("header", "footer")
            for tag in soup.find_all(name, class_=f"site-{name}")
        }
        found = []
        for tag in soup.find_all(["a", "link", "img", "script", "source", "iframe", "meta"]):
            if tag.name == "meta":
                address = (
                    tag.get("content") if tag.get("property", tag.get("name")) in _META_ADDRESSES else None
                )
            else:
                address = tag.get("href") if tag.name in ("a", "link") else tag.get("src")
            if address is None:
                continue
            resolved = self.target(address, served_at)
            if resolved is None:
                continue
            if resolved[0] == served_at:  # the document itself (`#main`), wherever it is served
                resolved = (page, resolved[1])
            area = next((areas[id(p)] for p in tag.parents if id(p) in areas), "")
            label = " ".join(tag.get_text(" ", strip=True).split())
            found.append(Link(page, address, resolved[0], resolved[1], label, area))
        return found

    def broken(self, link: Link) -> str | None:
        """What is wrong with a link, or None."""
        if not (self.output / link.target).is_file():
            return f"{link.page}: {link.address!r} leads to {link.target}, which the build did not write"
        if link.fragment and (
            not link.target.endswith(".html") or link.fragment not in self.ids(link.target)
        ):
            return f"{link.page}: {link.address!r}: {link.target} has no element with id {link.fragment!r}"
        return None

    def heading(self, page: str) -> str:
        """The page's title and main heading, which a navigation label must name."""
        soup = self.soup(page)
        parts = [soup.title.get_text() if soup.title else "", soup.h1.get_text() if soup.h1 else ""]
        return " ".join(" ".join(parts).split()).casefold()


def broken_links(site: BuiltSite) -> list[str]:
    problems = []
    for page in site.pages():
        served = [page, MISSING] if page == "404.html" else [page]
        for at in served:
            for link in site.links(page, at):
                problem = site.broken(link)
                if problem:
                    problems.append(problem if at == page else f"{problem} (served for /{MISSING})")
    return problems


# Navigation labels that do not name their page's heading, and the page each leads to.
NAMED_OTHERWISE = {
    "Skip to content": None,  # a fragment of the page itself
    "How we rate claims": "method.html",
    "Corrections policy": "method.html",
    "Atom feed": "feeds/all.atom.xml",
}


def misleading_navigation(site: BuiltSite) -> list[str]:
    """Every label in a page's header and footer leads to the page it names: one named
    otherwise, to its page; any other, to a page whose title or heading holds the label."""
    problems = []
    for page in site.pages():
        for link in site.links(page):
            if not link.area or not link.label or link.target.startswith("(outside"):
                continue
            if link.label in NAMED_OTHERWISE:
                expected = NAMED_OTHERWISE[link.label]
                if expected is not None and link.target != expected:
                    problems.append(f"{page}: {link.label!r} leads to {link.target}, not {expected}")
                continue
            if not link.target.endswith(".html") or not (site.output / link.target).is_file():
                continue  # broken_links reports it
            if link.label.casefold() not in site.heading(link.target):
                problems.append(
                    f"{page}: {link.label!r} leads to {link.target} ({site.heading(link.target)!r})"
                )
    return problems
