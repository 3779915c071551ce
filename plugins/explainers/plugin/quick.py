"""A rebuild after an edit that changed nothing but one explainer's own page: that explainer
built alone, the rest of the site the previous output's.

Pelican over a whole site, even with every page carried over, reads each file's outcome,
makes an article of it and works every list out again: on 1,000 short explainers, 1.3 s
after a one-line edit. Most edits are to one explainer's body, and show on its own page, its
data files, its feeds' entries and the search index alone. So when the record of the last
build (`record.py`) says

- the settings, templates and day are the same,
- one file of the content folder changed, an explainer that can be rebuilt alone,
- nobody touched the output folder since,

the file is read, and its outcome compared with the last build's (`view.shown_elsewhere`):
when everything another page shows of it is the same, it is built alone (`alone.py`) with
what only the whole site knows given to it (how many others cite its sources), and the new
output folder is the previous one's files (linked, as a build links unchanged files), but
for its page and data files, its entry in each feed, and the search index's part holding
it, made again. The folder is swapped in whole, as a build's is. Anything else (a second
file, a changed title or claim, a problem, a feed that does not hold it as expected) is the
whole build's, which then runs as before: this only ever makes what it would make, and
`tests/test_quick_rebuild.py` compares the two byte for byte.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from .. import output as output_folder
from ..document.problems import Problem, ProblemLog
from ..read import Result
from ..render.view import shown_elsewhere
from ..run import Run
from ..settings import from_pelican
from . import record, search
from .carry import Carry
from .record import Record


class NotAloneError(Exception):
    """The edit cannot be built alone: the whole site is built."""


@dataclass
class Rebuilt:
    """One explainer rebuilt alone into the staging folder, waiting to be swapped in."""

    path: str  # content-relative
    run: Run = field(repr=False)
    kept: Record = field(repr=False)
    where: str  # the record's file
    carry: Carry = field(repr=False)
    index: search.SearchIndex | None = field(repr=False)
    problems: ProblemLog = field(repr=False)  # what the last build reported, the same again


def rebuild(pelican_settings: dict[str, Any], output: str, staging: str, site: str) -> Rebuilt | None:
    """The edited explainer built alone, and the site around it linked, into `staging`; None
    when the whole site must be built (`staging` then holds what it held). `site`:
    `record.site_of` the settings as read."""
    if pelican_settings.get("EXPLAINERS_PUBLISHING") or not os.path.isdir(output):
        return None
    if not from_pelican(pelican_settings).cache:
        return None
    scratch = tempfile.mkdtemp(prefix="explainers-rebuild-")
    try:
        return _rebuild(pelican_settings, output, staging, scratch, site)
    except Exception:  # NotAloneError, or anything unforeseen: the whole build makes the site
        _empty(staging)
        return None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def finish(rebuilt: Rebuilt, pelican_settings: dict[str, Any], output: str) -> None:
    """After the staging folder was swapped in: the manifest, the search index's seals and the
    record, for the next build."""
    rebuilt.carry.save(output)
    if rebuilt.index is not None:
        rebuilt.index.reseal()
    kept = rebuilt.kept
    retained = list(pelican_settings.get("OUTPUT_RETENTION") or ())
    kept.output = record.output_stamps(output, retained, kept.search is not None)
    kept.save(rebuilt.where)


def _rebuild(pelican_settings: dict[str, Any], output: str, staging: str, scratch: str, site: str) -> Rebuilt:
    run = Run(pelican_settings)
    settings = run.settings
    folder = run.cache.subfolder("")
    if folder is None:
        raise NotAloneError
    where = record.location(folder, output)
    kept = Record.load(where)
    if kept is None or kept.day != record.day(settings):
        raise NotAloneError
    content = record.content_stamps(run.door)
    names = content.keys() | kept.content.keys()
    changed = [name for name in names if content.get(name) != kept.content.get(name)]
    if len(changed) != 1 or changed[0] not in kept.explainers:
        raise NotAloneError
    name = changed[0]
    facts = kept.explainers[name]
    if kept.site != site:
        raise NotAloneError
    # The search settings are the run's, out of the site's digest (no page shows them), but the
    # output's search folder is made by them: whether there is one, and in how many parts.
    if (kept.search is not None) != settings.search or kept.part_size != settings.search_part_size:
        raise NotAloneError
    # Its files are the output's own (compared with the output folder before anything is
    # written): none is read or written elsewhere; the search parts, the cache's.
    if not all(address in kept.output for address in [facts["page"], *facts["data"], *facts["feeds"]]):
        raise NotAloneError
    if kept.search is not None:
        root = run.cache.subfolder("search")
        if root is None:
            raise NotAloneError
        indexes = search.SearchIndex(root, kept.part_size).indexes
        if not all(os.path.dirname(index) == indexes for _, index in kept.search):
            raise NotAloneError

    # Read, and compared with what the last build read.
    path = os.path.join(run.content_path, name)
    result = run.read(path)
    run.cache.keep_added()  # its outcome, for the next build (the whole one, if not this)
    old = run.cache.get(facts["key"], "build")
    if (
        not isinstance(result, Result)
        or result.view is None
        or not isinstance(old, Result)
        or old.view is None
        or result.targets
        or result.reviews != old.reviews
        or result.view.image is not None
        or result.problems != old.problems  # what the build reports, as it was
        or shown_elsewhere(result.view) != shown_elsewhere(old.view)
    ):
        raise NotAloneError
    problems = ProblemLog([Problem(**found) for found in kept.problems])
    if problems.fails(strict=settings.strict):
        raise NotAloneError  # a strict build now: the whole build says what fails it

    # Its search record is made from its outcome, as the build's is from its article (the
    # body as read, in the site's language, which the record requires of it): the part
    # holding it is indexed again while the rest is made.
    lang = pelican_settings.get("DEFAULT_LANG", "en")
    shown = SimpleNamespace(explainer=result.view, lang=lang, _content=result.html)
    part = (
        _Part.start(run, kept, facts["page"], f"{result.view.cache_key}|{lang}", shown)
        if kept.search
        else None
    )
    try:
        # What the rest of the site is made from, as the last build left it.
        retained = list(pelican_settings.get("OUTPUT_RETENTION") or ())
        if record.output_stamps(output, retained, kept.search is not None) != kept.output:
            raise NotAloneError  # someone changed the output: the whole build writes it again
        if kept.search is not None and not all(search.intact(index) for _, index in kept.search):
            raise NotAloneError
        made, article = _made_alone(pelican_settings, run, name, facts, output=output, scratch=scratch)
        # The file as it was compared and indexed above (not edited again meanwhile).
        if (
            article._content != result.html
            or getattr(article, "lang", None) != lang
            or shown_elsewhere(article.explainer) != shown_elsewhere(result.view)
        ):
            raise NotAloneError
        # The rest of the site, as the previous output has it, while the part is indexed.
        for address in kept.output:
            if address not in made:
                target = os.path.join(staging, address)
                try:
                    os.link(os.path.join(output, address), target)
                except FileNotFoundError:
                    os.makedirs(os.path.dirname(target), exist_ok=True)
                    os.link(os.path.join(output, address), target)
        for address, data in made.items():
            output_folder.write_bytes(os.path.join(staging, address), data)
        carry = Carry(staging, run.cache.subfolder("outputs"))
        # Its own files' keys are the whole build's to work out again: written next time.
        carry.written = {address: entry[0] for address, entry in carry.old.items() if address not in made}
        if part is not None:
            part.placed(os.path.join(staging, record.SEARCH_FOLDER))
    finally:
        if part is not None:
            part.stop()
    kept.content = content
    facts["key"] = result.view.cache_key
    index = part.index if part is not None else None
    if index is not None:
        kept.search = index.parts_in_order()
    return Rebuilt(name, run, kept, where, carry, index, problems)


def _made_alone(
    pelican_settings: dict[str, Any], run: Run, name: str, facts: dict[str, Any], *, output: str, scratch: str
) -> tuple[dict[str, bytes], Any]:
    """The explainer built alone, with what the whole site knows of it: its page, data files
    and feeds (the site's, with its entry made again), by address; and its article."""
    # Pelican, loaded while Pagefind indexes (nothing before the indexing needed it).
    from . import alone  # noqa: PLC0415

    path = os.path.join(run.content_path, name)

    def give(generators: list) -> None:
        for article in generators[0].context.get("articles", []):
            if article.source_path == path:
                article.cited_elsewhere = facts["cited"]

    built = os.path.join(scratch, "output")
    try:
        one = alone.build_alone(
            dict(pelican_settings),
            run.content_path,
            name,
            built,
            pages=True,
            feeds=bool(facts["feeds"]),
            cards=False,  # what it shows is the same: the previous output's is linked
            site_categories=True,
            before_writing=give,
        )
    except Exception as exc:
        raise NotAloneError from exc  # the whole build says what it is
    # Its problems were looked for above; the run's others are those of a site of one file.
    if len(one.to_index) != 1 or one.to_index[0].source_path != path:
        raise NotAloneError
    made = {address: _read(built, address) for address in [facts["page"], *facts["data"]]}
    for feed in facts["feeds"]:
        made[feed] = _spliced(_read(output, feed), _read(built, feed))
    return made, one.to_index[0]


class _Part:
    """The search index's part holding the explainer, made again with its new record (in a
    thread: Pagefind, a process of its own, does the work), the others as they are."""

    def __init__(self, index: search.SearchIndex, part: search.Part):
        self.index = index
        self.part = part
        self.failed: BaseException | None = None
        self.thread = threading.Thread(target=self._index, daemon=True)

    @classmethod
    def start(cls, run: Run, kept: Record, address: str, stamp: str, article: Any) -> _Part:
        root = run.cache.subfolder("search")
        names = [name for name, _ in kept.search]
        total = int(names[0].split("-")[0])
        part_name = f"{total}-{search.part_of(address, total)}"
        if part_name not in names or root is None:
            raise NotAloneError
        position = names.index(part_name)
        index = search.SearchIndex(root, kept.part_size)
        index.forget_records(f"{total}-")  # what killed runs left, as a whole build's start removes
        records = search.read_json(os.path.join(index.records, f"{part_name}.json"), {})
        addresses = sorted(records)
        stamps = [records[a][0] if isinstance(records[a], list) and records[a] else None for a in addresses]
        if address not in records or None in stamps:
            raise NotAloneError
        if search.index_name(addresses, stamps) != os.path.basename(kept.search[position][1]):
            raise NotAloneError  # the records kept are not those the part's index was made from
        stamps[addresses.index(address)] = stamp
        part = search.Part(part_name, [None] * len(addresses), addresses, stamps)
        part.index = os.path.join(index.indexes, search.index_name(addresses, stamps))
        part.made[address] = index.record(article)
        index.names = names
        index.parts = [folder for _, folder in kept.search]
        index.parts[position] = part.index
        started = cls(index, part)
        started.thread.start()
        return started

    def _index(self) -> None:
        try:
            if not search.intact(self.part.index):
                self.index.index_parts([self.part])
        except BaseException as exc:  # raised again in the build's thread (`placed`)
            self.failed = exc

    def placed(self, site: str) -> None:
        """Once indexed: every part placed in `site`, the output's search folder."""
        self.thread.join()
        if self.failed is not None:
            raise NotAloneError from self.failed
        self.index.place(site)

    def stop(self) -> None:
        """The indexing stopped, if the rebuild stopped first (its Pagefind with it)."""
        if self.thread.is_alive():
            self.index.stopped = True
            self.index.kill_service()
            self.thread.join()


def _read(folder: str, address: str) -> bytes:
    try:
        with open(os.path.join(folder, address), "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise NotAloneError from exc


# A feed's entries: from the opening tag to the closing one (their text is escaped, and never
# holds either), each known by its id (Atom) or guid (RSS).
_ENTRIES = ((b"<entry>", b"</entry>", b"<id>", b"</id>"), (b"<item>", b"</item>", b"<guid", b"</guid>"))


def _spliced(site_feed: bytes, own_feed: bytes) -> bytes:
    """The site's feed with the explainer's entry replaced by the one in its own feed (a feed
    of that one entry, made by the run that built it alone)."""
    for opening, closing, id_opening, id_closing in _ENTRIES:
        own = _entries(own_feed, opening, closing)
        if not own:
            continue
        if len(own) != 1:
            raise NotAloneError
        start, end = own[0]
        entry = own_feed[start:end]
        identity = _between(entry, id_opening, id_closing)
        found = [
            (s, e)
            for s, e in _entries(site_feed, opening, closing)
            if _between(site_feed[s:e], id_opening, id_closing) == identity
        ]
        if identity is None or len(found) != 1:
            raise NotAloneError
        start, end = found[0]
        return site_feed[:start] + entry + site_feed[end:]
    raise NotAloneError


def _entries(feed: bytes, opening: bytes, closing: bytes) -> list[tuple[int, int]]:
    spans = []
    start = feed.find(opening)
    while start != -1:
        end = feed.find(closing, start)
        if end == -1:
            raise NotAloneError
        end += len(closing)
        spans.append((start, end))
        start = feed.find(opening, end)
    return spans


def _between(entry: bytes, opening: bytes, closing: bytes) -> bytes | None:
    start = entry.find(opening)
    end = entry.find(closing, start)
    return entry[start:end] if start != -1 and end != -1 else None


def _empty(staging: str) -> None:
    """The staging folder as it was made: its marker alone (a whole build writes it next)."""
    for entry in os.scandir(staging):
        if entry.name == output_folder.MARKER:
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            os.unlink(entry.path)
