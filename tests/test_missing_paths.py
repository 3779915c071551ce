"""A folder or file a writer names that is not there: one line saying so, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from test_makefile import make


@pytest.mark.parametrize(
    "target",
    [
        ("check",),
        ("html", "OUTPUTDIR=out"),
        ("import-sources", "FILE=library.json"),
    ],
)
def test_a_content_folder_that_is_not_there_is_named_in_one_line(writer: Path, target):
    (writer / "library.json").write_text("[]", encoding="utf-8")
    result = make(*target, "INPUTDIR=nope", cwd=writer)
    assert result.returncode != 0
    said = [line for line in result.stderr.splitlines() if not line.startswith("make: ***")]
    assert said == ["error: INPUTDIR nope: no such folder"]
    assert "Traceback" not in result.stdout + result.stderr
    assert not (writer / "out").exists()
