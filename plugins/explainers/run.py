"""One run over a content folder: the settings, the site's sources library, every file
read through the spine (`read.py`), and every problem found.

The Pelican reader and `make check` both go through a `Run`, so the two see the same
problems; `finish()` adds the site-wide ones once every file has been read: what the
content folder's door refused, two files written to one address, an address that is
one of the site's own pages, a link to a file that is not there.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .cache import OutcomeCache, Packed, file_key, versions
from .document import files, intrasite, peek
from .document.problems import ERROR, WARNING, Problem, ProblemLog, display_path
from .render.addresses import SITE_FOLDERS, SITE_PAGES, beside_page, source_file_name
from .settings import from_pelican, markdown_options, what_shows

# What reads a file (Markdown, the sanitizer, the models) and what keeps its page are
# imported when a file is read or a page kept: a check whose every outcome is cached
# loads neither (`_reader`).
if TYPE_CHECKING:
    from .document.library import DeclaredSource
    from .document.lockfile import Lockfile
    from .pool import Behind
    from .read import ExplainerBuilder, Result
    from .render.view import OpenViews


class _LibraryFiles(dict):
    """The sources library's files and the lockfile, each read once through the door: bytes,
    or the refusal (raised again to whoever asks for it)."""

    def __getitem__(self, path: str) -> bytes:
        value = super().__getitem__(path)
        if isinstance(value, Exception):
            raise value
        return value


# A file name longer than this is refused by most file systems (255 bytes), and the
# page's data files add to it.
MAX_NAME_BYTES = 200


@dataclass(frozen=True)
class CheckOutcome:
    """What `make check` needs of a file: its problems, the sources it reaches, and what
    the run's site-wide checks need."""

    problems: list[Problem]
    reached: list[str]
    reviews: list[tuple[str, int, Any]]
    is_explainer: bool = True
    address_fields: dict[str, Any] = field(default_factory=dict)
    targets: list[intrasite.Target] = field(default_factory=list)
    slug_line: int = 1
    lang_line: int = 1

    @classmethod
    def of(cls, result: Result) -> CheckOutcome:
        reached = list(result.view.note_keys) if result.view else []
        address = {}
        if result.publishable:
            metadata = result.metadata
            address = {
                k: metadata[k]
                for k in ("title", "slug", "status", "lang", "save_as", "translation")
                if k in metadata
            }
        return cls(
            result.problems,
            reached,
            result.reviews,
            result.is_explainer,
            address,
            result.targets,
            result.slug_line,
            result.lang_line,
        )


def check_parts(result: Result) -> dict[str, Any]:
    """What a check's cache keeps of a file's outcome: the little it needs. Pickling and
    writing the whole outcome (its page view, its HTML) cost a tenth of reading a file, and
    a check (CI's, mostly) never reads it: the next build reads such a file again."""
    return {"check": CheckOutcome.of(result)}


def cache_parts(result: Result) -> dict[str, Any]:
    """What the cache keeps of a file's outcome: all of it for a build (its view stored, as
    the build keeps it until the page is written), the little a check needs."""
    from .render.view import StoredView  # noqa: PLC0415 (see the imports)

    check = CheckOutcome.of(result)
    if result.view is not None:
        result = dataclasses.replace(result, view=StoredView.of(result.view))
    if result.declared:
        result = dataclasses.replace(result, declared=Packed(result.declared))
    return {"build": result, "check": check}


@dataclass(frozen=True)
class SiteOutcome:
    """What a run needs of the sources library and the lockfile besides their objects: their
    problems, and where each site-wide source is declared (key -> (path, line))."""

    problems: list[Problem]
    declared: dict[str, tuple[str, int]]


# The problems of an explainer that a broken sources file may cause: a key it declared.
UNKNOWN_SOURCE_CODES = frozenset({"unknown-source", "unknown-key"})
_DID_YOU_MEAN = re.compile(r' \(did you mean "[^"]*"\?\)$')  # `problems.hint`'s near miss


@dataclass
class _Said:
    """Whether any file read so far may say it is a translation, or a draft (`peek.may_say_each`)."""

    translations: bool = False
    drafts: bool = False


class ReadAhead(NamedTuple):
    """A file a check read ahead (`Run.read_ahead`), kept for `Run.read`: its bytes, its cache
    key, and whether its one scan found the words `translation` and `draft` (`peek.may_say_each`:
    a file without the word cannot say it)."""

    data: bytes
    key: str
    translation: bool
    draft: bool


