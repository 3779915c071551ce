"""Translations end to end: the theme's strings in every catalog, and an explainer with its
translation built as a site (lang, hreflang both ways, strings and dates in its language,
its data files, its place in the sitemap).

The two catalog tests are what a merge of template changes is checked with: their failure
lists every string as `FILE:LINE: text`, to wrap in `{{ _("…") }}` or to add to the
catalogs (writing-explainers.md, "Translations", has the commands).
"""

from __future__ import annotations

import datetime
import json
import re
import xml.etree.ElementTree as etree
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir, extract_from_file
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from jinja2 import Environment

from explainers.document import peek
from explainers.document.dates import PartialDate
from explainers.document.model import CORRECTION_KINDS
from explainers.render import language
from sitebuild import EXPLAINER, ROOT, SHARED_SOURCE

THEME = ROOT / "theme"
TRANSLATIONS = THEME / "translations"
# The date patterns and correction kinds, marked in the code that formats them, and what
# only a feed entry says.
MARKED_IN_CODE = [ROOT / "plugins" / "explainers" / "render" / name for name in ("language.py", "feeds.py")]
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None}


def shown(path: Path) -> Path:
    """A path as the failure shows it: from the repository's root."""
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def theme_messages(templates: Path, code: list[Path]) -> dict[str, str]:
    """Every translatable string, with where it is first found: {msgid: "FILE:LINE"}."""
    found: dict[str, str] = {}
    extracted = [
        (templates / name, line, message)
        for name, line, message, _, _ in extract_from_dir(
            templates,
            method_map=[("**.html", "jinja2")],
            options_map={"**.html": {"extensions": "jinja2.ext.i18n"}},
            keywords=KEYWORDS,
        )
    ]
    for path in code:
        extracted += [
            (path, line, message) for line, message, _, _ in extract_from_file("python", path, KEYWORDS)
        ]
    for path, line, message in extracted:
        msgid = message[0] if isinstance(message, tuple) else message
        found.setdefault(msgid, f"{shown(path)}:{line}")
    return found


def missing_from(catalog_path: Path, messages: dict[str, str]) -> list[str]:
    """The strings a catalog lacks or leaves untranslated (or fuzzy), as FILE:LINE: text."""
    with catalog_path.open("rb") as handle:
        catalog = read_po(handle)
    lines = []
    for msgid, where in messages.items():
        entry = catalog.get(msgid)
        strings = (
            entry.string if entry and isinstance(entry.string, tuple) else (entry.string if entry else "",)
        )
        if entry is None or entry.fuzzy or not all(strings):
            lines.append(f'{where}: "{msgid}" is missing from {shown(catalog_path)}')
    return lines


# Jinja's own syntax, blanked (newlines kept, so lines stay where they are) before the
# HTML is read; a {% trans %} block is blanked whole, since its text is marked, and so are
# the blocks base.html puts inside an attribute for machines (a language tag, a policy).
_MACHINE_BLOCKS = ("html_lang", "csp_script_src", "canonical", "og_type")
_JINJA = re.compile(
    r"{#.*?#}"
    r"|{%-?\s*trans\b.*?{%-?\s*endtrans\s*-?%}"
    rf"|{{%-?\s*block\s+(?:{'|'.join(_MACHINE_BLOCKS)})\b.*?{{%-?\s*endblock\b.*?%}}"
    r"|{{.*?}}|{%.*?%}",
    re.S,
)
# Attributes a reader hears or sees.
_TEXT_ATTRIBUTES = ("aria-label", "aria-description", "title", "alt", "placeholder")
_WORD = re.compile(r"[A-Za-z]")


class _TextNodes(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._raw = 0  # inside <script> or <style>

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._raw += 1
        line = self.getpos()[0]
        for name, value in attrs:
            if name in _TEXT_ATTRIBUTES and value and _WORD.search(value):
                self.found.append((line, f"{name}={value.strip()!r}"))

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._raw = max(0, self._raw - 1)

    def handle_data(self, data):
        if not self._raw and _WORD.search(data):
            line = self.getpos()[0] + data[: len(data) - len(data.lstrip())].count("\n")
            self.found.append((line, " ".join(data.split())))


def unmarked_text(templates: Path) -> list[str]:
    """Visible text in the templates that is not marked for translation, as FILE:LINE: text."""
    lines = []
    for path in sorted(templates.rglob("*.html")):
        source = path.read_text(encoding="utf-8")
        parser = _TextNodes()
        parser.feed(_JINJA.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), source))
        parser.close()
        lines += [f"{shown(path)}:{line}: {text}" for line, text in parser.found]
    return lines


