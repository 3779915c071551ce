"""The Pelican reader: explainers (YAML front matter) here, other Markdown to Pelican's own."""

from __future__ import annotations

import os
from typing import Any

from pelican.readers import MarkdownReader

from . import frontmatter
from .build import Build
from .library import SiteSource
from .lockfile import Lockfile
from .settings import ExplainerSettings

# Page fields whose value the plugin has already shaped; Pelican turns them into its own objects.
_PELICAN_FIELDS = ("title", "slug", "status", "lang", "category", "tags", "authors")

_build: Build | None = None


def current_build(settings: dict[str, Any]) -> Build:
    """The Build of the run under way: a new one once the last run has finished reading."""
    global _build
    if _build is None or _build.finished:
        _build = Build(settings)
    return _build


def site_settings(settings: dict[str, Any]) -> ExplainerSettings:
    return (_build or current_build(settings)).settings


def site_library(settings: dict[str, Any]) -> dict[str, SiteSource]:
    """The sources library of the run under way (read once, at its start)."""
    return (_build or current_build(settings)).library


def site_archives(settings: dict[str, Any]) -> Lockfile:
    """The archive lockfile of the run under way (read once, at its start)."""
    return (_build or current_build(settings)).lockfile


def last_build() -> Build | None:
    return _build


def finish_build() -> Build | None:
    """Called once every file has been read: the run's problems are complete."""
    if _build is None or _build.finished:
        return None
    _build.finish()
    return _build


class ExplainerReader(MarkdownReader):
    def read(self, source_path: str):
        if not _starts_with_front_matter(source_path):
            return super().read(source_path)
        result = current_build(self.settings).read(source_path)
        if result is None or result.view is None:
            # Its problems are reported at the end of the run; nothing to publish.
            return "", {"title": os.path.basename(source_path), "status": "skip"}
        return result.html, self.metadata(result.view)

    def metadata(self, view) -> dict[str, Any]:
        model = view.model
        fields = model.model_dump(include=set(_PELICAN_FIELDS), exclude_none=True)
        if not fields.get("tags"):
            fields.pop("tags", None)
        if not fields.get("authors"):
            fields.pop("authors", None)
        metadata = {name: self.process_metadata(name, value) for name, value in fields.items()}
        metadata["date"] = self.process_metadata("date", model.date.isoformat())
        if model.last_modified:
            metadata["modified"] = self.process_metadata("modified", model.last_modified.isoformat())
        if view.summary is not None:
            metadata["summary"] = str(view.summary)
        for name, value in (model.model_extra or {}).items():
            metadata[name.lower()] = self.process_metadata(name.lower(), value)
        metadata.setdefault("template", "explainer")
        metadata["explainer"] = view
        return metadata


def _starts_with_front_matter(path: str) -> bool:
    """An explainer, or an empty file (which the plugin reports, located, as a problem)."""
    with open(path, "rb") as handle:
        start = handle.read(64)
    return not start.strip() or frontmatter.has_front_matter(
        start.decode("utf-8", "replace").lstrip("\ufeff")
    )
