"""A build copies only the files of pages it writes.

Pelican copies every file a page links with `{static}`/`{attach}` (and the plugin hands it
each lead image) whether or not the page itself is written: `make publish` writes no
drafts (their save_as is empty), yet their linked files, an embargoed photo or memo among
them, would be published at a guessable address. Once articles and pages are read and
before the static files are placed, the files only unwritten pages link to are taken out
of Pelican's list. A file in STATIC_PATHS is published as such, linked or not.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..render.addresses import written_at
from ..render.language import with_translations

# The context's lists of articles and pages; each item's translations hang from it.
_LISTS = ("articles", "hidden_articles", "drafts", "pages", "hidden_pages", "draft_pages")


def _contents(context: dict) -> Iterator:
    seen: set[int] = set()
    listed = [content for name in _LISTS for content in context.get(name) or []]
    for item in with_translations(listed):
        if id(item) not in seen:
            seen.add(id(item))
            yield item


def _links(content) -> set[str]:
    links = set(content.get_static_links())
    image = getattr(content, "lead_image", None)
    if image is not None:
        links.add(image.file)
    return links


def drop_unwritten_links(generator) -> None:
    """`page_generator_finalized` (articles and pages are read; static files come next)."""
    context = generator.context
    contents = list(_contents(context))
    unwritten = [content for content in contents if not written_at(content)]
    if not unwritten:
        return
    only_unwritten = set().union(*map(_links, unwritten))
    for content in contents:
        if written_at(content) and only_unwritten:
            only_unwritten -= _links(content)
    context.setdefault("static_links", set()).difference_update(only_unwritten)
