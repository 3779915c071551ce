"""The plugin's own cache: each explainer's outcome, keyed by the file's exact content.

A file whose bytes have not changed since the last run is not parsed, validated or
converted again: its rendered body, page view and problems come from the cache, so its
problems are reported on every run (Pelican's own content cache cannot do that: on a
hit it never calls the reader). Anything else the outcome depends on (the plugin's
code, the site-wide sources, the settings, the library versions) goes into the folder's
name, so a change there starts a fresh cache.

Layout: CACHE_PATH/explainers/<content folder>/<fingerprint>/<key>.<part>: <key>.build,
stored by a build: the check's part of the outcome first (problems and the sources the file
reaches: all `make check` needs), then the whole outcome, in one file. A check stores its
parts in one file, `check.pack`, every file's at once, written when the check ends: a file
made is the cost of a cache, not the bytes in it (on a disk freeing the blocks of the cache
just emptied, making a file takes most of a millisecond: a thousand of them were a sixth of
a check with no cache, and the check read each back at once).
The cache is a convenience: anything wrong with it only means building again.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import re
import shutil
import sys
from pathlib import Path
from typing import Any

PLUGIN = Path(__file__).resolve().parent
VERSIONED = ("markdown", "pydantic", "pyyaml", "pelican", "jinja2")


@functools.cache
def _code_digest() -> bytes:
    """The plugin's code and the versions of the libraries that shape an outcome."""
    digest = hashlib.sha256()
    # Every module, in its folders too: an outcome depends on document/ and render/ most of all.
    for path in sorted(PLUGIN.rglob("*.py")):
        digest.update(str(path.relative_to(PLUGIN)).encode() + b"\0" + path.read_bytes())
    for name, version in versions(VERSIONED).items():
        digest.update(f"{name}={version}".encode())
    return digest.digest()


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()  # as a `.dist-info` folder spells a project


def versions(names: tuple[str, ...]) -> dict[str, str]:
    """Each project's installed version, as `importlib.metadata.version` gives it: the first
    `NAME-VERSION.dist-info` folder along `sys.path`. Read from the folders' names, because
    importing importlib.metadata (the e-mail parser, zip files) took a tenth of a check
    whose every outcome is cached; importlib.metadata itself answers when a project is
    installed some other way (a zip on the path, an egg)."""
    wanted = {_normal(name): name for name in names}
    found: dict[str, str] = {}
    for folder in sys.path:
        try:
            entries = os.listdir(folder or ".")
        except OSError:
            if os.path.exists(folder):  # a zip file, say: projects may be installed in it
                break
            continue
        for entry in entries:
            stem, dot, kind = entry.rpartition(".")
            project, _, version = stem.partition("-")
            name = wanted.get(_normal(project)) if dot else None
            if name is None or name in found:
                continue
            if kind != "dist-info":
                wanted.clear()  # an egg, or another layout: importlib.metadata reads them
                break
            found[name] = version
        if len(found) == len(names) or not wanted:
            break
    if len(found) < len(names):
        from importlib import metadata  # noqa: PLC0415 (see the docstring)

        return {name: metadata.version(name) for name in names}
    return {name: found[name] for name in names}


def fingerprint(*parts: Any) -> str:
    """What every cached outcome depends on, besides its own file."""
    digest = hashlib.sha256(_code_digest())
    for part in parts:
        digest.update(repr(part).encode())
    return digest.hexdigest()[:20]


def file_key(path: str, data: bytes) -> str:
    return hashlib.sha256(os.fsencode(os.path.abspath(path)) + b"\0" + data).hexdigest()[:32]


class Packed:
    """A list an outcome keeps pickled, unpickled each time it is read: for a part of a build's
    cached outcome that the build itself never reads (the sources an explainer declares, for
    `make archive` and `make linkcheck`). Unpickling a file's dozen source models was two
    thirds of loading its cached outcome, for each of the files a rebuild loads."""

    __slots__ = ("data",)

    def __init__(self, items: Any):
        self.data = pickle.dumps(list(items), protocol=pickle.HIGHEST_PROTOCOL)

    def __iter__(self):
        return iter(pickle.loads(self.data))

    def __len__(self) -> int:
        return len(pickle.loads(self.data))

    def __eq__(self, other: object) -> bool:
        return list(self) == list(other) if isinstance(other, (Packed, list)) else NotImplemented

    __hash__ = None  # a list's


# A build's outcome holds the check's part of it: stored together, one file is made (the
# build's), the check's part first, as its pickled bytes (a build skips them without
# unpickling them; a later check reads them alone).
HELD, HOLDER = "check", "build"
# A check's parts, every file's, in one file: {key: pickled part} (see the docstring).
PACK = f"{HELD}.pack"