def catalogs() -> list[Path]:
    return sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))


# --- The theme's own strings -------------------------------------------------------------


def test_every_visible_text_in_the_templates_is_marked_for_translation():
    unmarked = unmarked_text(THEME / "templates")
    assert not unmarked, 'wrap these in {{ _("…") }}:\n' + "\n".join(unmarked)


def test_every_string_of_the_theme_is_in_every_catalog():
    messages = theme_messages(THEME / "templates", MARKED_IN_CODE)
    assert len(messages) > 50  # the extractor found the theme's strings
    assert {"en", "fr"} <= {path.parts[-3] for path in catalogs()}  # and any language added since
    missing = [line for path in catalogs() for line in missing_from(path, messages)]
    assert not missing, "add these to the catalogs:\n" + "\n".join(missing)


def test_the_catalog_template_lists_every_string():
    # `pybabel init` starts a new language from it.
    with (TRANSLATIONS / "messages.pot").open("rb") as handle:
        template = {m.id[0] if isinstance(m.id, tuple) else m.id for m in read_po(handle) if m.id}
    messages = theme_messages(THEME / "templates", MARKED_IN_CODE)
    assert sorted(set(messages) - template) == []


def test_the_checks_name_file_line_and_text(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html").write_text(
        "{% block title %}Archives · {{ SITENAME }}{% endblock %}\n"
        '<h1>{{ _("Key claims") }}</h1>\n'
        '<nav aria-label="Site">{% trans %}Marked{% endtrans %}</nav>\n'
        "<p>\n  Not marked {{ count }}</p>\n"
        '<script>var shown = "not text";</script>\n',
        encoding="utf-8",
    )
    assert unmarked_text(templates) == [
        f"{templates}/page.html:1: Archives ·",
        f"{templates}/page.html:3: aria-label='Site'",
        f"{templates}/page.html:5: Not marked",
    ]
    catalog = tmp_path / "xx" / "LC_MESSAGES" / "messages.po"
    catalog.parent.mkdir(parents=True)
    catalog.write_text('msgid "Marked"\nmsgstr "Marqué"\n', encoding="utf-8")
    messages = theme_messages(templates, [])
    assert messages == {"Key claims": f"{templates}/page.html:2", "Marked": f"{templates}/page.html:3"}
    assert missing_from(catalog, messages) == [
        f'{templates}/page.html:2: "Key claims" is missing from {catalog}'
    ]


# --- An explainer and its translation, built --------------------------------------------

FRENCH = EXPLAINER.replace("summary:", "lang: fr\ntranslation: true\nsummary:").replace(
    "    published: 2025-01-10\n", "    published: 2025-01\n"
)


def test_a_translation_is_a_page_in_its_language_linked_both_ways(site):
    site.write("test.md", EXPLAINER)
    site.write("test-fr.md", FRENCH)
    run = site.build()
    assert run.code == 0, run.stderr
    english, french = site.page("a-test-explainer.html"), site.page("a-test-explainer-fr.html")
    assert english.html["lang"] == "en"
    assert french.html["lang"] == "fr"
    alternates = {
        "en": "http://127.0.0.1:8000/a-test-explainer.html",
        "fr": "http://127.0.0.1:8000/a-test-explainer-fr.html",
        "x-default": "http://127.0.0.1:8000/a-test-explainer.html",
    }
    for page in (english, french):
        links = page.head.select("link[rel=alternate][hreflang]")
        assert {link["hreflang"]: link["href"] for link in links} == alternates
    read_in = english.select_one("p.translations a")
    assert (read_in.get_text(), read_in["href"], read_in["hreflang"]) == (
        "Read in French",
        "./a-test-explainer-fr.html",
        "fr",
    )
    read_in = french.select_one("p.translations a")
    assert (read_in.get_text(), read_in["href"]) == ("Lire en anglais", "./a-test-explainer.html")


