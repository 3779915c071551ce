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

from ..document.library import DeclaredSource
from ..run import Run


def cited_sources(run: Run) -> list[DeclaredSource]:
    """Every valid source declared by the site's library or an explainer, in file order,
    each explainer read through the spine as `make check` reads it."""
    found = list(run.library.values())
    for path in run.documents():
        result = run.read(path)
        for key, source, line in getattr(result, "declared", []):
            found.append(DeclaredSource(key, source, path, line))
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
