"""One run over a content folder: the settings, the site's sources library, every file read
through the spine, and every problem found.

The Pelican reader and `make check` both go through a `Run`, so the two see the
same problems; `finish()` adds the site-wide ones once every file has been read.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .cache import OutcomeCache, file_key
from .document import frontmatter, lockfile
from .document.library import library_files, load_library
from .document.problems import ERROR, WARNING, Problem, ProblemLog, display_path
from .document.rules import review_warnings
from .read import ExplainerBuilder, Result, markdown_options
from .settings import from_pelican


class Run:
    def __init__(self, pelican_settings: Mapping[str, Any], *, pages: bool = True):
        """`pages`: whether the run writes pages (a build) or only reports problems (a check)."""
        self.settings = from_pelican(pelican_settings)
        self.content_path = pelican_settings["PATH"]
        self.pages = pages
        self.log = ProblemLog()
        self.library, library_problems = load_library(self.content_path, self.settings.sources_dir)
        self.log.extend(library_problems)
        self.reached: set[str] = set()
        self.addresses: dict[str, str] = {}  # output file -> the explainer written there
        self.finished = False
        self.markdown_settings = pelican_settings.get("MARKDOWN")
        self._builder: ExplainerBuilder | None = None
        library_bytes = [
            Path(p).read_bytes() for p in library_files(self.content_path, self.settings.sources_dir)
        ]
        self.lockfile, lockfile_problems = lockfile.load(self.content_path)
        self.log.extend(lockfile_problems)
        self.cache = OutcomeCache(
            pelican_settings.get("CACHE_PATH") if self.settings.cache else None,
            self.content_path,
            depends_on=(
                pelican_settings.get("EXPLAINERS"),
                markdown_options(self.markdown_settings),
                library_bytes,
                self.lockfile.text,
            ),
        )

    @property
    def builder(self) -> ExplainerBuilder:
        # Made on first need: a check whose every file is cached never loads Markdown.
        if self._builder is None:
            self._builder = ExplainerBuilder(
                self.settings, self.library, self.markdown_settings, self.lockfile
            )
        return self._builder

    def read(self, path: str) -> Result | CheckOutcome | None:
        """The explainer at `path`, built or from the cache; None when it is not an explainer.

        In a check (`pages=False`) only its problems and reached sources are kept.
        """
        with open(path, "rb") as handle:
            data = handle.read()
        if not data.strip():
            # Pelican would stop on it with a message of its own; say it here, located.
            self.log.error(
                path, 1, "the file is empty: give it front matter and a body, or delete it", "empty-file"
            )
            return CheckOutcome([], [], []) if not self.pages else Result(True)
        if not frontmatter.has_front_matter(data[:8].decode("utf-8", "replace").lstrip("\ufeff")):
            return None
        key = file_key(path, data)
        cached = self.cache.get(key, "build" if self.pages else "check")
        if cached is None:
            result = self._build(path, data)
            outcome = CheckOutcome.of(result)
            self.cache.put(key, {"build": result, "check": outcome})
            cached = result if self.pages else outcome
        if isinstance(cached, Result) and cached.view is not None:
            cached.view.cache_key = key
        outcome = cached if isinstance(cached, CheckOutcome) else CheckOutcome.of(cached)
        self.log.extend(outcome.problems)
        self.log.extend(review_warnings(outcome.reviews, path, self.settings.today))
        self.reached.update(outcome.reached)
        return cached

    def _build(self, path: str, data: bytes) -> Result:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            message = (
                f"the file is not UTF-8 text: byte {data[exc.start]:#04x} cannot be read "
                f"({exc.reason}); save it as UTF-8"
            )
            return Result(True, problems=[Problem(path, line, ERROR, message, "not-utf8")])
        return self.builder.build(path, text)

    def claim_address(self, save_as: str, path: str) -> None:
        """Two explainers written to one file would overwrite each other: say so."""
        first = self.addresses.setdefault(save_as, path)
        if first != path:
            # Reported at the later file in name order, whichever Pelican happened to read first.
            first, later = sorted((first, path))
            self.log.error(
                later,
                1,
                f"this explainer is written to {save_as}, as is {display_path(first)}: "
                "give one of them its own slug",
                "duplicate-address",
            )

    def finish(self) -> ProblemLog:
        """Add the problems that only the whole site shows; return the run's log."""
        self.finished = True
        for key, entry in self.library.items():
            if key not in self.reached:
                self.log.warning(
                    entry.path,
                    entry.line,
                    f'site-wide source "{key}" is not cited by any explainer',
                    "unreached-source",
                )
        return self.log

    def fails(self) -> bool:
        return self.log.fails(strict=self.settings.strict)


@dataclass(frozen=True)
class CheckOutcome:
    """What `make check` needs of an explainer: its problems and the sources it reaches."""

    problems: list[Problem]
    reached: list[str]
    reviews: list[tuple[str, int, Any]]

    @classmethod
    def of(cls, result: Result) -> CheckOutcome:
        reached = [note.key for note in result.view.notes] if result.view else []
        return cls(result.problems, reached, result.reviews)


def explainer_files(content_path: str, sources_dir: str, ignore: list[str] | None = None) -> list[str]:
    """Every Markdown file under the content folder, in a stable order (sources/ excluded)."""
    extensions = (".md", ".markdown", ".mkd", ".mdown")
    ignore = ignore or []
    found = []
    for folder, subfolders, files in os.walk(content_path):
        subfolders[:] = sorted(
            name
            for name in subfolders
            if not any(fnmatch.fnmatch(name, pattern) for pattern in ignore)
            and os.path.join(folder, name) != os.path.join(content_path, sources_dir)
        )
        found += [
            os.path.join(folder, name)
            for name in sorted(files)
            if name.endswith(extensions) and not any(fnmatch.fnmatch(name, p) for p in ignore)
        ]
    return found


__all__ = ["ERROR", "WARNING", "Problem", "Run", "explainer_files"]