def test_a_translation_speaks_its_language_and_the_original_stays_english(site):
    site.write("test.md", EXPLAINER)
    site.write("test-fr.md", FRENCH)
    assert site.build().code == 0
    english, french = site.page("a-test-explainer.html"), site.page("a-test-explainer-fr.html")

    def shown(page, selector):
        return " ".join(page.select_one(selector).get_text().split())

    assert shown(english, "#claims-title") == "The claims, one by one (2 claims)"
    assert shown(french, "#claims-title") == "Les affirmations, une par une (2 affirmations)"
    assert (
        shown(english, ".byline") == "By Test desk Published 14 January 2025 Updated 15 January 2025 "
        "Covers reporting to 10 January 2025 1 min read"
    )
    assert shown(french, ".byline") == (
        "Par Test desk Publié le 14 janvier 2025 Mis à jour le 15 janvier 2025 "
        "Couvre les informations jusqu’à janvier 2025 1 min de lecture"
    )
    assert shown(french, "#source-beta .note__date") == "Publié en janvier 2025."  # a month alone
    assert shown(french, ".skip-link") == "Aller au contenu"
    assert french.select_one("nav.site-header__nav")["aria-label"] == "Site"
    assert shown(french, "#sources-title") == "Sources"
    assert french.select_one("a.claim__source")["aria-label"] == "Source 1, para. 4"
    assert shown(english, ".corrections time") == "15 January 2025"
    assert shown(french, ".corrections time") == "15 janvier 2025"


def test_a_translation_has_its_data_files_and_its_place_in_the_sitemap(site):
    site.write("test.md", EXPLAINER)
    site.write("test-fr.md", FRENCH)
    assert site.build().code == 0
    french = site.page("a-test-explainer-fr.html")
    for link in french.select(".notes__data a"):
        assert (site.output / link["href"]).is_file(), link["href"]
    assert [link["href"] for link in french.select(".notes__data a")] == [
        "./a-test-explainer-fr.claims.json",
        "./a-test-explainer-fr.sources.csl.json",
    ]
    data = (site.output / "a-test-explainer-fr.claims.json").read_text(encoding="utf-8")
    assert json.loads(data)["explainer"]["url"] == "http://127.0.0.1:8000/a-test-explainer-fr.html"

    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    sitemap = etree.parse(site.output / "sitemap.xml").getroot()
    urls = {url.find("s:loc", ns).text: url for url in sitemap.findall("s:url", ns)}
    french_url = urls["http://127.0.0.1:8000/a-test-explainer-fr.html"]
    assert [(link.get("hreflang"), link.get("href")) for link in french_url.findall("x:link", ns)] == [
        ("en", "http://127.0.0.1:8000/a-test-explainer.html"),
        ("fr", "http://127.0.0.1:8000/a-test-explainer-fr.html"),
        ("x-default", "http://127.0.0.1:8000/a-test-explainer.html"),
    ]
    assert len(urls["http://127.0.0.1:8000/a-test-explainer.html"].findall("x:link", ns)) == 3
    assert urls["http://127.0.0.1:8000/claims.html"].findall("x:link", ns) == []  # no translation


def test_adding_a_translation_rebuilds_the_unchanged_original(site):
    # The original's file is unchanged, but its page now links to the translation.
    site.write("test.md", EXPLAINER)
    assert site.build().code == 0
    assert site.page("a-test-explainer.html").select("link[hreflang]") == []
    site.write("test-fr.md", FRENCH)
    assert site.build().code == 0
    hreflangs = [link["hreflang"] for link in site.page("a-test-explainer.html").select("link[hreflang]")]
    assert hreflangs == ["en", "x-default", "fr"]


def test_a_language_without_a_catalog_gets_the_theme_in_english(site):
    site.write("test.md", EXPLAINER)
    site.write("test-de.md", EXPLAINER.replace("summary:", "lang: de\ntranslation: true\nsummary:"))
    assert site.build().code == 0
    german = site.page("a-test-explainer-de.html")
    assert german.html["lang"] == "de"
    assert german.select_one("#claims-title").get_text(" ", strip=True) == "The claims, one by one (2 claims)"
    # Its words, dates and language names read as one: all English.
    assert german.select_one("p.translations a").get_text() == "Read in English"
    assert german.select_one(".byline time").get_text() == "14 January 2025"
    assert site.page("a-test-explainer.html").select_one("p.translations a").get_text() == "Read in German"


def test_a_regional_language_uses_its_language_catalog(site):
    # fr-CA has no catalog of its own: the theme speaks French, from the French catalog.
    site.write("test.md", EXPLAINER)
    site.write("test-ca.md", EXPLAINER.replace("summary:", "lang: fr-CA\ntranslation: true\nsummary:"))
    assert site.build().code == 0
    canadian = site.page("a-test-explainer-fr-CA.html")
    assert canadian.html["lang"] == "fr-CA"
    assert (
        canadian.select_one("#claims-title").get_text(" ", strip=True)
        == "Les affirmations, une par une (2 affirmations)"
    )
    assert canadian.select_one(".byline time").get_text() == "14 janvier 2025"
    assert site.page("a-test-explainer.html").select_one("p.translations a").get_text() == (
        "Read in French (Canada)"
    )


