"""The plugin's settings: defaults, merged with the site's in one place.

A site overrides any of these in `pelican.conf.py` through one namespaced dict:

    EXPLAINERS = {
        "STATUSES": {...},        # replaces the whole set of statuses
        "SOURCES_DIR": "sources", # site-wide sources, relative to the content folder
        "STRICT": False,          # warnings fail the build too
    }
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .document.htmlpolicy import HtmlPolicy

# A host name: dot-separated labels of letters, digits and inner hyphens (ASCII; IDNA for others).
HOST_RE = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]$")

# Each status: the label a reader sees, a plain-words definition, whether a
# claim with it must cite a source, and the rating it maps to in a ClaimReview
# (None: the status is not a verdict, so no ClaimReview is published for it).
DEFAULT_STATUSES: dict[str, dict[str, Any]] = {
    "confirmed": {
        "label": "Confirmed",
        "description": "Established by evidence we could check, or by independent sources that agree.",
        "requires_sources": True,
        "rating": {"value": 5, "name": "Confirmed"},
    },
    "reported": {
        "label": "Reported",
        "description": "Reported by news organisations; not yet independently confirmed.",
        "requires_sources": True,
        "rating": None,
    },
    "claimed": {
        "label": "Claimed",
        "description": "Said by a party to the story, often one with a stake in it; "
        "not independently verified.",
        "requires_sources": True,
        "rating": None,
    },
    "estimate": {
        "label": "Estimate",
        "description": "A figure worked out by the body named, by its own methods; "
        "an approximation, not a count.",
        "requires_sources": True,
        "rating": None,
    },
    "disputed": {
        "label": "Disputed",
        "description": "Credible sources contradict each other on this.",
        "requires_sources": True,
        "rating": {"value": 3, "name": "Disputed"},
    },
    "unverified": {
        "label": "Unverified",
        "description": "Circulating, but we have found no source we can rely on.",
        "requires_sources": False,
        "rating": {"value": 2, "name": "Unverified"},
    },
    "false": {
        "label": "False",
        "description": "Contradicted by the evidence.",
        "requires_sources": True,
        "rating": {"value": 1, "name": "False"},
    },
}

DEFAULTS: dict[str, Any] = {
    "STATUSES": DEFAULT_STATUSES,
    "SOURCES_DIR": "sources",
    "STRICT": False,
    # Keep each explainer's outcome in CACHE_PATH, keyed by the file's content.
    "CACHE": True,
    # How many independent publishers a claim of a status must rest on (a warning below).
    "CORROBORATION": {"confirmed": 2},
    # `make archive`: the archive service (the Wayback Machine's availability and Save APIs),
    # the pause between two requests to it and the time to wait for an answer, in seconds,
    # and how many days from the day a source was accessed an existing snapshot may be.
    "ARCHIVE": {
        "AVAILABILITY": "https://archive.org/wayback/available",
        "SAVE": "https://web.archive.org/save/",
        "DELAY": 5,
        "TIMEOUT": 30,
        "FRESH_DAYS": 30,
    },
    # `make linkcheck`: seconds to wait for each page, and how many to ask at once.
    "LINKCHECK": {"TIMEOUT": 10, "WORKERS": 8},
    # The day review dates are compared with (ISO 8601; default: today). For tests and audits.
    "TODAY": None,
    # The scale the ratings above are on, for ClaimReview's bestRating/worstRating.
    "RATING_SCALE": {"best": 5, "worst": 1},
    # Who publishes the site, for structured data; defaults to SITENAME.
    "PUBLISHER": None,
    # The HTML a page may carry from content: elements, attributes, URL schemes and style
    # properties (document/sanitize.py has the defaults; a site replaces any of the four).
    "HTML": {},
    # Front-matter fields that decide where or how a page is written (save_as, url,
    # template, lang_save_as, lang_url): refused unless named here.
    "ALLOW_FIELDS": [],
    # The templates an allowed `template:` field may name, beyond the page's own (explainer,
    # article or page): any other would fail the build, or draw the page with a template
    # made for another (a source's page, the claims index).
    "TEMPLATES": [],
    # The files besides Markdown that content may hold (images and linked files), by type.
    # SVG is left out on purpose: it can carry script, and it is served from the site.
    "STATIC_TYPES": ["png", "jpg", "jpeg", "gif", "webp", "avif", "pdf", "csv", "txt"],
    # No content file is read past this size.
    "MAX_FILE_BYTES": 8 * 1024 * 1024,
    # The hosts an explainer may embed a chart, map or video from (`Embed:` in the body), by
    # exact host name, such as "datawrapper.dwcdn.net". None by default: every host named
    # here learns who reads the page, so a site names the few it has vetted; the pages'
    # Content-Security-Policy allows frames from these hosts alone.
    "EMBED_HOSTS": [],
    # How many processes read and convert content files, and render the pages, at once
    # (None: one per core).
    "WORKERS": None,
    # The search index is built in parts of about this many explainers each, so that the
    # indexer's memory stays bounded and an edit re-indexes one part only.
    "SEARCH_PART_SIZE": 200,
    # Whether a build writes the search index (the dev server's one-page preview does not).
    "SEARCH": True,
}


def default_workers() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass(frozen=True)
class Status:
    key: str
    label: str
    description: str
    requires_sources: bool
    rating_value: int | None
    rating_name: str | None


@dataclass(frozen=True)
class ArchiveSettings:
    """`make archive`: the archive service's two addresses and how gently to treat it."""

    availability: str
    save: str
    delay: float  # seconds between two requests to the service
    timeout: float
    fresh_days: int  # how far from the day of access an existing snapshot may be


@dataclass(frozen=True)
class LinkcheckSettings:
    timeout: float  # seconds to wait for each page
    workers: int  # pages asked at once


