"""`make check` with the cache a run left: the verdict of a build, without loading what
reads a file (Pelican's generators and readers, Markdown, the models, the HTML parsers).

A check whose every file is cached runs in a fraction of a second, mostly Python starting
(issue 15's budget: 0.05× of a full build). What it skips must never change what it says:
each change a cached outcome depends on (the file, the sources library, the lockfile, the
settings) is seen, and the lines are the build's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import metadata

from explainers.cache import VERSIONED, versions
from sitebuild import CONFFILE, EXPLAINER, ROOT, SHARED_SOURCE, Site

# What a check of cached files has no use for: every one was imported before.
NOT_LOADED = ["pelican.generators", "docutils", "markdown", "pydantic", "html5lib", "nh3", "yaml"]

# Runs the command line as `python -m explainers` does, in a process of its own (the tests'
# own process has imported all of it), and says which modules it loaded.
PROBE = """
import json, sys
from explainers.tools import cli
codes = []
for args in json.loads(sys.argv[1]):
    codes.append(cli.main(args))
print(json.dumps({"codes": codes, "modules": sorted(sys.modules)}))
"""


def in_a_process(site: Site, *commands: list[str]) -> tuple[list[int], str, set[str]]:
    """(exit codes, stderr, modules loaded) of `commands` run one after another in one process."""
    runs = [
        [command[0], str(site.content), "-s", str(CONFFILE), "-e", f"CACHE_PATH={site.root / 'cache'}"]
        + (["-o", str(site.output)] if command[0] == "build" else [])
        + command[1:]
        for command in commands
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins")}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(runs)],
        cwd=site.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.splitlines()[-1])
    return report["codes"], done.stderr, set(report["modules"])


def problem_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ": error: " in line or ": warning: " in line]


def small_site(site: Site) -> None:
    # A warning in each place a check of cached files reads: an explainer's own problem,
    # an uncited library source (the site-wide checks), the library's own problem.
    site.write("test.md", EXPLAINER)
    site.write("sources/shared.yml", SHARED_SOURCE + "undated:\n  title: Undated\n  publisher: P\n")


def test_a_check_of_cached_files_loads_no_reader_and_says_what_the_build_says(site):
    small_site(site)
    codes, first, loaded = in_a_process(site, ["check"])
    assert codes == [0]
    assert {"markdown", "pydantic"} <= loaded  # the first check read the files
    codes, again, loaded = in_a_process(site, ["check"])
    assert codes == [0]
    assert [name for name in NOT_LOADED if name in loaded] == []
    assert problem_lines(again) == problem_lines(first)
    assert len(problem_lines(again)) == 3, again
    built = site.build()
    assert built.problems == problem_lines(again)


def test_a_build_after_a_check_in_one_process_meets_pelican_whole(site):
    # The check reads the settings without running Pelican's package; the build that
    # follows imports Pelican as it always is.
    small_site(site)
    codes, stderr, loaded = in_a_process(site, ["check"], ["build"])
    assert codes == [0, 0], stderr
    assert "pelican.generators" in loaded
    assert (site.output / "a-test-explainer.html").is_file()


def fresh_build(site: Site, name: object, *extra: str):
    """A build with a cache of its own, empty: what the content says, from nothing."""
    return site.build("-e", f"CACHE_PATH={site.root / f'fresh-{name}'}", *extra)


def test_a_cached_check_sees_every_change_its_outcomes_depend_on(site):
    small_site(site)
    assert site.check().code == 0
    # Settings: one that changes what a file's outcome is (more publishers for a confirmed
    # claim), one that changes its address (its slug is the home page's).
    for number, setting in enumerate(
        [
            ("-e", 'EXPLAINERS={"CORROBORATION": {"confirmed": 3}}'),
            ("-e", 'SLUG_REGEX_SUBSTITUTIONS=[["a test explainer", "index"]]'),
        ]
    ):
        checked, built = site.check(*setting), fresh_build(site, f"setting-{number}", *setting)
        assert checked.problems == built.problems
        assert set(checked.problems) - set(site.check().problems), setting

    changes = [
        # The sources library: a source broken at its line.
        lambda: site.write("sources/shared.yml", SHARED_SOURCE.replace("2025-01-12", "soon")),
        # The same library under another name: its problems name the new file.
        lambda: (site.content / "sources/shared.yml").rename(site.content / "sources/library.yml"),
        # The lockfile, broken.
        lambda: site.write("sources.lock.json", '{"sources": {"https://alpha.example/report": 1}}\n'),
        # The explainer itself.
        lambda: site.write("test.md", EXPLAINER.replace("status: estimate", "status: guessed")),
    ]
    for number, change in enumerate(changes):
        before = site.check()
        change()
        checked, built = site.check(), fresh_build(site, number)
        assert checked.problems == built.problems, number
        assert checked.problems != before.problems
        assert checked.code == built.code


def test_the_versions_in_the_cache_key_are_the_installed_ones():
    # Read from the folders' names, without importing importlib.metadata: the same answer.
    assert versions(VERSIONED) == {name: metadata.version(name) for name in VERSIONED}
