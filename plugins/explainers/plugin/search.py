"""Pagefind's static search index, built beside Pelican rather than after it, in parts.

Pagefind reads HTML. Rather than the finished pages (navigation, source notes and all,
written at the very end), it reads a small record of each published explainer written
as soon as the explainer is read: its title, standfirst, claims and body, at the same
path as the page, so that Pagefind's addresses are the page's. Each claim is a heading
carrying the claim's id on the page, and the body keeps its headings' ids, so a result
lands on the claim or section that matched; citation markers are left out of the index,
so excerpts read as prose. Indexing runs on the second core while Pelican renders and
writes the site.

Pagefind holds a whole index in memory (about a quarter of a MiB per explainer), so the
site is indexed in parts of about SEARCH_PART_SIZE explainers, one Pagefind at a time,
into `pagefind/<n>/`, listed in `pagefind/parts.json`; the search page merges them. An
explainer's part follows from its address alone, and each part's index is kept under a
digest of its records: an edit re-indexes the one part that holds the explainer.

With the cache off, records and indexes live in a scratch folder for the run.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import hashlib
import importlib
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from markupsafe import escape
from pelican.utils import sanitised_join

from .. import output
from ..output import write_text
from ..render.addresses import written_at
from .jobs import Jobs

RECORD = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head>
<body><main data-pagefind-body><h1>{title}</h1>
<p>{summary}</p>
{claims}
{body}
</main></body></html>
"""
CLAIM = '<h2 id="{id}">{status}: {text}</h2>\n<p>{by}</p>\n'
# What the index leaves out: the citation markers ("[1; 2]") and note numbers in the body.
IGNORED = ".citation"
# Beside a part's records: the outcome key each record was written from.
MADE = ".made.json"  # an index's files as Pagefind made them (`note_made`), kept beside them
STAMPS = ".stamps.json"  # no page is named so: a slug never starts with a dot


