"""One run of the site: the settings, the site's sources library, and every problem found.

The Pelican reader and `make check` both go through a `Build`, so the two see the
same problems; `finish()` adds the site-wide ones once every file has been read.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Mapping
from typing import Any

from . import frontmatter
from .explainer import ExplainerBuilder, Result
from .library import load_library
from .problems import ERROR, WARNING, Problem, ProblemLog
from .settings import from_pelican


class Build:
    def __init__(self, pelican_settings: Mapping[str, Any]):
        self.settings = from_pelican(pelican_settings)
        self.content_path = pelican_settings["PATH"]
        self.log = ProblemLog()
        self.library, library_problems = load_library(self.content_path, self.settings.sources_dir)
        self.log.extend(library_problems)
        self.reached: set[str] = set()
        self.finished = False
        self.builder = ExplainerBuilder(self.settings, self.library, pelican_settings.get("MARKDOWN"))

    def read(self, path: str) -> Result | None:
        """Build the explainer at `path`; None when the file is not an explainer."""
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except UnicodeDecodeError as exc:
            with open(path, "rb") as handle:
                line = handle.read(exc.start).count(b"\n") + 1
            self.log.error(
                path,
                line,
                f"the file is not UTF-8 text: byte {exc.object[exc.start]:#04x} "
                f"cannot be read ({exc.reason}); save it as UTF-8",
                "not-utf8",
            )
            return Result(True)
        if not frontmatter.has_front_matter(frontmatter.normalise(text[:8])):
            return None
        result = self.builder.build(path, text)
        self.log.extend(result.problems)
        if result.view is not None:
            self.reached.update(note.key for note in result.view.notes)
        return result

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


__all__ = ["ERROR", "WARNING", "Build", "Problem", "explainer_files"]
