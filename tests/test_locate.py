"""Where problems are reported: each at the line of the value it is about."""

from __future__ import annotations

import datetime

from explainers.read import ExplainerBuilder
from explainers.settings import from_pelican

BROKEN_CLAIM_FIRST = """\
---
title: T
date: 2025-01-14
claims:
  - id: broken
    status: reported
  - id: later
    text: It has no sources.
    status: reported
    review_by: 2020-01-01
---
Body.
"""


def test_a_broken_claim_does_not_move_the_problems_of_the_claims_after_it():
    result = ExplainerBuilder(from_pelican({}), {}).build("x.md", BROKEN_CLAIM_FIRST)
    assert sorted((p.line, p.message) for p in result.problems) == [
        (5, 'claim "broken": missing required field "text"'),
        (7, 'claim "later": a "reported" claim needs at least one source'),
    ]
    assert result.reviews == [("later", 10, datetime.date(2020, 1, 1))]
