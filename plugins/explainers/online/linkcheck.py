"""`make linkcheck`: is every cited page still there, still where it was, still the same?

Every cited address is asked (HEAD, then GET when the body is needed or HEAD was not a
plain yes), several at once, each within a timeout. Warnings point at the line that
declares the source:

- dead: no answer, or 4xx/5xx (after any redirects);
- moved: every redirect on the way was permanent (301, 308): cite the new address;
- changed: the page's content hash differs from the lockfile's (`make archive`);
- quote not found: the source's `quote` is on neither the live page nor its archived
  copy, or only on the copy (the source may have been corrected);
- a declared `archive_url` that is dead.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from ..document.library import DeclaredSource
from ..document.lockfile import Archived, Lockfile
from ..document.problems import ProblemLog
from ..render.view import archive_address
from ..settings import LinkcheckSettings
from . import web
from .sources import progress_bar


@dataclass(frozen=True)
class Finding:
    message: str
    code: str


@dataclass(frozen=True)
class Visit:
    """One cited address, as found: the page, the archived copies fetched, what is wrong."""

    page: web.Fetched
    copies: dict[str, web.Fetched]  # by address: declared archive_urls, and the lockfile's
    findings: list[Finding]


def run(
    sources: list[DeclaredSource], lock: Lockfile, settings: LinkcheckSettings, log: ProblemLog
) -> tuple[int, int]:
    """Check every cited address and log a warning per finding: (addresses, how many gave no answer)."""
    by_url: dict[str, list[DeclaredSource]] = {}
    for cited in sources:
        if cited.source.url:
            by_url.setdefault(cited.source.url, []).append(cited)
    unanswered = 0
    with (
        progress_bar("Checking links", len(by_url)) as advance,
        ThreadPoolExecutor(settings.workers) as pool,
    ):
        futures = {
            url: pool.submit(visit, url, citing, lock.get(url), settings.timeout)
            for url, citing in by_url.items()
        }
        for url, future in futures.items():
            found = future.result()
            unanswered += found.page.status is None
            advance(f"{url}: {', '.join(sorted({f.code for f in found.findings})) or 'ok'}")
            for cited in by_url[url]:
                for finding in found.findings + quote_findings(cited, found, lock.get(url)):
                    log.warning(
                        cited.path, cited.line, f'source "{cited.key}": {finding.message}', finding.code
                    )
    return len(by_url), unanswered


def visit(url: str, citing: list[DeclaredSource], archived: Archived | None, timeout: float) -> Visit:
    """Fetch the page at `url` (and, where needed, its archived copies); say what is wrong."""
    quoted = any(cited.source.quote for cited in citing)
    page = web.check(url, timeout, need_body=quoted or bool(archived and archived.content_hash))
    findings = []
    if page.dead:
        answer = f"{page.status} {page.reason}" if page.status else page.reason
        via = f" (it redirects to {page.final_url})" if page.final_url else ""
        findings.append(Finding(f"{url} is dead: {answer}{via}", "dead-link"))
    elif page.moved:
        findings.append(
            Finding(f"{url} has moved for good to {page.final_url}: cite the new address", "moved-link")
        )
    changed = archived and archived.content_hash and page.content_hash != archived.content_hash
    if page.ok and page.body and changed:
        findings.append(
            Finding(
                f"{url} has changed since it was archived on {archived.archived}: "
                "check that what the explainer cites it for still holds, then set its accessed date "
                "to the day you read it and run `make archive`",
                "changed-link",
            )
        )
    copies: dict[str, web.Fetched] = {}
    for declared in dict.fromkeys(c.source.archive_url for c in citing if c.source.archive_url):
        copies[declared] = web.check(declared, timeout, need_body=quoted)
        if copies[declared].dead:
            findings.append(Finding(f"its archived copy {declared} is dead", "dead-archive"))
    # The lockfile's copy is fetched only to look for a quote the live page no longer has.
    if archived and not all(_holds_quote(page, c) for c in citing if c.source.quote):
        copies[archived.archive_url] = web.fetch(archived.archive_url, timeout=timeout)
    return Visit(page, copies, findings)


def quote_findings(cited: DeclaredSource, found: Visit, archived: Archived | None) -> list[Finding]:
    """Whether the source's quote is still on its page, or at least in its archived copy."""
    if not cited.source.quote:
        return []
    page = found.page
    if _holds_quote(page, cited):
        return []
    copy_url = archive_address(cited.source, archived)
    copy = found.copies.get(copy_url) if copy_url else None
    in_copy = bool(copy and _holds_quote(copy, cited))
    if not page.ok:
        if copy is None or in_copy:
            return []  # the dead link is the warning; its archived copy still holds the quote
        return [Finding("its quote is not in its archived copy either", "quote-not-found")]
    if in_copy:
        return [
            Finding(
                "its quote is no longer on the live page, only in the archived copy: "
                "the source may have been corrected",
                "quote-not-found",
            )
        ]
    where = "the page or in its archived copy" if copy else "the page (which has no archived copy)"
    return [Finding(f"its quote is not found on {where}", "quote-not-found")]


def _holds_quote(page: web.Fetched, cited: DeclaredSource) -> bool:
    """Whether the page answers with the quote: found, or in a PDF or an image, whose
    words cannot be read here (and so cannot be said to be gone)."""
    return page.ok and (not page.has_text or web.quote_found(cited.source.quote, page.text))
