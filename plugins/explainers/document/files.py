"""The content folder's door: which files the site accepts, and the one way they are read.

Every file is looked at without following links first. A link whose target leaves the
content folder, a device, a FIFO or a socket is refused; so is a file type the site does
not accept, a file over the size limit, and a name that could not be shown safely on a
problem line. Only regular files inside the content folder are ever opened, through
`read_file`, which reads at most the limit.
"""

from __future__ import annotations

import fnmatch
import functools
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass

from .problems import ERROR, Problem

MARKDOWN_EXTENSIONS = (".md", ".markdown", ".mkd", ".mdown")
SOURCES_EXTENSIONS = (".yml", ".yaml")
LOCKFILE = "sources.lock.json"
# File names: letters (any script), digits, spaces and . , - _ + ( ); never a control
# character, a colon or a backslash, which could forge or break a PATH:LINE: problem line.
NAME_RE = re.compile(r"^[\w .,+()-]+$")
NAME_CHAR_RE = re.compile(r"[\w .,+()-]")
# Files that operating systems and editors leave beside the ones a writer saves: skipped
# everywhere (never read, never published) instead of failing every build. Named one by one
# so that the door stays an allow-list: any other file the site does not know is an error.
SYSTEM_FILES = (
    ".DS_Store",  # macOS Finder
    "._*",  # macOS resource forks on non-Apple disks
    "Thumbs.db",  # Windows Explorer
    "desktop.ini",  # Windows Explorer
    ".*.swp",  # vim's swap file of a file being edited
    ".*.swo",  # vim's second swap file
    "*~",  # backups of vim, Emacs, gedit and others
    ".#*",  # Emacs's lock link
    "#*#",  # Emacs's autosave
)


def _any_of(patterns: Iterable[str]) -> re.Pattern[str]:
    """One regex matching a name that any of `patterns` matches (fnmatchcase's, each):
    asked of every file of the content folder, where a call per pattern was a fiftieth of a
    rebuild."""
    return re.compile("|".join(fnmatch.translate(pattern) for pattern in patterns) or "(?!)")


_SYSTEM_FILE = _any_of(SYSTEM_FILES)


def system_file(name: str) -> bool:
    """Whether `name` (a file's name alone) is one of SYSTEM_FILES. Case matters, as it does
    to the tools that write them (fnmatchcase: the same answer on every system)."""
    return _SYSTEM_FILE.match(name) is not None


def name_message(name: str) -> str:
    """Why a file name is refused, naming the characters at fault; a control character is
    shown escaped, so that the message itself cannot break the problem line."""
    bad = dict.fromkeys(c for c in name if not NAME_CHAR_RE.match(c))
    shown = ", ".join(f"'{c}'" if c.isprintable() else f"U+{ord(c):04X}" for c in bad) or "none"
    return (
        f"this file name holds characters the site does not accept ({shown}); "
        "rename it with letters, digits, spaces and . , - _ + ( )"
    )


@dataclass(frozen=True)
class ContentFile:
    path: str  # as found under the content folder
    kind: str  # "document", "sources", "lockfile" or "static"


