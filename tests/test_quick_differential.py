"""What differential testing of the rebuild of one explainer alone (plugins/explainers/plugin/quick.py)
found: a generated site of many explainers, edited at random again and again, each build compared
byte for byte with a build from nothing of the same content and settings. Each case here is one of
its findings, on the small site of `test_quick_rebuild.py`: an edit, a build, which way it went,
and the output compared with a fresh build's.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sitebuild import ROOT, settings_file
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


# A newsroom's settings file may give its templates values of its own (Pelican's JINJA_GLOBALS,
# whose plain values are in the site's digest; a function, in JINJA_FILTERS or here, only by its
# kind: tests/test_quick_attack.py): another value shows on every page that uses it, here the
# theme's own base template, its footer saying it.
FOOTER = '<p class="site-footer__name">{{ SITENAME }}</p>'


def base_template_saying_a_value() -> str:
    base = (ROOT / "theme" / "templates" / "base.html").read_text(encoding="utf-8")
    assert FOOTER in base
    return base.replace(FOOTER, FOOTER.replace("}}<", "}} {{ motto }}<"))


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        ("old.md", "The last paragraph.", "The last paragraph. And more."),  # rebuilt alone
        ("old.md", "title: An old explainer", "title: A renamed explainer"),  # built whole
    ],
)
def test_another_value_for_the_templates_shows_on_every_page(tmp_path: Path, name: str, old: str, new: str):
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    (overrides / "base.html").write_text(base_template_saying_a_value(), encoding="utf-8")
    extra = f"THEME_TEMPLATES_OVERRIDES = [{str(overrides)!r}]\n"
    first = ("-s", str(settings_file(tmp_path / "first.py", extra + 'JINJA_GLOBALS = {"motto": "One"}\n')))
    then = ("-s", str(settings_file(tmp_path / "then.py", extra + 'JINJA_GLOBALS = {"motto": "Two"}\n')))
    site = quick_site(tmp_path / "site")
    build(site, *first)
    edit(site, name, old, new)
    assert "changed, and only" not in build(site, *then)
    assert same_as_fresh(site, tmp_path / "fresh", *then) == []
