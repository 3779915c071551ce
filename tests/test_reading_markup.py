"""The explainer page's reading markup, as built: claims at their sentence and back, the
order of the page, corrections where readers look, language names, our descriptions
marked, smart quotes from the front matter, and the method page."""

from __future__ import annotations

import pytest

from explainers.document.inline import InlineRenderer
from sitebuild import EXPLAINER

# The test explainer, with a second place citing the claim, a Ukrainian source that is our
# description of its page, an apostrophe in the title and a straight-quoted claim note.
VARIANT = (
    EXPLAINER.replace("title: A test explainer", 'title: "A test explainer\'s title"\nslug: a-test-explainer')
    .replace(
        "  gamma:\n",
        "  delta:\n    title: Report on the agency's count\n    title_is: description\n    publisher: Delta\n"
        "    language: uk\n  gamma:\n",
    )
    .replace("    sources: [gamma]\n", '    sources: [gamma, delta]\n    note: He said "as many as 12".\n')
    .replace("Again [see @alpha, p. 4; @beta].", "Again [see @alpha, p. 4; @beta]. Once more [@first-claim].")
)


@pytest.fixture
def page(site):
    site.write("test.md", VARIANT)
    run = site.build()
    assert run.code == 0, run.stderr
    return site.page("a-test-explainer.html")


def test_a_claim_shows_its_status_at_its_sentence_linking_to_its_card(page):
    # [@first-claim]  ->  [<a class="claim-mark status--confirmed" href="#claim-first-claim"
    #                        id="passage-first-claim-1">Confirmed</a> <a …>2</a>, <a …>1</a>]
    marks = page.select(".explainer__body .citation__claim > a.claim-mark")
    assert [(a["href"], a["id"], a.get_text()) for a in marks] == [
        ("#claim-first-claim", "passage-first-claim-1", "Confirmed"),
        ("#claim-first-claim", "passage-first-claim-2", "Confirmed"),
    ]
    assert "status--confirmed" in marks[0]["class"]
    assert marks[0].parent.get_text() == "Confirmed 2, 1, para. 4"


def test_a_card_leads_to_each_passage_that_cites_it(page):
    card = page.select_one("#claim-first-claim")
    passages = card.select("a.claim__passage")
    assert [(a["href"], a.get_text()) for a in passages] == [
        ("#passage-first-claim-1", "a"),
        ("#passage-first-claim-2", "b"),
    ]
    assert page.select_one("#claim-uncited-claim a.claim__passage") is None  # never cited


def test_a_note_leads_back_to_its_citations_then_to_its_claims(page):
    beta = page.select_one("#source-beta")
    # The number hangs first; after the note: "^ a b c", then the claims resting on it.
    assert [child["class"][0] for child in beta.find_all(recursive=False)] == [
        "note__number",
        "note__body",
        "note__backlinks",
        "note__claims",
    ]
    assert beta.select_one(".note__backlinks").get_text(" ", strip=True) == "^ a b c"
    assert [(a["href"], a.get_text()) for a in beta.select(".note__claims a")] == [
        ("#claim-first-claim", "claim 1")
    ]


def test_the_story_comes_before_the_cards_and_corrections_before_the_notes(page):
    order = [
        child.get("id") or child["class"][0]
        for child in page.select_one("article.explainer").find_all(recursive=False)
    ]
    assert order[:6] == ["explainer__header", "glance", "story", "corrections", "claims", "sources"]
    glance = page.select_one("#glance")
    assert [a["href"] for a in glance.select("a.glance__claim")] == [
        "#claim-first-claim",
        "#claim-uncited-claim",
    ]
    assert (
        glance.select_one(".glance__counts").get_text(" ", strip=True) == "2 claims: 1 Confirmed 1 Estimate"
    )
    # Counts, not links: before, "1 Confirmed" led to the method page, not to the claims.
    assert glance.select(".glance__counts a") == []


def test_updated_links_to_the_corrections(page):
    assert page.select_one('.byline a[href="#corrections"]').get_text() == "Updated 15 January 2025"
    assert "An earlier version said" in page.select_one("#corrections").get_text()


def test_no_corrections_is_said(site):
    site.write("test.md", EXPLAINER.split("corrections:")[0] + "---\n\nThe story [@alpha].\n")
    run = site.build()
    assert run.code == 0, run.stderr
    corrections = site.page("a-test-explainer.html").select_one("#corrections")
    assert corrections.select_one(".corrections__none").get_text() == "No corrections since publication."


def test_languages_are_named_and_our_descriptions_are_marked(page):
    delta = page.select_one("#source-delta")
    assert delta.select_one(".note__language").get_text() == "(in Ukrainian)"
    assert delta.select_one(".note__ours").get_text() == "Our description:"
    assert "note__title--ours" in delta.select_one(".note__title")["class"]
    assert page.select_one("#source-alpha .note__ours") is None  # alpha's title is its own