class RefusedFileError(Exception):
    """A file the door will not open; `message` says why, for a problem at line 1."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Door:
    """The content folder and what it accepts (from the settings)."""

    root: str
    sources_dir: str
    static_paths: tuple[str, ...]
    static_types: frozenset[str]
    ignore: tuple[str, ...]
    max_bytes: int

    @functools.cached_property
    def real_root(self) -> str:
        # Asked for each link a run checks: the folder is resolved once.
        return os.path.realpath(self.root)

    def inside(self, path: str) -> bool:
        """Whether `path`, links resolved, is in the content folder."""
        real = os.path.realpath(path)
        root = self.real_root
        return real == root or real.startswith(root + os.sep)

    @functools.cached_property
    def _prefix(self) -> str:
        return os.path.join(self.root, "")

    def relative(self, path: str) -> str:
        """`path` from the content folder, with / between its parts: `os.path.relpath`'s answer,
        taken by cutting the folder off a path that starts with it and needs no normalising
        (as every path the scan and Pelican give: relpath, asked of every file several times
        a run, was a tenth of a check whose files are all cached)."""
        prefix = self._prefix
        if path.startswith(prefix):
            rest = path[len(prefix) :]
            if (
                rest
                and not rest.startswith(os.sep)  # `root//x`: normpath keeps one or two leading /
                and os.path.normpath(rest) == rest
                and rest != os.pardir
                and not rest.startswith(os.pardir + os.sep)
            ):
                return rest.replace(os.sep, "/")
        return os.path.relpath(path, self.root).replace(os.sep, "/")

    def kind_of(self, path: str) -> str | None:
        """What the site does with a file at `path`, or None if it does not accept it."""
        relative = self.relative(path)
        lowered = relative.lower()
        in_sources = relative.startswith(self.sources_dir.rstrip("/") + "/")
        # Pelican reads Markdown by its extension as written: `.MD` it would leave out, and a
        # file named only `.md` has no extension at all.
        extension = os.path.splitext(os.path.basename(relative))[1]
        if extension in MARKDOWN_EXTENSIONS and not in_sources:
            return "document"
        if relative == LOCKFILE:
            return "lockfile"
        if in_sources and lowered.endswith(SOURCES_EXTENSIONS):
            return "sources"
        # Anywhere: `{attach}` and `{static}` links may point at files outside STATIC_PATHS.
        if os.path.splitext(lowered)[1].lstrip(".") in self.static_types:
            return "static"
        return None

    def check(self, path: str) -> None:
        """Raise RefusedFileError unless `path` is a regular file inside, within the size limit."""
        name = os.path.basename(path)
        if not NAME_RE.fullmatch(name):
            raise RefusedFileError(name_message(name), "bad-file-name")
        try:
            link = os.lstat(path)
            info = os.stat(path)
        except OSError as exc:
            raise RefusedFileError(f"this file cannot be read: {exc.strerror}", "unreadable-file") from None
        if stat.S_ISLNK(link.st_mode) and not self.inside(path):
            raise RefusedFileError(
                f"this is a link to {os.path.realpath(path)!r}, outside the content folder; "
                "copy the file in instead",
                "link-outside",
            )
        if not stat.S_ISREG(info.st_mode):
            raise RefusedFileError(
                "this is not a regular file (a device, FIFO or socket): remove it", "not-a-file"
            )
        if info.st_nlink > 1:
            # A hard link is the same file under another name, which may be outside the folder.
            raise RefusedFileError(
                "this file has another name elsewhere (a hard link): copy it into the content folder instead",
                "hard-link",
            )
        if info.st_size > self.max_bytes:
            raise RefusedFileError(
                f"this file is {info.st_size:,} bytes, over the limit of {self.max_bytes:,} "
                '(EXPLAINERS["MAX_FILE_BYTES"])',
                "file-too-large",
            )

    def read_file(self, path: str) -> bytes:
        """The bytes of a content file that passes `check`; never more than the limit."""
        self.check(path)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)  # a FIFO swapped in cannot block us
        return self._read_open(os.open(path, flags))

    def read_unlinked(self, path: str) -> bytes:
        """`read_file` of a file reached through no link at all, neither its own name nor a
        folder on its way: each is opened from the content folder without following one, so
        that a file or folder replaced by a link after it was checked is never read through
        it. For a copy of the file that is then taken for a plain one (the dev server's
        preview). Where a system cannot open so, every file is refused."""
        self.check(path)
        relative = os.path.relpath(path, self.root)
        nofollow = getattr(os, "O_NOFOLLOW", 0)
        folder_flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | nofollow
        if relative.startswith("..") or not nofollow or os.open not in os.supports_dir_fd:
            raise RefusedFileError("this file cannot be read without following links", "link")
        *folders, name = relative.split(os.sep)
        try:
            fd = os.open(self.real_root, os.O_RDONLY)
            try:
                for folder in folders:
                    inner = os.open(folder, folder_flags, dir_fd=fd)
                    os.close(fd)
                    fd = inner
                opened = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | nofollow, dir_fd=fd)
            finally:
                os.close(fd)
        except OSError as exc:
            raise RefusedFileError(
                f"this file, or a folder on its way, is a link or changed as it was read: {exc.strerror}",
                "link",
            ) from None
        return self._read_open(opened)

    def _read_open(self, fd: int) -> bytes:
        """The bytes of the file open at `fd` (closed), a regular file with no other name,
        never more than the limit."""
        try:
            info = os.fstat(fd)
            if info.st_nlink > 1:  # a hard link swapped in since the check
                raise RefusedFileError("this file has another name elsewhere (a hard link)", "hard-link")
            if not stat.S_ISREG(info.st_mode):
                raise RefusedFileError("this is not a regular file: remove it", "not-a-file")
            with os.fdopen(fd, "rb", closefd=False) as handle:
                data = handle.read(self.max_bytes + 1)
        finally:
            os.close(fd)
        if len(data) > self.max_bytes:
            raise RefusedFileError(
                f"this file is over the limit of {self.max_bytes:,} bytes", "file-too-large"
            )
        return data

    @functools.cached_property
    def _ignored(self) -> re.Pattern[str]:
        # fnmatch's patterns, in its case: the system's (`os.path.normcase`, none on POSIX).
        return _any_of(os.path.normcase(pattern) for pattern in self.ignore)

    def ignored(self, name: str) -> bool:
        return system_file(name) or self._ignored.match(os.path.normcase(name)) is not None

    def scan(self) -> tuple[list[ContentFile], list[Problem], list[str]]:
        """Every file under the content folder, in a stable order; what is wrong with each; and
        the folders that are links (relative paths), which no walk may follow."""
        found: list[ContentFile] = []
        problems: list[Problem] = []
        linked: list[str] = []
        for folder, subfolders, files in os.walk(self.root, followlinks=False):
            keep = []
            for name in sorted(subfolders):
                full = os.path.join(folder, name)
                if self.ignored(name):
                    continue
                if not NAME_RE.fullmatch(name):
                    # Its files would be published under its name: refused with them.
                    problems.append(_refused(full, name_message(name), "bad-file-name"))
                    continue
                if os.path.islink(full):
                    # A linked folder is not walked (Pelican is told not to follow it either);
                    # one leading out of the content folder is refused.
                    linked.append(os.path.relpath(full, self.root))
                    if not self.inside(full):
                        problems.append(
                            _refused(full, "this folder is a link out of the content folder", "link-outside")
                        )
                    continue
                keep.append(name)
            subfolders[:] = keep
            for name in sorted(files):
                full = os.path.join(folder, name)
                if self.ignored(name):
                    continue
                try:
                    self.check(full)
                except RefusedFileError as exc:
                    problems.append(_refused(full, exc.message, exc.code))
                    continue
                kind = self.kind_of(full)
                if kind is None:
                    problems.append(_refused(full, self._not_accepted(full), "file-type"))
                    continue
                found.append(ContentFile(full, kind))
        return found, problems, linked

    def _not_accepted(self, path: str) -> str:
        relative = self.relative(path)
        if relative.startswith(self.sources_dir.rstrip("/") + "/") and relative.endswith(MARKDOWN_EXTENSIONS):
            return (
                f"the {self.sources_dir}/ folder holds sources files (*.yml); move this explainer out of it"
            )
        if relative.lower().endswith(MARKDOWN_EXTENSIONS):
            extension = os.path.splitext(relative)[1]
            lower = extension.lower()
            return f"write the extension in lower case ({lower}, not {extension}): Pelican leaves it out"
        # A name such as `.htaccess` is all name and no extension, to Python as to Pelican.
        extension = os.path.splitext(path)[1].lower() or f"{os.path.basename(path)}, with no extension"
        places = ", ".join(f"{p}/" for p in self.static_paths) or "(none)"
        types = ", ".join(sorted(self.static_types))
        return (
            f"the site does not accept this file ({extension}): explainers and articles are Markdown "
            f"({', '.join(MARKDOWN_EXTENSIONS)}); images and files go in {places} as {types}"
        )


def _refused(path: str, message: str, code: str) -> Problem:
    return Problem(path, 1, ERROR, message, code)


def of_settings(pelican_settings, site) -> Door:
    """The door of a run, from Pelican's settings and the plugin's."""
    static = pelican_settings.get("STATIC_PATHS") or []
    return Door(
        root=pelican_settings["PATH"],
        sources_dir=site.sources_dir,
        static_paths=tuple(p.strip("/") for p in static if isinstance(p, str)),
        static_types=frozenset(t.lower().lstrip(".") for t in site.static_types),
        ignore=tuple(pelican_settings.get("IGNORE_FILES") or ()),
        max_bytes=site.max_file_bytes,
    )


def documents(files: Iterable[ContentFile]) -> list[str]:
    return [f.path for f in files if f.kind == "document"]


def library_files(content_path: str, sources_dir: str) -> list[str]:
    """The sources library's files (`sources/*.yml`), in name order."""
    folder = os.path.join(content_path, sources_dir)
    if not os.path.isdir(folder):
        return []
    return sorted(
        os.path.join(folder, name)
        for name in os.listdir(folder)
        if name.endswith((".yml", ".yaml")) and os.path.isfile(os.path.join(folder, name))
    )
