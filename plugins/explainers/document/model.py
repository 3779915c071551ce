"""The shape of an explainer's front matter: Source, Claim, Correction, Explainer.

The pydantic models say what each field must be, and their attribute docstrings are
what editors show (JSON Schema). Turning their complaints into problems is
`validate`'s job; the rules between fields and against the site are `rules`'.
"""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from .dates import Date, SourceDate, sort_key
from .links import WEB_ADDRESS_PATTERN, is_web_address

KEY_PATTERN = r"[A-Za-z0-9_]([A-Za-z0-9_:./-]*[A-Za-z0-9_])?"
KEY_RE = re.compile(KEY_PATTERN)

Key = Annotated[str, StringConstraints(pattern=f"^{KEY_PATTERN}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
# A headline, however long a newspaper's, fits in this; a longer one is a mistake (a
# paragraph pasted in the wrong field), and every page, feed and card shows it whole.
MAX_TITLE_CHARS = 300
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TITLE_CHARS)]

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
# A DOI as Crossref recommends matching one (it fits all but a few of theirs): the
# characters allowed here are the only ones that reach a page and a doi.org link.
DOI_PATTERN = r"10\.[0-9]{4,9}/[-._;()/:A-Za-z0-9]+"


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
    # Each field's docstring is the description editors show: the schema tool reads them
    # (`tools/schema.py`). Not pydantic's `use_attribute_docstrings`, which reads this file's
    # source again for every model, in every process that imports it (a build, a check).
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    title: Text
    """The source's own title, or a description where it has none."""
    title_is: Literal["headline", "description"] | None = None
    """`description` when `title` is our description of the source, not its own title (the page
    marks it as ours); `headline` when it is the source's own."""
    publisher: Text
    """The outlet, agency or body that published it."""
    url: WebAddress | None = None
    """Its address: http or https only."""
    archive_url: WebAddress | None = None
    """An archived copy, shown beside the link."""
    doi: Annotated[str, StringConstraints(pattern=f"^{DOI_PATTERN}$")] | None = None
    """Its DOI (10.5555/12345678), shown and linked through doi.org."""
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
    def doi_url(self) -> str | None:
        """Its DOI as a link: the DOI's own characters are all safe in an address."""
        return f"https://doi.org/{self.doi}" if self.doi else None

    @property
    def address(self) -> str | None:
        """The address shown for it: its url, else its archived copy, else its DOI."""
        return self.url or self.archive_url or self.doi_url


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
    as_of: SourceDate | None = None
    """When what the claim says was last known to hold, shown on the page; a month will do."""
    review_by: Date | None = None
    """When it must be checked again: `make check` warns once the date has passed."""


class Correction(_Strict):
    date: Date
    """When the change was made."""
    text: Text
    """What changed; inline Markdown."""
    kind: Literal[CORRECTION_KINDS] = "correction"  # type: ignore[valid-type]
    """correction (the default), clarification or update."""


class LeadImage(_Strict):
    """The explainer's lead image: shown under the headline, used by the social card."""

    file: Text
    """The image, a file inside the content folder, by a path as `{static}` takes it:
    relative to this file, or from the content folder with a leading /."""
    alt: Text | None = None
    """What the image shows, for readers who cannot see it; required unless decorative."""
    decorative: bool = False
    """True for an image that adds nothing to the text: it gets an empty alt."""
    caption: Text | None = None
    """Shown under the image; inline Markdown."""
    credit: Text | None = None
    """Who made the image (photographer, agency, licence)."""

    @model_validator(mode="after")
    def _alt_or_decorative(self) -> LeadImage:
        if self.alt is None and not self.decorative:
            raise ValueError(
                "give the image its alt text (what it shows, for readers who cannot see it), "
                "or decorative: true for an image that adds nothing to the text"
            )
        if self.alt is not None and self.decorative:
            raise ValueError("a decorative image has no alt text: remove alt, or decorative: true")
        return self


class Explainer(BaseModel):
    """The front matter of one explainer. Unknown page fields pass through to Pelican."""

    model_config = ConfigDict(extra="allow", frozen=True)

    title: Title
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
    image: LeadImage | None = None
    """The lead image: file, alt, caption, credit."""
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
