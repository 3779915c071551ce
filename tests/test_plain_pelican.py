"""Another site's own `pelican` command, stopped by the content's errors: the error lines,
then Pelican's one CRITICAL line, and no traceback (a writer's typo is not a crash)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sitebuild import EXPLAINER, ROOT


def test_a_build_stopped_by_the_content_ends_without_a_traceback(tmp_path: Path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "test.md").write_text(
        EXPLAINER.replace("status: confirmed", "status: reportd"), encoding="utf-8"
    )
    (tmp_path / "pelicanconf.py").write_text(
        f'SITENAME = "Another site"\nPATH = "content"\nTHEME = "notmyidea"\nTIMEZONE = "UTC"\n'
        f'PLUGIN_PATHS = [{str(ROOT / "plugins")!r}]\nPLUGINS = ["explainers"]\n',
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", "output"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "300"},
        timeout=300,
        check=False,
    )
    said = (result.stdout + result.stderr).splitlines()
    assert result.returncode == 1
    assert next(line for line in said if ": error: " in line).startswith(
        'content/test.md:28: error: claim "first-claim"'
    )
    assert "Traceback" not in result.stdout + result.stderr
    assert not [line for line in said if line.strip().startswith('File "')]
    critical = [line.strip() for line in said if "CRITICAL" in line]
    assert len(critical) == 1
    assert "CRITICAL ContentError: the content has problems: 1 error, 0 warnings" in critical[0]
    assert not (tmp_path / "output").exists()