@dataclass(frozen=True)
class ExplainerSettings:
    statuses: dict[str, Status]
    sources_dir: str
    strict: bool
    cache: bool
    corroboration: dict[str, int]
    today: datetime.date
    archive: ArchiveSettings
    linkcheck: LinkcheckSettings
    rating_best: int
    rating_worst: int
    publisher: str
    site_url: str
    html: HtmlPolicy
    allow_fields: frozenset[str]
    templates: frozenset[str]
    static_types: frozenset[str]
    max_file_bytes: int
    workers: int = 1
    embed_hosts: tuple[str, ...] = ()
    search_part_size: int = DEFAULTS["SEARCH_PART_SIZE"]
    search: bool = True

    @property
    def frame_src(self) -> str:
        """The Content-Security-Policy's frame sources: the embed hosts, https only."""
        return " ".join(f"https://{host}" for host in self.embed_hosts)

    @property
    def status_names(self) -> str:
        return ", ".join(self.statuses)


def from_pelican(pelican_settings: Mapping[str, Any]) -> ExplainerSettings:
    """Merge the site's EXPLAINERS dict over the defaults and shape it for the plugin."""
    merged = {**DEFAULTS, **(pelican_settings.get("EXPLAINERS") or {})}
    statuses = {}
    for key, spec in merged["STATUSES"].items():
        rating = spec.get("rating") or {}
        statuses[key] = Status(
            key=key,
            label=spec.get("label", key.capitalize()),
            description=spec.get("description", ""),
            requires_sources=spec.get("requires_sources", True),
            rating_value=rating.get("value"),
            rating_name=rating.get("name"),
        )
    archive = {**DEFAULTS["ARCHIVE"], **merged["ARCHIVE"]}
    linkcheck = {**DEFAULTS["LINKCHECK"], **merged["LINKCHECK"]}
    return ExplainerSettings(
        statuses=statuses,
        sources_dir=merged["SOURCES_DIR"],
        strict=bool(merged["STRICT"]),
        cache=bool(merged["CACHE"]),
        corroboration=dict(merged["CORROBORATION"]),
        archive=ArchiveSettings(
            availability=archive["AVAILABILITY"],
            save=archive["SAVE"],
            delay=float(archive["DELAY"]),
            timeout=float(archive["TIMEOUT"]),
            fresh_days=int(archive["FRESH_DAYS"]),
        ),
        linkcheck=LinkcheckSettings(timeout=float(linkcheck["TIMEOUT"]), workers=int(linkcheck["WORKERS"])),
        today=datetime.date.fromisoformat(str(merged["TODAY"])) if merged["TODAY"] else datetime.date.today(),
        rating_best=merged["RATING_SCALE"]["best"],
        rating_worst=merged["RATING_SCALE"]["worst"],
        publisher=merged["PUBLISHER"] or pelican_settings.get("SITENAME", ""),
        site_url=pelican_settings.get("SITEURL", ""),
        html=HtmlPolicy.from_settings(merged["HTML"]),
        allow_fields=frozenset(merged["ALLOW_FIELDS"]),
        templates=frozenset(merged["TEMPLATES"]),
        static_types=frozenset(t.lower().lstrip(".") for t in merged["STATIC_TYPES"]),
        max_file_bytes=int(merged["MAX_FILE_BYTES"]),
        embed_hosts=embed_hosts(merged["EMBED_HOSTS"]),
        workers=max(1, int(merged["WORKERS"])) if merged["WORKERS"] else default_workers(),
        search_part_size=max(1, int(merged["SEARCH_PART_SIZE"])),
        search=bool(merged["SEARCH"]),
    )


def embed_hosts(hosts: Any) -> tuple[str, ...]:
    """EXPLAINERS["EMBED_HOSTS"]: host names alone (no scheme, port, path or wildcard), since
    each is matched exactly and written into the pages' policy."""
    if isinstance(hosts, str) or not all(isinstance(host, str) for host in hosts):
        raise ValueError(
            'EXPLAINERS["EMBED_HOSTS"] is a list of host names, such as ["datawrapper.dwcdn.net"]'
        )
    names = tuple(dict.fromkeys(host.strip().lower() for host in hosts))
    for name in names:
        if not HOST_RE.match(name):
            raise ValueError(
                f'EXPLAINERS["EMBED_HOSTS"]: {name!r} is not a host name; write the name alone, '
                'such as "datawrapper.dwcdn.net" (no https://, port, path or *)'
            )
    return names


# Settings that change how a run goes, never what a file's outcome or a page is: the cache
# (outcomes and pages) is kept when only they change (one worker after two reads nothing).
RUN_ONLY = frozenset({"WORKERS", "SEARCH", "SEARCH_PART_SIZE", "CACHE"})


def what_shows(explainers: dict[str, Any] | None) -> dict[str, Any]:
    """The site's EXPLAINERS setting without RUN_ONLY: what a cached outcome or page depends on."""
    return {name: value for name, value in (explainers or {}).items() if name not in RUN_ONLY}


def markdown_options(markdown_settings: dict[str, Any] | None) -> dict[str, Any]:
    """Pelican's MARKDOWN setting as Python-Markdown's keyword arguments, as Pelican reads it.

    Pelican loads every extension named in `extension_configs` (and adds `meta`, which the
    explainers' YAML front matter replaces). Pelican's reader adds them to the setting
    itself, so the result is the same before and after it has run.
    """
    options = dict(markdown_settings or {})
    configs = options.get("extension_configs", {})
    names = [*options.get("extensions", []), *configs]
    options["extensions"] = [n for n in dict.fromkeys(names) if n != "markdown.extensions.meta"]
    return options
