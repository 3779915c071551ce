"""What the theme renders for one explainer: notes, claims and corrections, ready to show.

Templates get plain attributes and pre-rendered (already escaped) Markup, so
that no template has to know the numbering rules or how to make front-matter
text safe.
"""

from __future__ import annotations

import hashlib
import pickle
import urllib.parse
import zlib
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from ..document import notes
from ..document.dates import sort_key
from ..document.lockfile import Archived
from ..document.model import Claim, Correction, Explainer, Source
from ..document.quotes import quote_parts
from ..settings import Status

# Page fields whose value the plugin has already shaped; Pelican turns them into its own objects.
PELICAN_FIELDS = ("title", "slug", "status", "lang", "category", "tags", "authors")


@dataclass(frozen=True)
class NoteView:
    number: int
    key: str
    source: Source
    backlinks: list[notes.Backlink]
    site_wide: bool  # declared in the site's sources library
    archived: Archived | None = None  # the lockfile's archived copy, for a source that declares none
    claims: list[tuple[int, str]] = field(default_factory=list)  # (number, id) of the claims resting on it

    @property
    def claim_links(self) -> list[tuple[int, str]]:
        """(number, the card's id) of each claim resting on this source."""
        return [(number, notes.claim_id(key)) for number, key in self.claims]

    @property
    def archive_url(self) -> str | None:
        return archive_address(self.source, self.archived)

    @property
    def id(self) -> str:
        return notes.note_id(self.key)


@dataclass(frozen=True)
class SourceLink:
    """A claim's link to one of its sources' notes."""

    number: int
    key: str
    locator: str

    @property
    def href(self) -> str:
        return "#" + notes.note_id(self.key)


@dataclass(frozen=True)
class ClaimView:
    claim: Claim
    status: Status
    text: Markup
    note: Markup | None
    sources: list[SourceLink]
    passages: list[str] = field(default_factory=list)  # ids of its marks in the body, in order

    @property
    def id(self) -> str:
        return notes.claim_id(self.claim.id)

    @property
    def passage_links(self) -> list[tuple[str, str]]:
        """(id, letter) of each place the body cites it: a, b, c as for a note's backlinks."""
        return [(target, notes.letter(index)) for index, target in enumerate(self.passages)]


@dataclass(frozen=True)
class CorrectionView:
    correction: Correction
    text: Markup


@dataclass(frozen=True)
class LeadImageView:
    """The explainer's lead image. `file` is its path under the content folder (as Pelican
    names static files), `source_path` the file itself, for tools that read it (the social
    card); the address it is published at is the page's `lead_image.url`
    (`render/media.py`), known once Pelican has placed the site's static files."""

    file: str
    source_path: str
    alt: str  # empty for a decorative image
    caption: Markup | None = None
    credit: Markup | None = None
    decorative: bool = False


