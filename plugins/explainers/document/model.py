"""The validated shape of an explainer: Source, Claim, Correction, Explainer.

The pydantic models say what each field must be; `validate()` runs them over
loaded front matter and turns every complaint into a located `Problem`. Rules
that depend on the site (its statuses, its sources library) or that relate
fields to one another are checked afterwards, in `check_references()`, so that
one run reports all of them.
"""

from __future__ import annotations

import datetime
import difflib
import re
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)

from ..settings import ExplainerSettings
from .dates import Date, SourceDate, day_of, sort_key
from .frontmatter import FrontMatter, Path, label
from .links import WEB_ADDRESS_PATTERN, is_web_address
from .problems import ERROR, WARNING, Problem, hint

KEY_PATTERN = r"[A-Za-z0-9_]([A-Za-z0-9_:./-]*[A-Za-z0-9_])?"
KEY_RE = re.compile(KEY_PATTERN)

Key = Annotated[str, StringConstraints(pattern=f"^{KEY_PATTERN}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

SOURCE_TYPES = (
    "news",
    "official",
    "intelligence",
    "report",
    "dataset",
    "video",
    "social",
    "interview",
    "other",
)
CORRECTION_KINDS = ("correction", "clarification", "update")


def _check_web_address(value: str) -> str:
    if not is_web_address(value):
        raise ValueError(f'expected an http:// or https:// address; got "{value}"')
    return value


WebAddress = Annotated[
    str,
    BeforeValidator(lambda v: _check_web_address(v) if isinstance(v, str) else v),
    WithJsonSchema({"type": "string", "pattern": WEB_ADDRESS_PATTERN, "format": "uri"}),
]


def _one_or_many(value: Any) -> Any:
    # `authors: Jane Doe` is as clear as `authors: [Jane Doe]`.
    return [value] if isinstance(value, str) else value


class _Strict(BaseModel):
    # Attribute docstrings become the descriptions editors show (JSON Schema).
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class Source(_Strict):
    title: Text
    """The source's own title, or a description where it has none."""
    publisher: Text
    """The outlet, agency or body that published it."""
    url: WebAddress | None = None
    """Its address: http or https only."""
    archive_url: WebAddress | None = None
    """An archived copy, shown beside the link."""
    published: SourceDate | None = None
    """When it was published."""
    accessed: SourceDate | None = None
    """When the writer last checked it."""
    authors: Annotated[list[Text], BeforeValidator(_one_or_many)] = []
    """Its authors' names."""
    type: Literal[SOURCE_TYPES] | None = None  # type: ignore[valid-type]
    """What kind of source it is."""
    language: Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")] | None = None
    """BCP 47 tag (ja, uk, pt-BR) of a source not in the page's language."""
    quote: Text | None = None
    """The passage relied on, word for word."""
    note: Text | None = None
    """Free text for the reader."""

    @property
    def address(self) -> str | None:
        """The address shown for it: its url, else its archived copy."""
        return self.url or self.archive_url


class SourceUse(_Strict):
    """A claim's use of a source: which one, and where in it."""

    source: Key
    """The key of the source."""
    locator: Text | None = None
    """Where in the source: p. 4, para. 2, 01:20."""
    quote: Text | None = None
    """The passage relied on, word for word."""


def _source_use(value: Any) -> Any:
    return {"source": value} if isinstance(value, str) else value


class Claim(_Strict):
    id: Key
    """Its key, unique in the explainer; cite it as [@id]."""
    text: Text
    """The claim as one sentence; inline Markdown, no HTML."""
    status: Text
    """How well the sources establish it: one of the site's statuses."""
    by: Text | None = None
    """Who makes the claim."""
    sources: list[Annotated[SourceUse, BeforeValidator(_source_use)]] = []
    """Its sources, by key, or as {source: key, locator: …}; needed unless unverified."""
    note: Text | None = None
    """The editor's context for the reader."""
    as_of: Date | None = None
    """When what the claim says was last known to hold; shown on the page."""
    review_by: Date | None = None
    """When it must be checked again: `make check` warns once the date has passed."""


class Correction(_Strict):
    date: Date
    """When the change was made."""
    text: Text
    """What changed; inline Markdown."""
    kind: Literal[CORRECTION_KINDS] = "correction"  # type: ignore[valid-type]
    """correction (the default), clarification or update."""


class Explainer(BaseModel):
    """The front matter of one explainer. Unknown page fields pass through to Pelican."""

    model_config = ConfigDict(extra="allow", frozen=True, use_attribute_docstrings=True)

    title: Text
    """The headline."""
    date: Date
    """When the explainer was first published."""
    modified: Date | None = None
    """When it last changed; defaults to the newest correction's date."""
    summary: Text | None = None
    """The standfirst; inline Markdown."""
    authors: Annotated[list[Text], BeforeValidator(_one_or_many)] = []
    """The writers' names."""
    category: Text | None = None
    """As in Pelican."""
    tags: Annotated[list[Text], BeforeValidator(_one_or_many)] = []
    """As in Pelican."""
    slug: Text | None = None
    """The page's file name; made from the title if left out."""
    status: Literal["published", "draft", "hidden"] = "published"
    """As in Pelican: published, draft or hidden."""
    lang: Text | None = None
    """The page's language, as in Pelican."""
    sources: dict[Key, Source] = {}
    """The sources of this explainer, by key."""
    claims: list[Claim] = []
    """The claims the story rests on, each with its status and sources."""
    corrections: list[Correction] = []
    """Every change to what the explainer says, dated."""

    @field_validator("sources", "claims", "corrections", "tags", "authors", mode="before")
    @classmethod
    def _nothing_is_empty(cls, value: Any, info: ValidationInfo) -> Any:
        # `claims:` with nothing under it is YAML null; read it as "none yet".
        if value is None:
            return {} if info.field_name == "sources" else []
        return value

    @property
    def last_modified(self) -> datetime.date | None:
        """`modified`, or else the date of the newest correction."""
        if self.modified:
            return self.modified
        dates = [c.date for c in self.corrections]
        return max(dates, key=sort_key) if dates else None


# --- turning pydantic's complaints into located problems --------------------

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


# --- rules between fields, and against the site -------------------------------


def check_references(
    explainer: Explainer,
    front: FrontMatter,
    path: str,
    settings: ExplainerSettings,
    library: dict[str, Any],
    *,
    broken_sources: set[str] = frozenset(),
) -> list[Problem]:
    """Statuses, sources of claims, duplicate ids, and warnings about sources."""
    problems: list[Problem] = []

    def add(severity: str, loc: Path, message: str, code: str) -> None:
        problems.append(Problem(path, front.line(loc), severity, message, code, front.column(loc)))

    for key in explainer.sources:
        if key in library:
            add(
                ERROR,
                ("sources", key),
                f'source "{key}" is also declared in the site\'s sources ({library[key].where})',
                "duplicate-key",
            )

    known_sources = {**dict.fromkeys(library), **dict.fromkeys(broken_sources), **explainer.sources}
    first_claim: dict[str, int] = {}
    for index, claim in enumerate(explainer.claims):
        loc = ("claims", index)
        name = f'claim "{claim.id}"'
        if claim.id in first_claim:
            add(
                ERROR,
                (*loc, "id"),
                f"{name}: duplicate claim id (first used on line "
                f"{front.line(('claims', first_claim[claim.id], 'id'))})",
                "duplicate-id",
            )
        else:
            first_claim[claim.id] = index
        if claim.id in known_sources:
            add(ERROR, (*loc, "id"), f"{name}: a claim id may not equal a source key", "id-equals-key")
        status = settings.statuses.get(claim.status)
        if status is None:
            add(
                ERROR,
                (*loc, "status"),
                f'{name}: status: expected one of {settings.status_names}; got "{claim.status}"',
                "unknown-status",
            )
        elif status.requires_sources and not claim.sources:
            add(
                ERROR,
                (*loc, "sources") if "sources" in front.data["claims"][index] else loc,
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

    for key, source in explainer.sources.items():
        loc = ("sources", key)
        problems.extend(source_warnings(source, key, path, front.line(loc), front.column(loc)))
    return problems


def independent_publishers(claim: Claim, sources: dict[str, Source], library: dict[str, Any]) -> set[str]:
    """The distinct publishers of a claim's sources (the same outlet twice counts once)."""
    found = set()
    for use in claim.sources:
        source = sources.get(use.source) or getattr(library.get(use.source), "source", None)
        if source is not None:
            found.add(" ".join(source.publisher.casefold().split()))
    return found


def review_warnings(claims: list[tuple[str, int, Any]], path: str, today: datetime.date) -> list[Problem]:
    """A warning for each claim whose review date has passed: (claim id, line, review_by)."""
    warnings = []
    for claim_id, line, review_by in claims:
        due = day_of(review_by)
        if due is not None and due < today:
            message = f'claim "{claim_id}" was due for review on {due.isoformat()}'
            warnings.append(Problem(path, line, WARNING, message, "review-due"))
    return warnings


def source_warnings(
    source: Source, key: str, path: str, line: int, column: int | None = None
) -> list[Problem]:
    problems = []
    if not source.url and not source.archive_url:
        problems.append(
            Problem(
                path,
                line,
                WARNING,
                f'source "{key}" has neither url nor archive_url: readers cannot check it',
                "no-address",
                column,
            )
        )
    if source.url and not source.accessed:
        problems.append(
            Problem(
                path,
                line,
                WARNING,
                f'source "{key}" has a url but no accessed date',
                "no-accessed-date",
                column,
            )
        )
    return problems
