"""Pydantic's complaints about front matter, as findings a writer can act on; and
`locate()`, where every finding of a file gets its line.

`validate_explainer()` validates the page fields and each source, claim and
correction on its own, keeping the valid parts, so that one broken claim does not
hide the problems of the others. Each complaint becomes one sentence and a code,
looked up by the kind of pydantic error (`ERRORS`), as Pelican's readers look up each
field's processor in METADATA_PROCESSORS. Findings name the value they are about by
its YAML path; `locate()` gives them their lines, and names the fields they are about
as a writer reads them (`label()`: claims by id, sources by key).
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Iterable, Set
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from .frontmatter import Document, FrontMatter
from .model import KEY_RE, Claim, Correction, Explainer, Source, SourceUse
from .problems import ERROR, Finding, Path, Problem, hint

NOT_A_KEY = "is not a valid key (letters, digits and _ , with : . / - inside)"


def validate(data: Any, model: type[BaseModel] = Explainer) -> tuple[Any, list[Finding]]:
    """Validate loaded values against `model`: the model, or None and what was wrong."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, findings_of(exc)


@dataclass
class Validated:
    """An explainer made of the valid parts of its front matter, and what was wrong."""

    explainer: Explainer
    findings: list[Finding]
    # Sources and claims that are declared but invalid: citing them is not a second mistake.
    broken_sources: set[str] = dc_field(default_factory=set)
    broken_claims: dict[str, list[str]] = dc_field(default_factory=dict)  # id -> its sources' keys
    loader_found_problems: bool = False  # values the YAML loader refused (it reported them)
    # Where each of `explainer.claims` is in the front matter: ("claims", 2) for the third
    # claim written, which is the second valid one when a claim before it is broken.
    claim_paths: list[Path] = dc_field(default_factory=list)
    correction_paths: list[Path] = dc_field(default_factory=list)  # the same, for corrections

    @property
    def complete(self) -> bool:
        return not self.findings and not self.loader_found_problems


@functools.cache
def _list_of(model: type[BaseModel]) -> TypeAdapter:
    """Validates a list of `model`s in one call (made once, on first use: a build whose files
    are all cached validates none)."""
    return TypeAdapter(list[model])


def validate_explainer(data: dict[str, Any], invalid: Set[Path] = frozenset()) -> Validated:
    """Validate the page fields and each source, claim and correction on its own.

    One broken claim must not hide the problems of the others, so the valid parts
    are kept and checked further; the broken ones are remembered by key. `invalid`:
    the values the YAML loader refused, and reported.
    """
    findings: list[Finding] = []
    parts = {"sources": {}, "claims": [], "corrections": []}
    claim_paths: list[Path] = []
    correction_paths: list[Path] = []
    broken: dict[str, set[str]] = {"sources": set(), "claims": set(), "corrections": set()}
    for name, item_model in (("sources", Source), ("claims", Claim), ("corrections", Correction)):
        value = data.get(name)
        if value is None:
            continue
        expected = dict if name == "sources" else list
        if not isinstance(value, expected):
            kind = "a mapping of keys to sources" if expected is dict else "a list"
            findings.append(
                Finding(ERROR, f"{name}: expected {kind}; got {_show(value)}", "wrong-type", at=(name,))
            )
            continue
        items = value.items() if expected is dict else enumerate(value)
        # Each item the loader read and whose key is one: validated all at once, and one by
        # one only where one fails (its own findings, the others kept): a call per item was
        # most of validating a front matter of forty sources.
        kept: list[tuple[Any, Any, Path, Any]] = []
        for index, item in items:
            loc = (name, index)
            if name == "sources" and not (isinstance(index, str) and KEY_RE.fullmatch(index)):
                findings.append(Finding(ERROR, f'source key "{index}" {NOT_A_KEY}', "invalid-key", at=loc))
                continue
            item_key = index if name == "sources" else (item.get("id") if isinstance(item, dict) else None)
            if any(bad[: len(loc)] == loc for bad in invalid):
                broken[name].add(str(item_key))  # the loader reported its bad value
                continue
            kept.append((index, item, loc, item_key))
        try:
            validated_all = _list_of(item_model).validate_python([item for _, item, _, _ in kept])
        except ValidationError:
            validated_all = None
        for position, (index, item, loc, item_key) in enumerate(kept):
            if validated_all is not None:
                validated = validated_all[position]
            else:
                try:
                    validated = item_model.model_validate(item)
                except ValidationError as exc:
                    findings += findings_of(exc, loc, invalid)
                    broken[name].add(str(item_key))
                    continue
            if name == "sources":
                parts["sources"][index] = validated
            else:
                parts[name].append(validated)
            if name == "claims":
                claim_paths.append(loc)
            elif name == "corrections":
                correction_paths.append(loc)
    page_data = {key: value for key, value in data.items() if key not in parts}
    try:
        page = Explainer.model_validate(page_data)
        explainer = page.model_copy(update=parts)
    except ValidationError as exc:
        findings += findings_of(exc, (), invalid)
        explainer = Explainer.model_construct(**parts)
    broken_claims = {
        str(claim.get("id")): _source_keys(claim.get("sources"))
        for claim in data.get("claims") or []
        if isinstance(claim, dict) and str(claim.get("id")) in broken["claims"]
    }
    return Validated(
        explainer, findings, broken["sources"], broken_claims, bool(invalid), claim_paths, correction_paths
    )