@dataclass
class ExplainerView:
    model: Explainer
    notes: list[NoteView] = field(default_factory=list)
    claims: list[ClaimView] = field(default_factory=list)
    corrections: list[CorrectionView] = field(default_factory=list)
    summary: Markup | None = None
    image: LeadImageView | None = None
    title: str = ""  # the title with smart quotes, as the page shows it
    words: int = 0  # what a reader reads (read.reading_words), for the reading time
    cache_key: str = ""  # the file's key in the outcome cache, for the page cache

    @property
    def reading_minutes(self) -> int:
        # 230 words a minute: a common figure for reading news prose on screen.
        return max(1, round(self.words / 230))

    @property
    def covers_to(self) -> Any:
        """The newest publication date among its sources: how far its reporting reaches."""
        dated = [note.source.published for note in self.notes if note.source.published is not None]
        return max(dated, key=sort_key) if dated else None

    @property
    def page_fields(self) -> dict[str, Any]:
        """Pelican's page fields, allow-listed and checked (values as Pelican reads text)."""
        model = self.model
        values = model.model_dump(include=set(PELICAN_FIELDS), exclude_none=True)
        if not values.get("tags"):
            values.pop("tags", None)
        if not values.get("authors"):
            values.pop("authors", None)
        values["date"] = model.date.isoformat()
        if model.last_modified:
            values["modified"] = model.last_modified.isoformat()
        # Only allowed fields are left in the model's extras: `read` refused the rest.
        for name, value in (model.model_extra or {}).items():
            values[name] = value
        return values

    @property
    def note_keys(self) -> tuple[str, ...]:
        """The sources its notes cite, in note order."""
        return tuple(note.key for note in self.notes)

    @property
    def claim_rows(self) -> tuple[tuple, ...]:
        """What the site-wide pages show of each claim: (card id, front-matter id, text,
        status key, whose claim)."""
        return tuple((c.id, c.claim.id, c.text, c.status.key, c.claim.by) for c in self.claims)

    @property
    def rows_digests(self) -> dict[str | None, str]:
        """A digest of its claims' rows for each status they carry (None: all of them): what the
        claims pages show of it, besides its address and title, to key them by."""
        by_status: dict[str | None, list[tuple]] = {None: list(self.claim_rows)}
        for row in self.claim_rows:
            by_status.setdefault(row[3], []).append(row)
        return {
            status: hashlib.sha256(repr(rows).encode()).hexdigest()[:24] for status, rows in by_status.items()
        }

    @property
    def citing(self) -> tuple[tuple[str, int, tuple[int, ...]], ...]:
        """Each source note: (source key, its number, the claims resting on it by index)."""
        resting: dict[str, list[int]] = {}
        for index, item in enumerate(self.claims):
            for link in item.sources:
                resting.setdefault(link.key, []).append(index)
        return tuple((note.key, note.number, tuple(resting.get(note.key, []))) for note in self.notes)

    @property
    def card_title(self) -> str:
        """The title as its social card draws it: as the front matter has it."""
        return str(self.model.title)

    @property
    def claim_statuses(self) -> tuple[str, ...]:
        """Each claim's status key, in claim order."""
        return tuple(item.status.key for item in self.claims)

    @property
    def status_counts(self) -> list[tuple[Status, int]]:
        """Each status its claims carry, with how many, in the order the claims first show it."""
        counts: dict[str, list] = {}
        for item in self.claims:
            counts.setdefault(item.status.key, [item.status, 0])[1] += 1
        return [(status, count) for status, count in counts.values()]

    @property
    def claim_count(self) -> int:
        return len(self.claims)

    @property
    def note_count(self) -> int:
        return len(self.notes)

    def note(self, key: str) -> NoteView:
        return next(note for note in self.notes if note.key == key)

    def open(self) -> ExplainerView:
        """Itself: what a `StoredView` gives unpacked."""
        return self


