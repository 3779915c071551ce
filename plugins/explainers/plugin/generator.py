"""The site-wide pages that only exist because there are explainers.

- statuses.html           what each status means, in plain words (every label links here)
- claims.html             every claim of every published explainer
- claims/STATUS.html      the same, one status at a time (a filter that needs no JavaScript)
- sources/KEY.html        one page per source of the site-wide library, with who cites it
- sitemap.xml             every page worth finding, with absolute addresses
- drafts.html             every draft, in `make devserver` builds only (never published)
"""

from __future__ import annotations

import hashlib
import os
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from typing import Any

from pelican.generators import Generator

from ..render import data
from ..render.addresses import (
    CLAIMS_BY_STATUS_SAVE_AS,
    CLAIMS_SAVE_AS,
    DRAFTS_SAVE_AS,
    SITEMAP_SAVE_AS,
    STATUSES_SAVE_AS,
    source_page,
)
from ..render.view import ClaimView, archive_address
from . import state

SITEMAP_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


@dataclass(frozen=True)
class ClaimEntry:
    """A claim with the explainer it belongs to, for the site-wide index.

    The article's address and title are read once here: Pelican computes `url` anew on
    every access, and the index shows tens of thousands of claims.
    """

    claim: ClaimView
    article_url: str
    article_title: str

    @property
    def row(self) -> tuple:
        """What the index shows of it."""
        claim = self.claim
        return (
            self.article_url,
            self.article_title,
            claim.id,
            str(claim.text),
            claim.status.key,
            claim.claim.by,
        )


@dataclass(frozen=True)
class SourceCitation:
    article: object
    number: int
    claims: list[ClaimView]


def digest(value: Any) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()


def published_explainers(context: dict) -> list:
    return [article for article in context.get("articles", []) if getattr(article, "explainer", None)]


def claim_entries(explainers: list) -> list[ClaimEntry]:
    entries = []
    for article in explainers:
        url, title = article.href, article.explainer.model.title
        entries += [ClaimEntry(claim, url, title) for claim in article.explainer.claims]
    return entries


def citations_by_source(explainers: list) -> dict[str, list[SourceCitation]]:
    """For every source key: the explainers citing it, its number there, the claims resting on it."""
    found: dict[str, list[SourceCitation]] = {}
    for article in explainers:
        view = article.explainer
        resting: dict[str, list[ClaimView]] = {}
        for claim in view.claims:
            for link in claim.sources:
                resting.setdefault(link.key, []).append(claim)
        for note in view.notes:
            found.setdefault(note.key, []).append(
                SourceCitation(article, note.number, resting.get(note.key, []))
            )
    return found


class ExplainerPagesGenerator(Generator):
    def generate_context(self) -> None:
        # Statuses and the library are known before any page is written, so every
        # template can link to these pages.
        settings = state.of(self.settings).run.settings
        self.context["EXPLAINER_STATUSES"] = settings.statuses
        # The pages' addresses are made here alone: templates format these (`.format(key=…)`).
        self.context["STATUSES_URL"] = STATUSES_SAVE_AS
        self.context["CLAIMS_URL"] = CLAIMS_SAVE_AS
        self.context["CLAIMS_BY_STATUS_URL"] = CLAIMS_BY_STATUS_SAVE_AS
        # Templates see SITEURL made relative per page; canonical links need it absolute.
        self.context["ABSOLUTE_SITEURL"] = self.settings["SITEURL"]

    def generate_output(self, writer) -> None:
        settings = state.of(self.settings).run.settings
        explainers = published_explainers(self.context)
        entries = claim_entries(explainers)
        relative = self.settings["RELATIVE_URLS"]

        def write(name: str, template: str, shows: Any, **values) -> None:
            # `shows`: the data the page shows; the writer reuses the page while it is unchanged.
            writer.write_file(
                name,
                self.get_template(template),
                self.context,
                relative_urls=relative,
                page_name=name.removesuffix(".html"),
                render_key=digest(shows),
                **values,
            )

        write(STATUSES_SAVE_AS, "statuses", "statuses", statuses=settings.statuses.values())
        if self.settings.get("DEVSERVER"):
            drafts = [*self.context.get("drafts", []), *self.context.get("draft_pages", [])]
            write(DRAFTS_SAVE_AS, "drafts", [(d.save_as, d.title) for d in drafts], drafts=drafts)
        counts = {key: sum(1 for e in entries if e.claim.status.key == key) for key in settings.statuses}
        rows = [entry.row for entry in entries]
        write(
            CLAIMS_SAVE_AS,
            "claims",
            (rows, counts),
            claim_entries=entries,
            status_filter=None,
            status_counts=counts,
        )
        for key, status in settings.statuses.items():
            chosen = [e for e in entries if e.claim.status.key == key]
            write(
                CLAIMS_BY_STATUS_SAVE_AS.format(status=key),
                "claims",
                ([e.row for e in chosen], counts, key),
                claim_entries=chosen,
                status_filter=status,
                status_counts=counts,
            )
        library = state.of(self.settings).run.library
        archives = state.of(self.settings).run.lockfile
        citing = citations_by_source(explainers)
        for key, entry in library.items():
            citations = citing.get(key, [])
            archived = archives.copy_for(entry.source)
            shown = (
                entry.source.model_dump_json(),
                archived.model_dump_json() if archived else None,
                [
                    (c.article.href, c.article.title, c.number, [claim.claim.id for claim in c.claims])
                    for c in citations
                ],
            )
            write(
                source_page(key),
                "source",
                shown,
                source_key=key,
                source=entry.source,
                archived=archived,
                archive_url=archive_address(entry.source, archived),
                citations=citations,
            )
        site_url = self.settings["SITEURL"]
        for article in explainers:
            view, base = article.explainer, data.data_base(article.save_as)
            modified = article.modified if "modified" in article.metadata else None
            document = data.claims_document(view, f"{site_url}/{article.href}", article.date, modified)
            write_text(os.path.join(self.output_path, f"{base}.claims.json"), data.dumps(document))
            write_text(
                os.path.join(self.output_path, f"{base}.sources.csl.json"),
                data.dumps(data.csl_document(view)),
            )
        site_pages = ["", CLAIMS_SAVE_AS, STATUSES_SAVE_AS] + [source_page(k) for k in library]
        contents = self.context.get("articles", []) + self.context.get("pages", [])
        write_sitemap(
            os.path.join(self.output_path, SITEMAP_SAVE_AS), self.settings["SITEURL"], contents, site_pages
        )


def write_text(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def write_sitemap(path: str, site_url: str, contents: list, other_pages: list[str]) -> None:
    """sitemap.xml: published articles and pages with their last change, and the site pages."""
    urlset = etree.Element("urlset", xmlns=SITEMAP_NAMESPACE)
    for content in contents:
        url = etree.SubElement(urlset, "url")
        etree.SubElement(url, "loc").text = f"{site_url}/{content.url}"
        changed = getattr(content, "modified", None) or getattr(content, "date", None)
        if changed:  # pages have no date unless the writer gives one
            etree.SubElement(url, "lastmod").text = changed.date().isoformat()
    for page in other_pages:
        etree.SubElement(etree.SubElement(urlset, "url"), "loc").text = f"{site_url}/{page}"
    etree.ElementTree(urlset).write(path, encoding="utf-8", xml_declaration=True)