class SearchIndex:
    """One run's index: records and part indexes in a folder of their own, copied into the site."""

    def __init__(self, folder: str | None = None, part_size: int = 200, *, copied: bool = False) -> None:
        """`copied`: the index is copied into the site, not linked (a site to publish shares
        no file with the cache)."""
        self.keep = folder is not None
        self.copied = copied
        if folder:
            # Absolute, as the records' paths are (sanitised_join): Pelican's default
            # CACHE_PATH is the relative "cache", and `forget_others` compares the two.
            folder = os.path.abspath(folder)
        self.root = folder or tempfile.mkdtemp(prefix="explainers-search-")
        self.records = os.path.join(self.root, "records")
        self.indexes = os.path.join(self.root, "indexes")
        self.part_size = part_size
        self.articles: list = []
        self.written: set[str] = set()  # the records of this run, by path
        self.parts: list[str] = []  # each part's index folder, by part number
        self.site = ""
        self.thread: threading.Thread | None = None
        self.process: subprocess.Popen | None = None
        self.failure: BaseException | None = None
        self.stopped = False

    @property
    def count(self) -> int:
        return len(self.articles)

    def add(self, article) -> None:
        self.articles.append(article)

    def part_count(self) -> int:
        """A power of two, so that parts split in two as the site grows rather than reshuffle."""
        parts = 1
        while parts * self.part_size < self.count:
            parts *= 2
        return parts

    def write_records(self, jobs: Jobs) -> list[tuple[str, list[str]]]:
        """Write each part's records (as `jobs`, on every core); return each part's folder
        and its records' keys. A kept record is current when the part's stamps say it was
        written for this very outcome of its file (one file a part, read and written once)."""
        total = self.part_count()
        parts: list[tuple[str, list[str]]] = [
            (os.path.join(self.records, f"{total}-{number}"), []) for number in range(total)
        ]
        # Each part's stamps from the last run, and this run's.
        last = {folder: read_stamps(folder) for folder, _ in parts}
        stamps: dict[str, dict[str, str]] = {folder: {} for folder, _ in parts}
        for article in self.articles:
            save_as = written_at(article)
            number = part_of(save_as, total)
            folder, keys = parts[number]
            # Pelican's own guard as well as the run's checks: a record never lands outside.
            path = sanitised_join(folder, save_as)
            self.written.add(path)
            cache_key = article.explainer.cache_key if self.keep else None
            if cache_key:
                # Known before it is written: what the record is made from is that outcome, and
                # its language (the site's DEFAULT_LANG for a file that names none).
                stamp = f"{cache_key}|{getattr(article, 'lang', 'en')}"
                keys.append(f"{save_as}\0{stamp}")
                stamps[folder][save_as] = stamp
                if last[folder].get(save_as) != stamp or not os.path.isfile(path):
                    jobs.add(path, functools.partial(self.write_record, path, article))
            else:
                record = self.record(article)
                keys.append(f"{save_as}\0{hashlib.sha256(record.encode()).hexdigest()}")
                jobs.add(path, functools.partial(write_text, path, record))
        jobs.run()
        if self.keep:
            # Only once every record is written: a stamp never vouches for a record not there.
            for folder, stamped in stamps.items():
                if stamped:
                    write_text(os.path.join(folder, STAMPS), json.dumps(stamped, sort_keys=True))
        return [(folder, keys) for folder, keys in parts if keys]

    def write_record(self, path: str, article) -> None:
        write_text(path, self.record(article))

    @staticmethod
    def record(article) -> str:
        view = article.explainer
        # Claim texts and the summary are already safe HTML (Markup); the rest is escaped.
        claims = "".join(
            CLAIM.format(
                id=escape(claim.id),
                status=escape(claim.status.label),
                text=claim.text,
                by=escape(claim.claim.by or ""),
            )
            for claim in view.claims
        )
        return RECORD.format(
            lang=escape(getattr(article, "lang", "en")),
            title=escape(view.title or view.model.title),
            summary=view.summary or "",
            claims=claims,
            # The body as read: its {filename} links do not matter to search.
            body=article._content,
        )

    def start(self, site: str, jobs: Jobs) -> None:
        """Index the records into `site`/pagefind/, in the background (the records are
        written first, as `jobs`)."""
        if not self.count:
            return  # nothing published to search: the search page says search could not run
        self.site = os.path.join(site, "pagefind")
        parts = self.write_records(jobs)
        if self.keep:
            self.forget_others()
        todo = []
        for folder, keys in parts:
            digest = hashlib.sha256("\n".join(sorted(keys)).encode("utf-8")).hexdigest()[:24]
            index = os.path.join(self.indexes, digest)
            self.parts.append(index)
            if not intact(index):
                shutil.rmtree(index, ignore_errors=True)  # half made, or edited since: made again
                todo.append((folder, index))
        self.thread = threading.Thread(target=self.index_parts, args=(todo,), daemon=True)
        self.thread.start()

    def index_parts(self, todo: list[tuple[str, str]]) -> None:
        """One Pagefind at a time, so that one part's index is all that is ever in memory."""
        try:
            program = pagefind_program() if todo else []
            for records, index in todo:
                if self.stopped:
                    return
                # Written aside and renamed: a run killed mid-way leaves no half index kept.
                # This process's own: two builds sharing a cache may index the same part at once.
                scratch = f"{index}.{os.getpid()}.tmp"
                shutil.rmtree(scratch, ignore_errors=True)
                command = [
                    *program,
                    "--site",
                    records,
                    "--output-path",
                    scratch,
                    "--exclude-selectors",
                    IGNORED,
                    "--silent",
                ]
                self.process = subprocess.Popen(command)
                if self.process.wait() != 0:
                    raise subprocess.CalledProcessError(self.process.returncode, command)
                verify(scratch)
                sort_entry(scratch)
                note_made(scratch)
                try:
                    os.replace(scratch, index)
                except OSError:
                    if not os.path.isfile(os.path.join(index, "pagefind-entry.json")):
                        raise
                    shutil.rmtree(scratch, ignore_errors=True)  # another build indexed it first
        except BaseException as exc:  # reported by finish(), in the build's thread
            self.failure = exc

    def finish(self) -> None:
        try:
            if self.thread is None:
                return
            self.thread.join()
            if self.failure is not None:
                raise self.failure
            os.makedirs(self.site, exist_ok=True)
            for number, index in enumerate(self.parts):
                # A site Pelican builds again into the same output (`pelican -r`, or without
                # DELETE_OUTPUT_DIRECTORY) still holds the last run's index: this one replaces it.
                shutil.rmtree(os.path.join(self.site, str(number)), ignore_errors=True)
                # Linked, not copied, where the cache and the site share a disk: an index is
                # never written again once made (a new one gets a folder of its own).
                shutil.copytree(
                    index,
                    os.path.join(self.site, str(number)),
                    copy_function=shutil.copy2 if self.copied else link_or_copy,
                    ignore=shutil.ignore_patterns(MADE),
                )
            with open(os.path.join(self.site, "parts.json"), "w", encoding="utf-8") as handle:
                json.dump([str(number) for number in range(len(self.parts))], handle)
            check_room(self.site)
            if self.keep:
                self.forget_other_indexes()
        finally:
            self.thread = None  # finished: a second call has nothing to do
            if not self.keep:
                shutil.rmtree(self.root, ignore_errors=True)

    def forget_others(self) -> None:
        """Remove the records of explainers this run does not publish (deleted, drafted, moved)."""
        for folder, _, files in os.walk(self.records, topdown=False):
            for name in files:
                path = os.path.join(folder, name)
                if path not in self.written and name != STAMPS:
                    os.remove(path)
            if folder != self.records and not os.listdir(folder):
                os.rmdir(folder)

    def forget_other_indexes(self) -> None:
        if not os.path.isdir(self.indexes):
            return
        for name in os.listdir(self.indexes):
            path = os.path.join(self.indexes, name)
            if path in self.parts or _indexing_elsewhere(name):
                continue
            shutil.rmtree(path, ignore_errors=True)

    def reseal(self) -> None:
        """Once the output holding this run's index is in place (`reseal`)."""
        for index in self.parts:
            reseal(index)

    def abandon(self) -> None:
        self.stopped = True
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        if self.thread is not None:
            self.thread.join()
        if not self.keep:
            shutil.rmtree(self.root, ignore_errors=True)


