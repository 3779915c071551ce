"""`make import-sources` on exports shaped as Zotero, Better BibTeX and JabRef write them
(tests/imports/: 31 CSL-JSON items, 30 BibTeX entries, Better BibTeX biblatex, a JabRef `.BIB`),
then the page.

The fixtures hold what real libraries hold: LaTeX accents and braces, corporate authors,
Zotero's item addresses as ids, DOIs without a URL, missing dates, the same item twice, an
item with no publisher. Only reserved example domains and the DOI test prefix 10.5555.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from explainers.tools import citekeys, exports
from sitebuild import ROOT, Site, json_ld
from test_makefile import make

IMPORTS = ROOT / "tests" / "imports"


def imported(writer: Path, name: str) -> dict:
    return yaml.safe_load((writer / "content" / "sources" / name).read_text(encoding="utf-8"))


def test_zotero_csl_json_gets_readable_keys_and_keeps_dois(writer):
    result = make("import-sources", "INPUTDIR=content", f"FILE={IMPORTS / 'zotero-library.json'}", cwd=writer)
    assert result.returncode != 0  # one item has no publisher
    sources = imported(writer, "zotero-library.yml")
    # Zotero's item addresses never become keys; citation-key does, else author-year-word.
    assert not [key for key in sources if ":" in key or "/" in key]
    assert len(sources) == 28
    # Zotero 7 / Better BibTeX: the citation key as exported.
    assert sources["ortega2026police"] == {
        "title": "Police overtime in Riverton: the numbers behind the fight",
        "publisher": "The Riverton Ledger",
        "url": "https://news.example.org/riverton/2026/01",
        "published": "2026-01-01",
        "accessed": "2026-11-18",
        "authors": ["Lucía Ortega", "Søren Østergaard"],  # en-US on an English site: no language
        "type": "news",
    }
    # No citation key: made from the family name in ASCII, the year and a title word.
    assert sources["ostergaard-2026-pension"]["authors"] == ["Søren Østergaard", "Siobhán O'Brien"]
    # A corporate author of three words or more is its initials; a report with only a DOI
    # keeps it; one with no date gets a key without a year.
    assert sources["sao-audit"] == {
        "title": "Audit of overtime payments",
        "publisher": "State Audit Office",
        "doi": "10.5555/RIV.2026.004",
        "type": "report",  # its author is its publisher: shown once
    }
    # Two items that would share a key: the second gets -a.
    assert sources["ortega-2026-budget"]["title"] == "Budget vote set for December"
    assert sources["ortega-2026-budget-a"]["title"] == "Budget vote moved to January"
    assert sources["berg-2025-overtime"]["authors"] == ["Jan van der Berg", "Min-ji Kim"]
    assert sources["budget"]["publisher"] == "Riverton City Council"  # no author, no date
    lines = result.stderr.splitlines()
    assert any(
        line.endswith("sosa-2026-council-b (item 27): skipped, the same item as sosa-2026-council")
        for line in lines
    )
    assert any(line.endswith("(item 28): skipped, the same item as cuf-2026-municipal") for line in lines)
    assert any("2026-untitled (item 29): not imported, publisher: Field required" in line for line in lines)
    assert any(
        "note: fields with no place in a source, left out: abstract (1), issue (1), page (9)" in line
        for line in lines
    )
    assert "Imported 28 sources into content/sources/zotero-library.yml; 2 skipped" in result.stderr
    assert "CITED=1" in result.stderr  # how to import only what is cited

    # Imported again: every item is already there, nothing is written twice.
    again = make("import-sources", "INPUTDIR=content", f"FILE={IMPORTS / 'zotero-library.json'}", cwd=writer)
    assert "Imported 0 sources" in again.stderr
    assert imported(writer, "zotero-library.yml") == sources


def test_bibtex_latex_is_decoded_and_the_day_kept(writer):
    result = make("import-sources", "INPUTDIR=content", f"FILE={IMPORTS / 'zotero-export.bib'}", cwd=writer)
    assert result.returncode == 0, result.stderr
    text = (writer / "content" / "sources" / "zotero-export.yml").read_text(encoding="utf-8")
    body = text.split("\n", 1)[1]  # after the schema line
    assert "{" not in body
    assert "\\" not in body
    sources = yaml.safe_load(text)
    assert len(sources) == 28  # 30 entries, two of them the same item as an earlier one
    assert sources["ostergaard_pension_2026"]["title"] == "Pension obligations of US municipalities"
    assert sources["ostergaard_pension_2026"]["authors"] == ["Søren Østergaard", "Siobhán O'Brien"]
    assert sources["sosa_council_2026"]["published"] == "2026-02-04"  # month = feb, day = {4}
    assert sources["nguyen_school_2026"]["authors"] == ["Thị Minh Nguyễn"]
    assert "authors" not in sources["center_municipal_2026"]  # {{Center for Urban Finance}}, its publisher
    assert sources["center_municipal_2026"]["doi"] == "10.5555/RIV.2026.002"
    assert "published" not in sources["state_audit"]
    assert "skipped, the same item as sosa_council_2026" in result.stderr


def test_format_is_told_by_content_not_by_the_name(writer):
    # JabRef's `.BIB`, with its encoding comment and a DOI written as a doi.org link.
    (writer / "refs.BIB").write_bytes((IMPORTS / "jabref.BIB").read_bytes())
    result = make("import-sources", "INPUTDIR=content", "FILE=refs.BIB", cwd=writer)
    assert result.returncode == 0, result.stderr
    sources = imported(writer, "refs.yml")
    assert sources["Sosa2026"]["doi"] == "10.5555/ledger.2026.117"
    assert sources["Sosa2026"]["published"] == "2026-11-17"
    assert sources["CUF2025"]["published"] == "2025-06-30"  # biblatex date
    # CSL-JSON saved under a .bib name is still CSL-JSON.
    shutil.copy(IMPORTS / "zotero-library.json", writer / "library.bib")
    csl = make("import-sources", "INPUTDIR=content", "FILE=library.bib", cwd=writer)
    # Its first item is JabRef's Sosa2026, already in the library (same title and year).
    assert "ortega2026police (item 1): skipped, the same item as Sosa2026 (content/sources/refs.yml:" in (
        csl.stderr
    )
    assert "Imported 27 sources" in csl.stderr
    (writer / "notes.txt").write_text("not an export\n")
    bad = make("import-sources", "INPUTDIR=content", "FILE=notes.txt", cwd=writer)
    assert bad.returncode != 0
    assert "notes.txt: error: cannot read it as CSL-JSON or BibTeX: it is neither" in bad.stderr


def test_every_value_still_passes_the_allow_lists(writer):
    items = [
        {"id": "a", "type": "webpage", "title": "T", "publisher": "P", "URL": "javascript:alert(1)"},
        {"id": "b", "type": "report", "title": "T2", "publisher": "P", "DOI": "10.5555/x<script>"},
        {"citation-key": "../../escape", "id": "c", "type": "report", "title": "Safe", "publisher": "P"},
    ]
    (writer / "evil.json").write_text(json.dumps(items))
    result = make("import-sources", "INPUTDIR=content", "FILE=evil.json", cwd=writer)
    assert result.returncode != 0
    assert "a (item 1): not imported, url:" in result.stderr
    assert "b (item 2): not imported, doi:" in result.stderr
    # A citation key that is no key is not used: the id, which is one, is.
    assert imported(writer, "evil.yml") == {"c": {"title": "Safe", "publisher": "P", "type": "report"}}


def test_cited_imports_only_what_explainers_cite(writer):
    (writer / "content" / "test.md").write_text(
        (writer / "content" / "test.md")
        .read_text()
        .replace("Opening sentence [@alpha].", "See [@sao-audit].")
    )
    result = make(
        "import-sources", "INPUTDIR=content", "CITED=1", f"FILE={IMPORTS / 'zotero-library.json'}", cwd=writer
    )
    assert "Imported 1 source into content/sources/zotero-library.yml" in result.stderr
    assert "27 left out (no explainer cites them)" in result.stderr
    assert list(imported(writer, "zotero-library.yml")) == ["sao-audit"]


def test_imported_sources_on_the_page(site: Site):
    """The page shows decoded names and the DOI, linked, and says so in its JSON-LD."""
    site.content.mkdir()
    shutil.copy(IMPORTS / "jabref.BIB", site.root / "refs.bib")
    result = make("import-sources", f"INPUTDIR={site.content}", "FILE=refs.bib", cwd=site.root)
    assert result.returncode == 0, result.stderr
    site.write(
        "riverton.md",
        """\
        ---
        title: Riverton's budget
        date: 2026-11-20
        claims:
          - id: overtime
            text: Overtime rose.
            status: reported
            sources: [Sosa2026]
        ---

        Pensions are underfunded [@CUF2025, p. 4]. Overtime rose [@overtime].
        """,
    )
    build = site.build()
    assert build.code == 0, build.stderr
    page = site.page("rivertons-budget.html")
    notes = page.select("#sources li.note")
    assert notes[0].select_one(".note__title").get_text() == "Pension obligations of US municipalities"
    assert notes[0].select_one(".note__publisher").get_text() == "Center for Urban Finance"
    assert notes[0].select_one(".note__authors") is None  # the publisher, not repeated as author
    doi = notes[0].select_one(".note__doi a")
    assert (doi["href"], doi.get_text()) == ("https://doi.org/10.5555/cuf-2025-06", "10.5555/cuf-2025-06")
    assert notes[1].select_one(".note__authors").get_text() == "By José Sosa, Anna Müller."
    assert "{" not in page.select_one("#sources").get_text()
    citations = json_ld(page)["@graph"][0]["citation"]
    assert citations[0]["identifier"] == {
        "@type": "PropertyValue",
        "propertyID": "DOI",
        "value": "10.5555/cuf-2025-06",
    }
    assert citations[0]["url"] == "https://doi.org/10.5555/cuf-2025-06"  # its only address
    csl = json.loads((site.output / "rivertons-budget.sources.csl.json").read_text(encoding="utf-8"))
    assert (csl[0]["id"], csl[0]["DOI"]) == ("CUF2025", "10.5555/cuf-2025-06")
    claims = json.loads((site.output / "rivertons-budget.claims.json").read_text(encoding="utf-8"))
    assert claims["sources"][0]["doi"] == "10.5555/cuf-2025-06"


@pytest.mark.parametrize(
    ("families", "fields", "key"),
    [
        (
            ["Østergaard"],
            {"published": "2026-04-10", "title": "Pension obligations"},
            "ostergaard-2026-pension",
        ),
        (
            ["World Health Organization"],
            {"published": "2024", "title": "The global report"},
            "who-2024-global",
        ),
        (["Center for Urban Finance"], {"title": "A survey"}, "cuf-survey"),
        (["van der Berg"], {"published": "2025-09", "title": "On overtime"}, "vanderberg-2025-overtime"),
        ([], {"title": "Budget calendar"}, "budget"),
        ([], {}, "source"),
    ],
)
def test_made_keys(families, fields, key):
    assert citekeys.make_key(families, fields) == key


def test_made_keys_are_deduplicated():
    assert citekeys.deduplicate("x-2026-y", set()) == "x-2026-y"
    assert citekeys.deduplicate("x-2026-y", {"x-2026-y", "x-2026-y-a"}) == "x-2026-y-b"


def test_a_zotero_item_address_is_no_key():
    entry = exports.from_csl({"id": "http://zotero.org/users/local/kQ3xYz12/items/ABCD2345"}, 1)
    assert entry.own_key is None
    assert exports.from_csl({"id": "x", "citation-key": "sosa2026"}, 1).own_key == "sosa2026"


def test_a_broken_or_repeated_bibtex_entry_keeps_out_only_itself(writer):
    (writer / "refs.bib").write_text(
        "@misc{one, title = {First}, howpublished = {Desk}}\n"
        "@misc{one, title = {Second}, howpublished = {Desk}}\n"
        "@misc{two, title = {Unclosed, howpublished = {Desk}}\n"
        "@misc{three, title = {Third}, howpublished = {Desk}}\n"
    )
    result = make("import-sources", "INPUTDIR=content", "FILE=refs.bib", cwd=writer)
    assert result.returncode != 0
    assert 'refs.bib: warning: line 2: skipped, the key "one" is used twice' in result.stderr
    assert "refs.bib: error: line 3: not imported, not a BibTeX entry" in result.stderr
    assert "Imported 2 sources into content/sources/refs.yml; 1 skipped (already there), 1 refused" in (
        result.stderr
    )
    # The refusal, and so the exit status, is the last thing said (before make's own line).
    assert [line for line in result.stderr.splitlines() if not line.startswith("make: ")][-1] == (
        "Refused 1 item (the errors above; the rest were imported): fix it in refs.bib and import it "
        "again, or leave it out. Exit status 1."
    )
    assert {key: s["title"] for key, s in imported(writer, "refs.yml").items()} == {
        "one": "First",
        "three": "Third",
    }


def test_a_bibtex_file_with_nothing_importable_names_no_file_it_did_not_write(writer):
    (writer / "broken.bib").write_text("@article{broken,\n title = {Unclosed\n")
    result = make("import-sources", "INPUTDIR=content", "FILE=broken.bib", cwd=writer)
    assert result.returncode != 0
    said = [line for line in result.stderr.splitlines() if not line.startswith("make: ")]
    assert said == [
        "broken.bib: error: line 1: not imported, not a BibTeX entry (a brace or quote left open?)",
        "Imported 0 sources, no file written; 0 skipped (already there), 1 refused",
        (
            "Refused 1 item (the errors above; nothing was imported): fix it in broken.bib and import "
            "it again, or leave it out. Exit status 1."
        ),
    ]
    assert not (writer / "content" / "sources").exists()


def test_importing_the_same_export_again_skips_it_all_and_succeeds(writer):
    (writer / "refs.bib").write_text(
        "@misc{one, title = {First}, howpublished = {Desk}}\n"
        "@misc{two, title = {Second}, howpublished = {Desk}}\n"
    )
    assert make("import-sources", "INPUTDIR=content", "FILE=refs.bib", cwd=writer).returncode == 0
    again = make("import-sources", "INPUTDIR=content", "FILE=refs.bib", cwd=writer)
    assert again.returncode == 0, again.stderr
    assert again.stderr.splitlines()[-1] == (
        "Imported 0 sources into content/sources/refs.yml; 2 skipped (already there), 0 refused"
    )


def test_csl_raw_dates():
    item = {"id": "x", "issued": {"raw": "2026-11-17"}, "accessed": {"literal": "last week"}}
    entry = exports.from_csl(item, 1)
    assert (entry.fields["published"], entry.fields["accessed"]) == ("2026-11-17", None)


def test_bibtex_names_braced_bodies_and_latex():
    # As bibtexparser hands the field over: the outer braces of `author = {…}` removed.
    values = {
        "author": r"{Riverton Water Authority} and M{\"u}ller, Anna and van der Berg, Jan"
        r" and {\O}stergaard, S{\o}ren",
        "title": r"Rates {\&} {Riverton} {--} a review",
        "publisher": "County Wire",
    }
    entry = exports.from_bibtex("k", "misc", values, 1)
    assert entry.fields["authors"] == [
        "Riverton Water Authority",
        "Anna Müller",
        "Jan van der Berg",
        "Søren Østergaard",
    ]
    assert entry.fields["title"] == "Rates & Riverton – a review"
    assert citekeys.make_key(entry.families, {**entry.fields, "published": "2026"}) == "rwa-2026-rates"


def test_latex_that_would_read_a_file_or_break_the_decoder(writer):
    (writer / "secret.tex").write_text("SECRET")
    (writer / "refs.bib").write_text(
        "@misc{reads, title = {A \\input{secret.tex} title}, howpublished = {Desk}}\n"
        "@misc{breaks, title = {\\href{x}}, howpublished = {Desk}}\n"
        "@misc{fine, title = {Fine}, howpublished = {\\url{javascript:alert(1)}}}\n"
    )
    result = make("import-sources", "INPUTDIR=content", "FILE=refs.bib", cwd=writer)
    assert "Traceback" not in result.stderr
    assert "refs.bib: error: line 2: not imported, its LaTeX cannot be read" in result.stderr
    sources = imported(writer, "refs.yml")
    assert sources["reads"]["title"] == "A title"  # \input reads nothing
    # `howpublished = {\url{…}}` is an address, and this one is refused by the allow-list.
    assert "fine" not in sources
    refused = [line for line in result.stderr.splitlines() if "error: fine (line 3): not imported" in line]
    assert "url: " in refused[0]
    assert "SECRET" not in (writer / "content" / "sources" / "refs.yml").read_text()


def test_better_bibtex_biblatex_export(writer):
    """Better BibTeX's biblatex: citation keys as they are, UTF-8 names, `date`, double braces."""
    result = make("import-sources", "INPUTDIR=content", f"FILE={IMPORTS / 'better-bibtex.bib'}", cwd=writer)
    assert result.returncode == 0, result.stderr
    sources = imported(writer, "better-bibtex.yml")
    assert sources["ortegaPoliceOvertimeRiverton2026"] == {
        "title": "Police Overtime in Riverton: The Numbers behind the Fight",
        "publisher": "The Riverton Ledger",
        "url": "https://news.example.org/riverton/2026/overtime",
        "published": "2026-11-17",
        "accessed": "2026-11-18",
        "authors": ["Lucía Ortega", "Søren Østergaard"],
        "type": "other",
    }
    assert sources["rivertonwaterauthorityWaterQualityReport2025"]["doi"] == "10.5555/rwa.2025.06"
    assert "cityofrivertonBudgetCalendar" in sources  # no date
    # The same DOI in another case, as a doi.org link: the same item.
    assert "rivertonwaterauthorityWaterQualityReport2025a" not in sources
    assert "left out: file (1), keywords (1), location (1), pagetotal (1), shorttitle (1)" in (result.stderr)


