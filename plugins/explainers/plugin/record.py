"""What a build leaves for the next one, to rebuild one edited explainer alone (`quick.py`).

After a build that wrote the whole site, its cache keeps a record of it, for that output
folder: what the next build needs to know that an edit changed nothing another page
shows, and to make the site without Pelican going over every file again.

- the day (a date written without its day takes the build's; review dates warn by it);
- the settings and templates (`site.site_digest`) and the theme's static files;
- every file of the content folder, and of the output folder, by size, times and inode:
  the next build finds the one file that changed, and that nobody touched the output;
- each explainer that can be rebuilt alone: its outcome's key (the cache holds what every
  other page showed of it), how many other explainers cite each of its sources, its files
  in the output and the feeds that show it;
- the search index's parts, in order.

An explainer can be rebuilt alone when the rest of the site depends on nothing of it but
what its outcome says, which the next build compares: published, with no translation, in
the site's language, linking no other file of the site, showing no picture of its own. A
site that uses a theme other than this project's, has other plugins watching what is
written, or keeps no cache, gets no record: a build of it removes the record it had. The
problems the build reported are kept too, and reported again by a rebuild that changed
none of them.

Nothing in a record names a file to read or write but by a content-relative path the
next build finds again by walking the content folder, an output address it finds among
the output folder's own files, or a search index folder of the cache's; a record whose
fields do not hold what a build puts there is none.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import hashlib
import json
import os
import stat
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import output as output_folder
from ..document import files
from ..render.addresses import CLAIMS_DATA_SAVE_AS, SOURCES_DATA_SAVE_AS, written_at
from ..settings import ExplainerSettings
from .site import own_theme, site_digest

if TYPE_CHECKING:
    from .state import PelicanRun

VERSION = 1
# An output folder's entries the build does not list: its marker (each build's own) and
# the search index's folder, which comes from the cache's indexes (`SearchIndex.place`).
SEARCH_FOLDER = "pagefind"


def day(settings: ExplainerSettings) -> str:
    """The days a build's output depends on: the run's (review dates; a site may fix it) and
    the clock's (Pelican completes a date written without its day from it)."""
    return f"{settings.today.isoformat()}|{datetime.date.today().isoformat()}"


def site_of(pelican_settings: dict[str, Any]) -> str:
    """The settings, templates and theme files a build's every page depends on (the settings as
    read: Pelican and this plugin add to them once a run starts)."""
    theme = pelican_settings["THEME"]
    digest = hashlib.sha256(site_digest(pelican_settings, theme).encode())
    digest.update(repr(sorted(str(name) for name in pelican_settings.get("PLUGINS") or [])).encode())
    for folder in pelican_settings.get("THEME_STATIC_PATHS") or []:
        digest.update(repr(sorted(stamps(os.path.join(theme, folder), lambda name: False).items())).encode())
    return digest.hexdigest()


def stamps(root: str, ignored, skip: frozenset[str] = frozenset()) -> dict[str, list[int]]:
    """Every file under `root` (names `ignored` skipped, and the top-level entries `skip`) by
    its size, time, change time and inode; a link (file or folder) by its own, marked -1:
    the record refuses a folder holding one (its target can change unseen)."""
    found: dict[str, list[int]] = {}
    pending = [""]
    while pending:
        under = pending.pop()
        try:
            entries = list(os.scandir(os.path.join(root, under)))
        except OSError:
            continue  # a folder that is not there: nothing in it
        for entry in entries:
            if ignored(entry.name) or (not under and entry.name in skip):
                continue
            name = f"{under}/{entry.name}" if under else entry.name
            if entry.is_dir(follow_symlinks=False):
                pending.append(name)
                continue
            seen = entry.stat(follow_symlinks=False)
            kind = 0 if stat.S_ISREG(seen.st_mode) else -1
            found[name] = [seen.st_size, seen.st_mtime_ns, seen.st_ctime_ns, seen.st_ino, kind]
    return found


def content_stamps(door: files.Door) -> dict[str, list[int]]:
    """The content folder's files a build may read (not those its door ignores)."""
    return stamps(door.root, door.ignored)


def output_stamps(folder: str, retained: list[str], search: bool) -> dict[str, list[int]]:
    """The output folder's files, but its marker, the entries OUTPUT_RETENTION keeps (each
    build moves them over) and the search index (made from the cache's)."""
    skip = {output_folder.MARKER, *(name for name in retained if isinstance(name, str))}
    if search:
        skip.add(SEARCH_FOLDER)
    return stamps(folder, lambda name: False, frozenset(skip))


def location(cache_folder: str, output: str) -> str:
    """The record of builds into `output`, in the cache folder of its settings and code."""
    name = hashlib.sha256(os.fsencode(os.path.realpath(output))).hexdigest()[:20]
    return os.path.join(cache_folder, "rebuilds", f"{name}.json")