def _source_keys(uses: Any) -> list[str]:
    """The source keys a claim that failed validation names, as far as they can be read."""
    if not isinstance(uses, list):
        return []
    keys = [use.get("source") if isinstance(use, dict) else use for use in uses]
    return [key for key in keys if isinstance(key, str)]


def findings_of(exc: ValidationError, prefix: Path = (), invalid: Set[Path] = frozenset()) -> list[Finding]:
    """A finding for each of pydantic's complaints about the value at `prefix`, except
    those about values the YAML loader refused (`invalid`): it has reported them."""
    if () in invalid:
        return []  # the loader gave up on the whole block and said why
    findings = []
    for error in exc.errors(include_url=False):
        loc = prefix + tuple(part for part in error["loc"] if not _is_pydantic_branch(part))
        if any(loc[:n] in invalid for n in range(1, len(loc) + 1)):
            continue
        kind, field = error["type"], (loc or ("",))[-1]
        code, message = FIELD_ERRORS.get((kind, field)) or ERRORS.get(kind) or UNKNOWN_ERROR
        # A missing field is named in the message; the label is its record's.
        about = loc[:-1] if kind == "missing" else loc
        findings.append(Finding(ERROR, message({**error, "loc": loc}), code, at=loc, about=about))
    return findings


# --- each kind of pydantic error: its code and its sentence --------------------------

Describe = Callable[[dict[str, Any]], str]  # pydantic's error, its path made ours -> a sentence


def _shown_input(error: dict[str, Any]) -> str:
    return _show(error.get("input"))


def _expected(what: str) -> Describe:
    return lambda error: f"expected {what}; got {_shown_input(error)}"


def _unknown_field(error: dict[str, Any]) -> str:
    known = sorted(_record(error["loc"]).model_fields)
    close = difflib.get_close_matches(str(error["loc"][-1]), known, n=1)
    suggestion = f' (did you mean "{close[0]}"?)' if close else ""
    return f"unknown field{suggestion}; expected one of {', '.join(known)}"


def _one_of(error: dict[str, Any]) -> str:
    expected = error["ctx"]["expected"].replace("'", "")
    given = error.get("input")
    near = hint(given, re.findall(r"'([^']*)'", error["ctx"]["expected"])) if isinstance(given, str) else ""
    suggestion = near if near.startswith(" (did you mean") else ""
    return f"expected one of {expected}; got {_shown_input(error)}{suggestion}"


def _reason(error: dict[str, Any]) -> str:
    return str(error["ctx"]["error"])  # the message of the model's own ValueError