# --- Types, languages, names, keys and duplicates as real exports write them ---------------
# tests/imports/better-bibtex-languages.bib is Better BibTeX's biblatex export (`langid`,
# `entrysubtype`, `howpublished = {\url{…}}`); better-bibtex-zotero6.json its CSL-JSON for
# Zotero 6 (the citation key in the note, a `raw` date, Zotero's item addresses as ids).


def test_a_journal_article_is_one_type_from_bibtex_and_from_csl():
    # Before: `news` from BibTeX's @article, `other` from CSL's article-journal.
    bibtex = {e.own_key: e for e in exports.read((IMPORTS / "better-bibtex-languages.bib").read_text())}
    csl = exports.read((IMPORTS / "better-bibtex-zotero6.json").read_text())
    assert bibtex["mullerEconomicsAgeing2019"].fields["type"] == "report"
    assert csl[0].fields["type"] == "report"
    assert bibtex["ivanovaPensionnaiaReforma2025"].fields["type"] == "news"  # entrysubtype newspaper


def test_languages_are_tags_names_in_their_order_and_addresses_kept(writer):
    result = make(
        "import-sources", "INPUTDIR=content", f"FILE={IMPORTS / 'better-bibtex-languages.bib'}", cwd=writer
    )
    sources = imported(writer, "better-bibtex-languages.yml")
    # langid: russian -> ru, spanish -> es, chinese -> zh; english, the site's, left out.
    assert {key: source.get("language") for key, source in sources.items()} == {
        "mullerEconomicsAgeing2019": None,
        "ivanovaPensionnaiaReforma2025": "ru",
        "garciaTarifasAgua2026": "es",
        "wangChengshiJiaotong2026": "zh",
        "mysterySomewhere2026": None,
    }
    assert (
        'better-bibtex-languages.bib: warning: mysterySomewhere2026 (line 43): language "elvish" left out: '
        "not a language tag (es, ru, pt-BR) or a language's name"
    ) in result.stderr
    # 王 (family) 小明 (given): written family first, as the name is; a Latin name given first.
    assert sources["wangChengshiJiaotong2026"]["authors"] == ["王小明"]
    assert sources["mullerEconomicsAgeing2019"]["authors"] == ["Anna Müller", "Xiaoming Wang"]
    # howpublished = {\url{…}}: the address, not a publisher.
    assert sources["wangChengshiJiaotong2026"]["url"] == "https://transit.example.com/report"
    assert sources["wangChengshiJiaotong2026"]["publisher"] == "Riverton Transit"


