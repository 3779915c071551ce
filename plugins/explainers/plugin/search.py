"""Pagefind's static search index, built beside Pelican rather than after it, in parts.

Pagefind reads HTML. Rather than the finished pages (navigation, source notes and all,
written at the very end), it reads a small record of each published explainer made as
soon as the explainer is read: its title, standfirst, claims and body, given the page's
address, so that Pagefind's addresses are the page's. Each claim is a heading carrying
the claim's id on the page, and the body keeps its headings' ids, so a result lands on
the claim or section that matched; citation markers are left out of the index, so
excerpts read as prose. The records are handed to Pagefind's service in the order of
their addresses (`pagefind_service.py`): the index is the same bytes on any file system.
Indexing runs on the second core while Pelican renders and writes the site.

Pagefind holds a whole index in memory (about a quarter of a MiB per explainer), so the
site is indexed in parts of about SEARCH_PART_SIZE explainers, one Pagefind at a time,
into `pagefind/<n>/`, listed in `pagefind/parts.json`; the search page merges them. An
explainer's part follows from its address alone, and each part's index is kept under a
digest of what its records are made from (each explainer's outcome key and language): an
edit re-indexes the one part that holds the explainer, whose records are made again, in
one file a part, for the run alone.

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
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import escape
from pelican.utils import sanitised_join

from .. import output
from ..output import write_aside, write_bytes, write_text
from ..processes import Child, DiedError, forked
from ..render.addresses import written_at
from .jobs import Jobs
from .pagefind_service import PagefindService, PagefindServiceError

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
MADE = ".made.json"  # an index's files as Pagefind made them (`note_made`), kept beside them
STAMPS = ".stamps.json"  # beside a part's records (`PART.json`): what each was made from
# From this many records a part needs anew, they are made by jobs on every core, this many a
# job, before indexing starts (a full build's thousand); fewer (a rebuild's one) are made
# by the indexing.
MADE_BY_JOBS = 32
RECORDS_A_JOB = 16


@dataclass
class Part:
    """One part of the index, as this run makes it."""

    name: str  # TOTAL-NUMBER
    articles: list = field(default_factory=list)  # in the order of their addresses
    addresses: list[str] = field(default_factory=list)  # each one's
    stamps: list[str] = field(default_factory=list)  # what each one's record is made from
    index: str = ""  # its index folder
    made: dict[str, str] = field(default_factory=dict)  # records made already (the cache off)
    files: list[str] = field(default_factory=list)  # records made by this run's jobs


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
        self.parts: list[str] = []  # each part's index folder, by part number
        self.names: list[str] = []  # each part's name (TOTAL-NUMBER), in the same order
        self.site = ""
        self.indexing: Indexing | None = None
        self.build = os.getpid()  # the build's process (the indexing runs in one of its own)
        self.service: PagefindService | None = None  # in the indexing's process
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

    def parts_of_run(self) -> list[Part]:
        """The parts, each with its explainers in the order of their addresses and their stamps:
        what each record is made from (the explainer's outcome key and language, the site's
        DEFAULT_LANG for a file that names none); with the cache off, the record itself, made
        here, and its digest."""
        total = self.part_count()
        parts = [Part(f"{total}-{number}") for number in range(total)]
        for article in sorted(self.articles, key=written_at):
            save_as = written_at(article)
            # Pelican's own guard as well as the run's checks: an address stays inside a folder.
            sanitised_join(self.records, save_as)
            part = parts[part_of(save_as, total)]
            part.articles.append(article)
            part.addresses.append(save_as)
            cache_key = article.explainer.cache_key if self.keep else None
            if cache_key:
                part.stamps.append(f"{cache_key}|{getattr(article, 'lang', 'en')}")
            else:
                record = part.made[save_as] = self.record(article)
                part.stamps.append(hashlib.sha256(record.encode("utf-8")).hexdigest())
        return [part for part in parts if part.articles]

    def write_records(self, path: str, articles: list, stamps: list[str]) -> None:
        """Some of a part's records (a job: on every core): [[address, stamp, HTML], …]."""
        records = [
            [written_at(article), stamp, self.record(article)]
            for article, stamp in zip(articles, stamps, strict=True)
        ]
        write_text(path, json.dumps(records, ensure_ascii=False))

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
        """Index the records into `site`/pagefind/, in the background (records that many
        explainers need anew are made first, as `jobs`)."""
        if not self.count:
            return  # nothing published to search: the search page says search could not run
        self.site = os.path.join(site, "pagefind")
        if self.keep:
            for folder in (self.records, self.indexes):
                if os.path.lexists(folder) and (os.path.islink(folder) or not os.path.isdir(folder)):
                    os.remove(folder)  # the cache's own folder, made a file or a link: made again
            self.forget_records(f"{self.part_count()}-")
        todo = []
        for part in self.parts_of_run():
            part.index = os.path.join(self.indexes, index_name(part.addresses, part.stamps))
            self.parts.append(part.index)
            self.names.append(part.name)
            if intact(part.index):
                continue
            # Half made, or edited since, or a file or link in its place: made again.
            if os.path.islink(part.index) or os.path.isfile(part.index):
                os.remove(part.index)
            shutil.rmtree(part.index, ignore_errors=True)
            todo.append(part)
            if not self.keep:
                continue  # made already
            last = read_json(os.path.join(self.records, f"{part.name}{STAMPS}"), {})
            changed = [i for i, a in enumerate(part.addresses) if last.get(a) != part.stamps[i]]
            if len(changed) < MADE_BY_JOBS:
                continue  # made by the indexing itself
            # Made on every core, a few dozen a job, each job's in a file of the run's own.
            for number, first in enumerate(range(0, len(changed), RECORDS_A_JOB)):
                chosen = changed[first : first + RECORDS_A_JOB]
                path = os.path.join(self.records, f"{part.name}.{os.getpid()}.{number}.json")
                articles, stamps = [part.articles[i] for i in chosen], [part.stamps[i] for i in chosen]
                jobs.add(path, functools.partial(self.write_records, path, articles, stamps))
                part.files.append(path)
        jobs.run()
        self.indexing = Indexing(
            functools.partial(self.index_parts, todo), fork=jobs.workers > 1, stop_service=self.kill_service
        )

    def parts_in_order(self) -> list[list[str]]:
        """[name, index folder] of each part, as the site's `pagefind/` numbers them."""
        return [[name, index] for name, index in zip(self.names, self.parts, strict=True)]

    def part_records(self, part: Part) -> list[tuple[str, str]]:
        """A part's records, in the order of their addresses: made by this run's jobs, kept
        from the last index of the part where made from the same outcome, or made here."""
        records = dict(part.made)
        if self.keep:
            wanted = dict(zip(part.addresses, part.stamps, strict=True))
            kept = read_json(os.path.join(self.records, f"{part.name}.json"), {})
            for address, entry in kept.items():
                if isinstance(entry, list) and len(entry) == 2 and wanted.get(address) == entry[0]:
                    records[address] = entry[1]
            for path in part.files:
                for address, stamp, html in read_json(path, []):
                    if wanted.get(address) == stamp:
                        records[address] = html
                os.remove(path)
        return [
            (address, records[address] if address in records else self.record(article))
            for address, article in zip(part.addresses, part.articles, strict=True)
        ]

    def keep_records(self, part: Part, records: list[tuple[str, str]]) -> None:
        """What the part's index was made from, for the next run: its records, and their stamps
        alone in a small file (the run reads those to know which records to make anew)."""
        if not self.keep:
            return
        stamps = dict(zip(part.addresses, part.stamps, strict=True))
        kept = {address: [stamps[address], html] for address, html in records}
        write_json(os.path.join(self.records, f"{part.name}.json"), kept)
        write_json(os.path.join(self.records, f"{part.name}{STAMPS}"), stamps)

    def index_parts(self, todo: list[Part]) -> None:
        """One part at a time, so that one part's index is all that is ever in Pagefind's memory."""
        try:
            if todo:
                self.service = PagefindService(pagefind_program())
            for part in todo:
                if self.stopped:  # in a thread (`Indexing`): the build stopped
                    return
                records = self.part_records(part)
                # Written aside and renamed: a run killed mid-way leaves no half index kept.
                # The build's own (named by its process, which the next build finds gone, not
                # by this one's, which may linger unreaped): two builds sharing a cache may
                # index the same part at once.
                index = part.index
                scratch = f"{index}.{self.build}.tmp"
                shutil.rmtree(scratch, ignore_errors=True)
                assert self.service is not None
                for name, data in self.service.index(records, [IGNORED]):
                    # Pelican's guard: a path Pagefind gives stays inside the index's folder.
                    write_bytes(sanitised_join(scratch, name), data)
                verify(scratch)
                sort_entry(scratch)
                note_made(scratch)
                self.keep_records(part, records)
                try:
                    os.replace(scratch, index)
                except OSError:
                    if not os.path.isfile(os.path.join(index, "pagefind-entry.json")):
                        raise
                    shutil.rmtree(scratch, ignore_errors=True)  # another build indexed it first
        finally:
            if self.service is not None:
                self.service.close()

    def finish(self) -> None:
        try:
            if self.indexing is None:
                return
            self.indexing.wait()
            self.place(self.site)
        finally:
            self.indexing = None  # finished: a second call has nothing to do
            if not self.keep:
                shutil.rmtree(self.root, ignore_errors=True)

    def place(self, site: str) -> None:
        """The parts' indexes into `site` (the output's `pagefind/`), numbered in order, with
        the list the search page reads; the cache then forgets the indexes of no part."""
        os.makedirs(site, exist_ok=True)
        for number, index in enumerate(self.parts):
            # A site Pelican builds again into the same output (`pelican -r`, or without
            # DELETE_OUTPUT_DIRECTORY) still holds the last run's index: this one replaces it.
            shutil.rmtree(os.path.join(site, str(number)), ignore_errors=True)
            # Linked, not copied, where the cache and the site share a disk: an index is
            # never written again once made (a new one gets a folder of its own).
            shutil.copytree(
                index,
                os.path.join(site, str(number)),
                copy_function=shutil.copy2 if self.copied else link_or_copy,
                ignore=shutil.ignore_patterns(MADE),
            )
        with open(os.path.join(site, "parts.json"), "w", encoding="utf-8") as handle:
            json.dump([str(number) for number in range(len(self.parts))], handle)
        check_room(site)
        if self.keep:
            self.forget_other_indexes()

    def forget_records(self, parts: str) -> None:
        """Remove what runs left among the records but the records and stamps of this run's
        parts (named `parts`…): a killed run's files, the parts of a site of another size, the
        folders of an older layout; and the files of another build still running."""
        if not os.path.isdir(self.records):
            return
        for name in os.listdir(self.records):
            path = os.path.join(self.records, name)
            kept = name.startswith(parts) and (name.count(".") == 1 or name.endswith(STAMPS))
            if kept or _of_another_running_build(name):
                continue
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    os.remove(path)

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

    def kill_service(self) -> None:
        """End Pagefind at once: the build stopped while this process indexes in a thread."""
        if self.service is not None:
            self.service.kill()

    def abandon(self) -> None:
        self.stopped = True
        if self.indexing is not None:
            self.indexing.stop()
        if not self.keep:
            shutil.rmtree(self.root, ignore_errors=True)


