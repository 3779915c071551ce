"""Fetching cited pages, for `make archive` and `make linkcheck`: one address, its outcome.

Standard library only (urllib). Redirects are followed here, by hand, rather than by
urllib, so that the outcome can say whether the page moved for good (301, 308) and
where to. A page's body is kept (up to a limit) so that its content hash and its text
can be compared with what the writer cited.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from bs4 import BeautifulSoup

from ..document.quotes import normalise, quote_parts

USER_AGENT = "explainers-linkcheck/1 (a newsroom's check of the pages it cites)"
MAX_BYTES = 10_000_000  # a source page bigger than this is read no further
MAX_REDIRECTS = 8
REDIRECTS = (301, 302, 303, 307, 308)
PERMANENT = (301, 308)
# Bodies with words to read (a PDF's cannot be read without a PDF reader).
TEXT_TYPES = ("html", "text/plain", "xml")


@dataclass(frozen=True)
class Fetched:
    url: str  # the address asked for
    status: int | None  # the final answer's; None: no answer (timeout, refused, bad name)
    reason: str
    final_url: str = ""  # where redirects led ("" when there were none)
    moved: bool = False  # every redirect on the way was permanent: the page moved for good
    body: bytes = b""
    content_type: str = ""
    retry_after: float | None = None  # a 429's or 503's Retry-After, in seconds

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def dead(self) -> bool:
        return self.status is None or self.status >= 400

    @property
    def has_text(self) -> bool:
        """Whether the body is words a reader reads (a page), rather than a PDF or an image."""
        return not self.content_type or any(kind in self.content_type for kind in TEXT_TYPES)

    @functools.cached_property
    def text(self) -> str:
        """The words a reader sees, normalised (parsed once, for the hash and every quote)."""
        return normalise(page_text(self.body)) if self.body and self.has_text else ""

    @property
    def content_hash(self) -> str:
        """SHA-256 of what a reader sees: a page's text, or any other file's bytes.

        Hashing the text, not the markup, keeps a rotated ad slot, a new script version
        or a fresh session token from counting as a change to the page.
        """
        if not self.body:
            return ""
        content = self.text.encode("utf-8") if self.has_text else self.body
        return "sha256:" + hashlib.sha256(content).hexdigest()


def fetch_once(url: str, method: str, timeout: float) -> tuple[Fetched, str | None]:
    """One request, no redirect followed: the outcome and the Location it points to."""
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
    try:
        with _opener.open(request, timeout=timeout) as response:
            body = response.read(MAX_BYTES) if method == "GET" else b""
            kind = response.headers.get("Content-Type", "")
            return Fetched(url, response.status, response.reason, body=body, content_type=kind), None
    except urllib.error.HTTPError as error:
        location = error.headers.get("Location") if error.code in REDIRECTS else None
        # Content-Location: where the Wayback Machine's Save API says the snapshot is.
        location = location or error.headers.get("Content-Location")
        retry = _seconds(error.headers.get("Retry-After"))
        return Fetched(url, error.code, str(error.reason), retry_after=retry), location
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError, ValueError) as error:
        reason = getattr(error, "reason", None) or error
        return Fetched(url, None, f"no answer ({reason})"), None


def fetch(url: str, method: str = "GET", timeout: float = 10.0) -> Fetched:
    """The page at `url`, following redirects and noting whether they were all permanent."""
    current, moved = url, None
    for _ in range(MAX_REDIRECTS + 1):
        page, location = fetch_once(current, method, timeout)
        if page.status not in REDIRECTS or not location:
            final_url = current if current != url else ""
            return dataclasses.replace(page, url=url, final_url=final_url, moved=bool(moved))
        moved = (moved is None or moved) and page.status in PERMANENT
        current = urllib.parse.urljoin(current, location)
    return Fetched(url, None, f"no answer (more than {MAX_REDIRECTS} redirects)", final_url=current)


def check(url: str, timeout: float = 10.0, need_body: bool = False) -> Fetched:
    """HEAD first, as it is cheap; GET when the body is needed or HEAD did not say 2xx.

    Some servers refuse HEAD (405), or answer it wrongly: a page is never called dead on
    the word of a HEAD alone.
    """
    head = fetch(url, "HEAD", timeout)
    if head.ok and not need_body:
        return head
    return fetch(url, "GET", timeout)


def _seconds(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None  # an HTTP date: rare; the caller's own pause applies


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs) -> None:
        return None  # a redirect comes back as an answer: `fetch` follows it, noting its kind


_opener = urllib.request.build_opener(_NoRedirects)


def page_text(body: bytes) -> str:
    # get_text skips script and style contents: the words are what a reader sees.
    return BeautifulSoup(body, "lxml").get_text(" ")


def _unspaced(text: str) -> str:
    return "".join(normalise(text).split())


def quote_found(quote: str, text: str) -> bool:
    """Whether every run of `quote` appears in the page's text, in order.

    Spaces are left out of the comparison: markup splits words ("<em>em</em>phasis")
    and joins blocks ("</p><p>") in ways a reader never sees.
    """
    text, start = _unspaced(text), 0
    for part in quote_parts(quote):
        wanted = _unspaced(part)
        found = text.find(wanted, start)
        if found < 0:
            return False
        start = found + len(wanted)
    return True
