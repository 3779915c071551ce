"""The plugin as a package: the wheel built from this repository, installed into a fresh
venv, used by another Pelican site with Pelican's stock `notmyidea` theme.

No network: the wheel is built without build isolation (hatchling from requirements-dev),
and the fresh venv reaches this venv's packages through a .pth file. Pelican itself is
copied in, since a namespace plugin must sit in the same `pelican/plugins/` folder as the
Pelican that loads it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

from bs4 import BeautifulSoup

from sitebuild import EXPLAINER, ROOT


def run(*args, cwd=None):
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_the_wheel_works_in_another_site_with_notmyidea(tmp_path: Path):
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
        "-w", str(tmp_path / "dist"), str(ROOT))  # fmt: skip
    wheel = next((tmp_path / "dist").glob("pelican_explainers-*.whl"))

    fresh = tmp_path / "venv"
    venv.create(fresh, with_pip=False)
    python = fresh / "bin" / "python"
    fresh_site = Path(
        run(str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip()
    )
    ours = Path(sysconfig.get_paths()["purelib"])
    shutil.copytree(ours / "pelican", fresh_site / "pelican", ignore=shutil.ignore_patterns("__pycache__"))
    (fresh_site / "project-packages.pth").write_text(f"{ours}\n")
    run(
        sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", str(wheel)
    )
    installed = run(str(python), "-c", "import pelican.plugins.explainers as e; print(e.__file__)").stdout
    assert installed.startswith(str(fresh_site / "pelican" / "plugins" / "explainers"))

    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "content" / "test.md").write_text(EXPLAINER, encoding="utf-8")
    (site / "pelicanconf.py").write_text(
        'SITENAME = "Another site"\nPATH = "content"\nTHEME = "notmyidea"\nTIMEZONE = "UTC"\n'
        'PLUGINS = ["explainers"]\n'
    )
    run(str(python), "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", "output", cwd=site)

    page = BeautifulSoup((site / "output" / "a-test-explainer.html").read_text(encoding="utf-8"), "lxml")
    content = page.select_one("#content article .entry-content")  # notmyidea's article.content
    assert [li["id"] for li in content.select(".explainer-claims li")] == [
        "claim-first-claim",
        "claim-uncited-claim",
    ]
    assert content.select_one(".explainer-claims li").get_text(" ", strip=True).startswith("Confirmed :")
    citation = content.select_one(".explainer-body sup.citation a")
    assert (citation["href"], citation.get_text()) == ("#source-alpha", "1")
    notes = content.select("#sources li")
    assert [note["id"] for note in notes] == ["source-alpha", "source-beta", "source-gamma"]
    assert notes[0].a["href"] == "https://alpha.example/report"
    # The site-wide pages come from the plugin's fallback templates, inside the theme's page.
    statuses = BeautifulSoup((site / "output" / "statuses.html").read_text(encoding="utf-8"), "lxml")
    assert statuses.select_one("#status-confirmed").get_text() == "Confirmed"
    assert page.select_one("link[href$='main.css']") is not None  # the theme's own stylesheet
