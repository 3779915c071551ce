"""The Makefile targets, run as a writer runs them: real `make`, real files, exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from localweb import LocalWeb
from sitebuild import EXPLAINER, ROOT, SEED_CONTENT, settings_file

MAKEFILE = ROOT / "Makefile"


def make(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", "-f", str(MAKEFILE), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=300,
        check=False,
    )


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(path.relative_to(folder)): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_help_lists_the_targets(writer):
    result = make("help", cwd=writer)
    assert result.returncode == 0
    for target in ("html", "check", "test", "clean"):
        assert f"make {target}" in result.stdout


def test_html_builds_another_content_folder(writer):
    result = make("html", "INPUTDIR=content", "OUTPUTDIR=out", cwd=writer)
    assert result.returncode == 0, result.stderr
    assert (writer / "out" / "a-test-explainer.html").is_file()
    assert (writer / "out" / "theme" / "css" / "main.css").is_file()
    assert sorted(p.name for p in writer.iterdir()) == ["content", "out"]  # nothing left beside it


def test_check_reports_problems_unwrapped_and_fails(writer):
    long_status = "a-status-name-long-enough-to-wrap-any-narrow-terminal-" * 3
    (writer / "content" / "test.md").write_text(
        EXPLAINER.replace("status: confirmed", f"status: {long_status}"), encoding="utf-8"
    )
    result = make("check", "INPUTDIR=content", cwd=writer, COLUMNS="30")
    assert result.returncode != 0
    problems = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert problems == [
        (
            'content/test.md:28: error: claim "first-claim": status: expected one of confirmed, reported, '
            f'claimed, estimate, disputed, unverified, false; got "{long_status}"'
        )
    ]
    assert not (writer / "output").exists()


def test_check_passes_clean_content(writer):
    result = make("check", "INPUTDIR=content", cwd=writer)
    assert result.returncode == 0, result.stderr
    assert "0 errors, 0 warnings" in result.stderr


def test_strict_check_fails_on_warnings(writer):
    (writer / "content" / "test.md").write_text(
        EXPLAINER.replace("    accessed: 2025-01-12\n", "", 1), encoding="utf-8"
    )
    assert make("check", "INPUTDIR=content", cwd=writer).returncode == 0
    assert make("check", "INPUTDIR=content", "STRICT=1", cwd=writer).returncode != 0


def test_failed_html_leaves_the_previous_output_exactly_as_it_was(writer):
    assert make("html", "INPUTDIR=content", "OUTPUTDIR=out", cwd=writer).returncode == 0
    before = snapshot(writer / "out")
    (writer / "content" / "test.md").write_text(
        EXPLAINER.replace("[@alpha]", "[@unknown-key]", 1), encoding="utf-8"
    )
    result = make("html", "INPUTDIR=content", "OUTPUTDIR=out", cwd=writer)
    assert result.returncode != 0
    assert 'content/test.md:40: error: citation names unknown key "unknown-key"' in result.stderr
    assert snapshot(writer / "out") == before
    assert sorted(p.name for p in writer.iterdir()) == ["content", "out"]


def test_a_new_build_replaces_the_old_output(writer):
    assert make("html", "INPUTDIR=content", "OUTPUTDIR=out", cwd=writer).returncode == 0
    (writer / "content" / "test.md").write_text(
        EXPLAINER.replace("title: A test explainer", "title: Renamed"), encoding="utf-8"
    )
    assert make("html", "INPUTDIR=content", "OUTPUTDIR=out", cwd=writer).returncode == 0
    assert (writer / "out" / "renamed.html").exists()
    assert not (writer / "out" / "a-test-explainer.html").exists()


def test_clean_removes_the_output_and_never_the_content(writer):
    assert make("html", "INPUTDIR=content", "OUTPUTDIR=out", cwd=writer).returncode == 0
    result = make("clean", "OUTPUTDIR=out", cwd=writer)
    assert result.returncode == 0
    assert not (writer / "out").exists()
    assert (writer / "content" / "test.md").read_text(encoding="utf-8") == EXPLAINER


def test_the_seed_content_builds_with_only_accessed_date_warnings(tmp_path):
    # The seed as the tests keep it (tests/fixtures), not the writers' content/: `make test`
    # checks that separately, so that a writer's commit never fails the code's tests.
    shutil.copytree(SEED_CONTENT, tmp_path / "content")
    result = make("html", f"INPUTDIR={tmp_path / 'content'}", f"OUTPUTDIR={tmp_path / 'out'}", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    problems = [line for line in result.stderr.splitlines() if ": error: " in line or ": warning: " in line]
    assert problems, "the seed's sources have no accessed dates, so warnings are expected"
    assert all(line.endswith("has a url but no accessed date") for line in problems), problems
    assert (tmp_path / "out" / "north-korean-soldiers-kursk.html").is_file()


def test_archive_then_linkcheck_as_a_newsroom_job_runs_them(tmp_path):
    """`make archive` fills the lockfile the build then uses; `make linkcheck` warns of changes."""
    with LocalWeb() as web:
        url = web.page("/report", "<p>The report, as cited.</p>")
        (tmp_path / "content").mkdir()
        (tmp_path / "content" / "test.md").write_text(
            "---\ntitle: Watched\ndate: 2025-11-20\nsummary: S.\nauthors: [Desk]\nsources:\n"
            f"  report:\n    title: A report\n    publisher: Outlet\n    url: {url}\n"
            "    accessed: 2025-11-20\n"
            "---\n\nText [@report].\n",
            encoding="utf-8",
        )
        # The newsroom's settings file: the project's, pointed at the local archive service.
        settings_file(
            tmp_path / "site.conf.py",
            f"EXPLAINERS = {{'ARCHIVE': {web.settings()!r}, 'LINKCHECK': {{'TIMEOUT': 2, 'WORKERS': 2}}}}\n",
        )
        options = ("INPUTDIR=content", "CONFFILE=site.conf.py", "OUTPUTDIR=out")

        archived = make("archive", *options, cwd=tmp_path)
        assert archived.returncode == 0, archived.stderr
        lock = json.loads((tmp_path / "content" / "sources.lock.json").read_text(encoding="utf-8"))
        snapshot_url = lock["sources"][url]["archive_url"]
        assert snapshot_url.startswith(web.url("/web/"))

        assert make("html", *options, cwd=tmp_path).returncode == 0
        page = (tmp_path / "out" / "watched.html").read_text(encoding="utf-8")
        assert f'class="note__archive" href="{snapshot_url}"' in page

        assert make("linkcheck", *options, cwd=tmp_path).returncode == 0
        web.page("/report", "<p>The report, rewritten.</p>")
        changed = make("linkcheck", *options, cwd=tmp_path)
        assert changed.returncode == 0
        assert f'content/test.md:7: warning: source "report": {url} has changed since it was archived' in (
            changed.stderr
        )
        assert make("linkcheck", *options, "STRICT=1", cwd=tmp_path).returncode != 0


def test_cachedir_keeps_the_caches_where_it_says_and_clean_removes_them_there(writer):
    cache = writer / "ci cache"
    assert make("html", "INPUTDIR=content", "OUTPUTDIR=out", f"CACHEDIR={cache}", cwd=writer).returncode == 0
    assert list(cache.rglob("*.build"))  # the explainer's outcome
    assert list((cache / "jinja").iterdir())  # the compiled templates
    assert make("clean", "OUTPUTDIR=out", f"CACHEDIR={cache}", cwd=writer).returncode == 0
    assert not cache.exists()
    assert not (writer / "out").exists()
