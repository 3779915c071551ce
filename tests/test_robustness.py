"""Nothing lost, nothing half-done: builds killed at any point leave a complete output."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from generate import generate

from sitebuild import CONFFILE, ROOT


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
