"""`make bench N=100`, as CI runs it: the script works end to end. No time is asserted."""

from __future__ import annotations

import json

from generate import generate

from test_makefile import make


def test_quick_benchmark_writes_its_figures(tmp_path):
    result = make(
        "bench", "N=20", f"BENCH_OUT={tmp_path / 'results'}", f"BENCH_WORK={tmp_path / 'work'}", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads((tmp_path / "results" / "latest.json").read_text())
    assert figures["n"] == 20
    for key in ("full_build_ratio", "rebuild_ratio", "check_ratio", "peak_rss_mb"):
        assert figures[key] > 0, key
    table = (tmp_path / "results" / "latest.md").read_text()
    assert "plain Pelican + footnotes, full build" in table
    assert "| `make check`, whole corpus |" in table
    # The corpus is deterministic: the same N gives the same files.
    first = (tmp_path / "work" / "20" / "explainers" / "explainer-00007.md").read_text()
    generate(20, tmp_path / "again")
    assert (tmp_path / "again" / "explainers" / "explainer-00007.md").read_text() == first
