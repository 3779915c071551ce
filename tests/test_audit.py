"""The page-weight report of `make audit`, as CI runs it: within budget, and able to say so."""

from __future__ import annotations

import shutil
import subprocess
import sys

from sitebuild import ROOT, SEED_CONTENT

AUDIT = ROOT / "scripts" / "audit.py"


def audit(output, *extra):
    return subprocess.run(
        [sys.executable, str(AUDIT), str(output), "--bytes-only", *extra],
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_kursk_explainer_is_within_its_byte_budget(site):
    shutil.copytree(SEED_CONTENT, site.content)
    assert site.build().code == 0
    result = audit(site.output)
    assert result.returncode == 0, result.stdout
    assert "budget: 30 KB gzip for HTML + CSS + JS: within" in result.stdout
    lines = result.stdout.splitlines()
    assert any(line.strip().startswith("theme/css/main.css") for line in lines)
    assert any(line.strip().startswith("theme/js/notes.js") for line in lines)
    assert "requests: 4" in result.stdout


def test_the_report_fails_a_page_over_budget(site):
    shutil.copytree(SEED_CONTENT, site.content)
    assert site.build().code == 0
    result = audit(site.output, "--budget-kb", "1")
    assert result.returncode == 1
    assert "OVER" in result.stdout
