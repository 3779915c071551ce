"""The attack corpus: every case builds and checks its hostile content in a subprocess and
judges only what can be observed (see attack_harness.py). A failing case lists what got
through, one line each."""

from __future__ import annotations

import pytest
from attack_cases import ALL_CASES
from attack_harness import run_case


@pytest.mark.parametrize("case", ALL_CASES, ids=[case.id for case in ALL_CASES])
def test_attack(case, tmp_path, baseline):
    findings, _ = run_case(case, tmp_path, baseline)
    assert not findings, f"{case.note}\n  " + "\n  ".join(findings)
