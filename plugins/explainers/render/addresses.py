"""The site's own pages: where each is written. One home for these paths; the generator
writes them, the templates link to them, and the run keeps content from taking them.

A source key may hold `/`, `:` and `.` (the contract allows `doi:10.1000/x`), so a key is
never used as a file name as it is: `source_page` spells it with letters, digits, `-` and
`_` only, and the run reports two keys spelled alike.
"""

from __future__ import annotations

import re

STATUSES_SAVE_AS = "statuses.html"
METHOD_SAVE_AS = "method.html"
CLAIMS_SAVE_AS = "claims.html"
CLAIMS_BY_STATUS_SAVE_AS = "claims/{status}.html"
SOURCE_SAVE_AS = "sources/{key}.html"
SITEMAP_SAVE_AS = "sitemap.xml"
ROBOTS_SAVE_AS = "robots.txt"
# Each explainer's social card (og:image), beside its page: `{base}` is the page's address
# without `.html`, made from the slug the door has checked.
CARD_SAVE_AS = "{base}.card.png"
# Its data files, beside it too (the generator writes them, the templates link to them).
CLAIMS_DATA_SAVE_AS = "{base}.claims.json"
SOURCES_DATA_SAVE_AS = "{base}.sources.csl.json"


def beside_page(page_save_as: str) -> dict[str, str]:
    """The files the build writes beside an explainer's page, each with what it is: no
    content file may be published at one of them."""
    base = page_save_as.removesuffix(".html")
    return {
        CARD_SAVE_AS.format(base=base): "social card",
        CLAIMS_DATA_SAVE_AS.format(base=base): "claims data",
        SOURCES_DATA_SAVE_AS.format(base=base): "sources data",
    }


def written_at(content) -> str:
    """Where Pelican writes `content` (its `save_as`; "" for one it does not write), as the
    plugin read it once (`handlers.prepare_content`): Pelican works `save_as` out from the
    settings at every access, and the site-wide passes ask it of every file."""
    saved = getattr(content, "saved_as", None)
    return content.save_as if saved is None else saved


def address_of(content) -> str:
    """`content`'s address (its `url`), as the plugin read it once (`href`, the same way):
    over every list's every entry, Pelican's `url` cost more than the lists."""
    return getattr(content, "href", None) or content.url


# `make devserver` only: every draft, with its address (drafts are linked from nowhere else).
DRAFTS_SAVE_AS = "drafts.html"

# What no content file may be written over (the theme's list pages, from DIRECT_TEMPLATES,
# are added by the run).
SITE_PAGES = frozenset(
    {STATUSES_SAVE_AS, METHOD_SAVE_AS, CLAIMS_SAVE_AS, SITEMAP_SAVE_AS, ROBOTS_SAVE_AS, DRAFTS_SAVE_AS}
)
SITE_FOLDERS = ("claims/", "sources/", "theme/", "pagefind/", "feeds/", "tag/", "category/", "author/")

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def source_file_name(key: str) -> str:
    return _UNSAFE.sub("-", key)


def source_page(key: str) -> str:
    """The page of a site-wide source, relative to the site."""
    return SOURCE_SAVE_AS.format(key=source_file_name(key))


def theme_pages(settings: dict) -> dict[str, str]:
    """The theme's list pages Pelican writes (DIRECT_TEMPLATES), each with the address that
    leads to it: `NAME_URL`, else `NAME_SAVE_AS`, else `name.html`, as Pelican saves them.
    A page whose `NAME_SAVE_AS` is empty is not written, so not listed: nothing links to it."""
    pages = {}
    for name in settings.get("DIRECT_TEMPLATES") or []:
        save_as = settings.get(f"{name.upper()}_SAVE_AS", f"{name}.html")
        if save_as:
            pages[name] = page_address(settings.get(f"{name.upper()}_URL") or save_as)
    return pages


def page_address(save_as: str) -> str:
    """The address of a page written at `save_as`: a folder's index is the folder itself."""
    if save_as == "index.html" or save_as.endswith("/index.html"):
        return save_as.removesuffix("index.html")
    return save_as
