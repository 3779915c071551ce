"""The plugin's own cache: each explainer's outcome, keyed by the file's exact content.

A file whose bytes have not changed since the last run is not parsed, validated or
converted again: its rendered body, page view and problems come from the cache, so its
problems are reported on every run (Pelican's own content cache cannot do that: on a
hit it never calls the reader). Anything else the outcome depends on (the plugin's
code, the site-wide sources, the settings, the library versions) goes into the folder's
name, so a change there starts a fresh cache.

Layout: CACHE_PATH/explainers/<content folder>/<fingerprint>/: the outcomes in packs
(`packs.py`: a build's, each the check's part of it first, then the whole outcome; a
check's parts), and a few files <key>.<part> (a rebuild's few files, read in a process
forked from the run; the sources library's problems; the slugs; the heads).
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

from .output import write_aside
from .packs import BUILD_INDEX, CHECK_PACK, BuildPacks, CheckPack

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


# A build's outcome holds the check's part of it: stored together, the check's part first,
# as its pickled bytes (a build skips them without unpickling them; a later check reads
# them alone).
HELD, HOLDER = "check", "build"


def pickled(parts: dict[str, Any]) -> bytes | tuple[bytes, bytes]:
    """A run's parts of one outcome, pickled as the cache stores them (by the process that
    read the file: pickling takes both cores too): a check's part; or a build's check part
    and whole outcome."""
    if set(parts) == {HELD}:
        return pickle.dumps(parts[HELD], protocol=pickle.HIGHEST_PROTOCOL)
    return (
        pickle.dumps(parts[HELD], protocol=pickle.HIGHEST_PROTOCOL),
        pickle.dumps(parts[HOLDER], protocol=pickle.HIGHEST_PROTOCOL),
    )


class OutcomeCache:
    def __init__(self, root: str | None, content_path: str, depends_on: tuple[Any, ...]):
        self.folder = None
        if root:
            site = hashlib.sha256(os.path.abspath(content_path).encode()).hexdigest()[:12]
            self.folder = Path(root, "explainers", site, fingerprint(*depends_on))
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
            except OSError:  # a file where a folder of it should be, a disk it cannot write: off
                self.folder = None
        self.used: set[str] = set()
        self._checks = CheckPack(self.folder) if self.folder is not None else None
        self._builds = BuildPacks(self.folder) if self.folder is not None else None

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
            elif part == HOLDER and (entry := self._builds.entry(key)) is not None:
                whole = self._builds.read(entry, whole=True)
                if whole is None:
                    return None
                value = pickle.loads(whole)
            else:
                with open(self.folder / f"{key}.{part}", "rb") as handle:
                    value = pickle.load(handle)
                    if part == HOLDER:  # past the held part's bytes
                        value = pickle.load(handle)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError):
            return None  # missing, or written by another version: build it again
        self.used.add(key)
        return value

    def _held(self, key: str) -> bytes | None:
        """The check's part of `key`, pickled: this run's, the check pack's, or a build's
        outcome's (kept for the pack this run writes, so that the next check finds it there)."""
        held = self._checks.get(key)
        if held is None:
            entry = self._builds.entry(key)
            held = self._builds.read(entry, whole=False) if entry is not None else self._held_in_file(key)
        if held is not None:
            self._checks.parts[key] = held
        return held

    def _held_in_file(self, key: str) -> bytes | None:
        """The check's part of a build's outcome stored as a file of its own (by a process
        forked from the run: `packs.py`), first in it."""
        try:
            with open(self.folder / f"{key}.{HOLDER}", "rb") as handle:
                return pickle.load(handle)
        except FileNotFoundError:
            return None

    def has(self, key: str, part: str) -> bool:
        if self.folder is None:
            return False
        if part == HELD:
            return self._held(key) is not None
        if part == HOLDER and self._builds.entry(key) is not None:
            return True
        return os.path.exists(self.folder / f"{key}.{part}")

    def take(self, key: str, stored: Any) -> Any:
        """What a worker process sent for `key` (`pickled`, or, with the cache off, the part
        itself): stored; returned is the part the run takes now (a check's), or None (a
        build's, read back when Pelican asks for the file)."""
        self.used.add(key)
        if isinstance(stored, bytes):  # a check's part
            if self._checks is not None:
                self._checks.parts[key] = stored
            return pickle.loads(stored)
        if isinstance(stored, tuple):  # a build's check part and outcome
            if self._builds is not None and self._builds.add(key, *stored):
                return None
            return pickle.loads(stored[1])  # the pack could not take it: the run keeps it
        return stored

    def save(self, every_file: bool) -> None:
        """When the run has read every file it reads: the check's pack (`every_file`: whether
        that is every file of the site, not `make check FILE=…`), the build's index."""
        if self.folder is not None:
            self._checks.save(every_file, self.used)
            self._builds.save()

    def keep_added(self) -> None:
        """List the outcomes this run stored beside every other, forgetting none: for a run
        that read one file of the site (`plugin/quick.py`), whose cache is the whole site's."""
        if self.folder is not None:
            self._builds.save()

    def keep(self, key: str) -> None:
        """`key` is this run's (stored by another process): `prune` leaves it."""
        self.used.add(key)

    def put(self, key: str, parts: dict[str, Any]) -> None:
        if self.folder is None:
            return
        if set(parts) == {HELD}:  # a check's: into its pack
            self._checks.parts[key] = pickled(parts)
            self.used.add(key)
            return
        if HOLDER in parts:
            held, whole = pickled(parts)
            if self._builds.add(key, held, whole):
                # Into the run's pack; a process forked from the run writes a file (`packs.py`).
                self.used.add(key)
                return
            # One file: the check's part first, as its pickled bytes.
            files = {HOLDER: pickle.dumps(held, protocol=pickle.HIGHEST_PROTOCOL) + whole}
        else:
            files = {
                part: pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL) for part, value in parts.items()
            }
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for part, data in files.items():
                # Whole or not at all: a build killed mid-write leaves no torn entry.
                write_aside(self.folder / f"{key}.{part}", data)
        except OSError:
            return  # a full disk or a read-only folder: the next run builds it again
        self.used.add(key)

    def holds_outcomes(self) -> bool:
        """Whether any file's outcome may be in it: a pack, or an entry of its own (False with
        the cache off, and on the first run of these settings: every file is then read)."""
        if self.folder is None:
            return False
        try:
            with os.scandir(self.folder) as entries:
                return any(
                    entry.name in (CHECK_PACK, BUILD_INDEX)
                    or BuildPacks.is_pack(entry.name)
                    or entry.name.endswith((f".{HELD}", f".{HOLDER}"))
                    for entry in entries
                )
        except OSError:
            return True  # as if it did: the files are looked up one by one, as always

    def subfolder(self, name: str) -> str | None:
        """A folder that lives and dies with this cache (None when caching is off)."""
        return str(self.folder / name) if self.folder is not None else None

    def prune(self) -> None:
        """Forget the outcomes this run did not use, and caches of other fingerprints."""
        if self.folder is None or not self.folder.is_dir():
            return
        self._builds.save(keep=self.used)  # the index, and the packs it lists
        # Listed with scandir: an entry knows its kind without a `stat`.
        with os.scandir(self.folder) as entries:
            for entry in entries:
                name = entry.name
                # The check's pack is the next check's to keep or rewrite (`CheckPack.save`): a
                # build that removed it made the check after it write it whole again.
                if BuildPacks.is_pack(name) or name == CHECK_PACK:
                    continue
                if entry.is_file() and (name.split(".")[0] not in self.used or name.endswith(".tmp")):
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(entry.path)
        for other in self.folder.parent.iterdir():
            if other != self.folder:
                shutil.rmtree(other, ignore_errors=True)