def pagefind_program() -> list[str]:
    """How Pagefind is started: its program itself, found as `python -m pagefind` finds it
    (which then runs it in its own place). Started directly, each part spares a Python
    starting and importing the finder: a tenth of a second of a core, eight times for
    1,000 explainers, on the way to the end of the build.

    Found where `pagefind.service.get_executable` looks, in its order (PAGEFIND_BINARY_PATH,
    the packages that ship the program, the PATH), but not through it: that module is
    Pagefind's asyncio API, and importing it cost a rebuild 60-80 ms of its one busy core."""
    found: str | os.PathLike | None = os.environ.get("PAGEFIND_BINARY_PATH")
    for package in ("pagefind_bin_extended", "pagefind_bin"):
        if found is not None:
            break
        try:
            shipped = importlib.import_module(package)
        except ImportError:
            continue
        found = shipped.get_executable()
    found = found or shutil.which("pagefind_extended") or shutil.which("pagefind")
    return [str(Path(found).resolve())] if found else [sys.executable, "-m", "pagefind"]


def part_of(address: str, total: int) -> int:
    """The part an address falls in: a cryptographic digest spreads addresses that differ in a
    few letters evenly (CRC-32 does not), and stays the same from run to run."""
    return int.from_bytes(hashlib.sha256(address.encode("utf-8")).digest()[:8], "big") % total


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
    check_room(folder)


