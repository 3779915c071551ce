"""Nothing lost, nothing half-done: builds killed at any point leave a complete output."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from generate import generate

from sitebuild import CONFFILE, EXPLAINER, ROOT, Site


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def build(content: Path, out: Path, cache: Path) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "explainers",
        "build",
        str(content),
        "-o",
        str(out),
        "-s",
        str(CONFFILE),
        "-e",
        f"CACHE_PATH={cache}",
    ]
    return subprocess.Popen(
        command,
        env={**os.environ, "PYTHONPATH": str(ROOT / "plugins")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def test_a_build_killed_at_any_moment_leaves_a_complete_output(tmp_path):
    generate(40, tmp_path)
    content, out, cache = tmp_path / "explainers", tmp_path / "out", tmp_path / "cache"
    assert build(content, out, cache).wait() == 0
    old = snapshot(out)
    page = content / "explainer-00001.md"
    page.write_text(page.read_text().replace('title: "', 'title: "Changed ', 1))
    reference = tmp_path / "reference"
    assert build(content, reference, tmp_path / "reference-cache").wait() == 0
    new = snapshot(reference)
    assert new != old

    outcomes = set()
    for delay in (0.05, 0.2, 0.4, 0.6, 0.8, 1.0, 1.3, 1.7, 2.2, 3.0):
        process = build(content, out, cache)
        time.sleep(delay)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        now = snapshot(out)
        assert now in (old, new), f"killed after {delay} s: the output is neither the old nor the new site"
        outcomes.add("old" if now == old else "new")
        if now == new:  # start again from the old site, to kill later and later builds
            out_old = tmp_path / "restore"
            for name, data in old.items():
                (out_old / name).parent.mkdir(parents=True, exist_ok=True)
                (out_old / name).write_bytes(data)
            subprocess.run(["rm", "-rf", str(out)], check=True)
            out_old.rename(out)
    assert "old" in outcomes  # at least one build really was killed half-way
    # The next build cleans up what killed builds left, and succeeds.
    assert build(content, out, cache).wait() == 0
    assert snapshot(out) == new
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.building-")] == []


def _used_bytes(folder: Path) -> int:
    """What a folder takes on a tmpfs: whole 4 KiB pages per file and folder."""
    pages = sum(1 + p.stat().st_size // 4096 for p in folder.rglob("*"))
    return (pages + 1) * 4096


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small file system needs root (CI runs as root)")
def test_a_full_disk_fails_the_build_and_keeps_the_previous_site(tmp_path):
    site = Site(tmp_path / "site")
    site.write("test.md", EXPLAINER)
    assert site.build().code == 0
    needed = _used_bytes(site.output)
    disk = tmp_path / "disk"
    disk.mkdir()
    # Room for the previous site and half of a new one: the next build runs out of space,
    # in Pelican's writes or Pagefind's, whichever comes first.
    size = f"size={needed + needed // 2}"
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", size, "tmpfs", str(disk)], check=False, capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"this machine does not allow a tmpfs mount: {mounted.stderr.decode().strip()}")
    try:
        shutil.copytree(site.output, disk / "output")
        before = snapshot(disk / "output")
        site.write("test.md", EXPLAINER.replace("title: A test explainer", "title: A changed explainer"))
        process = build(site.content, disk / "output", site.root / "cache")
        assert process.wait() == 1
        assert snapshot(disk / "output") == before
        assert [p.name for p in disk.iterdir()] == ["output"]  # the half-built folder is gone
    finally:
        subprocess.run(["umount", str(disk)], check=True)