def test_zotero_6_csl_keys_raw_dates_and_the_library_s_duplicates(writer):
    make("import-sources", "INPUTDIR=content", f"FILE={IMPORTS / 'better-bibtex-languages.bib'}", cwd=writer)
    result = make(
        "import-sources", "INPUTDIR=content", f"FILE={IMPORTS / 'better-bibtex-zotero6.json'}", cwd=writer
    )
    # The same article as the library's (same title and year, no DOI in this export).
    assert re.search(
        r"warning: muller-2019-economics \(item 1\): skipped, the same item as mullerEconomicsAgeing2019 "
        r"\(content/sources/better-bibtex-languages\.yml:\d+\)",
        result.stderr,
    )
    sources = imported(writer, "better-bibtex-zotero6.yml")
    assert sources["gazAnother2026"] == {  # the key from the note's "Citation Key:" line
        "title": "Another council vote",
        "publisher": "Riverton Gazette",
        "url": "https://gazette.example.org/another",
        "published": "2026-02",  # issued: {raw: "February 2026"}
        "authors": ["王小明"],
        "type": "news",
        "note": "From the print edition.",
    }
    # A language's name is read as its tag; a raw date that is no date is said to be left out.
    precio = next(source for source in sources.values() if source["title"] == "El precio del agua")
    assert (precio["language"], "published" in precio) == ("es", False)
    # Named at its item, which the writer must find in the export to mend; the skipped item's
    # unreadable date is not said.
    assert (
        'better-bibtex-zotero6.json: warning: precio (item 3): issued date "sometime in spring" '
        "left out: not a date (2026-02-14, February 2026)"
    ) in result.stderr
    assert result.stderr.count("left out: not a date") == 1
    assert "unreadable" not in result.stderr