class Indexing:
    """The indexing, beside the build: in a process forked from it where there is `fork` and
    the build may use more than one (its Python work, handing the records to Pagefind and
    writing the files it gives back, took the build's own core and interpreter in a thread:
    the full build of 1,000 explainers of 40 claims went from 0.60 to 0.74 of plain
    Pelican's), else in a thread (`WORKERS: 1` keeps the build to one process)."""

    def __init__(self, work: Callable[[], None], *, fork: bool, stop_service: Callable[[], None]):
        """`stop_service`: ends Pagefind at once, for a build stopped while it indexes in a
        thread (in a process, Pagefind, reading from it, ends with it)."""
        self.child: Child | None = None
        self.thread: threading.Thread | None = None
        self.failure: BaseException | None = None
        self.stop_service = stop_service
        if fork and hasattr(os, "fork"):
            self.child = forked("explainers-find", work)  # 15 characters: what Linux keeps
        else:
            self.thread = threading.Thread(target=self._in_thread, args=(work,), daemon=True)
            self.thread.start()

    def _in_thread(self, work: Callable[[], None]) -> None:
        try:
            work()
        except BaseException as exc:  # raised by `wait`, in the build's thread
            self.failure = exc

    def wait(self) -> None:
        """Until the indexing has ended; raise what stopped it, as the writer is told it."""
        if self.child is not None:
            failure, self.child = self.child.wait(), None
        elif self.thread is not None:
            self.thread.join()
            failure, self.thread = self.failure, None
        else:
            return
        if failure is None:
            return
        if isinstance(failure, DiedError):
            raise SearchIndexError("the search index could not be made: its process ended")
        if isinstance(failure, SAID_AS_THEY_ARE):
            raise failure
        raise SearchIndexError(f"{type(failure).__name__}: {failure}") from failure

    def stop(self) -> None:
        """The build stopped: so does the indexing."""
        if self.child is not None:
            self.child.kill()
            self.child = None
        elif self.thread is not None:
            self.stop_service()
            self.thread.join()
            self.thread = None


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


