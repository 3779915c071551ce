"""The dev server's instant preview: the explainer just saved, built alone, served first.

A full build of a large site takes seconds; a writer who saves wants that page now. So
before the full build (a fresh process, as before), the dev server builds the saved file
alone with Pelican (`plugin/alone.py`) in its own process, where Pelican, the plugin and Markdown are already
loaded: only that file is read (ARTICLE_PATHS), no list, feed, static file or search
index is written, and the outcome cache is left alone (a run that reads one file would
prune every other file's entry). Its page and data files replace the served ones; the full
build then brings the rest of the site (lists, claims index, search, other explainers'
"citing it" links) up to date. A file that cannot be built alone (a page, a sources file,
one with errors) is left to the full build, which reports it.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

from ..document import files
from ..document.library import library_files
from ..document.lockfile import LOCKFILE
from ..plugin import alone
from ..settings import from_pelican

# Where a file names another file of the site (its pictures and downloads): a
# Markdown link's or image's address (`](images/map.png)`, `]({static}/x.png)`), a link
# definition's (`[map]: images/map.png`), a raw element's (`src="…"`, `href='…'`), the lead
# image's `file:`. A superset of what the run confines: a name that is no file is not copied.
# Each line start is a place to look: what follows one (a label, the space before `file:`)
# stops at the next bracket or the line's end, or a file of blank lines took hours.
_NAMED = re.compile(
    r"""\]\(\s*<?(?P<inline>[^)\s>]+)"""
    r"""|^[ ]{0,3}\[[^\[\]]*\]:\s*<?(?P<defined>[^\s>]+)"""
    r"""|\b(?:src|href|poster|data)\s*=\s*(?P<quote>["'])(?P<attribute>.*?)(?P=quote)"""
    r"""|^[ \t]*file:[ \t]*(?P<field>[^\s#]+)""",
    re.MULTILINE,
)
_MARKER = re.compile(r"^[{|](static|attach)[|}]")


def linked_files(path: str, data: bytes, door: files.Door) -> list[str] | None:
    """The files other than explainers that `path` (relative to the content folder; `data`
    its bytes) names, which are in the content folder, relative to it: what its run may
    publish beside its page (pictures, downloads), to build it in a folder of its own. None
    when it links another document (`.md`, or `{filename}`), whose run needs the content
    folder."""
    root = os.path.normpath(door.root)
    found = []
    for match in _NAMED.finditer(data.decode("utf-8", "replace")):
        value = match["inline"] or match["defined"] or match["attribute"] or match["field"] or ""
        value = value.strip().strip("\"'")
        if value.startswith(("{filename}", "|filename|")):
            return None
        try:
            parts = urlsplit(_MARKER.sub("", value))
        except ValueError:  # a bracket left open where a host would be: no file's name
            continue
        if parts.scheme or parts.netloc or not parts.path:
            continue  # an address, a fragment of this page
        if parts.path.lower().endswith(".md"):
            return None
        base = root if parts.path.startswith("/") else os.path.dirname(os.path.join(root, path))
        named = os.path.relpath(os.path.normpath(os.path.join(base, parts.path.lstrip("/"))), root)
        if not named.startswith("..") and os.path.isfile(os.path.join(root, named)):
            found.append(named)
    return list(dict.fromkeys(found))


class Preview:
    def __init__(self, content: str, load_settings: Callable[[], dict[str, Any]], output: str) -> None:
        """`load_settings`: the site's settings as the full build reads them (read again for
        each preview: the settings file may have changed since)."""
        self.content = content
        self.load_settings = load_settings
        self.output = output

    def wants(self, path: str) -> bool:
        """A Markdown file in the content folder; the run itself says whether it is an explainer."""
        relative = os.path.relpath(path, self.content)
        return path.endswith(".md") and not relative.startswith("..") and os.path.isfile(path)

    def build(self, path: str) -> list[str]:
        """Build `path` alone and serve what it wrote; return the addresses replaced (none when
        it could not be built alone)."""
        with self.built(path) as output:
            return self.serve(output) if output is not None else []

    def warm(self) -> None:
        """Build the site's first Markdown document alone and throw the result away: what a
        process's first one-file run loads once (Pelican's generators, the plugin's Pelican
        side, the card's font, …) is then loaded before the writer's first save, which is
        served as quickly as the next (0.12-0.22 s before, 0.05-0.07 s after, on 1,000
        explainers). Nothing is served, kept or reported: the full build reports the file."""
        path = self.first_document()
        if path is None:
            return
        with contextlib.suppress(OSError), self.built(path):  # OSError: no room for a scratch folder
            pass

    def first_document(self) -> str | None:
        """The first Markdown document the site's door finds (its order: name by name, a
        folder's files before its subfolders'); None when there is none, or the settings do
        not load."""
        door = self.door()
        documents = [found.path for found in door.scan()[0] if found.kind == "document"] if door else []
        return documents[0] if documents else None

    @contextlib.contextmanager
    def built(self, path: str) -> Iterator[str | None]:
        """`path` built alone in a scratch folder, removed afterwards: the folder of its output,
        or None when it could not be built alone."""
        scratch = tempfile.mkdtemp(prefix="explainers-preview-")
        try:
            # First in a folder of its own, beside what any file may use: the run does not scan
            # and read the site's thousand other files for one. A file that links another
            # explainer, or names a picture that is not there, fails there (or is not
            # gathered), and is built in the content folder itself.
            alone = self.gather(path, os.path.join(scratch, "content"))
            folders = [alone, self.content] if alone else [self.content]
            for number, content in enumerate(folders):
                output = os.path.join(scratch, f"output-{number}")
                if self.run(path, content, output):
                    yield output
                    return
            yield None
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def door(self) -> files.Door | None:
        """The site's door, from its settings as they are now; None when they do not load (a
        writer's typo: the full build says why)."""
        try:
            settings = self.load_settings()
            return files.of_settings(settings, from_pelican(settings))
        except Exception:
            return None

    def gather(self, path: str, folder: str) -> str | None:
        """`folder` made a content folder holding `path`, what every file may use (the
        sources library, the lockfile) and the pictures and files `path` names
        (`linked_files`), each read through the site's door, at its own place; None when the
        door refuses one, a link leads to one (its own name or a folder on its way:
        `Door.read_unlinked`), it links another explainer, or the settings do not load: the
        content folder's own run decides then."""
        door = self.door()
        if door is None:
            return None
        relative = os.path.relpath(path, self.content)
        lock = os.path.join(self.content, LOCKFILE)
        wanted = [*library_files(self.content, door.sources_dir)]
        wanted += [lock] if os.path.lexists(lock) else []
        try:
            saved = door.read_unlinked(path)
            linked = linked_files(relative, saved, door)
            if linked is None:
                return None
            wanted += [os.path.join(self.content, name) for name in linked]
            # Each read where it says it is, through no link (its own name or a folder on its
            # way: the door's check looks at the file's own name only, and a build walks no
            # linked folder): copied, it would be taken for a plain file. All are read before
            # any is written: a folder is made only for files that all passed.
            read = {path: saved, **{source: door.read_unlinked(source) for source in wanted}}
            for source, data in read.items():
                target = os.path.join(folder, os.path.relpath(source, self.content))
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(target, "wb") as handle:
                    handle.write(data)
        except (files.RefusedFileError, OSError):
            return None
        return folder

    def run(self, path: str, content: str, output: str) -> bool:
        """Pelican over `path` alone, read from the folder `content`, written to `output`:
        whether it succeeded."""
        try:
            alone.build_alone(self.load_settings(), content, os.path.relpath(path, self.content), output)
        except Exception:  # any failure: the full build says what it is
            return False
        return True

    def serve(self, scratch: str) -> list[str]:
        """Move the explainer's own files (not the site's pages, made from it alone) into the
        served folder, each replaced in one step."""
        served = []
        for folder, _, names in os.walk(scratch):
            for name in names:
                address = os.path.relpath(os.path.join(folder, name), scratch).replace(os.sep, "/")
                if alone.site_file(address):  # the sitemap and robots.txt are written all the same
                    continue
                target = os.path.join(self.output, address)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                shutil.copyfile(os.path.join(folder, name), target + ".preview")
                os.replace(target + ".preview", target)
                served.append(address)
        return sorted(served)
