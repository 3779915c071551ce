"""What differential testing of the rebuild of one explainer alone (plugins/explainers/plugin/quick.py)
found: a generated site of many explainers, edited at random again and again, each build compared
byte for byte with a build from nothing of the same content and settings. Each case here is one of
its findings, on the small site of `test_quick_rebuild.py`: an edit, a build, which way it went,
and the output compared with a fresh build's.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from test_quick_rebuild import build, quick_site, same_as_fresh
from test_rebuild_equivalence import edit

# The search index's settings are the run's (`settings.RUN_ONLY`: no page shows them, so the site's
# digest leaves them out), but the output's search folder is made by them: whether there is one,
# and in how many parts.
SEARCH_SETTINGS = {
    "search turned off": ("{}", '{"SEARCH": false}'),
    "search turned on": ('{"SEARCH": false}', "{}"),
    "smaller search parts": ("{}", '{"SEARCH_PART_SIZE": 2}'),
    "larger search parts": ('{"SEARCH_PART_SIZE": 2}', "{}"),
}


@pytest.mark.parametrize("case", sorted(SEARCH_SETTINGS))
def test_other_search_settings_build_the_whole_site(tmp_path: Path, case: str):
    before, after = (("-e", f"EXPLAINERS={value}") for value in SEARCH_SETTINGS[case])
    site = quick_site(tmp_path / "site")
    build(site, *before)
    edit(site, "old.md", "The last paragraph.", "The last paragraph. And more.")
    assert "changed, and only" not in build(site, *after)
    assert same_as_fresh(site, tmp_path / "fresh", *after) == []
    # And with the same settings again, the next edit is rebuilt alone.
    edit(site, "old.md", "And more.", "And more again.")
    assert "only content/old.md changed" in build(site, *after)
    assert same_as_fresh(site, tmp_path / "fresh-again", *after) == []
