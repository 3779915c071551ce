"""The bad-input corpus: every broken explainer and sources file in tests/bad_inputs/content,
checked in one run, with every expected PATH:LINE: severity: message line (expected.txt)."""

from __future__ import annotations

import shutil
from pathlib import Path

from sitebuild import Site

CORPUS = Path(__file__).parent / "bad_inputs"


def five_megabytes_of_front_matter() -> str:
    """A paste gone wrong: 31,000 sources, over 5 MB of YAML."""
    lines = ["---", "title: Too big", "date: 2025-01-14", "sources:"]
    for number in range(31_000):
        lines += [
            f"  s{number}:",
            f"    title: Source number {number} with a long enough title to weigh",
            f"    publisher: Publisher {number}",
            f"    url: https://example.org/{number}",
            "    accessed: 2025-01-12",
        ]
    return "\n".join([*lines, "---", "", "Body."]) + "\n"


def test_every_problem_of_the_corpus_is_reported_in_one_run(tmp_path):
    site = Site(tmp_path)
    shutil.copytree(CORPUS / "content", site.content)
    big = five_megabytes_of_front_matter()
    assert len(big.encode()) > 5_000_000
    (site.content / "five_mb_front_matter.md").write_text(big, encoding="utf-8")
    files = [p for p in site.content.rglob("*") if p.is_file()]
    assert len(files) >= 60
    run = site.check()
    expected = (CORPUS / "expected.txt").read_text(encoding="utf-8").splitlines()
    # The sources library first, then by path and line, as `make check` prints them.
    assert run.problems == expected
    assert run.code == 1
    # Every broken file is reported; the only silent ones are the library file that others cite.
    reported = {line.split(":")[0] for line in run.problems}
    silent = {str(p.relative_to(site.root)) for p in files} - reported
    assert silent <= {"content/sources/shared.yml"}
