"""The cache's packs: many outcomes in one file, because making a file is what a cache costs.

On a disk that has just freed the files of the last build (ext4 looks past every inode
deleted in the last minutes for a free one), making a file takes most of a millisecond:
a full build of 1,000 explainers made a thousand cache files, a check a thousand more, and
the kernel's time for them was a fifth of the build's.

- `CheckPack`, the file `check.pack`: a check's part of every file it read, {key: pickled
  part}, written whole when the check ends.
- `BuildPacks`, the files `build-PID-XXXXXXXX.pack`, listed by `build.index`: a build's
  outcomes, each the check's part then the whole outcome, pickled, appended to the run's
  own pack as the workers send them. The index says where each is: (pack, offset, the check
  part's length, the outcome's length). Only the process that made a pack writes to it;
  a process forked from the run stores its few outcomes as files of their own (`cache.py`).

A pack or an index that is missing, cut short or unreadable only means reading the files
again: the cache is a convenience.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import secrets
from pathlib import Path
from typing import NamedTuple

from .output import write_aside

CHECK_PACK = "check.pack"
BUILD_INDEX = "build.index"
_BUILD_PACK = ("build-", ".pack")


def _load(path: Path) -> dict:
    try:
        with open(path, "rb") as handle:
            found = pickle.load(handle)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError):
        return {}  # none yet, cut short, or written by another version
    return found if isinstance(found, dict) else {}


def _dump(path: Path, value: object) -> bool:
    """Written whole or not at all (`output.write_aside`)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_aside(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        return False  # a full disk or a read-only folder: the next run reads the files again
    return True


class CheckPack:
    def __init__(self, folder: Path):
        self.path = folder / CHECK_PACK
        self._saved: dict[str, bytes] | None = None  # as the last check wrote it
        self.parts: dict[str, bytes] = {}  # this run's: key -> the pickled part

    def get(self, key: str) -> bytes | None:
        if (part := self.parts.get(key)) is not None:
            return part
        return self.saved.get(key)

    @property
    def saved(self) -> dict[str, bytes]:
        if self._saved is None:
            # Each part as the run stored it, pickled bytes: any other value is not one.
            self._saved = {k: v for k, v in _load(self.path).items() if isinstance(v, bytes)}
        return self._saved

    def save(self, every_file: bool, current: set[str]) -> None:
        """This run's parts, and, unless it read `every_file` (`make check FILE=…` reads one),
        those of the files it did not read whose content is `current` still (their keys, as
        the run found them: an earlier version of a file checked alone leaves the pack, as a
        file checked no more does); not written when the pack holds exactly them already."""
        if not self.parts:
            return
        parts = self.parts
        if not every_file:
            parts = {key: part for key, part in {**self.saved, **self.parts}.items() if key in current}
        if parts != self.saved and _dump(self.path, parts):
            self._saved = dict(parts)


class Entry(NamedTuple):
    pack: str
    offset: int
    held: int  # the check part's length, first
    whole: int  # the outcome's length, after it


def _an_entry(value: object) -> bool:
    """Whether an index's value is an entry as this code writes it: one edited, or of another
    layout, would stop the build (a pack named by a number, a length of a terabyte)."""
    if not (isinstance(value, tuple) and len(value) == 4 and isinstance(value[0], str)):
        return False
    return all(type(number) is int and number >= 0 for number in value[1:])


class BuildPacks:
    def __init__(self, folder: Path):
        self.folder = folder
        self._index: dict[str, Entry] | None = None  # as the last run left it
        self.added: dict[str, Entry] = {}  # this run's
        self._owner = os.getpid()  # the process that may write this run's pack
        self._writer: list | None = None  # [file descriptor, pack name, its length]
        self._readers: dict[str, int] = {}  # pack name -> file descriptor

    @property
    def index(self) -> dict[str, Entry]:
        if self._index is None:
            loaded = _load(self.folder / BUILD_INDEX)
            self._index = {k: Entry(*v) for k, v in loaded.items() if _an_entry(v)}
        return self._index

    def entry(self, key: str) -> Entry | None:
        return self.added.get(key) or self.index.get(key)

    def writable(self) -> bool:
        """Whether this process writes the run's pack (a forked one does not: `cache.py`)."""
        return os.getpid() == self._owner

    def add(self, key: str, held: bytes, whole: bytes) -> bool:
        """Append an outcome to the run's pack; whether it was stored."""
        if not self.writable():
            return False
        try:
            if self._writer is None:
                self.folder.mkdir(parents=True, exist_ok=True)
                name = f"{_BUILD_PACK[0]}{os.getpid()}-{secrets.token_hex(4)}{_BUILD_PACK[1]}"
                descriptor = os.open(self.folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
                self._writer = [descriptor, name, 0]
            descriptor, name, offset = self._writer
            data = held + whole
            if os.pwrite(descriptor, data, offset) != len(data):
                raise OSError("short write")  # a full disk: nothing more goes in this pack
        except OSError:
            self._close_writer()
            return False
        self._writer[2] = offset + len(data)
        self.added[key] = Entry(name, offset, len(held), len(whole))
        return True

    def read(self, entry: Entry, *, whole: bool) -> bytes | None:
        """The outcome (`whole`) or the check's part of an entry, as pickled; None when its pack
        is gone or shorter than the index says."""
        offset, length = (entry.offset + entry.held, entry.whole) if whole else (entry.offset, entry.held)
        try:
            descriptor = self._readers.get(entry.pack)
            if descriptor is None:
                if os.sep in entry.pack or not entry.pack.startswith(_BUILD_PACK[0]):
                    return None  # an index this code did not write
                descriptor = self._readers[entry.pack] = os.open(self.folder / entry.pack, os.O_RDONLY)
            if offset + length > os.fstat(descriptor).st_size:
                return None  # cut short, or an entry not of this pack: nothing read past its end
            data = os.pread(descriptor, length, offset)
        except OSError:
            return None
        return data if len(data) == length else None

    def save(self, keep: set[str] | None = None) -> None:
        """Write the index: every entry, or (`keep`, at the end of a build) those of the keys
        in it alone, the packs no entry is in removed, and the packs holding more outcomes
        no longer used than used ones compacted. Either way the packs are closed (a build
        that fails ends here: whoever runs builds in one process keeps no pack open); a
        later read opens one again."""
        self.close()
        entries = {**self.index, **self.added}
        if keep is not None:
            entries = self._compacted({key: entry for key, entry in entries.items() if key in keep})
        if entries != self.index:
            if _dump(self.folder / BUILD_INDEX, {key: tuple(entry) for key, entry in entries.items()}):
                self._index, self.added = entries, {}
            elif keep is None:
                return
            else:
                # Not written (a full disk; an index that is a folder): the packs of the index as
                # it is are kept, and no others, this run's own among them, which no index lists
                # (else each build left a pack of its own behind).
                entries = self.index
        if keep is None:
            return
        self.close()
        listed = {entry.pack for entry in entries.values()}
        with contextlib.suppress(OSError), os.scandir(self.folder) as found:
            for item in found:
                name = item.name
                if name.startswith(_BUILD_PACK[0]) and name.endswith(_BUILD_PACK[1]) and name not in listed:
                    with contextlib.suppress(OSError):
                        os.unlink(item.path)

    def _compacted(self, entries: dict[str, Entry]) -> dict[str, Entry]:
        """`entries`, those of a pack that holds more bytes no entry uses than used ones copied
        into a pack of this run's (that pack is then removed): a site whose files change but
        for a few would otherwise keep every pack whole for the few outcomes still used."""
        by_pack: dict[str, list[str]] = {}
        for key, entry in entries.items():
            by_pack.setdefault(entry.pack, []).append(key)
        own = self._writer[1] if self._writer is not None else None
        for pack, keys in by_pack.items():
            used = sum(entries[key].held + entries[key].whole for key in keys)
            try:
                size = os.stat(self.folder / pack).st_size
            except OSError:
                continue
            if pack == own or used * 2 >= size:
                continue
            for key in keys:
                entry = entries[key]
                held, whole = self.read(entry, whole=False), self.read(entry, whole=True)
                if held is None or whole is None or not self.add(key, held, whole):
                    continue  # left where it is: the pack stays
                entries[key] = self.added.pop(key)
        return entries

    def __del__(self) -> None:
        # A run that stopped before the end of the build (an exception in Pelican, a tool that
        # reads outcomes): its packs close with it, for whoever runs builds in one process.
        with contextlib.suppress(Exception):
            self.close()

    def close(self) -> None:
        """Close the run's pack and the packs read (a later read or write opens one again)."""
        self._close_writer()
        for descriptor in self._readers.values():
            with contextlib.suppress(OSError):
                os.close(descriptor)
        self._readers.clear()

    def _close_writer(self) -> None:
        if self._writer is not None:
            with contextlib.suppress(OSError):
                os.close(self._writer[0])
            self._writer = None

    @staticmethod
    def is_pack(name: str) -> bool:
        return name == BUILD_INDEX or (name.startswith(_BUILD_PACK[0]) and name.endswith(_BUILD_PACK[1]))
