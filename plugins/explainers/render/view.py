"""What the theme renders for one explainer: notes, claims and corrections, ready to show.

Templates get plain attributes and pre-rendered (already escaped) Markup, so
that no template has to know the numbering rules or how to make front-matter
text safe.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from ..document import notes
from ..document.dates import sort_key
from ..document.lockfile import Archived
from ..document.model import Claim, Correction, Explainer, Source
from ..document.quotes import quote_parts
from ..settings import Status


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
    def status_counts(self) -> list[tuple[Status, int]]:
        """Each status its claims carry, with how many, in the order the claims first show it."""
        counts: dict[str, list] = {}
        for item in self.claims:
            counts.setdefault(item.status.key, [item.status, 0])[1] += 1
        return [(status, count) for status, count in counts.values()]

    def note(self, key: str) -> NoteView:
        return next(note for note in self.notes if note.key == key)


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
