"""The rules between fields, and against the site: statuses, the sources claims cite,
duplicate ids, corroboration, review dates, and what a source must say to be checkable.

They run on the validated model, after `validate`, so that one run reports them all,
and say where each problem is by the YAML path of the value it is about.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from ..settings import ExplainerSettings
from .dates import day_of
from .model import Claim, Source
from .problems import ERROR, WARNING, Finding, Path, Problem, hint
from .validate import Validated


def check_references(
    validated: Validated, settings: ExplainerSettings, library: dict[str, Any]
) -> list[Finding]:
    """Statuses, sources of claims, duplicate ids, and warnings about sources."""
    explainer = validated.explainer
    findings: list[Finding] = []

    def add(severity: str, loc: Path, message: str, code: str, see: Path | None = None) -> None:
        findings.append(Finding(severity, message, code, at=loc, see=see))

    for key in explainer.sources:
        if key in library:
            add(
                ERROR,
                ("sources", key),
                f'source "{key}" is also declared in the site\'s sources ({library[key].where})',
                "duplicate-key",
            )

    known_sources = {
        **dict.fromkeys(library),
        **dict.fromkeys(validated.broken_sources),
        **explainer.sources,
    }
    first_claim: dict[str, Path] = {}
    for loc, claim in zip(validated.claim_paths, explainer.claims, strict=True):
        name = f'claim "{claim.id}"'
        if claim.id in first_claim:
            add(
                ERROR,
                (*loc, "id"),
                f"{name}: duplicate claim id (first used on line {{see}})",
                "duplicate-id",
                see=(*first_claim[claim.id], "id"),
            )
        else:
            first_claim[claim.id] = loc
        if claim.id in known_sources:
            add(ERROR, (*loc, "id"), f"{name}: a claim id may not equal a source key", "id-equals-key")
        status = settings.statuses.get(claim.status)
        if status is None:
            add(
                ERROR,
                (*loc, "status"),
                f'{name}: status: expected one of {settings.status_names}; got "{claim.status}"'
                f"{_near(claim.status, settings.statuses)}",
                "unknown-status",
            )
        elif status.requires_sources and not claim.sources:
            # At `sources:`, or at the claim when it has none (the nearest value with a line).
            add(
                ERROR,
                (*loc, "sources"),
                f'{name}: a "{claim.status}" claim needs at least one source',
                "no-sources",
            )
        for use_index, use in enumerate(claim.sources):
            if use.source not in known_sources:
                add(
                    ERROR,
                    (*loc, "sources", use_index),
                    f'{name} cites unknown source "{use.source}"{hint(use.source, sorted(known_sources))}',
                    "unknown-source",
                )
        needed = settings.corroboration.get(claim.status, 0)
        publishers = independent_publishers(claim, explainer.sources, library)
        if status is not None and len(publishers) < needed:
            add(
                WARNING,
                (*loc, "status"),
                f'{name} is "{claim.status}" but rests on {len(publishers)} independent publisher'
                f"{'s' * (len(publishers) != 1)}; {needed} are asked for",
                "not-corroborated",
            )

        findings.extend(claim_warnings(claim, loc))

    findings.extend(correction_warnings(validated))
    for key, source in explainer.sources.items():
        findings.extend(source_warnings(source, key))
    return findings


def _near(name: str, known: Any) -> str:
    """' (did you mean "x"?)' for a near miss (a case slip too), else nothing: the list is given."""
    found = hint(name, sorted(known))
    return found if found.startswith(" (did you mean") else ""


# The end of a sentence and the start of another: a word of three or more small letters (or
# a digit) and its full stop, then a capital. "U.S. Army", "Dr. Kim" and "p. 4" are not.
_NEXT_SENTENCE = re.compile(r"(?:\b[a-z]{3,}|\d)[.!?][\"”’)]*\s+[\"“‘(]*[A-Z]")


def claim_warnings(claim: Claim, loc: Path) -> list[Finding]:
    """What the writers' guide asks of a claim beyond the contract: one sentence, and an
    estimate that says whose it is."""
    findings = []
    name = f'claim "{claim.id}"'
    sentences = len(_NEXT_SENTENCE.findall(claim.text)) + 1
    if sentences > 1:
        findings.append(
            Finding(
                WARNING,
                f"{name}: text: {sentences} sentences; a claim is one sentence (put the rest in note:)",
                "claim-sentences",
                at=(*loc, "text"),
            )
        )
    if claim.status == "estimate" and not claim.by:
        findings.append(
            Finding(
                WARNING,
                f"{name} is an estimate but does not say whose: add by: (who made the estimate)",
                "estimate-without-by",
                at=(*loc, "status"),
            )
        )
    return findings


def correction_warnings(validated: Validated) -> list[Finding]:
    """A correction dated before the explainer was published is a typo in one of the dates."""
    published = day_of(getattr(validated.explainer, "date", None))
    findings = []
    if published is None:
        return findings
    for loc, correction in zip(validated.correction_paths, validated.explainer.corrections, strict=True):
        day = day_of(correction.date)
        if day is not None and day < published:
            findings.append(
                Finding(
                    WARNING,
                    f"corrections[{loc[1] + 1}]: date: {day.isoformat()} is before the explainer's date "
                    f"({published.isoformat()}): is one of them mistyped?",
                    "correction-before-date",
                    at=(*loc, "date"),
                )
            )
    return findings


def independent_publishers(claim: Claim, sources: dict[str, Source], library: dict[str, Any]) -> set[str]:
    """The distinct publishers of a claim's sources (the same outlet twice counts once)."""
    found = set()
    for use in claim.sources:
        source = sources.get(use.source) or getattr(library.get(use.source), "source", None)
        if source is not None:
            found.add(" ".join(source.publisher.casefold().split()))
    return found


def review_warnings(claims: list[tuple[str, int, Any]], path: str, today: datetime.date) -> list[Problem]:
    """A warning for each claim whose review date has passed: (claim id, line, review_by).

    Located already: it runs on each run's day over outcomes that may come from the cache.
    """
    warnings = []
    for claim_id, line, review_by in claims:
        due = day_of(review_by)
        if due is not None and due < today:
            message = f'claim "{claim_id}" was due for review on {due.isoformat()}'
            warnings.append(Problem(path, line, WARNING, message, "review-due"))
    return warnings


def source_warnings(source: Source, key: str) -> list[Finding]:
    """What a source lacks for readers to check it, at its key in `sources:`."""
    at = ("sources", key)
    findings = []
    if not source.address:
        message = f'source "{key}" has neither url nor archive_url: readers cannot check it'
        findings.append(Finding(WARNING, message, "no-address", at=at))
    if source.url and not source.accessed:
        findings.append(
            Finding(WARNING, f'source "{key}" has a url but no accessed date', "no-accessed-date", at=at)
        )
    return findings
