"""The handlers `register()` connects to Pelican's signals, in the order a run meets them.

Each takes its run's state from what Pelican hands it (`state.of(settings)`).
"""

from __future__ import annotations

import sys

from pelican.settings import DEFAULT_CONFIG

from ..document import dates, files, notes
from ..document.inline import InlineRenderer
from ..document.problems import ContentError
from ..render import addresses, card, citation_names, data, feeds, media, structured_data, tables, view
from ..settings import from_pelican
from . import cards, generator, reader, state, templates, writer
from .compiled import keep_compiled_templates
from .jobs import Jobs


def configure(pelican) -> None:
    """`initialized`, once per Pelican instance: the settings every run of it shares, and the
    template filters the theme uses (ids are made by `notes` alone, templates too)."""
    # The files systems and editors leave behind (.DS_Store, x.md~, …), which the door skips,
    # are neither read nor copied as static files by Pelican either.
    pelican.settings["IGNORE_FILES"] = [*pelican.settings.get("IGNORE_FILES", []), *files.SYSTEM_FILES]
    # Page fields come from the allow-listed fields alone, never from a file's name or folder
    # (Pelican reads a date out of `2025-13-45-x.md` by default, and fails on it).
    pelican.settings["FILENAME_METADATA"] = ""
    pelican.settings["PATH_METADATA"] = ""
    # The pages' policy allows frames from the embed hosts alone (base.html). Set here, not
    # per run: Pelican copies the settings into the templates' context before a run's signals.
    site = from_pelican(pelican.settings)
    pelican.settings["EXPLAINERS_FRAME_SRC"] = site.frame_src
    keep_compiled_templates(pelican.settings, site.cache)
    filters = pelican.settings.setdefault("JINJA_FILTERS", {})
    filters.setdefault("iso_date", dates.iso)
    filters.setdefault("text_fragment", view.text_fragment)
    # Smart quotes for the front matter's plain-text fields the page shows (a source's title
    # and note, who makes a claim), as the body and the inline fields have them. Never for a
    # quote: that is word for word, and its link finds it in the source.
    filters.setdefault("smart_quotes", InlineRenderer().smart)
    filters.setdefault("note_id", notes.note_id)
    filters.setdefault("claim_id", notes.claim_id)
    filters.setdefault("source_page", addresses.source_page)
    filters.setdefault("page_address", addresses.page_address)
    # A table scrolls sideways in its own labelled box, never pushing the page wide.
    filters.setdefault("scroll_tables", tables.scroll_tables)
    # A citation is named "Source 3" in the page's language, not announced as a bare number.
    filters.setdefault("name_citations", citation_names.name_citations)


def start_run(pelican) -> None:
    """`get_generators`, the first signal of every `Pelican.run()`: a new run, with its own
    problems, sources library, reading and search index. Not `initialized`: that comes once
    per instance, and Pelican's `-r` (autoreload) runs one instance again and again."""
    previous = getattr(pelican, "explainers_run", None)
    run = state.start(pelican)
    # Pelican walks the content folder following links; it must not walk a linked folder
    # (one leading out is reported by the run; one leading in would be read twice). The
    # folders linked at the last run are taken out first: the content may have changed.
    before = set(previous.run.linked_folders) if previous is not None else set()
    for name in ("ARTICLE_EXCLUDES", "PAGE_EXCLUDES", "STATIC_EXCLUDES"):
        kept = [path for path in pelican.settings.get(name, []) if path not in before]
        pelican.settings[name] = [*kept, *run.run.linked_folders]
    # Pelican's generators read one file at a time: read and convert them all now, on every core.
    run.run.read_ahead()
    # While Pelican makes the site of them in this process, the other core draws their cards.
    if previous is not None and previous.head_start is not None:  # `pelican -r`: a run that failed
        previous.head_start.remove()
    run.head_start = cards.HeadStart.start(run)


def speak_the_page_language(generator) -> None:
    """`generator_init`: every generator renders with its own Jinja environment; each gets
    Jinja's i18n extension with the gettext pair that reads the page's language, and the
    filters that show dates and language names in it (a site's own JINJA_FILTERS win)."""
    run = state.of(generator.settings)
    theme = run.theme_language(generator.settings["THEME"])
    env = generator.env
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(theme["gettext"], theme["ngettext"], newstyle=True)
    # The pair is newstyle already (`language.callables`): called as it is, not through the
    # extension's wrappers, and `_` too, not through its alias.
    env.globals.update(_=theme["gettext"], gettext=theme["gettext"], ngettext=theme["ngettext"])
    for name, function in theme["filters"].items():
        env.filters.setdefault(name, function)


def add_reader(readers) -> None:
    """`readers_init`: every content file Pelican reads goes through the explainers' door."""
    reader.install(readers)