def test_a_site_wide_source_lists_the_translation_citing_it_in_its_language(site):
    site.write(
        "sources/shared.yml",
        """\
        shared:
          title: Shared report
          publisher: Shared Agency
          url: https://shared.example/report
          accessed: 2025-01-12
        """,
    )
    citing = EXPLAINER.replace("[@alpha].", "[@shared] [@alpha].", 1)
    site.write("test.md", citing)
    site.write("test-fr.md", citing.replace("summary:", "lang: fr\ntranslation: true\nsummary:"))
    assert site.build().code == 0
    links = site.page("sources/shared.html").select(".citing > li > a")
    assert [(a["href"], a["lang"]) for a in links] == [
        ("../a-test-explainer.html#source-shared", "en"),
        ("../a-test-explainer-fr.html#source-shared", "fr"),
    ]
    # One explainer in two languages: neither version counts the other as another explainer.
    for name in ("a-test-explainer.html", "a-test-explainer-fr.html"):
        assert site.page(name).select(".note__more") == []


def test_a_translation_in_its_original_s_language_is_an_error_at_its_lang_line(site):
    """Language tags are the same in any case: `lang: EN` beside an English original would
    be a second English version (hreflang en and EN), at a second address."""
    site.write("test.md", EXPLAINER)
    site.write("test-en.md", EXPLAINER.replace("summary:", "lang: EN\ntranslation: true\nsummary:"))
    checked, built = site.check(), site.build()
    assert checked.problems == built.problems
    assert checked.problems == [
        (  # what the writer typed: lang: EN
            'content/test-en.md:4: error: this translation is in its original\'s language ("en"): give '
            "it the lang of the language it is in"
        ),
    ]
    assert built.code != 0


def test_a_site_in_french_has_its_own_pages_in_french(site):
    # The site's own pages (statuses, claims, lists) speak DEFAULT_LANG.
    site.write("test.md", EXPLAINER)
    assert site.build("-e", 'DEFAULT_LANG="fr"').code == 0
    statuses = site.page("statuses.html")
    assert statuses.html["lang"] == "fr"
    assert statuses.h1.get_text() == "Ce que veulent dire les statuts"
    assert site.page("claims.html").h1.get_text() == "Toutes les affirmations"
    entry = site.page("index.html").select_one(".entry__meta").get_text(" ", strip=True)
    assert entry == "14 janvier 2025 · 2 affirmations, 3 sources"
    assert site.page("a-test-explainer.html").select_one("#claims-title").get_text(" ", strip=True) == (
        "Les affirmations, une par une (2 affirmations)"
    )


# --- One file checked: the others only as far as its site-wide checks need them -----------


def test_checking_one_translation_knows_its_original_is_there(site):
    # Before, `make check FILE=` of a translation read that file alone and warned
    # 'this translation has no original: no page with the slug "a-test-explainer" is unmarked'.
    site.write("test.md", EXPLAINER)
    site.write("test-fr.md", FRENCH)
    run = site.check("--file", "content/test-fr.md")
    assert (run.code, run.problems) == (0, [])


def test_checking_one_translation_without_its_original_still_warns(site):
    site.write("test-fr.md", FRENCH)
    site.write("other.md", EXPLAINER.replace("title: A test explainer", "title: Another explainer"))
    assert site.check("--file", "content/test-fr.md").problems == [
        (
            "content/test-fr.md:2: warning: this translation has no original: no page with the slug "
            '"a-test-explainer" is unmarked'
        )
    ]


# --- A translation among the others: its dates, its sources, its feed ---------------------

SHARED = (
    SHARED_SOURCE
    + """\
russian:
  title: Russian report
  publisher: Russian Agency
  url: https://russian.example/report
  accessed: 2025-01-12
  language: ru
"""
)
CITING = EXPLAINER.replace("[@alpha].", "[@shared] [@russian] [@alpha].", 1)
CITING_FR = CITING.replace("summary:", "lang: fr\ntranslation: true\nsummary:")