# Each kind of pydantic error: a stable code for it (FORMAT=json) and the sentence that
# follows the field's name. A kind not here is "wrong-type", in pydantic's own words.
ERRORS: dict[str, tuple[str, Describe]] = {
    "missing": ("missing-field", lambda error: f'missing required field "{error["loc"][-1]}"'),
    "extra_forbidden": ("unknown-field", _unknown_field),
    "literal_error": ("invalid-choice", _one_of),
    "string_pattern_mismatch": ("invalid-key", lambda error: f"{_shown_input(error)} {NOT_A_KEY}"),
    "string_too_short": ("empty-field", lambda error: "must not be empty"),
    "string_too_long": (
        "too-long",
        lambda error: (
            f"is {len(error['input']):,} characters long; at most {error['ctx']['max_length']}: shorten it"
        ),
    ),
    "value_error": ("invalid-value", _reason),
    "string_type": ("wrong-type", _expected("text")),
    "list_type": ("wrong-type", _expected("a list")),
    "dict_type": ("wrong-type", _expected("a mapping of fields")),
    "model_type": ("wrong-type", _expected("a mapping of fields")),
    "model_attributes_type": ("wrong-type", _expected("a mapping of fields")),
    "bool_type": ("wrong-type", _expected("true or false")),
}
UNKNOWN_ERROR: tuple[str, Describe] = ("wrong-type", lambda error: error["msg"])
DATE_FIELDS = ("date", "modified", "published", "accessed")
# Fields whose errors of one kind say more than the kind does: (kind, field) -> as above.
FIELD_ERRORS: dict[tuple[str, Any], tuple[str, Describe]] = {
    ("string_pattern_mismatch", "language"): (
        "invalid-key",
        lambda error: f"{_shown_input(error)} is not a language tag such as ja, uk or pt-BR",
    ),
    ("value_error", "url"): ("invalid-url", _reason),
    ("value_error", "archive_url"): ("invalid-url", _reason),
    **{("value_error", name): ("invalid-date", _reason) for name in DATE_FIELDS},
}

# The record a field belongs to, by the shape of the path to the record (None: any key or
# index); the first that fits wins. A field elsewhere is the page's.
RECORDS: tuple[tuple[Path, type[BaseModel]], ...] = (
    (("sources", None), Source),
    (("claims", None, "sources", None), SourceUse),
    (("claims", None), Claim),
    (("corrections", None), Correction),
)


def _record(loc: Path) -> type[BaseModel]:
    for shape, model in RECORDS:
        if len(loc) > len(shape) and all(
            want in (None, part) for want, part in zip(shape, loc[: len(shape)], strict=True)
        ):
            return model
    return Explainer


def _is_pydantic_branch(part: Any) -> bool:
    # Validators add their own names to `loc` (e.g. "function-before[…]").
    return isinstance(part, str) and "[" in part and part != "[key]"


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"' if len(value) <= 60 else f'"{value[:57]}…"'
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    if value is None:
        return "nothing"
    return str(value)


# --- where: every finding of a file at its line ------------------------------------


def locate(
    findings: Iterable[Finding],
    path: str,
    front: FrontMatter | None = None,
    document: Document | None = None,
) -> list[Problem]:
    """Each finding as a Problem at its line (and column) in the file at `path`.

    A YAML path is looked up in the front matter's position map (the nearest value that
    has a line, for a value left out); a body offset is counted from the body's first line.
    """
    data = front.data if front is not None else None
    problems = []
    for finding in findings:
        line, column = finding.line, finding.column
        if line is None and finding.offset is not None and document is not None:
            line = document.body_line + document.body.count("\n", 0, finding.offset)
            column = finding.offset - document.body.rfind("\n", 0, finding.offset)
        elif line is None and front is not None:
            line, column = front.line(finding.at), front.column(finding.at)
        message = finding.message
        if finding.see is not None and front is not None:
            message = message.replace("{see}", str(front.line(finding.see)))
        if finding.about:
            message = f"{label(finding.about, data)}: {message}"
        problems.append(Problem(path, line or 1, finding.severity, message, finding.code, column))
    return problems


def label(loc: Path, data: Any) -> str:
    """A path such as ('claims', 1, 'status') as a writer reads it: claim "nk-casualties": status.

    Sources and claims are named by their key and id; other list items by a 1-based index.
    """
    parts: list[str] = []
    rest = list(loc)
    if len(rest) > 1 and rest[0] == "sources":
        parts.append(f'source "{rest[1]}"')
        rest = rest[2:]
    elif len(rest) > 1 and rest[0] == "claims" and isinstance(rest[1], int):
        claim = _get(data, loc[:2])
        claim_id = claim.get("id") if isinstance(claim, dict) else None
        parts.append(f'claim "{claim_id}"' if isinstance(claim_id, str) else f"claims[{rest[1] + 1}]")
        rest = rest[2:]
    for part in rest:
        if isinstance(part, int) and parts:
            parts[-1] += f"[{part + 1}]"
        elif part != "[key]":
            parts.append(str(part))
    return ": ".join(parts)


def _get(data: Any, loc: Path) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data
