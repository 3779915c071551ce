"""Explainers: Markdown with claims and sources in YAML front matter, rendered with numbered
source notes. `register()` connects the Pelican side's handlers (`plugin/handlers.py`).

The layout shows who calls whom: `read.py` is the spine (one content file in, its model,
body HTML, page view and problems out) and `run.py` reads a whole content folder through
it; `document/` is what the spine reads with, `render/` what pages are made from,
`plugin/` the only code that touches Pelican, `tools/` the make targets, `online/` the
tools that go online.
"""

from __future__ import annotations


def register() -> None:
    # Imported here, by Pelican's call: `python -m explainers check` imports this package
    # too, and a check whose every outcome is cached needs neither Pelican's generators nor
    # the plugin's (a third of a second of imports, for a run that takes less in all).
    from pelican import signals  # noqa: PLC0415

    from .plugin import handlers, quiet, unpublished  # noqa: PLC0415

    quiet.install()
    # In the order a run meets them.
    signals.initialized.connect(handlers.configure)
    signals.get_generators.connect(handlers.start_run)
    signals.readers_init.connect(handlers.add_reader)
    signals.get_generators.connect(handlers.add_generators)
    signals.generator_init.connect(handlers.speak_the_page_language)
    signals.generator_init.connect(handlers.add_templates)
    signals.get_writer.connect(handlers.use_caching_writer)
    signals.content_object_init.connect(handlers.prepare_content)
    signals.page_generator_finalized.connect(unpublished.drop_unwritten_links)
    signals.all_generators_finalized.connect(handlers.report_problems)
    signals.feed_generated.connect(handlers.add_notes_to_feed)
    signals.finalized.connect(handlers.end_of_run)
