"""`make bench N=100`, as CI runs it: the script works end to end, on every corpus shape.
No time is asserted."""

from __future__ import annotations

import json
import runpy

from generate import SHAPES, generate

from sitebuild import ROOT
from test_makefile import make


def test_quick_benchmark_writes_its_figures_for_every_shape(tmp_path):
    result = make(
        "bench", "N=12", f"BENCH_OUT={tmp_path / 'results'}", f"BENCH_WORK={tmp_path / 'work'}", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads((tmp_path / "results" / "latest.json").read_text())
    assert figures["n"] == 12
    assert sorted(figures["shapes"]) == sorted(SHAPES)
    assert len(SHAPES) >= 3
    for shape in figures["shapes"].values():
        for key in figures["budgets"]:
            assert shape[key] > 0, (shape["shape"], key)
        assert shape["peak_mb"] >= shape["main_peak_mb"] > 0
        assert "pagefind" in shape["children_peak_mb"]
        # The dev server served each round's saved page: a time from the write, every round.
        assert shape["seconds"]["preview"]["min"] > 0
        assert shape["preview_seconds"] == shape["seconds"]["preview"]["median"]
        # The CPU each side spent, in user space and in the kernel (wait4's figures).
        for name in ("full", "plain", "rebuild", "check", "check_cached"):
            assert shape["cpu_seconds"][name]["user"] > 0, (shape["shape"], name)
            assert shape["cpu_seconds"][name]["system"] >= 0, (shape["shape"], name)
    table = (tmp_path / "results" / "latest.md").read_text()
    for name in SHAPES:
        assert f"### Shape `{name}`" in table
    assert "| `make check`, no cache |" in table
    assert "| `make check`, with a cache |" in table
    assert "| dev server: a save to its page served |" in table
    assert table.count("CPU of the full build") == len(SHAPES)


def test_each_shape_is_deterministic_and_its_own(tmp_path):
    for name in SHAPES:
        generate(5, tmp_path / name / "first", name)
        generate(5, tmp_path / name / "again", name)
        first = sorted((tmp_path / name / "first" / "explainers").rglob("*.*"))
        again = sorted((tmp_path / name / "again" / "explainers").rglob("*.*"))
        assert [p.read_bytes() for p in first] == [p.read_bytes() for p in again], name
    claims = (tmp_path / "claims" / "first" / "explainers" / "explainer-00003.md").read_text()
    sources = (tmp_path / "sources" / "first" / "explainers" / "explainer-00003.md").read_text()
    short = (tmp_path / "short" / "first" / "explainers" / "explainer-00003.md").read_text()
    assert claims.count("  - id: ") == 40
    assert sources.count("  - id: ") == 3
    assert sources.count("    note: ") == 37
    assert len(short) < len(claims) / 2


def test_the_peer_uses_the_projects_markdown_extensions():
    project = runpy.run_path(str(ROOT / "pelican.conf.py"))
    peer = runpy.run_path(str(ROOT / "bench" / "peer.conf.py"))
    assert peer["MARKDOWN"] == project["MARKDOWN"]
