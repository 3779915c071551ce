"""`make archive`: an archived copy of every cited page, recorded in the lockfile.

For each cited address that declares no `archive_url` and is not yet in the lockfile,
one at a time with a pause between them:

1. the live page is fetched, for its status and content hash;
2. the archive service's availability API is asked for a snapshot near the day the
   writer accessed the page (the Wayback Machine's, by default); one taken within
   `FRESH_DAYS` of it is used as it is;
3. otherwise its Save API is asked for a new snapshot (a live page only: saving a
   dead one would archive the error).

Each success is written to the lockfile at once, so a stopped or failed run resumes
where it left off; an address that could not be archived is a warning and is tried
again next time.

An address already in the lockfile is visited again only when the writer has read the
page since: its `accessed` day is later than the one the copy was made for. If the page
still reads the same, the entry just moves to the new day; if it has changed, a copy
newer than the old one is found or saved, and its hash replaces the old one, which is
how a writer settles `make linkcheck`'s "has changed" warning.
"""

from __future__ import annotations

import datetime
import json
import re
import time
import urllib.parse
from collections.abc import Callable

from ..document.dates import day_of
from ..document.library import DeclaredSource
from ..document.lockfile import Archived, Lockfile
from ..document.problems import ProblemLog
from ..settings import ArchiveSettings
from . import web
from .sources import progress_bar

_SNAPSHOT_DATE = re.compile(r"/web/(\d{4})(\d{2})(\d{2})\d*")


def archive_one(
    cited: DeclaredSource,
    service: ArchiveSettings,
    today: datetime.date,
    pause: Callable,
    previous: Archived | None = None,
) -> Archived | str:
    """Archive the cited page (again, if `previous`); its lockfile entry, or why it could not be archived."""
    url = cited.source.url
    page = web.fetch(url, timeout=service.timeout)
    accessed = day_of(cited.source.accessed)
    if previous and page.ok and page.content_hash == previous.content_hash:
        # Read again, and unchanged since the copy was taken: the copy still shows it.
        return previous.model_copy(update={"accessed": accessed, "status": page.status})
    pause()
    found = existing_snapshot(
        url, accessed or today, service, newer_than=previous.archived if previous else None
    )
    if found is None and not page.ok:
        return f"the page gives {page.status or page.reason} and the archive has no snapshot of it"
    if found is None:
        pause()
        found = save_snapshot(url, service, today, pause)
        if isinstance(found, str):
            return found
    archive_url, archived = found
    return Archived(
        archive_url=archive_url,
        archived=archived,
        status=page.status,
        content_hash=page.content_hash,
        accessed=accessed,
    )


def existing_snapshot(
    url: str, wanted: datetime.date, service: ArchiveSettings, newer_than: datetime.date | None = None
) -> tuple[str, datetime.date] | None:
    """(archive URL, date) of a snapshot within FRESH_DAYS of `wanted` (and taken after
    `newer_than`, a copy the page has changed since), if there is one."""
    query = urllib.parse.urlencode({"url": url, "timestamp": wanted.strftime("%Y%m%d")})
    answer = web.fetch(f"{service.availability}?{query}", timeout=service.timeout)
    if not answer.ok:
        return None
    try:
        closest = json.loads(answer.body)["archived_snapshots"]["closest"]
        stamp, snapshot = str(closest["timestamp"]), closest["url"]
        taken = datetime.date(int(stamp[:4]), int(stamp[4:6]), int(stamp[6:8]))
    except (ValueError, KeyError, TypeError, IndexError):
        return None  # no snapshot, or an answer in another shape: save one instead
    if not closest.get("available", True) or abs((taken - wanted).days) > service.fresh_days:
        return None
    if newer_than and taken <= newer_than:
        return None
    return _https(snapshot), taken


def save_snapshot(
    url: str, service: ArchiveSettings, today: datetime.date, pause: Callable
) -> tuple[str, datetime.date] | str:
    """Ask the Save API for a snapshot: its address and date, or why there is none."""
    for attempt in (1, 2):
        saved, location = web.fetch_once(service.save + url, "GET", max(service.timeout, 60))
        if saved.status in (429, 503):
            if attempt == 2:
                break
            # The service is busy: wait as long as it asks (within reason), then try once more.
            pause(min(saved.retry_after if saved.retry_after is not None else 60, 300))
            continue
        if location:
            snapshot = urllib.parse.urljoin(service.save, location)
            return _https(snapshot), _date_in(snapshot) or today
        if saved.ok:
            # Saved, but the answer did not say where: the availability API knows.
            pause()
            found = existing_snapshot(url, today, service)
            if found:
                return found
        return f"the archive service did not save it ({saved.status or ''} {saved.reason})".replace("( ", "(")
    return "the archive service is busy; run `make archive` again later"


def run(
    sources: list[DeclaredSource],
    lock: Lockfile,
    service: ArchiveSettings,
    today: datetime.date,
    log: ProblemLog,
) -> tuple[int, int]:
    """Archive every cited address the lockfile lacks, or holds from before the writer's
    latest reading; (archived, already there)."""
    todo: dict[str, DeclaredSource] = {}
    for cited in sources:
        if cited.source.url and not cited.source.archive_url:
            # An address cited twice is archived for its latest reading.
            kept = todo.get(cited.source.url)
            if kept is None or _read_on(cited) > _read_on(kept):
                todo[cited.source.url] = cited
    already = sum(1 for url, cited in todo.items() if _current(lock.get(url), cited))
    todo = {url: cited for url, cited in todo.items() if not _current(lock.get(url), cited)}
    archived = 0

    def pause(seconds: float | None = None) -> None:
        time.sleep(service.delay if seconds is None else seconds)  # be gentle with the service

    with progress_bar("Archiving", len(todo)) as advance:
        for url, cited in todo.items():
            outcome = archive_one(cited, service, today, pause, lock.get(url))
            if isinstance(outcome, str):
                log.warning(cited.path, cited.line, f'source "{cited.key}": {url}: {outcome}', "not-archived")
                advance(f"{url}: not archived")
            else:
                lock.record(url, outcome)
                archived += 1
                advance(f"{url}: {outcome.archive_url}")
    return archived, already


def _read_on(cited: DeclaredSource) -> datetime.date:
    return day_of(cited.source.accessed) or datetime.date.min


def _current(entry: Archived | None, cited: DeclaredSource) -> bool:
    """Whether the lockfile's copy is from the writer's latest reading of the page."""
    if entry is None:
        return False
    read_on = day_of(cited.source.accessed)
    if read_on is None:
        return True  # no day to compare: the copy stands
    return entry.accessed is not None and read_on <= entry.accessed


def _date_in(snapshot: str) -> datetime.date | None:
    match = _SNAPSHOT_DATE.search(urllib.parse.urlsplit(snapshot).path)
    if not match:
        return None
    try:
        return datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _https(snapshot: str) -> str:
    # The availability API answers with http:// addresses; readers should get https.
    if snapshot.startswith("http://") and urllib.parse.urlsplit(snapshot).hostname == "web.archive.org":
        return "https://" + snapshot.removeprefix("http://")
    return snapshot
