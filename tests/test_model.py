"""The model's field rules, one at a time."""

from __future__ import annotations

import datetime

import pytest
from pydantic import ValidationError

from explainers.document.dates import PartialDate
from explainers.document.model import Claim, Correction, Explainer, Source
from explainers.render.structured_data import to_script_text


def test_a_claim_source_is_a_key_or_a_mapping():
    claim = Claim.model_validate(
        {"id": "c", "text": "T.", "status": "estimate", "sources": ["a", {"source": "b", "locator": "p. 4"}]}
    )
    assert [(use.source, use.locator) for use in claim.sources] == [("a", None), ("b", "p. 4")]


@pytest.mark.parametrize("key", ["a", "A_1", "nis-2025.01:x/y", "9"])
def test_valid_keys(key):
    assert Claim.model_validate({"id": key, "text": "T.", "status": "x"}).id == key


@pytest.mark.parametrize("key", ["-a", "a-", "a b", "a@b", "", "é"])
def test_invalid_keys(key):
    with pytest.raises(ValidationError):
        Claim.model_validate({"id": key, "text": "T.", "status": "x"})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-01", PartialDate(year=2025, month=1)),
        ("2025", PartialDate(year=2025)),
        (datetime.date(2025, 1, 11), datetime.date(2025, 1, 11)),
        ("2025-01-11", datetime.date(2025, 1, 11)),
        ("2025-01-11T10:30:00+09:00", datetime.datetime.fromisoformat("2025-01-11T10:30:00+09:00")),
    ],
)
def test_source_dates_may_be_known_only_to_the_month(value, expected):
    assert Source.model_validate({"title": "T", "publisher": "P", "published": value}).published == expected


@pytest.mark.parametrize("value", ["2025-13", "January 2025", 20250111, "11/01/2025"])
def test_source_dates_that_are_not_dates(value):
    with pytest.raises(ValidationError):
        Source.model_validate({"title": "T", "publisher": "P", "published": value})


def test_page_dates_must_be_whole_dates():
    with pytest.raises(ValidationError):
        Explainer.model_validate({"title": "T", "date": "2025-01"})


@pytest.mark.parametrize("url", ["https://example.org/a", "http://world.kbs.co.kr/x?lang=e&a=1"])
def test_web_addresses(url):
    assert Source.model_validate({"title": "T", "publisher": "P", "url": url}).url == url


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,x",
        "ftp://example.org/",
        "//example.org/",
        "https://",
        "https://a b",
    ],
)
def test_addresses_that_are_not_web_addresses(url):
    with pytest.raises(ValidationError):
        Source.model_validate({"title": "T", "publisher": "P", "url": url})


def test_one_author_may_be_written_without_a_list():
    assert Explainer.model_validate({"title": "T", "date": "2025-01-01", "authors": "Jane"}).authors == [
        "Jane"
    ]


def test_modified_defaults_to_the_newest_correction():
    explainer = Explainer.model_validate({"title": "T", "date": "2025-01-01"}).model_copy(
        update={
            "corrections": [
                Correction(date=datetime.date(2025, 1, 3), text="b"),
                Correction(date=datetime.date(2025, 1, 5), text="c"),
                Correction(date=datetime.date(2025, 1, 4), text="d"),
            ]
        }
    )
    assert explainer.last_modified == datetime.date(2025, 1, 5)


def test_unknown_page_fields_pass_through_to_pelican():
    explainer = Explainer.model_validate({"title": "T", "date": "2025-01-01", "save_as": "x.html"})
    assert explainer.model_extra == {"save_as": "x.html"}


def test_json_ld_text_cannot_close_its_script():
    text = to_script_text({"a": "</script><!-- \u2028 & >"})
    assert "<" not in text
    assert ">" not in text
    assert "&" not in text
    assert "\u2028" not in text
