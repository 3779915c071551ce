"""The sources the site cites, each with the place that declares it: what `make archive`
and `make linkcheck` visit, and where their warnings point.

Files with problems are read as far as they are valid (`make check` reports the rest),
so that one broken explainer does not keep the others' pages from being archived.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import Progress

from ..document import frontmatter, validate
from ..document.library import DeclaredSource, load_library
from ..run import explainer_files


def cited_sources(
    content_path: str, sources_dir: str, ignore: list[str] | None = None
) -> list[DeclaredSource]:
    """Every valid source declared by the site's library or an explainer, in file order."""
    found = list(load_library(content_path, sources_dir)[0].values())
    for path in explainer_files(content_path, sources_dir, ignore):
        try:
            with open(path, encoding="utf-8") as handle:
                document = frontmatter.split(frontmatter.normalise(handle.read()))
        except (UnicodeDecodeError, frontmatter.FrontMatterError):
            continue
        if document.yaml_text is None:
            continue
        front, _ = frontmatter.load(document)
        if front is None:
            continue
        sources = validate.validate_explainer(front.data, front.invalid).explainer.sources or {}
        found += [
            DeclaredSource(key, source, path, front.line(("sources", key))) for key, source in sources.items()
        ]
    return found


@contextmanager
def progress_bar(label: str, total: int) -> Iterator[Callable[[str], None]]:
    """A progress bar on a terminal; elsewhere (a CI log) one line per address."""
    if sys.stderr.isatty():
        with Progress(console=Console(stderr=True), transient=True) as progress:
            task = progress.add_task(label, total=total)
            yield lambda _line: progress.advance(task)
        return
    done = 0

    def advance(line: str) -> None:
        nonlocal done
        done += 1
        print(f"[{done}/{total}] {line}", file=sys.stderr, flush=True)

    yield advance
