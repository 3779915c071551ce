"""Files carried over from the previous output: a rebuild links the files that did not change.

A build writes a whole new output folder beside the old one (`output.py` swaps it
in). After an edit, almost all of it is the previous output byte for byte: each page,
card or data file whose cache key is the one it was written under last time. Writing
them again was most of a rebuild's time (a 20 KB file costs about 200 µs to write here,
a hard link about 20 µs), and gave every file a new time, so a publisher's sync sent the
whole site again.

So each file written under a key is listed in a manifest kept in the cache (its address
in the site → the key, and the size, times and inode it ended with). The next build,
when the previous output still holds that file as it was written (the same inode, size,
time and change time: nobody edited, replaced or removed it; the change time, which no
tool can set back, catches an edit whose time was put back), links it into the new folder
instead of writing it. Nothing from the manifest names a file: the writer asks for an address it
made, and the manifest only says whether the old copy there can stand for it.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from typing import Any

from .. import output as output_folder

MANIFEST_VERSION = 2


def _valid(entry: Any) -> bool:
    """A manifest entry as `save` writes it: [key, size, time, change time, inode]."""
    return (
        isinstance(entry, list)
        and len(entry) == 5
        and isinstance(entry[0], str)
        and all(type(number) is int for number in entry[1:])
    )


class Carry:
    def __init__(self, staging: str, manifests: str | None):
        """`staging`: the folder this run writes. Files are carried only into a folder a
        build swaps in (`output_folder.replaces`), from the folder it replaces, and only
        with a cache (`manifests`: its folder for them)."""
        self._prefix = os.path.join(os.path.abspath(staging), "")
        self.previous = output_folder.replaces(staging) if manifests else None
        self.manifests = manifests
        self.written: dict[str, str] = {}  # this run's: address → key
        self.old = self._load(self.previous) if self.previous else {}
        self._real_previous = os.path.realpath(self.previous) if self.previous else ""
        self._folders: dict[str, bool] = {}  # previous output's folder → reached without a symlink

    @property
    def enabled(self) -> bool:
        return self.manifests is not None and self.previous is not None

    def _manifest(self, folder: str) -> str:
        name = hashlib.sha256(os.fsencode(os.path.realpath(folder))).hexdigest()[:20]
        return os.path.join(self.manifests, f"{name}.json")

    def _load(self, folder: str) -> dict[str, list]:
        try:
            with open(self._manifest(folder), encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
            return {}
        files = data.get("files")
        if not isinstance(files, dict):
            return {}
        # Checked once, as read: each entry is asked about by a link and by the next save.
        return {address: entry for address, entry in files.items() if _valid(entry)}

    def _address(self, path: str) -> str | None:
        # The writer's paths are joined to the folder it writes (`sanitised_join`): a prefix,
        # not `relpath`'s walk (thousands of calls per build).
        return path[len(self._prefix) :] if path.startswith(self._prefix) else None

    def record(self, path: str, key: str | None) -> None:
        """`path` (in the folder being written) is written under `key` this run; None: by a
        write with no key (which overrides one that had)."""
        address = self._address(path) if self.manifests else None
        if address is None:
            return
        if key is None:
            self.written.pop(address, None)
        else:
            self.written[address] = key

    def link(self, path: str, key: str) -> bool:
        """Put the previous output's copy of `path` there, if it is the file written under
        `key` and unchanged since; False when it must be written."""
        address = self._address(path) if self.enabled else None
        entry = self.old.get(address) if address is not None else None
        if entry is None or entry[0] != key:
            return False
        old = os.path.join(self.previous, address)
        try:
            found = os.lstat(old)
            as_written = [found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino] == entry[1:]
            if not stat.S_ISREG(found.st_mode) or not as_written:
                return False
            # The file itself (lstat: no symlink), not one reached through a folder someone
            # made a symlink.
            if not self._real_folder(os.path.dirname(address)):
                return False
            try:
                os.link(old, path)
            except FileNotFoundError:  # its folder is not made yet (once per folder)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                os.link(old, path)
        except OSError:  # gone, or a file system without hard links: write it
            return False
        return True

    def _real_folder(self, folder: str) -> bool:
        """Whether the previous output's `folder` (an address) is the folder it names, no
        symlink on the way: asked once a run per folder, not per file (a `realpath` walk
        for each of thousands of files was a tenth of a rebuild)."""
        if folder not in self._folders:
            real = os.path.realpath(os.path.join(self.previous, folder))
            self._folders[folder] = real == os.path.normpath(os.path.join(self._real_previous, folder))
        return self._folders[folder]

    def save(self, folder: str) -> None:
        """After `folder` (what this run wrote) became the output: the manifest the next
        build reads. (The swap is a rename: each file keeps its inode and time.)"""
        if self.manifests is None:
            return
        files = {}
        for address, key in self.written.items():
            try:
                found = os.lstat(os.path.join(folder, address))
            except OSError:
                continue
            entry = self.old.get(address)
            linked = entry is not None and found.st_ino == entry[4]
            if linked and [found.st_size, found.st_mtime_ns] != entry[1:3]:
                # Linked from the previous output, and edited there since (while this build ran,
                # in the folder still served): not vouched for; the next build writes it.
                continue
            files[address] = [key, found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino]
        try:
            os.makedirs(self.manifests, exist_ok=True)
            # Encoded whole, then written: `json.dump` encodes piece by piece in Python, `dumps`
            # in C (for 5,000 files, 13 ms against 6).
            manifest = json.dumps({"version": MANIFEST_VERSION, "files": files})
            output_folder.write_aside(self._manifest(folder), manifest.encode("utf-8"))
        except OSError:
            return  # the next build writes every file