def test_a_year_alone_reads_as_a_year_in_french(site):
    # Before: "Publié le 2025." (a day's phrase with a year in it).
    site.write("test.md", EXPLAINER)
    site.write("test-fr.md", FRENCH.replace("    published: 2025-01\n", "    published: 2025\n"))
    assert site.build().code == 0
    note = site.page("a-test-explainer-fr.html").select_one("#source-beta .note__date")
    assert " ".join(note.get_text().split()) == "Publié en 2025."
    assert note.time["datetime"] == "2025"
    english = site.page("a-test-explainer.html").select_one("#source-beta .note__date")
    assert " ".join(english.get_text().split()) == "Published 10 January 2025."


def test_a_translation_does_not_count_its_original_as_another_explainer(site):
    # Before, the French page said "Également citée dans 1 autre décryptage": its original.
    site.write("sources/shared.yml", SHARED)
    site.write("test.md", CITING)
    site.write("test-fr.md", CITING_FR)
    assert site.build().code == 0
    for page in ("a-test-explainer.html", "a-test-explainer-fr.html"):
        assert site.page(page).select(".note__more") == []


def test_another_explainer_and_its_translation_count_once(site):
    site.write("sources/shared.yml", SHARED)
    site.write("test.md", CITING)
    site.write("test-fr.md", CITING_FR)
    other = CITING.replace("title: A test explainer", "title: Another explainer")
    site.write("other.md", other)
    site.write("other-fr.md", other.replace("summary:", "lang: fr\ntranslation: true\nsummary:"))
    assert site.build().code == 0
    french = site.page("a-test-explainer-fr.html").select_one("#source-shared .note__more")
    assert french.get_text() == "Également citée dans 1 autre décryptage"
    english = site.page("a-test-explainer.html").select_one("#source-shared .note__more")
    assert english.get_text() == "Also cited in 1 other explainer"


def test_a_source_in_another_language_than_the_page_is_marked_as_such(site):
    # A site-wide source with no `language` is in the site's (English): marked on the French
    # page, as the Russian one is on both. Before, the English source was unmarked in French.
    site.write("sources/shared.yml", SHARED)
    site.write("test.md", CITING)
    site.write("test-fr.md", CITING_FR)
    assert site.build().code == 0
    english, french = site.page("a-test-explainer.html"), site.page("a-test-explainer-fr.html")

    def marks(page):
        return {
            key: [span.get_text() for span in page.select(f"#source-{key} .note__language")]
            for key in ("shared", "russian", "alpha")
        }

    assert marks(english) == {"shared": [], "russian": ["(in Russian)"], "alpha": []}
    assert marks(french) == {"shared": ["(en anglais)"], "russian": ["(en russe)"], "alpha": []}
    assert french.select_one("#source-shared a.note__title")["hreflang"] == "en"


def test_the_site_feed_has_each_explainer_once_and_each_language_its_own(site):
    # Pelican's FEED_ALL_ATOM listed the translation beside its original in one feed.
    site.write("test.md", EXPLAINER)
    site.write("test-fr.md", FRENCH)
    assert site.build().code == 0
    ns = {"a": "http://www.w3.org/2005/Atom"}

    def entries(name):
        feed = etree.parse(site.output / "feeds" / name).getroot()
        return [entry.find("a:link", ns).get("href") for entry in feed.findall("a:entry", ns)]

    assert entries("all.atom.xml") == ["http://127.0.0.1:8000/a-test-explainer.html"]
    assert entries("all-fr.atom.xml") == ["http://127.0.0.1:8000/a-test-explainer-fr.html"]
    assert entries("all-en.atom.xml") == ["http://127.0.0.1:8000/a-test-explainer.html"]
    french = site.page("a-test-explainer-fr.html")
    feeds = [(link["title"], link["href"]) for link in french.select("link[type='application/atom+xml']")]
    assert feeds == [
        ("Explainers", "./feeds/all.atom.xml"),
        ("Explainers (français)", "./feeds/all-fr.atom.xml"),
    ]
    english = site.page("a-test-explainer.html")
    assert len(english.select("link[type='application/atom+xml']")) == 1


def test_a_translations_feed_entry_carries_its_claims_and_notes_with_absolute_links(site):
    # all-fr.atom.xml: the French page's claims, body and source notes, as the site feed's
    # entry carries its original's; no "#source-…" that leads nowhere in a feed reader.
    site.write("test.md", EXPLAINER)
    site.write("test-fr.md", FRENCH)
    assert site.build().code == 0
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entry = etree.parse(site.output / "feeds" / "all-fr.atom.xml").getroot().find("a:entry", ns)
    page_url = entry.find("a:link", ns).get("href")
    assert page_url == "http://127.0.0.1:8000/a-test-explainer-fr.html"
    content = BeautifulSoup(entry.find("a:content", ns).text, "lxml")
    assert content.select_one("h2") is not None
    assert content.select("ol > li[id^=source-]")
    refs = content.select('a[role="doc-noteref"]')
    assert refs
    assert all(a["href"].startswith(page_url + "#source-") for a in refs)
    assert not content.select('a[href^="#"]')


