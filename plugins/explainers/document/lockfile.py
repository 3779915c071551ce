"""The archive lockfile: `sources.lock.json`, in the content folder, committed with it.

For each cited address that declares no `archive_url`, `make archive` records the
archived copy's address and date, and the HTTP status and content hash of the live page
when it was archived. The build shows the archived copies beside their sources;
`make linkcheck` compares today's pages with the hashes.

The file is data a program writes, but people merge it in git and may edit it: it is
validated like the content, and an archive address is shown only if it is http(s).
"""

from __future__ import annotations

import datetime
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from .files import RefusedFileError
from .model import Source, WebAddress
from .problems import ERROR, Problem

LOCKFILE = "sources.lock.json"


class Archived(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    archive_url: WebAddress
    archived: datetime.date  # the snapshot's date (ISO 8601 in the file)
    status: int | None  # the live page's HTTP status when it was archived; None: no answer
    content_hash: str = ""  # "sha256:…" of the live page's text then; "" when it gave none
    # The source's `accessed` day the copy was made for: a later one means the writer read
    # the page again, and `make archive` brings the copy and the hash up to that reading.
    accessed: datetime.date | None = None


class Lockfile:
    def __init__(self, content_path: str, entries: dict[str, Archived] | None = None):
        self.path = Path(content_path, LOCKFILE)
        self.entries: dict[str, Archived] = entries or {}
        self.text = ""  # as read from the file: what the build's cache depends on

    def get(self, url: str | None) -> Archived | None:
        return self.entries.get(url) if url else None

    def copy_for(self, source: Source) -> Archived | None:
        """The copy shown beside `source`: none when the writer gave an `archive_url`, which wins."""
        return None if source.archive_url else self.get(source.url)

    def record(self, url: str, entry: Archived) -> None:
        """Add one address and write the file at once, so that a stopped run loses nothing."""
        self.entries[url] = entry
        self.save()

    def save(self) -> None:
        document = {
            "about": "Archived copies of the pages the explainers cite, written by `make archive`.",
            "sources": {url: entry.model_dump(mode="json") for url, entry in sorted(self.entries.items())},
        }
        # Written aside and renamed into place: an interrupted run never leaves half a file.
        with tempfile.NamedTemporaryFile(
            "w", dir=self.path.parent, prefix=".sources.lock.", suffix=".tmp", delete=False, encoding="utf-8"
        ) as handle:
            json.dump(document, handle, indent=2, ensure_ascii=False)
            handle.write("\n")
        os.replace(handle.name, self.path)


def load(content_path: str, read: Callable[[str], bytes] | None = None) -> tuple[Lockfile, list[Problem]]:
    """The lockfile (empty if there is none) and the problems found in it.

    `read`: how the file is read (the content folder's door, in a run)."""
    lock = Lockfile(content_path)
    if not os.path.lexists(lock.path):
        return lock, []
    path = str(lock.path)
    try:
        data = read(path) if read is not None else lock.path.read_bytes()
    except RefusedFileError as exc:
        return lock, [Problem(path, 1, ERROR, exc.message, exc.code)]
    try:
        text = lock.text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return lock, [
            Problem(path, line, ERROR, f"the lockfile is not UTF-8 text ({exc.reason})", "lockfile")
        ]
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        return lock, [Problem(path, exc.lineno, ERROR, f"not valid JSON: {exc.msg}", "lockfile")]
    except RecursionError:
        return lock, [Problem(path, 1, ERROR, "not a lockfile: its JSON is nested far too deep", "lockfile")]
    except ValueError as exc:  # e.g. a number of thousands of digits
        return lock, [Problem(path, 1, ERROR, f"not a lockfile: {exc}", "lockfile")]
    sources = document.get("sources") if isinstance(document, dict) else None
    if not isinstance(sources, dict):
        return lock, [Problem(path, 1, ERROR, 'expected an object with "sources"', "lockfile")]
    problems = []
    for url, entry in sources.items():
        try:
            lock.entries[url] = Archived.model_validate(entry)
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(part) for part in first["loc"]) or "entry"
            message = first["msg"].removeprefix("Value error, ")
            line = _line_of(text, url)
            problems.append(Problem(path, line, ERROR, f"{url}: {field}: {message}", "lockfile"))
    return lock, problems


def _line_of(text: str, url: str) -> int:
    """The line that opens `url`'s entry (json does not keep lines; the key is unique)."""
    offset = text.find(json.dumps(url, ensure_ascii=False) + ":")
    return text.count("\n", 0, offset) + 1 if offset >= 0 else 1