class OutcomeCache:
    def __init__(self, root: str | None, content_path: str, depends_on: tuple[Any, ...]):
        self.folder = None
        if root:
            site = hashlib.sha256(os.path.abspath(content_path).encode()).hexdigest()[:12]
            self.folder = Path(root, "explainers", site, fingerprint(*depends_on))
        self.used: set[str] = set()
        # The check's parts: the pack as the last check wrote it (read when first asked), and
        # this run's, each pickled: key -> bytes
        self._packed: dict[str, bytes] | None = None
        self._checked: dict[str, bytes] = {}

    @property
    def enabled(self) -> bool:
        return self.folder is not None

    def get(self, key: str, part: str) -> Any:
        if self.folder is None:
            return None
        try:
            if part == HELD:
                held = self._held(key)
                if held is None:
                    return None
                value = pickle.loads(held)
            else:
                with open(self.folder / f"{key}.{part}", "rb") as handle:
                    value = pickle.load(handle)
                    if part == HOLDER:  # past the held part's bytes
                        value = pickle.load(handle)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
            return None  # missing, or written by another version: build it again
        self.used.add(key)
        return value

    def _held(self, key: str) -> bytes | None:
        """The check's part of `key`, pickled: this run's, the pack's, or a build's outcome's
        (kept for the pack this run writes, so that the next check finds it there)."""
        if (held := self._checked.get(key)) is not None:
            return held
        if self._packed is None:
            self._packed = self._read_pack()
        held = self._packed.get(key)
        if held is None:
            try:
                with open(self.folder / f"{key}.{HOLDER}", "rb") as handle:
                    held = pickle.load(handle)
            except FileNotFoundError:
                return None
        self._checked[key] = held
        return held

    def _read_pack(self) -> dict[str, bytes]:
        try:
            with open(self.folder / PACK, "rb") as handle:
                packed = pickle.load(handle)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
            return {}  # none yet, or written by another version
        return packed if isinstance(packed, dict) else {}

    def has(self, key: str, part: str) -> bool:
        if self.folder is None:
            return False
        if part == HELD:
            return self._held(key) is not None
        return os.path.exists(self.folder / f"{key}.{part}")

    def put_checked(self, key: str, held: bytes) -> None:
        """A check's part of `key`, pickled (by the worker process that read the file): kept
        for the pack that `save` writes."""
        if self.folder is not None:
            self._checked[key] = held
            self.used.add(key)

    def save(self, every_file: bool) -> None:
        """Write the check's pack: the parts this run used, and, unless it read `every_file`
        (`make check FILE=…` reads one), those the pack holds, whose files it did not read
        (a file checked no more leaves it); not when the pack holds exactly them already.
        Written aside and renamed: a check killed mid-write leaves the last pack whole."""
        if self.folder is None or not self._checked:
            return
        if self._packed is None:
            self._packed = self._read_pack()
        entries = self._checked if every_file else {**self._packed, **self._checked}
        if entries == self._packed:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            target = self.folder / PACK
            aside = f"{target}.{os.getpid()}.tmp"
            with open(aside, "wb") as handle:
                pickle.dump(entries, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(aside, target)
        except OSError:
            return  # a full disk or a read-only folder: the next check reads them again
        self._packed = dict(entries)

    def keep(self, key: str) -> None:
        """`key` is this run's (stored by another process): `prune` leaves it."""
        self.used.add(key)

    def put(self, key: str, parts: dict[str, Any]) -> None:
        if self.folder is None:
            return
        if set(parts) == {HELD}:  # a check's: for its pack
            self.put_checked(key, pickle.dumps(parts[HELD], protocol=pickle.HIGHEST_PROTOCOL))
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            files = {part: [value] for part, value in parts.items()}
            if HELD in files and HOLDER in files:
                held = pickle.dumps(files.pop(HELD)[0], protocol=pickle.HIGHEST_PROTOCOL)
                files[HOLDER].insert(0, held)
            for part, values in files.items():
                # Written aside and renamed: a build killed mid-write leaves no torn entry. The
                # aside name is this process's own (worker processes write here at once); no
                # temporary-file machinery, which costs more than the write.
                target = self.folder / f"{key}.{part}"
                aside = f"{target}.{os.getpid()}.tmp"
                with open(aside, "wb") as handle:
                    for value in values:
                        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(aside, target)
        except OSError:
            return  # a full disk or a read-only folder: the next run builds it again
        self.used.add(key)

    def subfolder(self, name: str) -> str | None:
        """A folder that lives and dies with this cache (None when caching is off)."""
        return str(self.folder / name) if self.folder is not None else None

    def prune(self) -> None:
        """Forget the outcomes this run did not use, and caches of other fingerprints."""
        if self.folder is None or not self.folder.is_dir():
            return
        # Listed with scandir: an entry knows its kind without a `stat` (a thousand a run).
        with os.scandir(self.folder) as entries:
            for entry in entries:
                name = entry.name
                if entry.is_file() and (name.split(".")[0] not in self.used or name.endswith(".tmp")):
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(entry.path)
        for other in self.folder.parent.iterdir():
            if other != self.folder:
                shutil.rmtree(other, ignore_errors=True)