def feed_entry(site, name: str) -> BeautifulSoup:
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entry = etree.parse(site.output / "feeds" / name).getroot().find("a:entry", ns)
    return BeautifulSoup(entry.find("a:content", ns).text, "lxml")


def test_a_feed_entry_speaks_its_pages_language(site):
    # Before, the French entry said "Key claims", "Sources", "Corrections and updates",
    # "Published 10 January 2025." and "Archived copy" in English, under a French story.
    site.write(
        "test.md",
        EXPLAINER.replace(
            "    title: Beta briefing\n", "    title: Beta briefing\n    title_is: description\n"
        ),
    )
    site.write(
        "test-fr.md",
        FRENCH.replace("    title: Beta briefing\n", "    title: Beta briefing\n    title_is: description\n"),
    )
    assert site.build().code == 0

    def said(entry):
        beta = entry.select_one("#source-beta")
        return (
            [h2.get_text() for h2 in entry.select("h2")],
            " ".join(beta.get_text().split()),
            " ".join(entry.select("ol")[-2].li.get_text().split()[:4]),  # the correction's date and kind
        )

    assert said(feed_entry(site, "all.atom.xml")) == (
        ["Key claims", "Corrections and updates", "Sources"],
        (
            "Beta Agency: Our description: Beta briefing. Published 10 January 2025. "
            "Accessed 12 January 2025. Archived copy."
        ),
        "15 January 2025, Clarification:",
    )
    assert said(feed_entry(site, "all-fr.atom.xml")) == (
        ["Affirmations clés", "Corrections et mises à jour", "Sources"],
        (
            "Beta Agency: Notre description : Beta briefing. Publié en janvier 2025. "
            "Consulté le 12 janvier 2025. Copie archivée."
        ),
        "15 janvier 2025, Précision:",
    )


@pytest.mark.parametrize(("kind", "english", "french"), [
    ("correction", "Correction", "Correction"),
    ("clarification", "Clarification", "Précision"),
    ("update", "Update", "Mise à jour"),
])  # fmt: skip
def test_a_corrections_kind_is_said_in_the_pages_language(site, kind, english, french):
    # Before, the French page said "Update" and "Clarification" in English.
    site.write("test.md", EXPLAINER.replace("kind: clarification", f"kind: {kind}"))
    site.write("test-fr.md", FRENCH.replace("kind: clarification", f"kind: {kind}"))
    assert site.build().code == 0
    for page, said in (("a-test-explainer.html", english), ("a-test-explainer-fr.html", french)):
        shown = site.page(page).select_one(f".correction--{kind} .correction__kind")
        assert shown.get_text() == said


def test_every_correction_kind_has_a_name_to_show():
    assert set(language.CORRECTION_KIND_NAMES) == set(CORRECTION_KINDS)


# --- A translation of a draft, and of an original with errors -----------------------------

# As `make publish` builds: no draft is written.
PUBLISHING = ("-e", 'DRAFT_SAVE_AS=""', 'DRAFT_LANG_SAVE_AS=""')
DRAFT_ORIGINAL = EXPLAINER.replace("summary:", "status: draft\nsummary:")


def test_a_translation_of_a_draft_is_held_back_with_it(site):
    # Before, the French page was published alone, on the index and in the sitemap, with
    # "0 errors, 0 warnings": the English draft's embargo leaked through its translation.
    site.write("test.md", DRAFT_ORIGINAL)
    site.write("test-fr.md", FRENCH)  # line 5: `translation: true`
    # A note, which never counts: the translation is a draft now.
    note = (
        "content/test-fr.md:5: note: held back as a draft: its original content/test.md is a draft, "
        "and a translation is published with its original, never before it"
    )
    check = site.check()
    assert (check.code, check.problems) == (0, [])
    assert note in check.stderr.splitlines()
    run = site.build(*PUBLISHING)
    assert (run.code, run.problems) == (0, [])
    assert note in run.stderr.splitlines()
    assert not (site.output / "a-test-explainer-fr.html").exists()
    assert site.page("index.html").select(".entry") == []
    assert "a-test-explainer" not in (site.output / "sitemap.xml").read_text(encoding="utf-8")
    assert "a-test-explainer" not in (site.output / "claims.html").read_text(encoding="utf-8")


