"""Every case of the corpus, by class."""

from __future__ import annotations

import cases_beyond
import cases_forging
import cases_paths
import cases_resources
import cases_round2
import cases_round3
import cases_script
import cases_writes

ALL_CASES = [
    *cases_writes.CASES,
    *cases_script.CASES,
    *cases_paths.CASES,
    *cases_resources.CASES,
    *cases_forging.CASES,
    *cases_beyond.CASES,
    *cases_round2.CASES,
    *cases_round3.CASES,
]

ids = [case.id for case in ALL_CASES]
assert len(ids) == len(set(ids)), "case ids must be unique"
