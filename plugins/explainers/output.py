"""The output folder: built aside, then swapped in whole, so it is never half-written.

A build writes into `.NAME.building-PID-XXXX` beside the output folder. Only when the
whole build succeeded is it exchanged with the output folder, in one atomic step
(Linux's renameat2 with RENAME_EXCHANGE; elsewhere two renames, a moment apart). A build
that fails, or is killed at any point, leaves the previous output exactly as it was; the
folder it was writing is removed by the next build, which knows it for a dead build's by
its marker, locked for as long as a build writes the folder (a process number may be
another process's by then: there are 32,768 of them on many systems).
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterable, Iterator

# Written into every folder this tool builds: an output folder that holds files but not
# this one was made by someone else, and a build would delete it.
MARKER = ".explainers-output"

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _renameat2():
    # The process's own symbols, the C library's among them: finding the library by name
    # (`ctypes.util`) was two thirds of importing this module, which every run does.
    libc = ctypes.CDLL(None, use_errno=True)
    function = getattr(libc, "renameat2", None)
    if function is not None:
        function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return function


_EXCHANGE = _renameat2()


class OutputFolderError(Exception):
    pass


def check_output_folder(output: str, *, content: str, project: str) -> None:
    """Refuse an output folder a build would wreck: the content folder, the project, a
    parent of either, anything inside the content folder, or a folder with files in it
    that this tool did not build (no marker). The output is replaced whole."""
    real = os.path.realpath(output)
    for name, folder in (("the content folder", content), ("the project folder", project)):
        protected = os.path.realpath(folder)
        if real == protected or protected.startswith(real.rstrip(os.sep) + os.sep):
            raise OutputFolderError(f"the output folder {output} is {name} or holds it; choose another")
    real_content = os.path.realpath(content)
    if real.startswith(real_content + os.sep):
        raise OutputFolderError(f"the output folder {output} is inside the content folder; choose another")
    if os.path.lexists(output):
        if os.path.islink(output) or not os.path.isdir(output):
            raise OutputFolderError(f"the output folder {output} is not a folder; choose another")
        if os.listdir(output) and not os.path.isfile(os.path.join(output, MARKER)):
            raise OutputFolderError(
                f"the output folder {output} holds files this tool did not build (it has no {MARKER}); "
                "a build replaces the whole folder: empty it, remove it, or choose another"
            )


def _prefix(output: str) -> str:
    return f".{os.path.basename(output)}.building-"


@contextlib.contextmanager
def staging_folder(output: str) -> Iterator[str]:
    """A new, empty folder beside `output` (same file system: the swap is a rename), its
    marker locked while the build that writes it runs (`being_written`)."""
    parent = os.path.dirname(output)
    os.makedirs(parent, exist_ok=True)
    remove_abandoned(output)
    folder = tempfile.mkdtemp(dir=parent, prefix=f"{_prefix(output)}{os.getpid()}-")
    # mkdtemp makes the folder private (0700); a web server must be able to read it.
    os.chmod(folder, 0o755)
    # Locked before it has its name: another build never finds the marker unlocked while
    # this one lives (the lock stays with the file through the rename).
    aside = os.path.join(folder, f"{MARKER}.{secrets.token_hex(4)}")
    handle = open(aside, "w", encoding="utf-8")  # noqa: SIM115 (held, locked, for the whole build)
    try:
        # A file system without locks (some network and FUSE mounts) says so to every build
        # alike: `being_written` then goes by the process's number, as it would have.
        with contextlib.suppress(OSError):
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.write("Built by the explainers plugin: `make html` replaces this folder whole.\n")
        handle.flush()
        os.rename(aside, os.path.join(folder, MARKER))
        yield folder
    finally:
        handle.close()  # the lock with it


def replaces(folder: str) -> str | None:
    """The output folder that `folder`, a folder a build writes (`staging_folder`), is to
    replace: one a build made (it has the marker). None for any other folder."""
    parent, name = os.path.split(os.path.abspath(folder))
    if not name.startswith(".") or ".building-" not in name:
        return None
    output = os.path.join(parent, name[1:].rsplit(".building-", 1)[0])
    if not name.startswith(_prefix(output)) or not os.path.isfile(os.path.join(output, MARKER)):
        return None
    return output


def remove_abandoned(output: str) -> None:
    """Remove folders left by builds that were killed (no build writes them now)."""
    parent, prefix = os.path.dirname(output), _prefix(output)
    for name in os.listdir(parent):
        if not name.startswith(prefix):
            continue
        if not being_written(os.path.join(parent, name), name[len(prefix) :].split("-", 1)[0]):
            shutil.rmtree(os.path.join(parent, name), ignore_errors=True)


def being_written(folder: str, pid: str) -> bool:
    """Whether a build still writes `folder`: its marker is locked (`staging_folder`; by the
    build, or by a process it forked that still runs). A folder with no marker (a link, or
    one made by a build killed before its marker was in place) by the number of the process
    that made it (`pid`, from its name)."""
    marker = os.path.join(folder, MARKER)
    if not os.path.islink(folder) and os.path.isfile(marker):
        try:
            with open(marker, "rb") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return False
        except BlockingIOError:
            return True
        except OSError:
            pass  # a marker it cannot open or lock (a file system without locks)
    return pid.isdigit() and alive(int(pid))


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def swap_in(staging: str, output: str, keep: Iterable[str] = ()) -> None:
    """Make `staging` the output folder; the previous output is removed afterwards, but for
    its entries named in `keep` (Pelican's OUTPUT_RETENTION: a publisher's `.git`, a host's
    `CNAME`), which move into the new output unless the build made one of its own."""
    if not os.path.isdir(output):
        os.rename(staging, output)
        return
    if (
        _EXCHANGE is not None
        and _EXCHANGE(_AT_FDCWD, os.fsencode(staging), _AT_FDCWD, os.fsencode(output), _RENAME_EXCHANGE) == 0
    ):
        previous = staging  # the folders changed places
    else:  # no atomic exchange here (another system, or a file system without it)
        previous = f"{staging}-previous"
        os.rename(output, previous)
        os.rename(staging, output)
    _move_kept(previous, output, keep)
    shutil.rmtree(previous, ignore_errors=True)


def _move_kept(previous: str, output: str, keep: Iterable[str]) -> None:
    """Moved, after the swap (a build that fails before it moves nothing): names only, at
    the top of the folder, as Pelican's own cleaning keeps them."""
    for name in keep:
        if not isinstance(name, str) or name in {"", ".", "..", MARKER} or os.sep in name:
            continue
        if os.altsep and os.altsep in name:
            continue
        old, new = os.path.join(previous, name), os.path.join(output, name)
        if os.path.lexists(old) and not os.path.lexists(new):
            os.rename(old, new)


def write_bytes(path: str, data: bytes) -> None:
    """A file the build writes, its folder made first."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(data)


def write_text(path: str, text: str) -> None:
    """A text file the build writes (UTF-8), its folder made first."""
    write_bytes(path, text.encode("utf-8"))


def write_aside(path: str | os.PathLike[str], data: bytes) -> None:
    """`data` written beside `path` under a name of this process's own, then renamed over it:
    a run killed mid-write leaves the last file whole, and processes writing beside each
    other never share a file (a random part besides the process's number: two machines or
    containers sharing a cache folder may run processes of one number). No temporary-file
    machinery, which costs more than a small write. Raises OSError (a full disk, a read-only
    folder), the aside gone."""
    aside = f"{os.fspath(path)}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
    try:
        with open(aside, "wb") as handle:
            handle.write(data)
        os.replace(aside, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(aside)
        raise
