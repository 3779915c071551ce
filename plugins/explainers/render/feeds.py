"""Feed entries that keep the point of an explainer: its claims with their statuses, the
story, its corrections and its source notes, every link absolute, in its page's language.

A feed reader shows an entry out of its page, where `#source-…` leads nowhere, and
without the page's claims panel; so each explainer's entry carries all of these, and
every fragment link points at the page. Its headings, phrases and dates are the page's,
from the theme's catalogs (`language.py`): a French translation's entry says "Sources",
"Corrections et mises à jour", "Publié le 10 janvier 2025".
An embed's frame is left out of every entry (feed readers block or mangle frames): its
link, which the page shows beside the frame, stands in for it.
"""

from __future__ import annotations

from typing import Any

from markupsafe import escape

from ..document import embeds
from ..document.dates import PartialDate
from .addresses import STATUSES_SAVE_AS
from .language import CORRECTION_KIND_NAMES, DATE_PHRASES, N_, Catalogs, format_day, with_translations
from .view import ExplainerView

# Only a feed has this heading: the page shows its claims as a panel beside the story.
KEY_CLAIMS = N_("Key claims")


class Words:
    """The theme's words and dates in one language, as the page in that language has them."""

    def __init__(self, catalogs: Catalogs, lang: str):
        self.lang, self.translations = catalogs.get(lang)

    def __call__(self, message: str, **variables: Any) -> str:
        """`message` in this language, escaped, with its variables (already HTML)."""
        text = str(escape(self.translations.gettext(message)))
        return text % variables if variables else text

    def date(self, value: Any) -> str:
        return str(escape(format_day(value, self.lang, self.translations)))

    def phrase(self, kind: str, value: Any) -> str:
        """ "Published 10 January 2025", "Publié en janvier 2025" (`language.DATE_PHRASES`)."""
        day, other = DATE_PHRASES[kind]
        return self(other if isinstance(value, PartialDate) else day, date=self.date(value))


def notes_html(view: ExplainerView, words: Words) -> str:
    """The source notes as plain HTML, every link absolute. (Each value escaped here.)"""
    items = []
    for note in view.notes:
        source = note.source
        title = escape(source.title)
        if source.url:
            title = f'<a href="{escape(source.url)}">{title}</a>'
        # Our words for the source, not its headline: said so, as the page says it.
        ours = f"{words(N_('Our description:'))} " if source.title_is == "description" else ""
        parts = [f"{escape(source.publisher)}: {ours}{title}."]
        # What the page's note says of the source, in its order (`source_note` in the
        # theme's macros): a feed reader's reader has no page to look it up on.
        if source.doi:
            parts.append(f'{words(N_("DOI"))}: <a href="{escape(source.doi_url)}">{escape(source.doi)}</a>.')
        if source.authors:
            parts.append(f"{words(N_('By'))} {escape(', '.join(source.authors))}.")
        if source.published:
            parts.append(f"{words.phrase('published', source.published)}.")
        if source.accessed:
            parts.append(f"{words.phrase('accessed', source.accessed)}.")
        if note.archive_url:
            parts.append(f'<a href="{escape(note.archive_url)}">{words(N_("Archived copy"))}</a>.')
        if source.quote:
            lang = f' lang="{escape(source.language)}"' if source.language else ""
            parts.append(f"<blockquote{lang}>{escape(source.quote)}</blockquote>")
        if source.note:
            parts.append(f"{escape(source.note)}")  # text, as the title is
        # No "a b c" back to the citations: out of its page, a row of letters leading into
        # it would start every note and say nothing.
        items.append(f'<li id="{note.id}" value="{note.number}">{" ".join(parts)}</li>')
    return f"<h2>{words(N_('Sources'))}</h2><ol>{''.join(items)}</ol>"


def claims_html(view: ExplainerView, page_url: str, site_url: str, words: Words) -> str:
    """Each claim with its status (the label, linked to what it means) and who makes it."""
    if not view.claims:
        return ""
    statuses = escape(f"{site_url}/{STATUSES_SAVE_AS}")
    page = escape(page_url)
    items = []
    for claim in view.claims:
        status = claim.status
        label = f'<a href="{statuses}#status-{status.key}"><strong>{escape(status.label)}</strong></a>'
        by = f" ({escape(claim.claim.by)})" if claim.claim.by else ""
        text = absolute_fragments(str(claim.text), page_url)  # already HTML
        items.append(f'<li>{label}: <a href="{page}#{claim.id}">{text}</a>{by}</li>')
    return f"<h2>{words(KEY_CLAIMS)}</h2><ol>{''.join(items)}</ol>"


def corrections_html(view: ExplainerView, page_url: str, words: Words) -> str:
    """The corrections log, dated, each with its kind."""
    if not view.corrections:
        return ""
    items = []
    for item in view.corrections:
        correction = item.correction
        kind = words(CORRECTION_KIND_NAMES[correction.kind])
        text = absolute_fragments(str(item.text), page_url)  # already HTML
        items.append(f"<li>{words.date(correction.date)}, {kind}: {text}</li>")
    return f"<h2>{words(N_('Corrections and updates'))}</h2><ol>{''.join(items)}</ol>"


def absolute_fragments(html: str, page_url: str) -> str:
    # Python-Markdown writes every attribute in double quotes, so this is exact.
    return html.replace('href="#', f'href="{page_url}#')


def add_notes_to_entries(context: dict, feed, catalogs: Catalogs | None) -> None:
    """Signal handler for `feed_generated`: rewrite each explainer entry's content, in its
    page's language (`catalogs`: the theme's; None only where no article is listed)."""
    site_url = context.get("SITEURL", "")
    # Translations too: Pelican's `articles` holds the originals, and a language's feed
    # lists its translations.
    explainers = {
        f"{site_url}/{article.href}": article
        for article in with_translations(context.get("articles", []))
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
        view = article.explainer
        assert catalogs is not None  # an explainer is one of the articles
        words = Words(catalogs, article.lang)
        body = absolute_fragments(article.get_content(site_url), page_url)
        body = embeds.without_frames(body)  # the fallback link stays
        # All of these are already HTML.
        full = "".join(
            [
                claims_html(view, page_url, site_url, words),
                body,
                corrections_html(view, page_url, words),
                notes_html(view, words),
            ]
        )
        if item.get("content") is not None:
            item["content"] = full
        else:
            item["description"] = full
