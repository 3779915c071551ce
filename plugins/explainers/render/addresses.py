"""The site's own pages: where each is written. One home for these paths; the generator
writes them, the templates link to them, and the run keeps content from taking them.

A source key may hold `/`, `:` and `.` (the contract allows `doi:10.1000/x`), so a key is
never used as a file name as it is: `source_page` spells it with letters, digits, `-` and
`_` only, and the run reports two keys spelled alike.
"""

from __future__ import annotations

import re

STATUSES_SAVE_AS = "statuses.html"
CLAIMS_SAVE_AS = "claims.html"
CLAIMS_BY_STATUS_SAVE_AS = "claims/{status}.html"
SOURCE_SAVE_AS = "sources/{key}.html"
SITEMAP_SAVE_AS = "sitemap.xml"
# `make devserver` only: every draft, with its address (drafts are linked from nowhere else).
DRAFTS_SAVE_AS = "drafts.html"

# What no content file may be written over (the theme's list pages, from DIRECT_TEMPLATES,
# are added by the run).
SITE_PAGES = frozenset({STATUSES_SAVE_AS, CLAIMS_SAVE_AS, SITEMAP_SAVE_AS, DRAFTS_SAVE_AS, "robots.txt"})
SITE_FOLDERS = ("claims/", "sources/", "theme/", "pagefind/", "feeds/", "tag/", "category/", "author/")

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def source_file_name(key: str) -> str:
    return _UNSAFE.sub("-", key)


def source_page(key: str) -> str:
    """The page of a site-wide source, relative to the site."""
    return SOURCE_SAVE_AS.format(key=source_file_name(key))