def test_a_translations_head_is_read_only_when_the_site_has_a_draft(site, monkeypatch):
    # Reading a head is reading all of its YAML, in the run's own process: on 200
    # translations that was a twentieth of a check, to find drafts where there were none.
    heads: list[bytes] = []
    address_fields = peek.address_fields
    monkeypatch.setattr(peek, "address_fields", lambda data: heads.append(data) or address_fields(data))
    site.write("test.md", EXPLAINER)
    site.write("test-fr.md", FRENCH)
    assert (site.check().code, site.build().code) == (0, 0)
    assert heads == []
    site.write("test.md", DRAFT_ORIGINAL)
    check = site.check()
    assert "held back as a draft" in check.stderr
    assert sorted(heads) == sorted([DRAFT_ORIGINAL.encode(), FRENCH.encode()])


def test_a_translation_of_a_draft_is_a_draft_in_a_preview_build(site):
    site.write("test.md", DRAFT_ORIGINAL)
    site.write("test-fr.md", FRENCH.replace("lang: fr\n", "lang: fr\nstatus: published\n"))
    run = site.build()
    assert run.problems == []
    assert (
        "content/test-fr.md:5: note: held back as a draft: its original content/test.md is a draft, "
        "and a translation is published with its original, never before it"
    ) in run.stderr.splitlines()  # at its `status:` line, which it overrules
    assert (site.output / "drafts" / "a-test-explainer-fr.html").is_file()
    assert not (site.output / "a-test-explainer-fr.html").exists()


def test_the_previews_list_of_drafts_has_the_translation_of_a_draft(site):
    # Before, /drafts.html listed the English draft alone.
    site.write("test.md", DRAFT_ORIGINAL)
    site.write("test-fr.md", FRENCH)
    assert site.build("-e", "DEVSERVER=true").code == 0
    drafts = site.page("drafts.html")
    assert [a["href"] for a in drafts.select("main a")] == [
        "./drafts/a-test-explainer.html",
        "./drafts/a-test-explainer-fr.html",
    ]


@pytest.mark.parametrize(
    "original",
    [
        EXPLAINER.replace("status: confirmed", "status: maybe"),  # a claim's error
        EXPLAINER.replace("summary:", "title: A test explainer\nsummary:"),  # a duplicate title
    ],
)
def test_an_original_with_an_unrelated_error_is_still_the_translations_original(site, original):
    # Before, the French file was also told 'this translation has no original: no page with
    # the slug "a-test-explainer" is unmarked', and STRICT=1 failed it.
    site.write("test.md", original)
    site.write("test-fr.md", FRENCH)
    for run in (site.check(), site.check("--file", "content/test-fr.md"), site.build()):
        assert [p for p in run.problems if "test-fr.md" in p] == []
    assert site.check("--file", "content/test-fr.md", "--strict").code == 0


def test_an_original_whose_front_matter_cannot_be_read_is_named_in_a_note(site):
    site.write("test.md", EXPLAINER.replace("title: A test explainer", "title: [broken"))
    site.write("test-fr.md", FRENCH)
    note = (
        'content/test-fr.md:2: note: no page with the slug "a-test-explainer" is unmarked, but the front '
        "matter of content/test.md cannot be read: if it is the original, fix it first"
    )
    for run in (site.check(), site.build()):
        assert note in run.stderr.splitlines()
        assert [p for p in run.problems if "test-fr.md" in p] == []  # no warning of its own
    alone = site.check("--file", "content/test-fr.md", "--strict")
    assert (alone.code, note in alone.stderr.splitlines()) == (0, True)


def test_the_first_of_a_month_reads_1er_in_french(site):
    # Before: "Publié le 1 octobre 2024".
    site.write("test.md", EXPLAINER.replace("date: 2025-01-14", "date: 2024-10-01"))
    site.write("test-fr.md", FRENCH.replace("date: 2025-01-14", "date: 2024-10-01"))
    assert site.build().code == 0
    french, english = site.page("a-test-explainer-fr.html"), site.page("a-test-explainer.html")
    assert " ".join(french.select_one(".byline time").get_text().split()) == "1er octobre 2024"
    assert " ".join(english.select_one(".byline time").get_text().split()) == "1 October 2024"
    # Any other day keeps its number alone.
    assert " ".join(french.select_one(".corrections time").get_text().split()) == "15 janvier 2025"


