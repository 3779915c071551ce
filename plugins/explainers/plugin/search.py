"""Pagefind's static search index, built beside Pelican rather than after it.

Pagefind reads HTML. Rather than the finished pages (navigation, source notes and all,
written at the very end), it reads a small record of each published explainer written
as soon as the explainer is read: its title, standfirst, claims and body, at the same
path as the page, so that Pagefind's addresses are the page's. Indexing then runs on the
second core while Pelican renders and writes the site, and reads a quarter of the bytes.

With the cache on, the records live beside it and are written again only when their
explainer changed; the folder then holds exactly this run's records.
"""

from __future__ import annotations

import glob
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile

from markupsafe import escape
from pelican.utils import sanitised_join

RECORD = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head>
<body><main data-pagefind-body><h1>{title}</h1>
<p>{summary}</p>
<section>{claims}</section>
{body}
</main></body></html>
"""


class SearchIndex:
    """One run's index: records go into a scratch folder, the index into the site's."""

    def __init__(self, folder: str | None = None) -> None:
        self.keep = folder is not None
        if folder:
            # Absolute, as the records' paths are (sanitised_join): Pelican's default
            # CACHE_PATH is the relative "cache", and `forget_others` compares the two.
            folder = os.path.abspath(folder)
            os.makedirs(folder, exist_ok=True)
        self.records = folder or tempfile.mkdtemp(prefix="explainers-search-")
        self.process: subprocess.Popen | None = None
        self.output = ""
        self.written: set[str] = set()  # the records of this run, by path

    @property
    def count(self) -> int:
        return len(self.written)

    def add(self, article) -> None:
        view = article.explainer
        # Pelican's own guard as well as the run's checks: a record never lands outside.
        path = sanitised_join(self.records, article.save_as)
        self.written.add(path)
        # A kept record is current if it was written for this very outcome of the file.
        stamp = f"{path}.{view.cache_key}" if self.keep and view.cache_key else None
        if stamp and os.path.exists(stamp):
            return
        # Claim texts and the summary are already safe HTML (Markup); the rest is escaped.
        claims = "".join(
            f"<p>{escape(claim.status.label)}: {claim.text} ({escape(claim.claim.by or '')})</p>"
            for claim in view.claims
        )
        record = RECORD.format(
            lang=escape(getattr(article, "lang", "en")),
            title=escape(view.title or view.model.title),
            summary=view.summary or "",
            claims=claims,
            # The body as read: its {filename} links do not matter to search.
            body=article._content,
        )
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(record)
        if stamp:
            for old in glob.glob(glob.escape(path) + ".*"):
                os.remove(old)
            open(stamp, "w").close()

    def start(self, site: str) -> None:
        """Index the records into `site`/pagefind/, in the background."""
        if not self.count:
            return  # nothing published to search: the search page says search could not run
        if self.keep:
            self.forget_others()
        self.output = os.path.join(site, "pagefind")
        command = [
            sys.executable,
            "-m",
            "pagefind",
            "--site",
            self.records,
            "--output-path",
            self.output,
            "--silent",
        ]
        self.process = subprocess.Popen(command)

    def finish(self) -> None:
        try:
            if self.process is None:
                return
            if self.process.wait() != 0:
                raise subprocess.CalledProcessError(self.process.returncode, self.process.args)
            verify(self.output)
        finally:
            if not self.keep:
                shutil.rmtree(self.records, ignore_errors=True)

    def forget_others(self) -> None:
        """Remove the records of explainers this run does not publish (deleted, drafted)."""
        for folder, _, files in os.walk(self.records):
            for name in files:
                path = os.path.join(folder, name)
                record = path if name.endswith(".html") else path.rsplit(".", 1)[0]
                if record not in self.written:
                    os.remove(path)

    def abandon(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        if not self.keep:
            shutil.rmtree(self.records, ignore_errors=True)


class SearchIndexError(Exception):
    pass


# Pagefind keeps going when a write fails (a full disk, a file size limit) and exits 0
# with files cut short. Its index files are gzip streams, which carry their own length
# and checksum; the entry file is JSON; and a disk with no room left after the index
# was written is taken as one that ran out while writing it.
_GZIPPED = (".pf_fragment", ".pf_index", ".pf_meta", ".pagefind")
_ROOM = 64 * 1024


def verify(folder: str) -> None:
    """Raise SearchIndexError unless Pagefind's output in `folder` is whole."""
    if not os.path.isfile(os.path.join(folder, "pagefind-entry.json")):
        raise SearchIndexError(f"the search index in {folder} was not written")
    try:
        with open(os.path.join(folder, "pagefind-entry.json"), encoding="utf-8") as handle:
            json.load(handle)
        for parent, _, names in os.walk(folder):
            for name in names:
                if name.endswith(_GZIPPED):
                    with gzip.open(os.path.join(parent, name)) as handle:
                        while handle.read(1 << 20):
                            pass
    except (OSError, EOFError, ValueError) as exc:
        raise SearchIndexError(f"the search index is incomplete ({exc}): is the disk full?") from exc
    free = os.statvfs(folder)
    if free.f_bavail * free.f_frsize < _ROOM:
        raise SearchIndexError("the disk is full: the search index may be incomplete")
