"""What a production build adds to a preview build (`make publish`).

- absolute URLs from SITEURL, which must be given;
- drafts not written at all;
- CSS, JavaScript and images fingerprinted (`main.3f2a9c1e.css`) so that hosts and CDNs
  can cache them for ever, and every page pointing at the new names;
- `.gz` and `.br` copies of every text file, for hosts that serve precompressed files.

HTML is not minified: the compressed copies already make it small, and the pages stay
readable for anyone who views their source.
"""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path
from typing import Any

import brotli

from ..document.links import is_web_address

SETTINGS: dict[str, Any] = {
    "RELATIVE_URLS": False,
    # Drafts are for previews: Pelican writes nothing whose save_as is empty.
    "DRAFT_SAVE_AS": "",
    "DRAFT_LANG_SAVE_AS": "",
    "DRAFT_PAGE_SAVE_AS": "",
    "DRAFT_PAGE_LANG_SAVE_AS": "",
    # `finish` rewrites pages after they are written: a published page is not the page its key
    # names, so no file is linked from a previous output or vouched for to the next build.
    "EXPLAINERS_PUBLISHING": True,
}
PREVIEW_SITEURL = "http://127.0.0.1:8000"
FINGERPRINTED = (".css", ".js", ".svg", ".png", ".jpg", ".jpeg", ".webp", ".woff2")
COMPRESSED = (".html", ".css", ".js", ".xml", ".json", ".svg", ".txt")
# Files that point at assets and must follow their new names.
REFERRERS = (".html", ".xml", ".css", ".js")


class PublishError(Exception):
    pass


def check_site_url(settings: dict[str, Any]) -> None:
    site_url = settings.get("SITEURL", "")
    if site_url and site_url != PREVIEW_SITEURL and not is_web_address(site_url):
        # Said about the address given, not as if none had been: the usual slip is the scheme.
        mended = f"https://{site_url.split('://')[-1]}"
        hint = f"SITEURL={mended}" if is_web_address(mended) else "SITEURL=https://… with the site's host"
        raise PublishError(f"SITEURL {site_url!r} is not a web address: it needs https:// ({hint})")
    if not site_url or site_url == PREVIEW_SITEURL:
        raise PublishError(
            "make publish needs the site's address: SITEURL=https://… (the preview "
            f"address {PREVIEW_SITEURL} is not one)"
        )


def finish(site: str) -> None:
    renamed = fingerprint(Path(site) / "theme")
    point_at(Path(site), renamed)
    compress(Path(site))


def fingerprint(folder: Path) -> dict[str, str]:
    """Rename each asset under `folder` to name.HASH.ext; return old -> new paths, site-relative."""
    renamed = {}
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() not in FINGERPRINTED or not path.is_file():
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
        target = path.with_name(f"{path.stem}.{digest}{path.suffix}")
        path.rename(target)
        base = folder.parent
        renamed[str(path.relative_to(base))] = str(target.relative_to(base))
    return renamed


def point_at(site: Path, renamed: dict[str, str]) -> None:
    """Rewrite every reference to a renamed asset, in every page, feed and stylesheet."""
    if not renamed:
        return
    for path in site.rglob("*"):
        if path.suffix not in REFERRERS or not path.is_file() or "pagefind" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        changed = text
        for old, new in renamed.items():
            changed = changed.replace(old, new)
        if changed != text:
            path.write_text(changed, encoding="utf-8")


def compress(site: Path) -> None:
    for path in site.rglob("*"):
        if path.suffix not in COMPRESSED or not path.is_file():
            continue
        data = path.read_bytes()
        # mtime=0: the same page gives the same bytes, so deploys upload only what changed.
        with open(f"{path}.gz", "wb") as handle:
            handle.write(gzip.compress(data, compresslevel=9, mtime=0))
        with open(f"{path}.br", "wb") as handle:
            handle.write(brotli.compress(data))