def note_made(folder: str) -> None:
    """List each file of an index with its size and times (`MADE`): its files are linked
    into every site built from it, and an edit made in place in one of those (an editor
    that writes into the file) is an edit of this one, which `intact` then finds."""
    write_text(os.path.join(folder, MADE), json.dumps(_files_of(folder), sort_keys=True))


def _files_of(folder: str) -> dict[str, list[int]]:
    """Each entry under `folder` (but `MADE`) by its size, time, change time and kind (1: a
    regular file; a link to a folder is an entry, not followed). Listed with `scandir`,
    whose entries know their kind and name: a rebuild looks at every index file three times
    (`intact`, `note_made`, `reseal`), and joining and relativizing each path cost more
    than the look."""
    found_files = {}
    pending = [""]  # folders to list, as paths under `folder`
    while pending:
        under = pending.pop()
        with os.scandir(os.path.join(folder, under)) as entries:
            for entry in entries:
                name = os.path.join(under, entry.name) if under else entry.name
                if entry.is_dir(follow_symlinks=False):
                    pending.append(name)
                    continue
                if name == MADE:
                    continue
                found = entry.stat(follow_symlinks=False)
                regular = int(stat.S_ISREG(found.st_mode))
                found_files[name] = [found.st_size, found.st_mtime_ns, found.st_ctime_ns, regular]
    return found_files


def intact(folder: str) -> bool:
    """Whether the index in `folder` holds its files alone, each a file as it was made (its
    change time too, which no tool sets back)."""
    try:
        with open(os.path.join(folder, MADE), encoding="utf-8") as handle:
            made = json.load(handle)
        return bool(made) and made == _files_of(folder) and all(entry[3] == 1 for entry in made.values())
    except (OSError, ValueError, TypeError, IndexError):
        return False


def reseal(folder: str) -> None:
    """After a build linked an index's files into its output and removed the previous one
    (each link made or removed changes a file's change time): the times as they are now,
    unless a file's size or time changed meanwhile (an edit): then the next build makes the
    index again."""
    try:
        with open(os.path.join(folder, MADE), encoding="utf-8") as handle:
            made = json.load(handle)
        now = _files_of(folder)
        same = made.keys() == now.keys() and all(made[name][:2] == now[name][:2] for name in now)
    except (OSError, ValueError, TypeError):
        same = False
    if same:
        note_made(folder)
    else:
        with contextlib.suppress(OSError):
            os.remove(os.path.join(folder, MADE))


def _indexing_elsewhere(name: str) -> bool:
    """A part another build, still running, is indexing (`DIGEST.PID.tmp`)."""
    pid = name.split(".")[1] if name.endswith(".tmp") and name.count(".") == 2 else ""
    return pid.isdigit() and int(pid) != os.getpid() and output.alive(int(pid))


def sort_entry(folder: str) -> None:
    """Pagefind's entry file with its keys in order: Pagefind lists the languages in an order
    that varies from run to run, and the same index must be the same bytes (a sync sends a
    changed file again; a rebuild must make what a build from nothing makes)."""
    path = os.path.join(folder, "pagefind-entry.json")
    with open(path, encoding="utf-8") as handle:
        entry = json.load(handle)
    write_text(path, json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False))


def check_room(folder: str) -> None:
    free = os.statvfs(folder)
    if free.f_bavail * free.f_frsize < _ROOM:
        raise SearchIndexError("the disk is full: the search index may be incomplete")


def link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:  # another disk, or a file system without links
        shutil.copy2(source, target)


def read_stamps(folder: str) -> dict[str, str]:
    """A part's stamps as the last run wrote them: each record's address and its file's
    outcome key (none, or unreadable: every record is written again)."""
    try:
        stamps = json.loads(read_text(os.path.join(folder, STAMPS)) or "{}")
    except ValueError:
        return {}
    return stamps if isinstance(stamps, dict) else {}


def read_text(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except FileNotFoundError:
        return None
