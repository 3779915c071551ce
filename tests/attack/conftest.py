"""The attack corpus: one baseline build per test process, copied in as each case's
previous output."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from attack_content import explainer
from attack_harness import Case, Lab


@pytest.fixture(scope="session")
def baseline(tmp_path_factory) -> Path:
    """A good build of a small site: what each case's output folder holds before it runs."""
    tmp = tmp_path_factory.mktemp("baseline")
    case = Case(
        id="baseline", cls="baseline", files={"good.md": explainer()}, mode="build", seed_output=False
    )
    lab = Lab(tmp / "m", case)
    lab.prepare(None)
    (outcome,) = lab.run_all(tmp / "logs")
    if outcome.code != 0 or not lab.output.is_dir():
        # The previous output only has to be something to compare with.
        lab.output.mkdir(parents=True, exist_ok=True)
        (lab.output / "index.html").write_text("<!DOCTYPE html><title>previous</title>\n")
    kept = tmp_path_factory.mktemp("baseline-output") / "output"
    shutil.copytree(lab.output, kept, symlinks=True)
    return kept
