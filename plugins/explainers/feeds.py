"""Feed entries that keep their citations: notes included, every link absolute.

A feed reader shows an entry out of its page, where `#source-…` leads nowhere; so
each explainer's entry carries its notes, and every fragment link points at the page.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from .view import ExplainerView, display_date


def notes_html(view: ExplainerView, page_url: str) -> Markup:
    items = []
    for note in view.notes:
        source = note.source
        title = (
            Markup('<a href="{}">{}</a>').format(source.url, source.title)
            if source.url
            else escape(source.title)
        )
        parts = [Markup("{}: {}.").format(source.publisher, title)]
        if source.published:
            parts.append(Markup("Published {}.").format(display_date(source.published)))
        if source.archive_url:
            parts.append(Markup('<a href="{}">Archived copy</a>.').format(source.archive_url))
        backlinks = Markup(" ").join(
            Markup('<a href="{}#{}">{}</a>').format(page_url, link.target, link.mark)
            for link in note.backlinks
        )
        items.append(
            Markup('<li id="{}" value="{}">{} {}</li>').format(
                note.id, note.number, backlinks, Markup(" ").join(parts)
            )
        )
    return Markup("<h2>Sources</h2><ol>{}</ol>").format(Markup("").join(items))


def absolute_fragments(html: str, page_url: str) -> str:
    # Python-Markdown writes every attribute in double quotes, so this is exact.
    return html.replace('href="#', f'href="{page_url}#')


def add_notes_to_entries(context: dict, feed) -> None:
    """Signal handler for `feed_generated`: rewrite each explainer entry's content."""
    explainers = {
        article.url: article for article in context.get("articles", []) if getattr(article, "explainer", None)
    }
    for item in feed.items:
        article = next((a for url, a in explainers.items() if item["link"].endswith("/" + url)), None)
        if article is None:
            continue
        page_url = item["link"]
        body = absolute_fragments(article.get_content(context.get("SITEURL", "")), page_url)
        full = f"{body}{notes_html(article.explainer, page_url)}"  # both are already HTML
        if item.get("content") is not None:
            item["content"] = full
        else:
            item["description"] = full
