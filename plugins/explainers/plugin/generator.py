"""The site-wide pages that only exist because there are explainers.

- statuses.html           what each status means, in plain words
- method.html             how claims are rated, the corroboration rule the build applies, and
                          the corrections policy (every status label links here)
- claims.html             every claim of every published explainer
- claims/STATUS.html      the same, one status at a time (a filter that needs no JavaScript)
- sources/KEY.html        one page per source of the site-wide library, with who cites it
- sitemap.xml, robots.txt every public page, with absolute addresses; where the sitemap is
- drafts.html             every draft, in `make devserver` builds only (never published)
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup
from pelican.generators import Generator
from pelican.utils import sanitised_join

from ..output import write_bytes, write_text
from ..render import card, data, language, sitemap
from ..render.addresses import (
    CLAIMS_BY_STATUS_SAVE_AS,
    CLAIMS_DATA_SAVE_AS,
    CLAIMS_SAVE_AS,
    DRAFTS_SAVE_AS,
    METHOD_SAVE_AS,
    ROBOTS_SAVE_AS,
    SITEMAP_SAVE_AS,
    SOURCES_DATA_SAVE_AS,
    STATUSES_SAVE_AS,
    source_page,
    theme_pages,
    written_at,
)
from ..render.view import archive_address
from ..settings import Status
from . import cards, state


@dataclass(frozen=True, slots=True)
class ClaimLine:
    """What the site-wide pages show of a claim. Kept for every claim of the site until they
    are written, instead of its ClaimView, which holds its explainer's models: the views
    stay stored (`render.view.StoredView`) and are unpacked a few at a time."""

    id: str  # its card's id on its explainer's page
    key: str  # its id in the front matter
    text: Markup
    status: Status  # the site's own, not the unpacked view's copy
    by: str | None

    @classmethod
    def of(cls, row: tuple, statuses: dict[str, Status]) -> ClaimLine:
        """From the view's `claim_rows` entry."""
        card, key, text, status, by = row
        return cls(card, key, text, statuses[status], by)


@dataclass(frozen=True, slots=True)
class ClaimEntry:
    """A claim with the explainer it belongs to, for the site-wide index.

    The article's address and title are read once here: Pelican computes `url` anew on
    every access, and the index shows tens of thousands of claims.
    """

    claim: ClaimLine
    article_url: str
    article_title: str


@dataclass(frozen=True, slots=True)
class SourceCitation:
    article: object
    number: int
    claims: list[ClaimLine]


def digest(value: Any) -> str:
    hasher = hashlib.sha256()
    for part in _digested(value):
        hasher.update(part)
    return hasher.hexdigest()


def _digested(value: Any) -> Iterator[bytes]:
    """A value's repr, a list's an item at a time: the claims index shows tens of thousands
    of rows, whose repr at once would be tens of MB. (A tuple holding no list, a row, is
    small: its repr at once, not a call per field.)"""
    if not isinstance(value, (list, tuple)) or (
        isinstance(value, tuple) and not any(isinstance(item, list) for item in value)
    ):
        yield repr(value).encode()
        return
    opening, closing = (b"[", b"]") if isinstance(value, list) else (b"(", b")")
    yield opening
    for item in value:
        yield from _digested(item)
        yield b","
    yield closing


def published_explainers(context: dict) -> list:
    return [article for article in context.get("articles", []) if getattr(article, "explainer", None)]


def written_explainers(context: dict) -> list:
    """Every explainer page the build writes (translations, drafts and hidden ones too):
    each links to its data files, which must be there beside it."""
    listed = [a for name in ("articles", "drafts", "hidden_articles") for a in context.get(name, [])]
    return [a for a in language.with_translations(listed) if getattr(a, "explainer", None) and written_at(a)]


