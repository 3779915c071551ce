"""The Pelican reader: every content file Pelican reads goes through the spine.

Pelican hands the reader a path; the run reads it (`run.Run.read`) and the reader turns
the outcome into what Pelican wants: the body HTML and Pelican metadata, made only from
the allow-listed, validated fields. A file with errors is skipped (status `skip`): its
problems are reported at the end of the run, which then fails.
"""

from __future__ import annotations

import os
from typing import Any

from pelican.readers import BaseReader
from pelican.urlwrappers import URLWrapper

from . import state

# The content file types the site accepts; Pelican's other readers (reStructuredText,
# HTML) are switched off, so nothing reaches a page except through this door.
MARKDOWN_EXTENSIONS = ("md", "markdown", "mkd", "mdown")
# The fields Pelican parses into dates (its `get_date`); the same text is the same date
# within a run (a date missing its day is completed from the day the run started on).
PARSED_ONCE = frozenset({"date", "modified"})


def install(readers) -> None:
    for extension in list(readers.reader_classes):
        # "static": Pelican's own reader of static files' metadata (it reads no content).
        if extension != "static":
            readers.reader_classes[extension] = None
    for extension in MARKDOWN_EXTENSIONS:
        readers.reader_classes[extension] = ExplainerReader


class ExplainerReader(BaseReader):
    enabled = True
    file_extensions = MARKDOWN_EXTENSIONS

    def read(self, source_path: str):
        this = state.of(self.settings)
        run = this.run
        outcome = run.read(source_path)
        if not outcome.publishable:
            # Its problems are reported at the end of the run; nothing to publish.
            return "", {"title": os.path.basename(source_path), "status": "skip"}
        metadata: dict[str, Any] = {
            name: self._processed(name, value, this) for name, value in outcome.metadata.items()
        }
        if source_path in run.held:
            # A translation of a draft is a draft too: published alone, it would break the
            # original's embargo (the run warns at its line).
            metadata["status"] = "draft"
        if outcome.summary is not None:
            metadata["summary"] = outcome.summary
        if outcome.view is not None:
            metadata.setdefault("template", "explainer")
            metadata["explainer"] = outcome.view
        return outcome.html, metadata

    def _processed(self, name: str, value: Any, this: state.PelicanRun) -> Any:
        """Pelican's value of a field (`process_metadata`), made once a run where many files
        share it: a date's text is parsed once (dateutil's parser, 20 µs a call), and a name
        is one object (`_shared`). A date is an immutable object, so sharing it is safe."""
        if name in PARSED_ONCE and isinstance(value, str):
            if (name, value) not in this.dates:
                this.dates[name, value] = self.process_metadata(name, value)
            return this.dates[name, value]
        return _shared(self.process_metadata(name, value), this.names)


def _shared(value: Any, shared: dict[tuple[type, str], URLWrapper]) -> Any:
    """A field's value with each tag, category and author the run's one object of that name.

    Pelican makes an object per name per article, and each works out its slug (Pelican's
    `slugify`) the first time it is hashed or its address asked: for each of an explainer's
    tags, its category and its authors, the same few names again and again. The slug is the
    name's, with the settings of its kind, so one object a name and kind gives every page
    what its own would."""
    if isinstance(value, URLWrapper):
        return shared.setdefault((type(value), value.name), value)
    if isinstance(value, list):
        return [_shared(item, shared) for item in value]
    return value
