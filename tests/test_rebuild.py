"""Pelican's own `pelican content -r` (and `-lr`) builds again and again with one Pelican
instance: each `run()` is a new run, which reads the content and the sources files afresh
and reports their problems again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pelican import Pelican
from pelican.settings import read_settings

from explainers.document.problems import ContentError
from sitebuild import EXPLAINER, ROOT, Site

WIRE = """\
wire:
  title: {title}
  publisher: Wire Service
  url: https://wire.example.org/story
  accessed: 2025-01-12
"""


def another_site(tmp_path: Path) -> Pelican:
    """A site that is not this project: Pelican's stock theme, the plugin by name."""
    content = tmp_path / "content"
    (content / "sources").mkdir(parents=True)
    (content / "test.md").write_text(
        EXPLAINER.replace("date: 2025-01-14", "slug: a-test-explainer\ndate: 2025-01-14").replace(
            "Opening sentence [@alpha].", "Opening sentence [@alpha]. The wire [@wire]."
        ),
        encoding="utf-8",
    )
    (content / "sources" / "wire.yml").write_text(WIRE.format(title="Wire story, first version"))
    settings = read_settings(
        override={
            "PATH": str(content),
            "OUTPUT_PATH": str(tmp_path / "output"),
            "CACHE_PATH": str(tmp_path / "cache"),
            "THEME": "notmyidea",
            "TIMEZONE": "UTC",
            "SITENAME": "Another site",
            "PLUGIN_PATHS": [str(ROOT / "plugins")],
            "PLUGINS": ["explainers"],
            "ARTICLE_EXCLUDES": ["sources"],
            "PAGE_EXCLUDES": ["sources"],
        }
    )
    return Pelican(settings)


def wire_title(tmp_path: Path) -> str:
    page = BeautifulSoup((tmp_path / "output" / "a-test-explainer.html").read_text(encoding="utf-8"), "lxml")
    return page.select_one("#source-wire").get_text(" ", strip=True)


def test_a_second_run_on_the_same_instance_reads_the_content_again(tmp_path: Path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # problems name their files from here, as a writer runs `pelican`
    pelican = another_site(tmp_path)
    pelican.run()
    assert "Wire story, first version" in wire_title(tmp_path)

    # A broken status, as a writer's typo: the second run reports it and stops.
    explainer = tmp_path / "content" / "test.md"
    good = explainer.read_text(encoding="utf-8")
    explainer.write_text(good.replace("status: confirmed", "status: reportd"), encoding="utf-8")
    capsys.readouterr()
    with pytest.raises(ContentError):
        pelican.run()
    problems = [line for line in capsys.readouterr().err.splitlines() if ": error: " in line]
    assert len(problems) == 1
    assert problems[0].startswith('content/test.md:29: error: claim "first-claim"')
    assert problems[0].endswith('got "reportd" (did you mean "reported"?)')

    # Mended, with the sources file changed: the third run shows the new title.
    explainer.write_text(good, encoding="utf-8")
    wire = tmp_path / "content" / "sources" / "wire.yml"
    wire.write_text(WIRE.format(title="Wire story, second version"))
    pelican.run()
    assert "Wire story, second version" in wire_title(tmp_path)


# --- `make html` again, with the cache the last build left -----------------------------------


def test_a_second_build_writes_what_changed_and_the_same_bytes_for_the_rest(tmp_path: Path):
    site = Site(tmp_path)
    site.write("test.md", EXPLAINER)
    site.write("other.md", EXPLAINER.replace("A test explainer", "Another explainer"))
    assert site.build().code == 0
    before = {p.name: p.read_bytes() for p in site.output.iterdir() if p.is_file()}
    site.write("test.md", EXPLAINER.replace("The first claim, with", "The first claim, now with"))
    assert site.build().code == 0
    after = {p.name: p.read_bytes() for p in site.output.iterdir() if p.is_file()}
    # The page, its data files and the claims index show the edit; nothing reused is stale.
    claims = json.loads(after["a-test-explainer.claims.json"])
    assert claims["claims"][0]["text"] == "The first claim, now with emphasis."
    assert "now with" in after["a-test-explainer.html"].decode()
    assert "now with" in after["claims.html"].decode()
    # The other explainer's page, data files and card are the same bytes, from the cache.
    for name in ("another-explainer.html", "another-explainer.claims.json", "another-explainer.card.png"):
        assert after[name] == before[name], name
    # Built again from an empty cache, the site is the same: reusing changes nothing.
    fresh = site.build("-o", str(tmp_path / "fresh"), "-e", f"CACHE_PATH={tmp_path / 'fresh-cache'}")
    assert fresh.code == 0
    assert {p.name: p.read_bytes() for p in (tmp_path / "fresh").iterdir() if p.is_file()} == after
