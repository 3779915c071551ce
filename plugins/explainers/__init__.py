"""Explainers: Markdown with claims and sources in YAML front matter, rendered with numbered
source notes. `register()` connects the handlers; each lives in the module of its job."""

from __future__ import annotations

from pelican import signals

from . import feeds, reader, site_pages, structured_data, view
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


def add_structured_data(content) -> None:
    view = getattr(content, "explainer", None)
    if view is None:
        return
    settings = reader.current_build(content.settings).settings
    site_url = content.settings.get("SITEURL", "")
    page_url = f"{site_url}/{content.url}" if site_url else content.url
    data = structured_data.page_jsonld(
        view, page_url, settings, content.date, content.modified if "modified" in content.metadata else None
    )
    content.structured_data = structured_data.to_script_text(data)


def add_template_filters(pelican) -> None:
    filters = pelican.settings.setdefault("JINJA_FILTERS", {})
    filters.setdefault("display_date", view.display_date)
    filters.setdefault("iso_date", view.iso)


def add_generators(pelican):
    return site_pages.ExplainerPagesGenerator


def register() -> None:
    signals.get_generators.connect(add_generators)
    signals.feed_generated.connect(feeds.add_notes_to_entries)
    signals.initialized.connect(add_template_filters)
    signals.readers_init.connect(add_reader)
    signals.all_generators_finalized.connect(report_problems)
    signals.content_object_init.connect(add_structured_data)