def cited_elsewhere(citing_by_source: dict[str, list[SourceCitation]], pages: list) -> None:
    """`article.cited_elsewhere`: for each source key, how many other published explainers
    cite it (`citing_by_source`: every published version's citations, `citations_by_source`).
    An explainer and its translations are one explainer (Pelican groups them by
    ARTICLE_TRANSLATION_ID, the slug by default): a French page's English original is not
    "another explainer", and an explainer cited only in its translation still counts once."""
    citing = {key: {explainer_id(c.article) for c in found} for key, found in citing_by_source.items()}
    for article in pages:
        keys = set(article.explainer.note_keys)
        others = {key: len(citing.get(key, set()) - {explainer_id(article)}) for key in keys}
        article.cited_elsewhere = {key: count for key, count in sorted(others.items()) if count}


def explainer_id(article) -> tuple:
    """What an explainer's versions share: Pelican's ARTICLE_TRANSLATION_ID fields (the slug by
    default), or the file itself where a site sets none."""
    names = article.settings.get("ARTICLE_TRANSLATION_ID", "slug")
    if not names:
        return (article.source_path,)
    names = (names,) if isinstance(names, str) else tuple(names)
    return tuple(getattr(article, name, None) for name in names)


def explainer_versions(explainers: list) -> list:
    """The explainers and their published translations (Pelican lists only the originals as
    `articles`; a translation hangs on its original's `translations`)."""
    return explainers + [
        translation
        for article in explainers
        for translation in article.translations
        if getattr(translation, "explainer", None)
    ]


def claim_entries(explainers: list, lines: dict[str, list[ClaimLine]]) -> list[ClaimEntry]:
    entries = []
    for article in explainers:
        url, title = article.href, article.explainer.title
        entries += [ClaimEntry(line, url, title) for line in lines[article.source_path]]
    return entries


def citations_by_source(
    explainers: list, statuses: dict[str, Status]
) -> tuple[dict[str, list[SourceCitation]], dict[str, list[ClaimLine]]]:
    """For every source key: the explainers citing it, its number there, the claims resting
    on it; and each explainer's claims as the site-wide pages show them, by its source path
    (for the claims index too: each view is unpacked once for both)."""
    found: dict[str, list[SourceCitation]] = {}
    lines: dict[str, list[ClaimLine]] = {}
    for article in explainers:
        view = article.explainer  # what is read here is kept at hand: nothing unpacked
        own = lines[article.source_path] = [ClaimLine.of(row, statuses) for row in view.claim_rows]
        for key, number, resting in view.citing:
            found.setdefault(key, []).append(SourceCitation(article, number, [own[i] for i in resting]))
    return found, lines


