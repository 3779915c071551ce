"""A build's folder beside the output is known for a killed build's by its marker's lock, not
by the number of the process that made it: a number is another process's again soon (this
machine has 32,768 of them), and a process that ended may not yet have been reaped."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest

from explainers import output as output_folder


def a_finished_process() -> int:
    """The number of a process that has ended (and been reaped)."""
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    return pid


def leftover(parent: Path, pid: int, marker: bool) -> Path:
    """A folder as a build leaves it: named after its process, with its marker or not yet."""
    folder = parent / f".out.building-{pid}-abc"
    folder.mkdir()
    (folder / "page.html").write_text("half written", encoding="utf-8")
    if marker:
        (folder / output_folder.MARKER).write_text("Built by the explainers plugin.\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("process", "marker", "locked", "removed"),
    [
        # Its marker unlocked: no build writes it, whatever its number names now (here: this
        # very process, alive; before, the folder stayed until that process ended).
        ("alive", True, False, True),
        ("ended", True, False, True),
        # Its marker locked (by a build, or a process it forked that still runs): kept.
        ("ended", True, True, False),
        ("alive", True, True, False),
        # No marker yet: by its process's number, as before.
        ("alive", False, False, False),
        ("ended", False, False, True),
    ],
)
def test_a_build_folder_is_removed_when_its_marker_is_not_locked(tmp_path, process, marker, locked, removed):
    pid = os.getpid() if process == "alive" else a_finished_process()
    folder = leftover(tmp_path, pid, marker)
    holder = open(folder / output_folder.MARKER, "rb") if locked else None  # noqa: SIM115
    try:
        if holder is not None:
            fcntl.flock(holder, fcntl.LOCK_EX)
        output_folder.remove_abandoned(str(tmp_path / "out"))
    finally:
        if holder is not None:
            holder.close()
    assert folder.exists() is not removed


def test_the_folder_a_build_writes_is_locked_until_the_build_ends(tmp_path):
    output = str(tmp_path / "out")
    with output_folder.staging_folder(output) as staging:
        name = os.path.basename(staging)
        assert name.startswith(".out.building-")
        assert os.listdir(staging) == [output_folder.MARKER]  # its marker alone, in its place
        output_folder.remove_abandoned(output)  # another build starting now
        assert os.path.isdir(staging)
        with open(os.path.join(staging, output_folder.MARKER), "rb") as other, pytest.raises(BlockingIOError):
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
    # The build ended without swapping it in (killed, say): the next build removes it.
    output_folder.remove_abandoned(output)
    assert not os.path.exists(staging)
