"""Explainers: Markdown with claims and sources in YAML front matter, rendered with numbered
source notes. `register()` connects the handlers; each lives in the module of its job."""

from __future__ import annotations

from pelican import signals

from . import data, feeds, reader, search, site_pages, structured_data, view, writer
from .problems import ContentError


def add_reader(readers) -> None:
    for extension in reader.ExplainerReader.file_extensions:
        readers.reader_classes[extension] = reader.ExplainerReader


def report_problems(generators) -> None:
    """After every file is read and before anything is written: report, and stop on errors."""
    build = reader.finish_build()
    if build is None:
        return
    log = build.log
    log.report()
    if build.fails():
        raise ContentError(f"the content has problems: {log.summary()}")
    # Everything is read and valid: index it for search while Pelican writes the site.
    search.current().start(generators[0].output_path)


def prepare_content(content) -> None:
    """Each article or page, once Pelican has made it: its address; for explainers, their
    JSON-LD and search record."""
    # Pelican works `url` out from the settings on every access; lists use it thousands of times.
    content.href = content.url
    content.data_base = data.data_base(content.save_as)
    view = getattr(content, "explainer", None)
    if view is None:
        return
    build = reader.current_build(content.settings)
    build.claim_address(content.save_as, content.source_path)
    content.structured_data = structured_data.PageData(content, build.settings)
    if content.status == "published":
        search.current(build.cache.subfolder("search")).add(content)


def add_template_filters(pelican) -> None:
    filters = pelican.settings.setdefault("JINJA_FILTERS", {})
    filters.setdefault("display_date", view.display_date)
    filters.setdefault("iso_date", view.iso)
    filters.setdefault("text_fragment", view.text_fragment)


def add_generators(pelican):
    return site_pages.ExplainerPagesGenerator


def use_caching_writer(pelican):
    return writer.CachingWriter


def end_of_run(pelican) -> None:
    build = reader.last_build()
    if build is not None:
        build.cache.prune()  # only now: this run's pages have all been written or reused


def register() -> None:
    signals.get_generators.connect(add_generators)
    signals.get_writer.connect(use_caching_writer)
    signals.finalized.connect(end_of_run)
    signals.feed_generated.connect(feeds.add_notes_to_entries)
    signals.initialized.connect(add_template_filters)
    signals.readers_init.connect(add_reader)
    signals.all_generators_finalized.connect(report_problems)
    signals.content_object_init.connect(prepare_content)