def index_name(addresses: list[str], stamps: list[str]) -> str:
    """A part's index folder's name: a digest of what its records are made from."""
    keys = [f"{address}\0{stamp}" for address, stamp in zip(addresses, stamps, strict=True)]
    return hashlib.sha256("\n".join(keys).encode("utf-8")).hexdigest()[:24]


def part_of(address: str, total: int) -> int:
    """The part an address falls in: a cryptographic digest spreads addresses that differ in a
    few letters evenly (CRC-32 does not), and stays the same from run to run."""
    return int.from_bytes(hashlib.sha256(address.encode("utf-8")).digest()[:8], "big") % total


class SearchIndexError(Exception):
    pass


# Failures whose words are for the writer as they are (else the exception's kind is said too).
SAID_AS_THEY_ARE = (SearchIndexError, PagefindServiceError)


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
    return name.endswith(".tmp") and _of_another_running_build(name)


def _of_another_running_build(name: str) -> bool:
    """`NAME.PID.…`, made by a build still running, not this one."""
    parts = name.split(".")
    pid = parts[1] if len(parts) >= 3 else ""
    return pid.isdigit() and int(pid) != os.getpid() and output.alive(int(pid))


def read_json(path: str, empty: Any) -> Any:
    """A file's JSON, or `empty` when it is missing or not of `empty`'s kind."""
    try:
        with open(path, encoding="utf-8") as handle:
            found = json.load(handle)
    except (OSError, ValueError):
        return empty
    return found if isinstance(found, type(empty)) else empty


def write_json(path: str, value: Any) -> None:
    """Written whole or not at all (`output.write_aside`), its folder made first."""
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)  # the cache's own file, made a folder: no rename replaces it
    os.makedirs(os.path.dirname(path), exist_ok=True)
    write_aside(path, json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8"))


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