def test_front_matter_text_has_smart_quotes(page):
    assert page.h1.get_text() == "A test explainer’s title"
    assert page.title.get_text().startswith("A test explainer’s title")
    assert page.select_one("#claim-uncited-claim .claim__note").get_text() == "He said “as many as 12”."
    assert page.select_one("#source-delta .note__title").get_text() == "Report on the agency’s count"


def test_every_status_label_links_to_the_method_page(page, site):
    labels = page.select("a.status")
    assert labels
    assert {a["href"].split("#")[0] for a in labels} == {"./method.html"}
    footer = page.select_one(".site-footer")
    assert footer.select_one('a[href="./method.html"]').get_text() == "How we rate claims"


def test_the_method_page_states_the_rule_the_build_applies(page, site):
    method = site.page("method.html")
    rule = method.select_one("#corroboration").find_next("p").get_text(" ", strip=True)
    # CORROBORATION = {"confirmed": 2}, publishers compared by name (document/rules.py).
    assert "Confirmed should rest on sources from at least 2 different publishers" in rule
    assert "two sources from the same outlet count once" in rule
    assert method.select_one("#corrections-policy") is not None
    assert (
        method.select_one("#status-unverified")
        .get_text(" ", strip=True)
        .endswith("A claim may carry this label without a source. All “Unverified” claims")
    )


@pytest.mark.parametrize(
    "text", ["Russia's troops", "rock'n'roll and O'Neil's", "it's 'quoted'", 'He said "12"', "a -- b..."]
)
def test_smart_punctuation_is_the_same_with_or_without_the_markdown_pass(text):
    # Claims with only an apostrophe in a word skip Markdown; the HTML must not differ.
    renderer = InlineRenderer()
    full = renderer.md.convert(text).removeprefix("<p>").removesuffix("</p>")
    assert str(renderer.render(text)) == full
    assert "'" not in full
    assert '"' not in full


TABLE = (
    "\n\n| Estimate | Reported | Killed |\n| --- | --- | --- |\n"
    "| Alpha [@alpha] | 19 December 2024 | about 1,100 |\n"
)


def test_a_table_scrolls_in_its_own_labelled_focusable_box(site):
    # | Estimate | Reported | Killed |   ->   <div class="table-scroll" role="region" tabindex="0"
    # | --- | --- | --- |                          aria-label="Table: Estimate, Reported, Killed">
    # | Alpha [@alpha] | … | … |                  <table>…</table></div>
    site.write("test.md", EXPLAINER + TABLE)
    site.write("test-fr.md", EXPLAINER.replace("summary:", "lang: fr\ntranslation: true\nsummary:") + TABLE)
    run = site.build()
    assert run.code == 0, run.stderr
    box = site.page("a-test-explainer.html").select_one(".explainer__body .table-scroll")
    assert (box["role"], box["tabindex"], box["aria-label"]) == (
        "region",
        "0",
        "Table: Estimate, Reported, Killed",
    )
    assert [child.name for child in box.find_all(recursive=False)] == ["table"]
    french = site.page("a-test-explainer-fr.html").select_one(".table-scroll")
    assert french["aria-label"] == "Tableau : Estimate, Reported, Killed"


def test_the_claims_show_the_numbers_the_notes_name_them_by(page):
    # claims: [first-claim, uncited-claim]  ->  card "Claim 1 ✓Confirmed …", glance "1 ✓Confirmed …";
    # a note's "For claim 1" leads to the card that says "Claim 1".
    cards = page.select("#claims .claim")
    assert [card.select_one(".claim__number").get_text() for card in cards] == ["Claim 1", "Claim 2"]
    assert [n.get_text() for n in page.select("#glance .glance__number")] == ["1", "2"]
    link = page.select_one("#source-beta .note__claims a")
    named = link.get_text().removeprefix("claim ")
    assert page.select_one(link["href"] + " .claim__number").get_text() == f"Claim {named}"


def test_citations_and_passages_are_named_for_screen_readers(page, site):
    # [see @alpha, p. 4; @beta]  ->  <a role="doc-noteref" aria-label="Source 1">1</a>, p. 4; …
    # "In the story: a b"        ->  <a class="claim__passage" aria-label="Passage a">a</a> …
    citations = page.select('.explainer__body a[role="doc-noteref"]')
    assert citations
    assert all(a["aria-label"] == f"Source {a.get_text()}" for a in citations)
    passages = page.select("#claim-first-claim a.claim__passage")
    assert [a["aria-label"] for a in passages] == ["Passage a", "Passage b"]