class StoredView:
    """An explainer's view as a build keeps it from reading to writing: pickled and
    compressed (for 40 claims, 6 KB rather than the live objects' 190 KB of pydantic
    models, dataclasses and Markup), with the few fields that the site's lists read for
    every explainer at hand. Any other attribute is the full view's, unpacked on demand;
    the run's `OpenViews` keeps the last few unpacked, so that rendering one page unpacks
    its view once and a thousand pages never stay unpacked together.
    """

    # What it keeps, and pickles: not `views`, which is the run's, not the outcome's.
    KEPT = (
        "cache_key",
        "card_title",
        "citing",
        "claim_count",
        "claim_rows",
        "claim_statuses",
        "data",
        "image",
        "note_count",
        "note_keys",
        "page_fields",
        "rows_digests",
        "summary",
        "title",
    )
    __slots__ = (*KEPT, "views")

    def __init__(self, data: bytes, **at_hand: Any):
        self.data = data
        self.cache_key: str = at_hand["cache_key"]
        self.title: str = at_hand["title"]
        self.summary: Markup | None = at_hand["summary"]
        self.claim_count: int = at_hand["claim_count"]
        self.note_count: int = at_hand["note_count"]
        # What the site-wide passes read of every explainer (the sources it reaches, who else
        # cites them, its card's counts): at hand, not unpacked three times per build.
        self.note_keys: tuple[str, ...] = at_hand["note_keys"]
        self.claim_statuses: tuple[str, ...] = at_hand["claim_statuses"]
        self.card_title: str = at_hand["card_title"]
        self.claim_rows: tuple[tuple, ...] = at_hand["claim_rows"]
        self.citing: tuple[tuple[str, int, tuple[int, ...]], ...] = at_hand["citing"]
        self.rows_digests: dict[str | None, str] = at_hand["rows_digests"]
        self.page_fields: dict[str, Any] = at_hand["page_fields"]
        self.image: LeadImageView | None = at_hand["image"]
        self.views: OpenViews | None = None

    @classmethod
    def of(cls, view: ExplainerView) -> StoredView:
        # Compressed, fast: a quarter of the pickle's size for a tenth of the time unpacking takes.
        return cls(
            zlib.compress(pickle.dumps(view, protocol=pickle.HIGHEST_PROTOCOL), 1),
            cache_key=view.cache_key,
            title=view.title,
            summary=view.summary,
            claim_count=len(view.claims),
            note_count=len(view.notes),
            note_keys=view.note_keys,
            claim_statuses=view.claim_statuses,
            card_title=view.card_title,
            claim_rows=view.claim_rows,
            citing=view.citing,
            rows_digests=view.rows_digests,
            page_fields=view.page_fields,
            image=view.image,
        )

    def __getstate__(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.KEPT}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name in self.KEPT:
            setattr(self, name, state[name])
        self.views = None

    def load(self) -> ExplainerView:
        view = pickle.loads(zlib.decompress(self.data))
        view.cache_key = self.cache_key  # set after it was stored (`run.Run.read`)
        return view

    def open(self) -> ExplainerView:
        """The full view: from the run's open views, or unpacked for this one use."""
        return self.views.open(self) if self.views is not None else self.load()

    def __getattr__(self, name: str) -> Any:
        # Called only for what the slots above do not hold: the full view's attributes.
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.open(), name)


def shown_elsewhere(view: ExplainerView | StoredView) -> tuple:
    """What the site's other pages show of an explainer: the fields its stored view keeps at
    hand for them (lists, claims index, source pages, cards, other explainers' notes, the
    sitemap), and its front matter, whole. Two outcomes of a file that show the same leave
    every other page as it was (its feeds' entries show its body: `plugin/quick.py`)."""
    kept = tuple(getattr(view, name) for name in StoredView.KEPT if name not in ("data", "cache_key"))
    return (*kept, view.open().model)


class OpenViews:
    """The views a run has unpacked last (`StoredView.open`), the oldest dropped past `size`:
    each pass over the site's explainers (search records, notes cited elsewhere, pages,
    data files) unpacks each view once, and holds a handful at a time."""

    def __init__(self, size: int = 4):
        self.size = size
        self.views: OrderedDict[StoredView, ExplainerView] = OrderedDict()

    def open(self, stored: StoredView) -> ExplainerView:
        view = self.views.get(stored)
        if view is not None:
            self.views.move_to_end(stored)
            return view
        view = self.views[stored] = stored.load()
        if len(self.views) > self.size:
            self.views.popitem(last=False)
        return view


def archive_address(source: Source, archived: Archived | None) -> str | None:
    """The archived copy a reader is shown: the writer's `archive_url`, else the lockfile's."""
    return source.archive_url or (archived.archive_url if archived else None)


def text_fragment(url: str, quote: str) -> str:
    """A link that opens `url` scrolled to `quote`, highlighted (a text fragment).

    An elided quote ("a … b") highlights from its first run to its last: `text=a,b`.
    """
    parts = quote_parts(quote)
    runs = [parts[0], parts[-1]] if len(parts) > 1 else parts
    return f"{url.split('#', 1)[0]}#:~:text={','.join(_fragment_text(run) for run in runs)}"


def _fragment_text(text: str) -> str:
    # Percent-encoded, and '-', '&' and ',' too: the fragment syntax gives them meanings.
    return urllib.parse.quote(" ".join(text.split()), safe="").replace("-", "%2D")
