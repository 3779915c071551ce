"""Structured data for an explainer page: schema.org JSON-LD as plain dicts.

The shape, in one `@graph`:

    {"@context": "https://schema.org",
     "@graph": [
        {"@type": "BackgroundNewsArticle", "headline": …, "datePublished": …,
         "dateModified": …, "author": [{"@type": "Person", "name": …}],
         "citation": [{"@type": "CreativeWork", "name": …, "url": …}, …],
         "correction": [{"@type": "CorrectionComment", "text": …, "datePublished": …}]},
        {"@type": "ClaimReview", "claimReviewed": …, "reviewRating": {…},
         "itemReviewed": {"@type": "Claim", "author": …, "appearance": […]}},
        …]}

ClaimReviews are published only for claims whose status has a rating in the
site's settings: a verdict, not a description such as "estimate". A claim's sources are
listed as its `appearance` only when its rating is the best (confirmed): the sources of a
disputed or false claim may be the evidence against it.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from ..document.dates import iso
from ..settings import ExplainerSettings
from .view import ClaimView, ExplainerView, NoteView


def plain(html: Markup | str | None) -> str:
    return Markup(html or "").striptags()


def page_jsonld(
    view: ExplainerView,
    page_url: str,
    settings: ExplainerSettings,
    date: Any,
    modified: Any,
    *,
    image_url: str | None = None,
) -> dict[str, Any]:
    model = view.model
    publisher = {"@type": "Organization", "name": settings.publisher}
    article: dict[str, Any] = {
        "@type": "BackgroundNewsArticle",
        "@id": page_url,
        "url": page_url,
        "headline": model.title,
        "datePublished": date.isoformat(),
        "publisher": publisher,
        "author": [{"@type": "Person", "name": name} for name in model.authors],
        "citation": [source_jsonld(note) for note in view.notes],
    }
    if modified:
        article["dateModified"] = modified.isoformat()
    if view.summary:
        article["description"] = plain(view.summary)
    if model.lang:
        article["inLanguage"] = model.lang
    if view.image is not None and image_url:
        article["image"] = image_jsonld(view, image_url)
    if view.corrections:
        article["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": plain(item.text),
                "datePublished": iso(item.correction.date),
            }
            for item in view.corrections
        ]
    reviews = [
        claim_review(claim, view, page_url, settings, date=date, publisher=publisher)
        for claim in view.claims
        if claim.status.rating_value is not None
    ]
    return {"@context": "https://schema.org", "@graph": [article, *reviews]}


def image_jsonld(view: ExplainerView, url: str) -> dict[str, Any]:
    image = view.image
    data: dict[str, Any] = {"@type": "ImageObject", "url": url, "contentUrl": url}
    if image.caption:
        data["caption"] = plain(image.caption)
    if image.credit:
        data["creditText"] = plain(image.credit)
    return data


def source_jsonld(note: NoteView) -> dict[str, Any]:
    source = note.source
    work: dict[str, Any] = {
        "@type": "CreativeWork",
        "name": source.title,
        "publisher": {"@type": "Organization", "name": source.publisher},
    }
    if source.address:
        work["url"] = source.address
    if source.doi:
        work["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": source.doi}
        work["sameAs"] = source.doi_url
    if source.published:
        work["datePublished"] = iso(source.published)
    if source.authors:
        work["author"] = [{"@type": "Person", "name": name} for name in source.authors]
    if source.language:
        work["inLanguage"] = source.language
    return work


def claim_review(
    claim: ClaimView,
    view: ExplainerView,
    page_url: str,
    settings: ExplainerSettings,
    *,
    date: Any,
    publisher: dict[str, Any],
) -> dict[str, Any]:
    item: dict[str, Any] = {"@type": "Claim"}
    if claim.claim.by:
        item["author"] = {"@type": "Organization", "name": claim.claim.by}
    # `appearance` says where the claim was made. A claim's sources carry it only when the
    # verdict is the best one (confirmed); for any other verdict (disputed, false) they may be
    # the evidence against it, which must not be published as where it appeared.
    appearances = [view.note(link.key).source for link in claim.sources]
    urls = [source.address for source in appearances if source.address]
    if urls and claim.status.rating_value == settings.rating_best:
        item["appearance"] = [{"@type": "CreativeWork", "url": url} for url in dict.fromkeys(urls)]
    return {
        "@type": "ClaimReview",
        "url": f"{page_url}#{claim.id}",
        "claimReviewed": plain(claim.text),
        "datePublished": date.isoformat(),
        "author": publisher,
        "itemReviewed": item,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": claim.status.rating_value,
            "bestRating": settings.rating_best,
            "worstRating": settings.rating_worst,
            "alternateName": claim.status.rating_name or claim.status.label,
        },
    }


class PageData:
    """A page's JSON-LD, made when a template first shows it: a page reused from the
    cache never needs it."""

    def __init__(self, content, settings: ExplainerSettings):
        self.content = content
        self.settings = settings

    def __html__(self) -> str:
        content = self.content
        site_url = content.settings.get("SITEURL", "")
        page_url = f"{site_url}/{content.url}" if site_url else content.url
        modified = content.modified if "modified" in content.metadata else None
        image = getattr(content, "lead_image", None)
        image_url = None
        if image is not None:
            image_url = f"{site_url}/{image.url}" if site_url else image.url
        data = page_jsonld(
            content.explainer, page_url, self.settings, content.date, modified, image_url=image_url
        )
        return str(to_script_text(data))

    def __str__(self) -> str:
        return self.__html__()


def to_script_text(data: dict[str, Any]) -> Markup:
    """JSON that is safe inside <script>: no `</script>`, no HTML comment, no line separators."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return Markup(text)