@pytest.mark.parametrize("line_break", ["\n", "\u2028"], ids=["LF", "LS"])
def test_a_translation_of_a_draft_spelled_across_an_escaped_line_break_is_held_back(site, line_break):
    # `"dr\⏎aft"` is "draft" to YAML, whichever of its line breaks follows the backslash.
    site.write("test.md", EXPLAINER.replace("summary:", f'status: "dr\\{line_break}aft"\nsummary:'))
    site.write("test-fr.md", FRENCH)
    run = site.build(*PUBLISHING)
    assert "content/test-fr.md:5: note: held back as a draft" in run.stderr, run.stderr  # `translation:`
    assert not (site.output / "a-test-explainer-fr.html").exists()


def test_a_translation_spelled_with_a_yaml_escape_is_still_held_back(site):
    # A run reads the heads of the other files only when a file may be a translation (the
    # word, or a backslash, is in it): `"transl\x61tion": true` is the same key to YAML.
    site.write("test.md", DRAFT_ORIGINAL)
    site.write("test-fr.md", FRENCH.replace("translation: true", '"transl\\x61tion": true'))
    run = site.build(*PUBLISHING)
    assert "content/test-fr.md:1: note: held back as a draft" in run.stderr  # the key is not found as spelled
    assert not (site.output / "a-test-explainer-fr.html").exists()


@pytest.mark.parametrize(
    ("front_matter", "spells_draft"),
    [
        ('title: "The \\"deal\\""\nstatus: published', False),  # escaped quotes: no letter
        ('title: Paths\nstatus: published\nsummary: "C:\\\\temp \\t tab"', False),
        ('title: A\nstatus: "dr\\x61ft"', True),  # a letter by its number
        ('title: A\nstatus: "dr\\u0061ft"', True),
        ('title: A\nstatus: "dr\\U00000061ft"', True),
        ('title: A\nstatus: "dr\\\n  aft"', True),  # an escaped line break joins "dr" and "aft"
        ('title: A\nstatus: "dr\\\r\naft"', True),
        ('title: A\nstatus: "dr\\\x85aft"', True),  # YAML's other line breaks: NEL,
        ('title: A\nstatus: "dr\\\u2028aft"', True),  # LS
        ('title: A\nstatus: "dr\\\u2029aft"', True),  # and PS
    ],
)
def test_a_file_may_say_draft_through_an_escape_only_if_it_spells_a_letter(front_matter, spells_draft):
    """A file is read for its head only where it may say `draft`: written so, or through an
    escape that spells a letter. An import's titles with escaped quotes are neither."""
    data = f"---\n{front_matter}\n---\nA body with Markdown escapes: \\*not emphasis\\*.\n".encode()
    assert (yaml.safe_load(front_matter)["status"] == "draft") is spells_draft  # what YAML reads
    assert peek.may_say(data, b"draft") is spells_draft
    assert peek.may_say_each(data, (b"draft", b"status")) == (spells_draft, True)


def test_a_date_phrase_is_made_once_a_run_for_each_language_kind_and_date(monkeypatch):
    """{{ day|date_phrase("published") }} on an English page, then a French one, twice: a
    source's note shows its dates so, and sources share dates (made anew each time, the
    phrases were a fifth of rendering a page)."""
    made = language.callables(language.Catalogs(THEME / "translations"))
    env = Environment(autoescape=True)
    env.filters.update(made["filters"])
    page = env.from_string('{{ day|date_phrase("published") }} | {{ month|date_phrase("accessed") }}')
    shown = {"day": datetime.date(2025, 1, 14), "month": PartialDate(year=2025, month=3)}
    looked_up = []

    class Phrases(dict):
        def __getitem__(self, kind):
            looked_up.append(kind)
            return super().__getitem__(kind)

    monkeypatch.setattr(language, "DATE_PHRASES", Phrases(language.DATE_PHRASES))
    pages = [page.render(DEFAULT_LANG=lang, **shown) for lang in ("en", "fr", "en", "fr")]
    assert pages[:2] == [
        (
            'Published <time datetime="2025-01-14">14 January 2025</time> | '
            'Accessed <time datetime="2025-03">March 2025</time>'
        ),
        (
            'Publié le <time datetime="2025-01-14">14 janvier 2025</time> | '
            'Consulté en <time datetime="2025-03">mars 2025</time>'
        ),
    ]
    assert pages[2:] == pages[:2]
    assert looked_up == ["published", "accessed"] * 2  # the second English and French pages: none