def test_the_pages_csl_json_has_csl_types_and_name_parts_and_source_pages_list_authors(site: Site):
    # Before: every item `webpage` and each author {"literal": "Anna Müller"}.
    site.write(
        "sources/library.yml",
        """\
        journal:
          title: The Economics of Ageing
          publisher: Journal of Example Studies
          doi: 10.5555/jes.2019.012
          published: 2019-03
          authors: [Anna Müller, Jan van der Berg, World Health Organization, 王小明]
          type: report
        paper:
          title: Minutes
          publisher: Riverton City Council
        page:
          title: Rates
          publisher: Riverton Water Authority
          url: https://water.example.org/rates
        """,
    )
    site.write(
        "riverton.md",
        """\
        ---
        title: Riverton's budget
        date: 2026-11-20
        ---

        Ageing [@journal], minutes [@paper] and rates [@page].
        """,
    )
    build = site.build()
    assert build.code == 0, build.stderr
    csl = json.loads((site.output / "rivertons-budget.sources.csl.json").read_text(encoding="utf-8"))
    assert [(item["id"], item["type"]) for item in csl] == [
        ("journal", "report"),
        ("paper", "document"),  # no kind and no address: not a web page
        ("page", "webpage"),
    ]
    assert csl[0]["author"] == [
        {"family": "Müller", "given": "Anna"},
        {"family": "van der Berg", "given": "Jan"},
        {"literal": "World Health Organization"},
        {"literal": "王小明"},
    ]
    details = site.page("sources/journal.html").select_one("dl.source-details div")
    assert (details.dt.get_text(), details.dd.get_text()) == (
        "Authors",
        "Anna Müller, Jan van der Berg, World Health Organization, 王小明",
    )
