"""Feed entries that keep their citations: notes included, every link absolute.

A feed reader shows an entry out of its page, where `#source-…` leads nowhere; so
each explainer's entry carries its notes, and every fragment link points at the page.
An embed's frame is left out of every entry (feed readers block or mangle frames): its
link, which the page shows beside the frame, stands in for it.
"""

from __future__ import annotations

from markupsafe import escape

from ..document import embeds
from ..document.dates import display
from .view import ExplainerView


def notes_html(view: ExplainerView, page_url: str) -> str:
    """The source notes as plain HTML, every link absolute. (Each value escaped here.)"""
    page = escape(page_url)
    items = []
    for note in view.notes:
        source = note.source
        title = escape(source.title)
        if source.url:
            title = f'<a href="{escape(source.url)}">{title}</a>'
        parts = [f"{escape(source.publisher)}: {title}."]
        if source.published:
            parts.append(f"Published {escape(display(source.published))}.")
        if note.archive_url:
            parts.append(f'<a href="{escape(note.archive_url)}">Archived copy</a>.')
        backlinks = " ".join(f'<a href="{page}#{link.target}">{link.mark}</a>' for link in note.backlinks)
        items.append(f'<li id="{note.id}" value="{note.number}">{backlinks} {" ".join(parts)}</li>')
    return f"<h2>Sources</h2><ol>{''.join(items)}</ol>"


def absolute_fragments(html: str, page_url: str) -> str:
    # Python-Markdown writes every attribute in double quotes, so this is exact.
    return html.replace('href="#', f'href="{page_url}#')


def add_notes_to_entries(context: dict, feed) -> None:
    """Signal handler for `feed_generated`: rewrite each explainer entry's content."""
    site_url = context.get("SITEURL", "")
    explainers = {
        f"{site_url}/{article.href}": article
        for article in context.get("articles", [])
        if getattr(article, "explainer", None)
    }
    for item in feed.items:
        article = explainers.get(item["link"])
        if article is None:
            # A plain article's embeds too: a feed carries the link, never the frame.
            for name in ("content", "description"):
                if item.get(name):
                    item[name] = embeds.without_frames(item[name])
            continue
        page_url = item["link"]
        body = absolute_fragments(article.get_content(context.get("SITEURL", "")), page_url)
        body = embeds.without_frames(body)  # the fallback link stays
        full = f"{body}{notes_html(article.explainer, page_url)}"  # both are already HTML
        if item.get("content") is not None:
            item["content"] = full
        else:
            item["description"] = full