def add_generators(pelican):
    return generator.ExplainerPagesGenerator


def add_templates(generator) -> None:
    """`generator_init`: the plugin's own templates, found after the theme's."""
    templates.add_fallback(generator)


def use_caching_writer(pelican):
    return writer.CachingWriter


def prepare_content(content) -> None:
    """Each article or page, once Pelican has made it: its address; for explainers, their
    JSON-LD and search record."""
    # Pelican works `url` and `save_as` out from the settings on every access; lists and the
    # site-wide passes ask them thousands of times (`addresses.address_of`, `written_at`).
    content.href = content.url
    content.saved_as = content.save_as
    content.data_base = data.data_base(content.saved_as)
    if not _may_link_files(content):
        # Pelican then looks for none (`get_static_links`: 60 µs an explainer, every build).
        content.get_static_links = _no_static_links
    run = state.of(content.settings)
    explainer = getattr(content, "explainer", None)
    if explainer is None:
        return
    # Fixed from now on, as `url:` and `save_as:` fields fix them (Pelican's own overrides):
    # Pelican itself then asks for them thousands of times at no cost. An explainer's are
    # known once it is made (its slug, language and status are checked by then).
    content.override_url, content.override_save_as = content.href, content.saved_as
    content.lead_image = media.publish(content)
    content.structured_data = structured_data.PageData(content, run.run.settings)
    # What a share shows: the writer's lead image when there is one (its address is known
    # only once Pelican has placed the static files, so the template reads it from
    # `lead_image`), else a card drawn for the page.
    content.social_image, content.draws_card = card.social_image(content.data_base, content.lead_image)
    if content.status == "published":
        # Indexed only once the whole site is known to be sound (`report_problems`): the
        # record is written at the page's address, which must first pass the run's checks.
        run.to_index.append(content)


def _may_link_files(content) -> bool:
    """Whether Pelican's `get_static_links` can find anything in this content's HTML. It tries
    its expression at every tag of the page (60 µs an explainer); with Pelican's own
    INTRASITE_LINK_REGEX a link's value opens with `{` or `|` (`{static}`, `|attach|`), and
    a page with neither character has none to find. (Looking for the one character is
    memchr's work, half a microsecond a page; for the two characters a link starts with,
    `"{` and the like, it was 80.)"""
    if content.settings.get("INTRASITE_LINK_REGEX") != DEFAULT_CONFIG["INTRASITE_LINK_REGEX"]:
        return True  # a site's own expression: Pelican's look, as it is
    html = content._content or ""
    return "{" in html or "|" in html


def _no_static_links() -> set[str]:
    return set()


def report_problems(generators) -> None:
    """`all_generators_finalized`: every file is read and nothing written yet. Report, and
    stop on errors."""
    run = state.of(generators[0].settings)
    if run.reported:
        return
    run.reported = True
    log = run.run.finish()
    log.report(read=run.run.door.read_file)
    note = run.run.unpublished_drafts_note()
    if note:
        print(note, file=sys.stderr)
    if run.run.fails():
        raise ContentError(f"the content has problems: {run.run.summary()}{run.run.strictness()}")
    # Everything is read and valid: index it for search while Pelican writes the site.
    if run.to_index and run.run.settings.search:
        index = run.index()
        for content in run.to_index:
            index.add(content)
        # Its records are written on every core, before Pagefind starts on them.
        index.start(generators[0].output_path, Jobs(run.run.settings.workers))
    # Then, for a theme that knows nothing of explainers, claims and notes join the body.
    templates.adapt_to_theme(generators)


def end_of_run(pelican) -> None:
    """`finalized`: this run's pages have all been written or reused: the search index, made
    while they were written, joins them (whoever runs Pelican: `make html` or a foreign
    site's own `pelican`); the cache forgets the rest."""
    run = state.of(pelican.settings)
    run.jobs.run()  # any page still waiting (the generator that renders them ran first)
    if run.head_start is not None:
        run.head_start.remove()  # what was drawn ahead and not taken: an explainer not written
    cards.remove_stale(run.run.cache)  # a killed build's
    if run.search is not None:
        run.search.finish()
    run.run.cache.prune()


def add_notes_to_feed(context, feed) -> None:
    """`feed_generated`: each entry carries its explainer's claims, corrections and source notes,
    in its page's language (the theme's catalogs)."""
    # Pelican sends its generators' context, copied from the settings before this run's state
    # was put in them; an article holds the settings themselves. (No article: no explainer entry.)
    articles = context.get("articles") or ()
    run = state.of(articles[0].settings) if articles else None
    catalogs = run.theme_language(context["THEME"])["catalogs"] if run else None
    feeds.add_notes_to_entries(context, feed, catalogs)
