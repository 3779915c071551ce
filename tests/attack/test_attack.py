"""The attack corpus: every case builds and checks its hostile content in a subprocess and
judges only what can be observed (see attack_harness.py). A failing case lists what got
through, one line each."""

from __future__ import annotations

import pytest
from attack_cases import ALL_CASES
from attack_harness import run_case

# Found by the second hostile round and not yet mended: each is expected to fail, strictly
# where it can (the day one is mended it fails as "passed unexpectedly" and leaves this list).
OPEN = {
    "round2-quadratic-unclosed-autolinks": "Python-Markdown reads unclosed autolinks in quadratic time",
    "round2-quadratic-did-you-mean": "'did you mean' compares each unknown key with every source",
    "round2-quadratic-intrasite-pattern": "Pelican's link pattern on one very long line",
    "round2-claim-citation-fanout": "a claim cited as all its sources multiplies the markup",
    "round2-abbreviation-amplification": "an abbreviation's title is repeated at every use",
    "round2-quadratic-locator-distinct-keys": "thousands of distinct unknown keys are each searched for",
    "round2-many-pages-every-page-lists-all": "every page's navigation lists every page",
}
# Of these, the ones judged by a time or memory budget: on a fast machine one may finish
# inside it, so they are not strict.
BUDGETED = {
    "round2-quadratic-unclosed-autolinks",
    "round2-quadratic-did-you-mean",
    "round2-quadratic-intrasite-pattern",
    "round2-claim-citation-fanout",
    "round2-abbreviation-amplification",
    "round2-quadratic-locator-distinct-keys",
    "round2-many-pages-every-page-lists-all",
}


def _param(case):
    if case.id in OPEN:
        mark = pytest.mark.xfail(strict=case.id not in BUDGETED, reason=OPEN[case.id])
        return pytest.param(case, id=case.id, marks=mark)
    return pytest.param(case, id=case.id)


@pytest.mark.parametrize("case", [_param(case) for case in ALL_CASES])
def test_attack(case, tmp_path, baseline):
    findings, _ = run_case(case, tmp_path, baseline)
    assert not findings, f"{case.note}\n  " + "\n  ".join(findings)
