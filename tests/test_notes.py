"""Numbering (contract §3) and the names of backlinks."""

from __future__ import annotations

import pytest

from explainers.document.notes import Numbering, letter, number_sources


def test_numbered_by_first_citation_then_through_uncited_claims():
    order = number_sources(["b", "a", "b"], [["a", "c"], ["d", "b"]])
    assert order == ["b", "a", "c", "d"]


def test_a_source_cited_again_keeps_its_number():
    assert number_sources(["a", "b", "a", "c", "b"], []) == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("index", "name"), [(0, "a"), (1, "b"), (25, "z"), (26, "aa"), (27, "ab"), (701, "zz")]
)
def test_letters(index, name):
    assert letter(index) == name


def test_backlinks_tell_their_citations_apart():
    numbering = Numbering(order=["x", "y"], citations={"x": ["cite-x-1"], "y": ["cite-y-1", "cite-y-2"]})
    assert [(b.target, b.name, b.mark) for b in numbering.backlinks("x")] == [
        ("cite-x-1", "Back to citation 1", "↩")
    ]
    assert [(b.target, b.name, b.mark) for b in numbering.backlinks("y")] == [
        ("cite-y-1", "Back to citation 2a", "a"),
        ("cite-y-2", "Back to citation 2b", "b"),
    ]
