"""Test helpers: write a small site into a temporary folder, build or check it, parse the HTML."""

from __future__ import annotations

import io
import json
import os
import textwrap
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

from explainers.tools import cli

ROOT = Path(__file__).resolve().parent.parent
# A copy of the seed explainer and its sources, frozen for the tests: the site's own content/
# belongs to the writers, and is checked by `make check`, not by the code's tests.
SEED_CONTENT = Path(__file__).resolve().parent / "fixtures" / "content"
CONFFILE = ROOT / "pelican.conf.py"


def settings_file(path: Path, extra: str = "") -> Path:
    """A site's own settings file at `path`: the project's, then `extra` (Python lines), as a
    newsroom that extends the project's settings writes it."""
    project = f"import runpy\nglobals().update(runpy.run_path({str(CONFFILE)!r}))\n"
    path.write_text(project + extra, encoding="utf-8")
    return path


@dataclass
class Run:
    code: int
    stderr: str
    stdout: str

    @property
    def problems(self) -> list[str]:
        """The PATH:LINE: severity: message lines, in order."""
        # Not the source line and caret shown under an error: they are indented.
        return [
            line
            for line in self.stderr.splitlines()
            if (": error: " in line or ": warning: " in line) and not line.startswith(" ")
        ]


@dataclass
class Site:
    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def output(self) -> Path:
        return self.root / "output"

    def write(self, name: str, text: str) -> Path:
        path = self.content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def run(self, command: str, *extra: str) -> Run:
        # Each test site keeps its own cache, beside its content.
        args = [
            command,
            str(self.content),
            "-s",
            str(CONFFILE),
            "-e",
            f"CACHE_PATH={self.root / 'cache'}",
            *extra,
        ]
        if command == "build" and "-o" not in extra:
            args += ["-o", str(self.output)]
        stdout, stderr = io.StringIO(), io.StringIO()
        cwd = os.getcwd()
        os.chdir(self.root)  # problems are reported relative to the working folder
        try:
            with redirect_stdout(stdout), redirect_stderr(stderr):
                code = cli.main(args)
        finally:
            os.chdir(cwd)
        return Run(code, stderr.getvalue(), stdout.getvalue())

    def build(self, *extra: str) -> Run:
        return self.run("build", *extra)

    def check(self, *extra: str) -> Run:
        return self.run("check", *extra)

    def page(self, name: str) -> BeautifulSoup:
        return BeautifulSoup((self.output / name).read_text(encoding="utf-8"), "lxml")


def both(site: Site, *extra: str) -> list[str]:
    """The problems of a check, asserted to be the build's too; the build's exit code agrees."""
    check = site.check(*extra)
    build = site.build(*extra)
    assert check.problems == build.problems
    assert check.code == build.code
    return check.problems


def json_ld(page: BeautifulSoup) -> dict:
    scripts = page.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    return json.loads(scripts[0].string)


EXPLAINER = """\
---
title: A test explainer
date: 2025-01-14
summary: What the test is about.
authors: [Test desk]
sources:
  alpha:
    title: Alpha report
    publisher: Alpha News
    url: https://alpha.example/report
    accessed: 2025-01-12
  beta:
    title: Beta briefing
    publisher: Beta Agency
    url: https://beta.example/briefing
    archive_url: https://archive.example/beta
    published: 2025-01-10
    accessed: 2025-01-12
  gamma:
    title: Gamma dataset
    publisher: Gamma Institute
    url: https://gamma.example/data
    accessed: 2025-01-12
claims:
  - id: first-claim
    text: The first claim, with *emphasis*.
    by: Alpha News
    status: confirmed
    sources: [beta, {source: alpha, locator: para. 4}]
  - id: uncited-claim
    text: A claim the body never cites.
    by: Gamma Institute  # an estimate says whose; the body starts at once, keeping its lines
    status: estimate
    sources: [gamma]
corrections:
  - date: 2025-01-15
    kind: clarification
    text: An earlier version said *less*.
---
Opening sentence [@alpha]. The claim [@first-claim]. Again [see @alpha, p. 4; @beta].
"""


# A site-wide library source (content/sources/shared.yml), cited as [@shared].
SHARED_SOURCE = """\
shared:
  title: Shared report
  publisher: Shared Agency
  url: https://shared.example/report
  accessed: 2025-01-12
"""
