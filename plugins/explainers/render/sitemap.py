"""sitemap.xml and robots.txt: every public page with its absolute address, and where the
sitemap is.

Public: published articles and pages and their translations, the theme's list pages, the
category, tag and author pages, and the plugin's own site pages. Not drafts, not hidden
pages, not the 404 page (it stands for every address that has no page).
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Iterable

from . import language
from .addresses import SITEMAP_SAVE_AS, address_of, page_address, written_at

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
# Google's way of listing a page's translations in a sitemap: xhtml:link alternates.
XHTML_NAMESPACE = "http://www.w3.org/1999/xhtml"
etree.register_namespace("xhtml", XHTML_NAMESPACE)
NOT_LISTED = {"404"}  # theme pages that are no page of their own


def public_contents(context: dict) -> list:
    """Published articles and pages, each followed by its published translations."""
    listed = [*context.get("articles", []), *context.get("pages", [])]
    return [c for c in language.with_translations(listed) if c.status == "published" and written_at(c)]


def list_pages(context: dict, theme_pages: dict[str, str]) -> list[str]:
    """The addresses of the theme's list pages and of every category, tag and author page."""
    addresses = [url for name, url in theme_pages.items() if name not in NOT_LISTED]
    for name in ("categories", "tags", "authors"):
        for term, _ in context.get(name, []):
            if term.save_as:
                addresses.append(term.url)
    return addresses


def sitemap_xml(site_url: str, contents: list, other_pages: Iterable[str]) -> bytes:
    """Contents with their last change, then the other pages; each address once."""
    urlset = etree.Element("urlset", xmlns=NAMESPACE)
    seen = set()
    for content in contents:
        address = page_address(address_of(content))
        seen.add(address)
        url = etree.SubElement(urlset, "url")
        etree.SubElement(url, "loc").text = f"{site_url}/{address}"
        changed = getattr(content, "modified", None) or getattr(content, "date", None)
        if changed:  # pages have no date unless the writer gives one
            etree.SubElement(url, "lastmod").text = changed.date().isoformat()
        add_alternates(url, site_url, content)
    for page in other_pages:
        address = page_address(page)
        if address not in seen:
            seen.add(address)
            etree.SubElement(etree.SubElement(urlset, "url"), "loc").text = f"{site_url}/{address}"
    return etree.tostring(urlset, encoding="utf-8", xml_declaration=True)


def add_alternates(url: etree.Element, site_url: str, content) -> None:
    """Every version of a translated page, itself included, and the original as x-default."""
    versions = language.versions(content)
    for version in versions:
        link_to(url, version.lang, f"{site_url}/{page_address(version.url)}")
    if versions:
        link_to(url, "x-default", f"{site_url}/{page_address(versions[0].url)}")


def link_to(url: etree.Element, lang: str, href: str) -> None:
    etree.SubElement(url, f"{{{XHTML_NAMESPACE}}}link", rel="alternate", hreflang=lang, href=href)


def robots_txt(site_url: str) -> str:
    """Every page may be crawled; the sitemap says which there are. (Crawlers read this file
    only at the root of a host: a site published in a folder needs the host's own.)"""
    return f"User-agent: *\nAllow: /\n\nSitemap: {site_url}/{SITEMAP_SAVE_AS}\n"