@dataclass
class Record:
    day: str
    site: str
    content: dict[str, list[int]]
    output: dict[str, list[int]]
    explainers: dict[str, dict[str, Any]]  # content-relative path -> what `quick.py` needs
    search: list[list[str]] | None  # [part name, index folder] of each part, in order
    part_size: int
    # What the build reported: its problems (warnings and notes: it passed), the line on the
    # drafts' problems and its counts; the same again after an edit that changes none of them.
    problems: list[dict[str, Any]]
    note: str
    summary: str

    def save(self, path: str) -> None:
        document = {"version": VERSION, **self.__dict__}
        with contextlib.suppress(OSError):  # no room: the next build builds the whole site
            os.makedirs(os.path.dirname(path), exist_ok=True)
            output_folder.write_aside(path, json.dumps(document).encode("utf-8"))

    @classmethod
    def load(cls, path: str) -> Record | None:
        try:
            with open(path, encoding="utf-8") as handle:
                document = json.load(handle)
            if document.pop("version") != VERSION:
                return None
            kept = cls(**document)
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None
        return kept if kept.well_formed() else None

    def well_formed(self) -> bool:
        """Whether each field holds what `_made` puts there (a record edited by hand, or by
        another version, is no record: the whole site is built)."""
        return (
            isinstance(self.day, str)
            and isinstance(self.site, str)
            and _stamps(self.content)
            and _stamps(self.output)
            and isinstance(self.explainers, dict)
            and all(isinstance(name, str) and _facts(facts) for name, facts in self.explainers.items())
            and (self.search is None or (isinstance(self.search, list) and all(map(_part, self.search))))
            and type(self.part_size) is int
            and self.part_size > 0
            and isinstance(self.problems, list)
            and all(isinstance(problem, dict) for problem in self.problems)
            and isinstance(self.note, str)
            and isinstance(self.summary, str)
        )


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _stamps(value: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(name, str)
        and isinstance(entry, list)
        and len(entry) == 5
        and all(type(number) is int for number in entry)
        for name, entry in value.items()
    )


def _facts(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("key"), str)
        and isinstance(value.get("cited"), dict)
        and all(isinstance(k, str) and type(n) is int for k, n in value["cited"].items())
        and isinstance(value.get("page"), str)
        and _strings(value.get("data"))
        and _strings(value.get("feeds"))
    )


def _part(value: Any) -> bool:
    """[part name ("<parts>-<number>"), index folder]."""
    return (
        _strings(value)
        and len(value) == 2
        and len(value[0].split("-")) == 2
        and all(number.isdecimal() for number in value[0].split("-"))
    )


def forget(run: PelicanRun, output: str) -> None:
    """Remove the record of `output`: the site as built now has none."""
    folder = run.run.cache.subfolder("")
    if folder is not None:
        with contextlib.suppress(OSError):
            os.remove(location(folder, output))


def keep(run: PelicanRun, pelican_settings: dict[str, Any], output: str, site: str) -> None:
    """After a build of the whole site was swapped in (its manifest saved, its search index
    resealed): its record, or none where the next build cannot rebuild one file alone.
    `site`: `site_of` the settings as the build read them, before Pelican added to them."""
    made = _made(run, pelican_settings, output, site)
    folder = run.run.cache.subfolder("")
    if made is None or folder is None:
        forget(run, output)
        return
    made.save(location(folder, output))


def _watched() -> bool:
    """Whether a plugin other than this one watches the pages and feeds written (the
    writer then leaves every write to Pelican, in this process)."""
    from pelican import signals  # noqa: PLC0415 (a rebuild reads the record before Pelican loads)

    return bool(signals.content_written.receivers or signals.feed_written.receivers) or (
        len(signals.feed_generated.receivers) > 1
    )


def _made(run: PelicanRun, pelican_settings: dict[str, Any], output: str, site: str) -> Record | None:
    settings = run.run.settings
    if (
        not run.run.cache.enabled
        or run.run.fails()
        or pelican_settings.get("EXPLAINERS_PUBLISHING")
        or not own_theme(pelican_settings)
        or _watched()
    ):
        return None
    content = content_stamps(run.run.door)
    search = run.search.parts_in_order() if run.search is not None else None
    retained = list(pelican_settings.get("OUTPUT_RETENTION") or ())
    built = output_stamps(output, retained, search is not None)
    if any(entry[4] != 0 for entry in [*content.values(), *built.values()]):
        return None
    door = run.run.door
    default_lang = pelican_settings.get("DEFAULT_LANG")
    explainers = {}
    for article in run.written:
        view = getattr(article, "explainer", None)
        outcome = run.run.outcomes.get(article.source_path)
        if (
            view is None
            or outcome is None
            or not view.cache_key
            or article.status != "published"
            or getattr(article, "translations", None)
            or article.source_path in run.run.held
            or getattr(article, "lang", None) != default_lang
            or outcome.targets
            or view.image is not None
        ):
            continue
        page = written_at(article)
        data = [name.format(base=article.data_base) for name in (CLAIMS_DATA_SAVE_AS, SOURCES_DATA_SAVE_AS)]
        explainers[door.relative(article.source_path)] = {
            "key": view.cache_key,
            "cited": dict(getattr(article, "cited_elsewhere", None) or {}),
            "page": page,
            "data": data,
            "feeds": sorted(run.feeds_showing.get(article.source_path, ())),
        }
    return Record(
        day=day(settings),
        site=site,
        content=content,
        output=built,
        explainers=explainers,
        search=search,
        part_size=settings.search_part_size,
        problems=[dataclasses.asdict(problem) for problem in run.run.log.problems],
        note=run.run.unpublished_drafts_note(),
        summary=run.run.summary(),
    )