class ExplainerPagesGenerator(Generator):
    def generate_context(self) -> None:
        # Statuses and the library are known before any page is written, so every
        # template can link to these pages.
        settings = state.of(self.settings).run.settings
        self.context["EXPLAINER_STATUSES"] = settings.statuses
        # The pages' addresses are made here alone: templates format these (`.format(key=…)`).
        self.context["STATUSES_URL"] = STATUSES_SAVE_AS
        self.context["METHOD_URL"] = METHOD_SAVE_AS
        self.context["CLAIMS_URL"] = CLAIMS_SAVE_AS
        self.context["CLAIMS_BY_STATUS_URL"] = CLAIMS_BY_STATUS_SAVE_AS
        # The theme's list pages (archives, tags, …) where Pelican writes them, for the navigation.
        self.context["THEME_PAGE_URLS"] = theme_pages(self.settings)
        # Templates see SITEURL made relative per page; canonical links need it absolute, and
        # the 404 page, served at any depth, the site's folder on its host ("" at the root).
        self.context["ABSOLUTE_SITEURL"] = self.settings["SITEURL"]
        self.context["SITE_ROOT"] = urlsplit(self.settings["SITEURL"]).path.rstrip("/")
        # Every article is read now and none written: each explainer learns which of its
        # site-wide sources other published explainers cite too, so that its notes offer
        # "Also cited in …" only when that is true.
        # The same citations make the source pages (`generate_output`).
        self.citing, self.claim_lines = citations_by_source(
            explainer_versions(published_explainers(self.context)), settings.statuses
        )
        # The explainer pages this run writes, each with its data files and card.
        self.written = state.of(self.settings).written = written_explainers(self.context)
        cited_elsewhere(self.citing, self.written)

    def queue_cards(self) -> None:
        """Ask for every explainer's card as a job of the run (`jobs.py`): drawn on every
        core with the pages, each the previous output's while what it shows is unchanged,
        or the one drawn ahead (`cards.py`) for the same."""
        run = state.of(self.settings)
        if not run.draws_cards:
            return
        site_name, statuses = self.settings["SITENAME"], run.run.settings.statuses
        by_key: dict[str, tuple[tuple, list[str]]] = {}
        for article in self.written:
            if not article.draws_card:
                continue
            view = article.explainer
            shown = cards.shown(view.card_title, view.claim_statuses, site_name, statuses)
            # sanitised_join: the address is made from the checked slug, and stays in the output.
            path = sanitised_join(self.output_path, article.social_image)
            by_key.setdefault(cards.key(shown), (shown, []))[1].append(path)  # one card, drawn once
        drawn = run.head_start.stop() if run.head_start is not None else {}
        for key, (shown, paths) in by_key.items():
            for path in paths:
                run.carry.record(path, key)
            job = functools.partial(self.write_card, run, key, shown, paths, drawn.get(key))
            run.jobs.add(paths[0], job)

    @staticmethod
    def modified(article) -> Any:
        return article.modified if "modified" in article.metadata else None

    def data_key(self, article, site_url: str) -> str | None:
        """The data files' key (`carry.py`): what they show is the file's outcome (its key
        names the settings and library too) at the page's address and dates."""
        if not article.explainer.cache_key or not state.of(self.settings).run.cache.enabled:
            return None
        shown = (article.explainer.cache_key, site_url, article.href, article.date, self.modified(article))
        return f"data-{digest(shown)[:32]}"

    def data_paths(self, article) -> list[str]:
        """An explainer's data files: its claims and sources as JSON, its sources as CSL-JSON."""
        return [
            os.path.join(self.output_path, name.format(base=article.data_base))
            for name in (CLAIMS_DATA_SAVE_AS, SOURCES_DATA_SAVE_AS)
        ]

    def write_data(self, article, site_url: str, key: str | None) -> None:
        """The job writing an explainer's data files beside its page; the previous output's,
        linked, while what they show is unchanged."""
        run = state.of(self.settings)
        paths = self.data_paths(article)
        linked = {path for path in paths if key is not None and run.carry.link(path, key)}
        if len(linked) == len(paths):
            return
        view, address = article.explainer.open(), f"{site_url}/{article.href}"
        document = data.claims_document(view, address, article.date, self.modified(article))
        texts = (data.dumps(document), data.dumps(data.csl_document(view)))
        for path, text in zip(paths, texts, strict=True):
            if path not in linked:
                write_text(path, text)

    @staticmethod
    def write_card(run, key: str, shown: tuple, paths: list[str], drawn: str | None) -> None:
        """An explainer's social card, drawn again only when what it shows changed (else the
        previous output's, linked) and not drawn ahead (`drawn`: then moved into place)."""
        paths = [path for path in paths if not run.carry.link(path, key)]
        if not paths:
            return
        if drawn is not None and cards.take(drawn, paths[0]):
            for path in paths[1:]:
                shutil.copyfile(paths[0], path)
            return
        png = card.draw(*shown)
        for path in paths:
            write_bytes(path, png)

    def generate_output(self, writer) -> None:
        run = state.of(self.settings)
        settings = run.run.settings
        explainers = published_explainers(self.context)
        entries = claim_entries(explainers, self.claim_lines)
        relative = self.settings["RELATIVE_URLS"]

        def write(name: str, template: str, shows: Any, **values) -> None:
            # `shows`: the data the page shows; the writer reuses the page while it is unchanged
            # (None: rendered every time).
            writer.write_file(
                name,
                self.get_template(template),
                self.context,
                relative_urls=relative,
                page_name=name.removesuffix(".html"),
                render_key=digest(shows) if shows is not None else None,
                streamed=True,  # the claims index runs to tens of MB
                **values,
            )

        write(STATUSES_SAVE_AS, "statuses", "statuses", statuses=settings.statuses.values())
        # The rule as the build applies it (document/rules.py): how many publishers each status needs.
        corroboration = [
            (settings.statuses[key], needed)
            for key, needed in settings.corroboration.items()
            if key in settings.statuses and needed > 1
        ]
        write(
            METHOD_SAVE_AS,
            "method",
            (
                "method",
                [(s.key, s.label, s.description) for s in settings.statuses.values()],
                [(s.key, n) for s, n in corroboration],
                settings.strict,
            ),
            statuses=settings.statuses.values(),
            corroboration=corroboration,
            strict=settings.strict,
        )
        # The index groups the claims by status, in the site's order of statuses.
        by_status: dict[str, list[ClaimEntry]] = {key: [] for key in settings.statuses}
        for entry in entries:
            by_status[entry.claim.status.key].append(entry)
        counts = {key: len(chosen) for key, chosen in by_status.items()}
        groups = [(settings.statuses[key], chosen) for key, chosen in by_status.items() if chosen]
        # What a claims page shows of each explainer listed: its claims' rows (a digest kept
        # with its view, by status), its address and title; not the rows themselves, which run
        # to tens of thousands and were hashed once per page.

        def claims_shown(status: str | None) -> Any:
            shown = [
                (article.href, article.explainer.title, article.explainer.rows_digests[status])
                for article in explainers
                if status in article.explainer.rows_digests
            ]
            return (shown, counts, status)

        if self.settings.get("DEVSERVER"):
            # A draft's translations hang on it, as a published explainer's do: list them too.
            listed = [*self.context.get("drafts", []), *self.context.get("draft_pages", [])]
            drafts = language.with_translations(listed)
            shown = [(d.save_as, d.title, d.relative_source_path) for d in drafts]
            write(DRAFTS_SAVE_AS, "drafts", shown, drafts=drafts)
        write(
            CLAIMS_SAVE_AS,
            "claims",
            claims_shown(None),
            claim_groups=groups,
            status_filter=None,
            status_counts=counts,
        )
        for key, status in settings.statuses.items():
            chosen = by_status[key]
            write(
                CLAIMS_BY_STATUS_SAVE_AS.format(status=key),
                "claims",
                claims_shown(key),
                claim_groups=[(status, chosen)] if chosen else [],
                status_filter=status,
                status_counts=counts,
            )
        library = run.run.library
        archives = run.run.lockfile
        # A source's page lists every version citing it; the claims index, the originals only.
        for key, entry in library.items():
            citations = self.citing.get(key, [])
            archived = archives.copy_for(entry.source)
            shown = (
                entry.source.model_dump_json(),
                archived.model_dump_json() if archived else None,
                [
                    (
                        c.article.href,
                        c.article.title,
                        c.article.lang,
                        c.number,
                        [(claim.id, claim.text, claim.status.key) for claim in c.claims],
                    )
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
        for article in self.written:
            paths = self.data_paths(article)
            key = self.data_key(article, site_url)
            if key is not None:
                for path in paths:
                    run.carry.record(path, key)
            run.jobs.add(paths[0], functools.partial(self.write_data, article, site_url, key))
        self.queue_cards()
        statuses = [CLAIMS_BY_STATUS_SAVE_AS.format(status=key) for key in settings.statuses]
        site_pages = [
            "",
            *sitemap.list_pages(self.context, self.context["THEME_PAGE_URLS"]),
            CLAIMS_SAVE_AS,
            *statuses,
            STATUSES_SAVE_AS,
            METHOD_SAVE_AS,
            *[source_page(k) for k in library],
        ]
        document = sitemap.sitemap_xml(site_url, sitemap.public_contents(self.context), site_pages)
        write_bytes(os.path.join(self.output_path, SITEMAP_SAVE_AS), document)
        write_text(os.path.join(self.output_path, ROBOTS_SAVE_AS), sitemap.robots_txt(site_url))
        # Every generator before this one has asked for its pages (Pelican runs this one after
        # its own, before the static files): render them all now, on every core.
        run.jobs.run()
