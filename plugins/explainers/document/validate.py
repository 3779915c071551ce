"""Pydantic's complaints about front matter, as problems a writer can act on.

`validate_explainer()` validates the page fields and each source, claim and
correction on its own, keeping the valid parts, so that one broken claim does not
hide the problems of the others; each complaint becomes one sentence and a code.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from pydantic import BaseModel, ValidationError

from .frontmatter import FrontMatter, Path, label
from .model import KEY_RE, Claim, Correction, Explainer, Source, SourceUse
from .problems import ERROR, Problem

FIELD_NAMES = {
    (): set(Explainer.model_fields),
    "source": set(Source.model_fields),
    "claim": set(Claim.model_fields),
    "use": set(SourceUse.model_fields),
    "correction": set(Correction.model_fields),
}


def validate(front: FrontMatter, path: str, model: type[BaseModel] = Explainer) -> tuple[Any, list[Problem]]:
    """Validate loaded front matter against `model`; every complaint becomes a Problem."""
    try:
        return model.model_validate(front.data), []
    except ValidationError as exc:
        return None, _located(exc, front, path, ())


@dataclass
class Validated:
    """An explainer made of the valid parts of its front matter, and what was wrong."""

    explainer: Explainer
    problems: list[Problem]
    # Sources and claims that are declared but invalid: citing them is not a second mistake.
    broken_sources: set[str] = dc_field(default_factory=set)
    broken_claims: dict[str, list[str]] = dc_field(default_factory=dict)  # id -> its sources' keys
    loader_found_problems: bool = False  # values the YAML loader refused (it reported them)

    @property
    def complete(self) -> bool:
        return not self.problems and not self.loader_found_problems


def validate_explainer(front: FrontMatter, path: str) -> Validated:
    """Validate the page fields and each source, claim and correction on its own.

    One broken claim must not hide the problems of the others, so the valid parts
    are kept and checked further; the broken ones are remembered by key.
    """
    data = front.data
    problems: list[Problem] = []
    parts = {"sources": {}, "claims": [], "corrections": []}
    broken: dict[str, set[str]] = {"sources": set(), "claims": set(), "corrections": set()}
    for name, item_model in (("sources", Source), ("claims", Claim), ("corrections", Correction)):
        value = data.get(name)
        if value is None:
            continue
        expected = dict if name == "sources" else list
        if not isinstance(value, expected):
            kind = "a mapping of keys to sources" if expected is dict else "a list"
            problems.append(
                Problem(
                    path,
                    front.line((name,)),
                    ERROR,
                    f"{name}: expected {kind}; got {_show(value)}",
                    "wrong-type",
                    front.column((name,)),
                )
            )
            continue
        items = value.items() if expected is dict else enumerate(value)
        for index, item in items:
            loc = (name, index)
            if name == "sources" and not (isinstance(index, str) and KEY_RE.fullmatch(index)):
                problems.append(
                    Problem(
                        path,
                        front.line(loc),
                        ERROR,
                        f'source key "{index}" is not a '
                        "valid key (letters, digits and _ , with : . / - inside)",
                        "invalid-key",
                        front.column(loc),
                    )
                )
                continue
            item_key = index if name == "sources" else (item.get("id") if isinstance(item, dict) else None)
            if any(bad[: len(loc)] == loc for bad in front.invalid):
                broken[name].add(str(item_key))  # the loader reported its bad value
                continue
            try:
                validated = item_model.model_validate(item)
            except ValidationError as exc:
                problems += _located(exc, front, path, loc)
                broken[name].add(str(item_key))
                continue
            if name == "sources":
                parts["sources"][index] = validated
            else:
                parts[name].append(validated)
    page_data = {key: value for key, value in data.items() if key not in parts}
    try:
        page = Explainer.model_validate(page_data)
        explainer = page.model_copy(update=parts)
    except ValidationError as exc:
        problems += _located(exc, front, path, ())
        explainer = Explainer.model_construct(**parts)
    broken_claims = {
        str(claim.get("id")): _source_keys(claim.get("sources"))
        for claim in data.get("claims") or []
        if isinstance(claim, dict) and str(claim.get("id")) in broken["claims"]
    }
    return Validated(explainer, problems, broken["sources"], broken_claims, bool(front.invalid))


def _source_keys(uses: Any) -> list[str]:
    """The source keys a claim that failed validation names, as far as they can be read."""
    if not isinstance(uses, list):
        return []
    keys = [use.get("source") if isinstance(use, dict) else use for use in uses]
    return [key for key in keys if isinstance(key, str)]


def _located(exc: ValidationError, front: FrontMatter, path: str, prefix: Path) -> list[Problem]:
    if () in front.invalid:
        return []  # the loader gave up on the whole block and said why
    problems = []
    for error in exc.errors(include_url=False):
        loc = prefix + tuple(part for part in error["loc"] if not _is_pydantic_branch(part))
        if any(loc[:n] in front.invalid for n in range(1, len(loc) + 1)):
            continue  # the YAML loader already reported this value
        located = {**error, "loc": loc}
        problems.append(
            Problem(
                path,
                front.line(loc),
                ERROR,
                describe(located, front.data),
                code_for(located),
                front.column(loc),
            )
        )
    return problems


def describe(error: dict[str, Any], data: dict[str, Any]) -> str:
    """One reader-friendly sentence for one pydantic error."""
    loc: Path = error["loc"]
    where = label(loc, data)
    kind = error["type"]
    found = error.get("input")
    if kind == "missing":
        parent = label(loc[:-1], data)
        return f'{parent + ": " if parent else ""}missing required field "{loc[-1]}"'
    if kind == "extra_forbidden":
        field = str(loc[-1])
        hint = difflib.get_close_matches(field, sorted(FIELD_NAMES[_record_kind(loc)]), n=1)
        suggestion = f' (did you mean "{hint[0]}"?)' if hint else ""
        known = ", ".join(sorted(FIELD_NAMES[_record_kind(loc)]))
        return f"{where}: unknown field{suggestion}; expected one of {known}"
    if kind == "literal_error":
        expected = error["ctx"]["expected"].replace("'", "")
        return f"{where}: expected one of {expected}; got {_show(found)}"
    if kind == "string_pattern_mismatch" and loc and loc[-1] == "language":
        return f"{where}: {_show(found)} is not a language tag such as ja, uk or pt-BR"
    if kind == "string_pattern_mismatch" or (loc and loc[-1] == "[key]"):
        return f"{where}: {_show(found)} is not a valid key (letters, digits and _ , with : . / - inside)"
    if kind in ("string_too_short",):
        return f"{where}: must not be empty"
    if kind == "value_error":
        return f"{where}: {error['ctx']['error']}"
    expected = {
        "string_type": "text",
        "list_type": "a list",
        "dict_type": "a mapping of fields",
        "model_type": "a mapping of fields",
        "model_attributes_type": "a mapping of fields",
        "bool_type": "true or false",
    }.get(kind)
    if expected:
        return f"{where}: expected {expected}; got {_show(found)}"
    return f"{where}: {error['msg']}"


DATE_FIELDS = {"date", "modified", "published", "accessed"}


def code_for(error: dict[str, Any]) -> str:
    """A stable name for the kind of a pydantic error, for FORMAT=json."""
    kind, field = error["type"], (error["loc"] or ("",))[-1]
    if kind == "value_error":
        if field in ("url", "archive_url"):
            return "invalid-url"
        return "invalid-date" if field in DATE_FIELDS else "invalid-value"
    if kind == "string_pattern_mismatch" or field == "[key]":
        return "invalid-key"
    return {
        "missing": "missing-field",
        "extra_forbidden": "unknown-field",
        "literal_error": "invalid-choice",
        "string_too_short": "empty-field",
    }.get(kind, "wrong-type")


def _is_pydantic_branch(part: Any) -> bool:
    # Validators add their own names to `loc` (e.g. "function-before[…]").
    return isinstance(part, str) and "[" in part and part != "[key]"


def _record_kind(loc: Path) -> Any:
    if len(loc) >= 2 and loc[0] == "sources":
        return "source"
    if len(loc) >= 4 and loc[0] == "claims" and loc[2] == "sources":
        return "use"
    if len(loc) >= 2 and loc[0] == "claims":
        return "claim"
    if len(loc) >= 2 and loc[0] == "corrections":
        return "correction"
    return ()


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"' if len(value) <= 60 else f'"{value[:57]}…"'
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    if value is None:
        return "nothing"
    return str(value)