class Run:
    def __init__(self, pelican_settings: Mapping[str, Any], *, pages: bool = True):
        """`pages`: whether the run writes pages (a build) or only reports problems (a check)."""
        self.pelican_settings = pelican_settings
        self.settings = from_pelican(pelican_settings)
        self.content_path = pelican_settings["PATH"]
        # Each page folder as a prefix of a content-relative path (`pages/`), read once.
        self._page_folders = tuple(p.strip("/") + "/" for p in pelican_settings.get("PAGE_PATHS") or [] if p)
        self.pages = pages
        self.log = ProblemLog()
        self.door = files.of_settings(pelican_settings, self.settings)
        self.files, self.refused, self.linked_folders = self.door.scan()
        # The sources library's files and the lockfile, each read once through the door: for
        # what they hold, and for the cache's key.
        self._lockfile_path = str(Path(self.content_path, files.LOCKFILE))  # as `lockfile.load` has it
        self._site_files = self._read_site_files()
        self.library_paths = frozenset(p for p in self._site_files if p != self._lockfile_path)
        self.reached: set[str] = set()
        self.drafts: set[str] = set()  # the files whose front matter says `status: draft`
        # translation's path -> its original's, a draft: the translation is held back with it
        self.held: dict[str, str] = {}
        self.outcomes: dict[str, CheckOutcome] = {}  # path -> what the site-wide checks need
        # path -> the address fields of a file not read in full (`make check FILE=`'s others)
        self.peeked: dict[str, dict[str, Any]] = {}
        self._heads: dict[str, dict[str, Any] | None] = {}  # path -> its address fields (`head`)
        self._slugs: dict[str, str] = {}  # what a slug is made from -> the slug (`_slug`)
        self._pages_found: dict[str, bool] = {}  # path -> whether it is in a page folder (`is_page`)
        self.finished = False
        self.markdown_settings = pelican_settings.get("MARKDOWN")
        self._builder: ExplainerBuilder | None = None
        # cache key -> outcome (a check's: its CheckOutcome), read by worker processes, where
        # the cache could not keep it (else `read` finds it there)
        self._read_ahead: dict[str, Result | CheckOutcome] = {}
        # path -> the file as a check read it ahead (`read_ahead`), until `finish`
        self._bytes: dict[str, ReadAhead] = {}
        # The keys of the files a build's read-ahead read and stored in the cache, in order
        # (their cards are drawn ahead: `plugin/cards.py`)
        self.fresh: list[str] = []
        # path -> its cache key, and whether it says it is a draft, of a file a build's read-ahead
        # found cached: `read` takes its outcome without reading the file again (`read_ahead`)
        self._known: dict[str, tuple[str, bool]] = {}
        # The process reading a rebuild's few files while the run takes the others (`read_ahead`)
        self._behind: Behind | None = None
        lock_data = self._site_files.get(self._lockfile_path)
        self.cache = OutcomeCache(
            pelican_settings.get("CACHE_PATH") if self.settings.cache else None,
            self.content_path,
            depends_on=(
                what_shows(pelican_settings.get("EXPLAINERS")),
                markdown_options(self.markdown_settings),
                [data for path, data in self._site_files.items() if path in self.library_paths],
                lock_data if isinstance(lock_data, bytes) else b"",
            ),
        )
        site = self._site_outcome()
        self.log.extend(site.problems)
        # key -> (path, line) of each site-wide source's declaration: what the site-wide checks
        # need of the library, known without loading it (`library`)
        self.declared = site.declared

    def _read_site_files(self) -> _LibraryFiles:
        found = _LibraryFiles()
        paths = files.library_files(self.content_path, self.settings.sources_dir)
        if os.path.lexists(self._lockfile_path):
            paths.append(self._lockfile_path)
        for path in paths:
            try:
                found[path] = self.door.read_file(path)
            except files.RefusedFileError as exc:
                found[path] = exc  # raised again when the library reads it: reported there
        return found

    def _site_outcome(self) -> SiteOutcome:
        """The problems of the sources library and the lockfile, and where each source is
        declared: from the cache when their files are as they were (validating them takes
        the models, which a check of cached files otherwise never loads)."""
        digest = hashlib.sha256()
        for path, data in sorted(self._site_files.items()):  # their contents, names, refusals
            kept = data if isinstance(data, bytes) else (data.code, data.message)
            digest.update(repr((path, kept)).encode())
        key = digest.hexdigest()[:32]
        cached = self.cache.get(key, "site")
        if isinstance(cached, SiteOutcome):
            return cached
        from .document import lockfile  # noqa: PLC0415 (see the imports)
        from .document.library import load_library  # noqa: PLC0415 (see the imports)

        self.library, problems = load_library(
            self.content_path, self.settings.sources_dir, read=self._site_files.__getitem__
        )
        self.lockfile, lockfile_problems = lockfile.load(self.content_path, read=self._site_files.__getitem__)
        declared = {key: (entry.path, entry.line) for key, entry in self.library.items()}
        outcome = SiteOutcome([*problems, *lockfile_problems], declared)
        self.cache.put(key, {"site": outcome})
        return outcome

    @functools.cached_property
    def library(self) -> dict[str, DeclaredSource]:
        """Every valid site-wide source by key (its problems are the run's already)."""
        from .document.library import load_library  # noqa: PLC0415 (see the imports)

        read = self._site_files.__getitem__
        return load_library(self.content_path, self.settings.sources_dir, read=read)[0]

    @functools.cached_property
    def lockfile(self) -> Lockfile:
        """The archive lockfile (its problems are the run's already)."""
        from .document import lockfile  # noqa: PLC0415 (see the imports)

        return lockfile.load(self.content_path, read=self._site_files.__getitem__)[0]

    def _builder_inputs(self) -> dict[str, Any]:
        return {
            "settings": self.settings,
            "library": self.library,
            "markdown_settings": self.markdown_settings,
            "archives": self.lockfile,
            "door": self.door,
            "pages": self.pages,  # a check's builder renders no field it need not
        }

    @property
    def builder(self) -> ExplainerBuilder:
        # Made on first need: a check whose every file is cached never loads Markdown.
        if self._builder is None:
            from .read import ExplainerBuilder  # noqa: PLC0415 (see the imports)

            self._builder = ExplainerBuilder(**self._builder_inputs())
        return self._builder

    @functools.cached_property
    def views(self) -> OpenViews:
        """The explainers' views last unpacked (`StoredView`): a build's."""
        from .render.view import OpenViews  # noqa: PLC0415 (see the imports)

        return OpenViews()

    def read_ahead(self) -> None:
        """Read every document the cache does not hold in worker processes (`pool.py`), so
        that `read` finds it done. Files that cannot be read are left to `read`, which
        reports them; so is everything when the work is too small for processes."""
        if self.settings.workers < 2:
            return  # one process: each file is read when Pelican asks for it, once
        documents = self.documents()
        # Every file is read: by the workers, unless a build's are few enough to read behind.
        if len(documents) >= 2 and not self.cache.holds_outcomes() and not self._behind_fits(len(documents)):
            self._read_all_ahead(documents)
            return
        said = _Said()
        unread = list(self._unread(documents, said))
        if not unread:
            return  # every file cached: no processes, nor the reader's imports
        from . import pool  # noqa: PLC0415 (see the imports)

        # The heads `read` will ask for (a site with translations and drafts: whether each
        # translation's original is a draft), read beside each file's outcome.
        heads = said.drafts and said.translations
        jobs = [
            pool.Job(path, data, page, key, head=heads and may_head)
            for path, data, page, key, may_head in unread
        ]
        if self._behind_fits(len(jobs)):
            # A rebuild's few: read behind the run, which meanwhile takes the cached files.
            self._behind = pool.read_behind(
                jobs, builder_inputs=self._builder_inputs(), cache=self.cache, parts=self._parts
            )
            if self._behind is not None:
                return
        # The longest files first, so that the last tasks are the shortest: a corpus of 100
        # to 20,000 words could end with one worker reading a long file while the other waited.
        jobs.sort(key=lambda job: len(job.data), reverse=True)
        self._take_read(pool.read_all(jobs, self.settings.workers, **self._pool_inputs()), documents)

    def _behind_fits(self, count: int) -> bool:
        """Whether a build's `count` files to read are few enough to read behind the run."""
        from . import pool  # noqa: PLC0415 (see the imports)

        return self.pages and self.cache.enabled and count <= pool.BEHIND_AT_MOST

    def _read_all_ahead(self, documents: list[str]) -> None:
        """`read_ahead` where the cache holds nothing (CI's check, a first build): every file
        is read by the workers, which start on the first while this process reads the rest
        (reading them all first kept both cores waiting a tenth of a check). The longest
        first, by their sizes on disk. The heads wanted (a site with translations and drafts)
        are read beside the files read once both are known to be in the site, and those of
        the files that may be one read before that, after all of them."""
        from . import pool  # noqa: PLC0415 (see the imports)

        def size(path: str) -> int:
            try:
                return os.stat(path).st_size
            except OSError:
                return 0  # read (and refused) as any other

        ordered, said, unknown = sorted(documents, key=size, reverse=True), _Said(), []

        def jobs() -> Iterator[pool.Job]:
            for path, data, page, key, may_head in self._unread(ordered, said):
                heads = said.drafts and said.translations
                if may_head and not heads:
                    unknown.append(pool.Job(path, data, page, key, head=True, outcome=False))
                yield pool.Job(path, data, page, key, head=may_head and heads)

        def heads() -> list[pool.Job]:
            return unknown if said.drafts and said.translations else []

        ahead = jobs()
        inputs = self._pool_inputs()
        results = pool.read_all(ahead, self.settings.workers, expected=len(documents), then=heads, **inputs)
        if results is None:
            for _ in ahead:  # the files not read yet: `read` reads them, as it reads all
                pass
        self._take_read(results, documents)

    def _unread(self, documents: list[str], said: _Said) -> Iterator[tuple[str, bytes, bool, str, bool]]:
        """Each of `documents` the cache does not hold, read through the door: its path,
        bytes, whether it is in a page folder, its cache key, and whether it may say it is a
        translation or a draft (`said` records whether any may). What the run keeps of each
        file read, cached or not, is kept here (see below)."""
        part = "build" if self.pages else "check"
        for path in documents:
            try:
                data = self.door.read_file(path)
            except files.RefusedFileError:
                continue
            if not data.strip():
                continue
            # Whether its head may be read (`draft_original`): it may be a translation, or
            # the draft original of one.
            translation, draft = peek.may_say_each(data, (b"translation", b"draft"))
            said.translations, said.drafts = said.translations or translation, said.drafts or draft
            page = self.is_page(path)
            key = self._key(path, data, page)
            if self.pages:
                if not self.cache.has(key, part):
                    yield path, data, page, key, translation or draft
                elif not translation:
                    # What `read` needs of the file besides its outcome: reading and hashing
                    # every file a second time when Pelican asks for it was a tenth of a
                    # rebuild. (A translation's head is read again with its bytes.)
                    self._known[path] = (key, draft and self._says_draft(path, data))
                continue
            # A check reads every file now: its bytes and its cached outcome are kept for
            # `read`, which comes next, so that no file is read twice. (A build holds neither,
            # only the keys above: Pelican asks for each file much later, one at a time.)
            self._bytes[path] = ReadAhead(data, key, translation, draft)
            if (cached := self.cache.get(key, part)) is not None:
                self._read_ahead[key] = cached
            else:
                yield path, data, page, key, translation or draft

    def _pool_inputs(self) -> dict[str, Any]:
        return {
            "builder_inputs": self._builder_inputs(),
            "cache": self.cache,
            "parts": self._parts,
            "want": "build" if self.pages else "check",
        }

    def _take_read(self, results: list | None, documents: list[str]) -> None:
        """What the workers read (`pool.read_all`: each job with its outcome and head, or
        None where they did not)."""
        if results is None:
            return
        for job, result, head in results:
            if result is not None:
                self._read_ahead[job.key] = result
            if head is not None:
                self._heads[job.path] = head
        if self.pages:
            # In the site's order: the cards of the first are drawn first (`cards.py`).
            order = {path: index for index, path in enumerate(documents)}
            read = sorted((job for job, _, _ in results if job.outcome), key=lambda job: order[job.path])
            self.fresh = [job.key for job in read]

    @property
    def _parts(self) -> Callable[[Result], dict[str, Any]]:
        """What this run stores of each outcome it reads: a build's, or a check's."""
        return cache_parts if self.pages else check_parts

    @staticmethod
    def _key(path: str, data: bytes, page: bool) -> str:
        # A page and an article are read differently: the same bytes are two outcomes.
        return file_key(path, data) + ("-page" if page else "")

    def documents(self) -> list[str]:
        """Every Markdown file the site reads, in a stable order (the sources folder aside)."""
        return files.documents(self.files)

    def is_page(self, path: str) -> bool:
        if path not in self._pages_found:  # asked for each file by several steps: found once
            self._pages_found[path] = self.door.relative(path).startswith(self._page_folders)
        return self._pages_found[path]

    def read(self, path: str) -> Result | CheckOutcome:
        """The file at `path`, read through the spine or from the cache.

        In a check (`pages=False`) only what the checks need is kept.
        """
        if (known := self._known.pop(path, None)) is not None:
            key, says_draft = known
            cached = self.cache.get(key, "build")
            if cached is not None:  # as the read-ahead found it: the file is not read again
                if says_draft:
                    self.drafts.add(path)
                self._take(path, key, cached)
                return cached
        ahead = self._bytes.get(path)
        try:
            data = ahead.data if ahead else self.door.read_file(path)
        except files.RefusedFileError as exc:
            # The scan reports it too, for files Pelican never asks about: say it once.
            if not any(p.path == path for p in self.refused):
                self.log.error(path, 1, exc.message, exc.code)
            return CheckOutcome([], [], [], False) if not self.pages else _result(False)
        if not data.strip():
            # Pelican would stop on it with a message of its own; say it here, located.
            self.log.error(
                path, 1, "the file is empty: give it front matter and a body, or delete it", "empty-file"
            )
            return CheckOutcome([], [], []) if not self.pages else _result(True)
        if (not ahead or ahead.draft) and self._says_draft(path, data):
            self.drafts.add(path)
        original = self.draft_original(path, data, ahead.translation if ahead else None)
        if original is not None:
            self.drafts.add(path)
            self.held[path] = original
        page = self.is_page(path)
        key = ahead.key if ahead else self._key(path, data, page)
        cached = self._read_ahead.pop(key, None)  # read, and cached, by a worker process
        if cached is None and self._behind is not None and key in self._behind.keys:
            self._behind.wait()  # read, and cached, behind the run (or not: read here, below)
        if cached is None:
            cached = self.cache.get(key, "build" if self.pages else "check")
        if cached is None:
            result = self.builder.read(path, data, page=page)
            parts = self._parts(result)
            self.cache.put(key, parts)
            cached = parts["build" if self.pages else "check"]
        elif not self.pages and not isinstance(cached, CheckOutcome):
            cached = CheckOutcome.of(cached)
        self._take(path, key, cached)
        if original is not None:
            # A note, not a warning: holding the translation back is the rule working, and the
            # translation is a draft now, whose problems never stop `make publish`.
            self.log.note(
                path,
                peek.field_line(data, "status") or peek.field_line(data, "translation") or 1,
                f"held back as a draft: its original {display_path(original)} is a draft, and a "
                "translation is published with its original, never before it",
                "translation-of-draft",
            )
        return cached

    def _says_draft(self, path: str, data: bytes) -> bool:
        """Whether the file is a draft, whose problems do not stop `make publish`: its YAML's
        `status`, or, where its YAML cannot be read, a `status: draft` line in its bytes. The
        line alone is not enough: inside a quoted summary it is text, and the file is
        published (or, with errors, dropped while `make publish` passes)."""
        if not peek.declares_draft(data):
            return False
        fields_ = self.head(path, data)
        return not fields_ or fields_.get("status") == "draft"

    def _take(self, path: str, key: str, cached: Result | CheckOutcome) -> None:
        """A file's outcome joins the run: its problems, the sources it reaches, what the
        site-wide checks need."""
        if not isinstance(cached, CheckOutcome) and cached.view is not None:
            cached.view.cache_key = key
            cached.view.views = self.views
        outcome = cached if isinstance(cached, CheckOutcome) else CheckOutcome.of(cached)
        self.outcomes[path] = outcome
        self.log.extend(outcome.problems)
        if outcome.reviews:  # most files: no rules, no models to import
            from .document.rules import review_warnings  # noqa: PLC0415 (see the imports)

            self.log.extend(review_warnings(outcome.reviews, path, self.settings.today))
        self.reached.update(outcome.reached)

    @functools.cached_property
    def heads(self) -> dict[str, dict[str, Any]]:
        """Every document's address fields, from its head alone: known before any file is
        read in full, and even when a file has errors elsewhere (`peek.py`)."""
        return {path: found for path in self.documents() if (found := self.head(path)) is not None}

    def head(self, path: str, data: bytes | None = None) -> dict[str, Any] | None:
        """One document's address fields (None: the door refuses it), each read once a run."""
        if path not in self._heads:
            try:
                data = self._data(path) if data is None else data
            except files.RefusedFileError:
                self._heads[path] = None
            else:
                self._heads[path] = self._address_fields(path, data)
        return self._heads[path]

    def _data(self, path: str) -> bytes:
        """A document's bytes: as a check read them ahead, or through the door."""
        ahead = self._bytes.get(path)
        return ahead.data if ahead else self.door.read_file(path)

    def _address_fields(self, path: str, data: bytes) -> dict[str, Any]:
        """`peek.address_fields`, kept in the cache beside the file's outcome: reading a head
        is reading all of its YAML (its sources and claims too), and the heads of a site's
        translations and drafts are read on every run, the runs of cached files included."""
        key = self._key(path, data, self.is_page(path))
        found = self.cache.get(key, "head")
        if not isinstance(found, dict):
            found = peek.address_fields(data)
            self.cache.put(key, {"head": found})
        return found

    @functools.cached_property
    def draft_originals(self) -> dict[str, str]:
        """slug -> the path of the draft original with that slug. Only the heads that may say
        `draft` are read: a site with translations need not read every head twice."""
        found = {}
        for path in self.documents():
            try:
                data = self._data(path)
            except files.RefusedFileError:
                continue
            if not peek.may_say(data, b"draft"):
                continue
            fields_ = self.head(path, data)
            if fields_ and not _is_translation(fields_) and fields_.get("status") == "draft":
                found[self._slug_of(path, fields_)] = path
        return found

    def draft_original(self, path: str, data: bytes, translation: bool | None = None) -> str | None:
        """The original of the translation at `path` when that original is a draft, else None.
        Pelican would publish such a translation on its own, before its original's embargo."""
        if translation is None:  # (known where the read-ahead read the same bytes)
            translation = peek.may_say(data, b"translation")
        if not translation:
            return None  # most sites: no head is read twice
        if not self.draft_originals:
            # No draft has a translation to hold back: a translation's head is not read
            # (reading one is reading all of its YAML, in the run's own process).
            return None
        fields_ = self.head(path, data)
        if not fields_ or not _is_translation(fields_):
            return None
        return self.draft_originals.get(self._slug_of(path, fields_))

    def _slug_of(self, path: str, fields_: Mapping[str, Any]) -> str:
        return str(fields_.get("slug") or self._slug(path, str(fields_.get("title", ""))))

    def peek(self, path: str) -> None:
        """Only the address fields of a file, from its head: what the site-wide checks of
        another file need of it (`make check FILE=`)."""
        # Read once, with every head (a refused file has none: its own check says why).
        if path in self.heads:
            self.peeked[path] = self.heads[path]

    def abandon(self) -> None:
        """A failed run ends what it forked to read files behind it (`read_ahead`): the run
        that would have waited for it (`finish`) never comes."""
        if self._behind is not None:
            self._behind.stop()

    def finish(self, *, every_file: bool = True) -> ProblemLog:
        """Add the problems that only the whole site shows; return the run's log.

        `every_file`: whether the run read every file (not `make check FILE=…`): the check's
        pack then holds this run's files alone."""
        if self._behind is not None:
            self._behind.wait()  # a file read behind that Pelican never asked for: it has ended
        self.finished = True
        self.log.extend(self.refused)
        generated = self._generated_files()
        for path, outcome in self.outcomes.items():
            for target in outcome.targets:
                reason = intrasite.check_target(target, self.door) or self._over_generated(target, generated)
                if reason is not None:
                    self.log.error(path, target.line, f"{target.name}: {reason}", "bad-link")
        self._check_addresses()
        self._check_static_files(generated)
        self._check_translations()
        self._check_source_pages()
        for key, (path, line) in self.declared.items():
            if key not in self.reached:
                self.log.warning(
                    path,
                    line,
                    f'site-wide source "{key}" is not cited by any explainer',
                    "unreached-source",
                )
        self._library_first()
        self._keep_slugs()
        self._bytes.clear()  # the site-wide checks may read heads: kept until they are done
        self.cache.save(every_file)  # every outcome is read: where each is stored, said
        return self.log

    def broken_library_files(self) -> list[str]:
        """The sources files with errors: a source they meant to declare may be missing."""
        return sorted({p.path for p in self.log.errors if p.path in self.library_paths})

    def _library_first(self) -> None:
        """The sources library's problems come first; an explainer's unknown source or key,
        when a sources file has errors, says that the cause may be there."""
        broken = self.broken_library_files()
        note = ""
        if broken:
            names = ", ".join(display_path(path) for path in broken)
            if len(broken) == 1:
                note = f" (the sources file {names} has errors: fix it first)"
            else:
                note = f" (the sources files {names} have errors: fix them first)"

        def placed(problem: Problem) -> Problem:
            if problem.path in self.library_paths:
                return dataclasses.replace(problem, rank=0)
            if note and problem.code in UNKNOWN_SOURCE_CODES and not problem.message.endswith(note):
                # The key may be one the broken file declares: a near miss among the keys
                # that were read would send the writer to the wrong source.
                message = _DID_YOU_MEAN.sub("", problem.message)
                return dataclasses.replace(problem, message=message + note)
            return problem

        self.log.problems = [placed(problem) for problem in self.log.problems]

    def _check_addresses(self) -> None:
        """Two files written to one address overwrite each other; a file written over one of
        the site's own pages replaces it. Reported at the later file in name order, at its
        first line (a clash) or its slug's (one of the site's own pages)."""
        taken: dict[str, str] = {}
        own_pages = set(SITE_PAGES) | {
            self.pelican_settings.get(f"{name.upper()}_SAVE_AS") or f"{name}.html"
            for name in self.pelican_settings.get("DIRECT_TEMPLATES") or []
        }
        own = {_same_file(page) for page in own_pages}  # spelt once, not for every file
        for path in sorted(self.outcomes):
            outcome = self.outcomes[path]
            address = self.address(path, outcome)
            if address is None:
                continue
            if any(part.startswith(".") for part in address.split("/")):
                self.log.error(
                    path,
                    outcome.slug_line,
                    f"this page would be written to {address}: its title has no letter or digit to make "
                    "a file name of; give it a slug",
                    "address-empty",
                )
                continue
            if any(len(part.encode()) > MAX_NAME_BYTES for part in address.split("/")):
                self.log.error(
                    path,
                    outcome.slug_line,
                    f"this page's file name would be {len(address.encode()):,} bytes long, over the "
                    f"{MAX_NAME_BYTES} a file system takes: give it a shorter slug",
                    "address-too-long",
                )
                continue
            same_file = _same_file(address)
            if same_file in own or same_file.startswith(SITE_FOLDERS):
                self.log.error(
                    path,
                    outcome.slug_line,
                    f"this page would be written to {address}, which is one of the site's own pages: "
                    "give it another slug",
                    "address-taken",
                )
                continue
            # One file on the file systems of macOS and Windows, and on many web servers.
            first = taken.setdefault(same_file, path)
            if first != path:
                kind = "explainer" if outcome.is_explainer else "page"
                self.log.error(
                    path,
                    1,
                    f"this {kind} is written to {address}, as is {display_path(first)}: "
                    "give one of them its own slug",
                    "duplicate-address",
                )

    def _generated_files(self) -> dict[str, tuple[str, str]]:
        """The files the build writes beside each explainer's page (its social card and data
        files): what no content file may be published over, whatever it is named. Each as
        `_same_file` spells it -> (what it is, the explainer's path)."""
        generated: dict[str, tuple[str, str]] = {}
        for path in sorted(self.outcomes):
            outcome = self.outcomes[path]
            address = self.address(path, outcome) if outcome.is_explainer else None
            if address is None:
                continue
            for file_name, what in beside_page(address).items():
                generated.setdefault(_same_file(file_name), (f"{file_name}, the {what}", path))
        return generated

    def _over_generated(self, target: intrasite.Target, generated: dict[str, tuple[str, str]]) -> str | None:
        """Why a linked file may not be published where it would be: over a file the build
        writes for an explainer (another's social card would show the writer's picture)."""
        if target.what == "filename":
            return None
        address = os.path.relpath(target.path, self.content_path).replace(os.sep, "/")
        if (taken := generated.get(_same_file(address))) is None:
            return None
        what, owner = taken
        return (
            f"this file would be published as {what} the build makes for "
            f"{display_path(owner)}: rename the file"
        )

    def _check_static_files(self, generated: dict[str, tuple[str, str]]) -> None:
        """An image or linked file is published at its own path: never over one of the
        site's own pages or at an address a host gives a meaning (`robots.txt`,
        `.well-known/`), nor over a file the build writes beside a page (`generated`)."""
        reserved = {_same_file(page) for page in SITE_PAGES} | set(generated)
        for found in self.files:
            if found.kind != "static":
                continue
            address = os.path.relpath(found.path, self.content_path).replace(os.sep, "/")
            same = _same_file(address)
            if same in reserved or same.startswith((*SITE_FOLDERS, ".well-known/")):
                self.log.error(
                    found.path,
                    1,
                    f"this file would be published as {address}, an address the site or its host "
                    "keeps for itself: move it into images/",
                    "address-taken",
                )

    def _check_translations(self) -> None:
        """A translation stands beside its original: the page with the same slug that is not
        marked `translation` (Pelican would otherwise pick one of the translations).

        A file with errors is not published, but its slug and language are still known from
        its head (`heads`): a translation is not told its original is missing because of
        the original's caption error. When a head cannot be read at all, the translation
        is told so, as a note: the fault is in the other file, whose own errors fail the run."""
        originals: dict[str, str] = {}  # slug -> the original's language
        unmarked: dict[tuple[str, bool], list[tuple[str, str]]] = {}  # (slug, page?) -> [(path, lang)]
        translations = []
        default_lang = str(self.pelican_settings.get("DEFAULT_LANG") or "")
        every = {
            **self.peeked,
            **{
                # The head of a file with errors alone: not every file's (`heads`), which
                # was a second reading of each file's YAML for the one file with an error.
                path: outcome.address_fields or self.head(path) or {}
                for path, outcome in self.outcomes.items()
            },
        }
        for path in sorted(every):
            fields_ = every[path]
            if not fields_:
                continue
            slug = self._slug_of(path, fields_)
            lang = str(fields_.get("lang") or default_lang)
            if _is_translation(fields_):
                if path in self.outcomes:  # a peeked file's own problems are not this run's
                    translations.append((path, slug, lang))
                continue
            if _translation_word(fields_) == "false":  # neither marked nor wrongly (an error)
                unmarked.setdefault((slug, self.is_page(path)), []).append((path, lang))
            originals.setdefault(slug, lang)
        self._check_unmarked(unmarked, default_lang)
        unreadable = [display_path(path) for path in sorted(every) if not every[path]]
        for path, slug, lang in translations:
            outcome = self.outcomes[path]
            if slug not in originals:
                if unreadable:
                    names = ", ".join(unreadable)
                    self.log.note(
                        path,
                        outcome.slug_line,
                        f'no page with the slug "{slug}" is unmarked, but the front matter of {names} '
                        f"cannot be read: if {'it is' if len(unreadable) == 1 else 'one is'} the original, "
                        "fix it first",
                        "translation-alone",
                    )
                    continue
                self.log.warning(
                    path,
                    outcome.slug_line,
                    f'this translation has no original: no page with the slug "{slug}" is unmarked',
                    "translation-alone",
                )
                continue
            # Language tags are the same in any case (EN is en): one language, one version (two
            # translations in one language share an address, reported by `_check_addresses`).
            if lang.casefold() == originals[slug].casefold():
                self.log.error(
                    path,
                    outcome.lang_line,
                    f'this translation is in its original\'s language ("{originals[slug]}"): give it '
                    "the lang of the language it is in",
                    "translation-same-lang",
                )

    def _check_unmarked(
        self, unmarked: dict[tuple[str, bool], list[tuple[str, str]]], default_lang: str
    ) -> None:
        """Pelican takes a page for a translation without a word, when another page with its
        slug and no `translation` either is in the site's language: published alone while
        that one is a draft (`draft_original` knows translations by the word). Said at each
        such page. Languages as Pelican compares them, as written: `EN` is not the site's
        `en` to it, and is written apart (in one lang, they share an address:
        `_check_addresses` says so)."""
        for (slug, _), found in unmarked.items():
            if len({lang for _, lang in found}) < 2:
                continue
            # Said at the pages beside one in the site's language, or at all where none is.
            taken = [(path, lang) for path, lang in found if lang != default_lang]
            for path, lang in taken if len(taken) < len(found) else found:
                if path not in self.outcomes:  # a peeked file's own problems are not this run's
                    continue
                others = ", ".join(display_path(other) for other, _ in found if other != path)
                self.log.error(
                    path,
                    self.outcomes[path].slug_line,
                    f'this page has the slug "{slug}" of {others}, in another lang ("{lang}"), and neither '
                    "says translation: true: write it in the one that translates the other, or give this "
                    "a slug of its own",
                    "translation-unmarked",
                )

    def _check_source_pages(self) -> None:
        """Each site-wide source has a page named after its key, spelled safely: two keys
        spelled alike (`a/b`, `a-b`) would share it."""
        pages: dict[str, str] = {}
        for key, (path, line) in self.declared.items():
            if len(source_file_name(key).encode()) > MAX_NAME_BYTES:
                self.log.error(
                    path,
                    line,
                    f'the site-wide source "{key[:40]}…" has a key too long to name its page: shorten it',
                    "address-too-long",
                )
                continue
            first = pages.setdefault(_same_file(source_file_name(key)), key)
            if first != key:
                self.log.error(
                    path,
                    line,
                    f'site-wide sources "{first}" and "{key}" would share the page '
                    f"sources/{source_file_name(key)}.html: rename one of them",
                    "duplicate-address",
                )

    def address(self, path: str, outcome: CheckOutcome) -> str | None:
        """Where Pelican will write this file, from its fields and the site's settings."""
        fields_ = outcome.address_fields
        if not fields_ or fields_.get("status") == "skip":
            return None
        if fields_.get("save_as"):
            return str(fields_["save_as"])
        settings = self.pelican_settings
        slug = fields_.get("slug") or self._slug(path, str(fields_.get("title", "")))
        lang = fields_.get("lang") or settings.get("DEFAULT_LANG")
        kind = "PAGE" if self.is_page(path) else "ARTICLE"
        draft = fields_.get("status") == "draft" or path in self.held
        name = "DRAFT_" + ("PAGE_" if kind == "PAGE" else "") if draft else kind + "_"
        name += "SAVE_AS" if lang == settings.get("DEFAULT_LANG") else "LANG_SAVE_AS"
        pattern = settings.get(name)
        if not pattern:
            return None
        try:
            return pattern.format(slug=slug, lang=lang)
        except (KeyError, IndexError, ValueError):
            return None  # a pattern with the date or category: Pelican's own check remains

    def _slug(self, path: str, title: str) -> str:
        settings = self.pelican_settings
        source = (
            title
            if settings.get("SLUGIFY_SOURCE", "title") == "title"
            else os.path.splitext(os.path.basename(path))[0]
        )
        # Each file's slug is asked for by several site-wide checks: made once a run, and
        # kept in the cache for the next (`_keep_slugs`).
        if source not in self._slugs:
            slug = self._slugs_kept.get(source)
            if slug is None:
                from pelican.utils import slugify  # noqa: PLC0415 (see the imports)

                slug = slugify(
                    source,
                    regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", []),
                    preserve_case=settings.get("SLUGIFY_PRESERVE_CASE", False),
                    use_unicode=settings.get("SLUGIFY_USE_UNICODE", False),
                )
            self._slugs[source] = slug
        return self._slugs[source]

    @functools.cached_property
    def _slug_key(self) -> str:
        """What a slug depends on besides its text: Pelican's settings for slugs, and the
        transliteration library Pelican's `slugify` uses (Pelican's version is the cache's)."""
        settings = self.pelican_settings
        shaped = [settings.get(name) for name in ("SLUG_REGEX_SUBSTITUTIONS", "SLUGIFY_PRESERVE_CASE")]
        shaped += [settings.get("SLUGIFY_USE_UNICODE"), versions(("unidecode",))]
        return "slugs-" + hashlib.sha256(repr(shaped).encode()).hexdigest()[:24]

    @functools.cached_property
    def _slugs_kept(self) -> dict[str, str]:
        """The slugs the last run made (its text -> its slug): Pelican's `slugify` is loaded
        for a new title only (its module imports the date parser and the file watcher)."""
        kept = self.cache.get(self._slug_key, "slugs")
        return kept if isinstance(kept, dict) else {}

    def _keep_slugs(self) -> None:
        if self._slugs and self._slugs != self._slugs_kept:
            self.cache.put(self._slug_key, {"slugs": self._slugs})

    def fails(self) -> bool:
        return self.blocking().fails(strict=self.settings.strict)

    def blocking(self) -> ProblemLog:
        """The problems that stop this run: all of them, except a draft's where drafts are
        not written (`make publish`): one writer's half-done draft must not hold back
        everyone else's published explainers. The draft is reported, and not published."""
        if self.pelican_settings.get("DRAFT_SAVE_AS") or not self.drafts:
            return self.log
        return ProblemLog([p for p in self.log.problems if p.path not in self.drafts])

    def unpublished_drafts_note(self) -> str:
        """A line saying which drafts' problems did not stop the run, or ''."""
        held = sorted({p.path for p in self.log.problems} - {p.path for p in self.blocking().problems})
        if not held:
            return ""
        names = ", ".join(display_path(path) for path in held)
        return f"Not published, so not counted: the problems of the draft{'s' * (len(held) != 1)} {names}"

    def summary(self) -> str:
        """The run's counts, for its last line: what it publishes, then the drafts' problems
        apart, since they neither stop nor reach the site."""
        counted = self.blocking()
        text = counted.summary()
        if counted is not self.log:
            held = ProblemLog([p for p in self.log.problems if p.path in self.drafts])
            if held.problems:
                text += f" (drafts, not published: {held.summary()})"
        return text

    def strictness(self) -> str:
        """Why the run fails on warnings alone, for its last line ('' otherwise)."""
        return self.blocking().strictness(self.settings.strict)


__all__ = ["ERROR", "WARNING", "Problem", "Run"]


def _translation_word(fields_: Mapping[str, Any]) -> str:
    """A head's `translation` as Pelican reads it, lowered ("false" when there is none)."""
    return str(fields_.get("translation", "false")).lower()


def _is_translation(fields_: Mapping[str, Any]) -> bool:
    """Whether a head's `translation` says true. Any other value but false is an error
    (`fields.check_translation`), whose file is not published."""
    return _translation_word(fields_) == "true"


def _result(is_explainer: bool) -> Result:
    """A build's outcome of a file that could not be read."""
    from .read import Result  # noqa: PLC0415 (see the imports)

    return Result(is_explainer)


def _same_file(address: str) -> str:
    """What makes two addresses one file somewhere they are published: case, and the
    Unicode spelling of the same letters (é as one character or as e and an accent)."""
    return unicodedata.normalize("NFC", address).casefold()
