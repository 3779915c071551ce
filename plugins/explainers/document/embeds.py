"""Embedded charts, maps and video: which addresses may be framed, and the frame itself.

An embed is the one way an `<iframe>` reaches a page: the sanitizer refuses every frame a
writer types as HTML, and the body's `Embed:` block (`document/figures.py`) leaves a
placeholder that only `insert_frames` fills, after the sanitizer has run. An address is
framed only when it is https, on a host the site names in EXPLAINERS["EMBED_HOSTS"]
(matched exactly, never as a suffix), with no user name and no port: the same hosts are
the pages' `frame-src`, so what the check allows is what the browser loads.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from markupsafe import escape

SETTING = 'EXPLAINERS["EMBED_HOSTS"]'
# Least that the embeds sites use work with: their own scripts, run in their own origin
# (a chart reads its data from it). No forms, popups, top navigation or downloads.
SANDBOX = "allow-scripts allow-same-origin"
DEFAULT_HEIGHT = 400
MIN_HEIGHT, MAX_HEIGHT = 100, 2000


def new_token() -> str:
    """A placeholder's secret part, new for each Markdown instance. The sanitizer's output
    holds whatever content can write (a character reference becomes its character), so a
    fixed placeholder could be forged; a random one, never written anywhere, cannot."""
    return f"embed-{secrets.token_hex(16)}-"


def placeholder(token: str, index: int) -> str:
    return f"{token}{index}."


_UNSAFE_CHARS = re.compile(r"[\s\\\x00-\x1f\x7f\"'<>`]")


@dataclass(frozen=True)
class Embed:
    url: str
    host: str
    title: str
    height: int = DEFAULT_HEIGHT

    def frame(self) -> str:
        """The `<iframe>`, every value escaped here."""
        return (
            f'<iframe class="embed__frame" src="{escape(self.url)}" title="{escape(self.title)}" '
            f'sandbox="{SANDBOX}" referrerpolicy="no-referrer" loading="lazy" '
            f'height="{self.height}"></iframe>'
        )


def refuse(url: str, hosts: tuple[str, ...]) -> str | None:
    """Why `url` may not be embedded, or None."""
    allowed = ", ".join(hosts) if hosts else "none yet"
    setting_hint = f"a site allows a host by naming it in {SETTING} in pelican.conf.py (now: {allowed})"
    if _UNSAFE_CHARS.search(url):
        return "an embed's address has no spaces, quotes, backslashes or control characters"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return f'"{url}" is not an address a browser can load'
    scheme = parts.scheme.lower()
    if scheme == "http":
        return f"embeds load over https only: write https://{url[len('http://') :]}"
    if scheme != "https" or not parts.netloc:
        return f"an embed is an https:// address on a host the site allows; {setting_hint}"
    if "@" in parts.netloc:
        return "an embed's address has no user name or password before its host (…@): remove it"
    if port is not None:
        return "an embed's address has no port: the site allows a host on https's own port"
    host = parts.hostname or ""
    if host not in hosts:
        return f"embeds from {host} are not allowed; {setting_hint}"
    return None


def insert_frames(html: str, embeds: list[Embed], token: str) -> str:
    """The sanitized body with each embed's placeholder replaced by its frame. Each stands
    once, in its own paragraph, as the block left it; anything else is not the block's
    (and the body is refused rather than framed)."""
    if not embeds:
        return html
    for index, embed in enumerate(embeds):
        slot = f"<p>{placeholder(token, index)}</p>"
        if html.count(placeholder(token, index)) != 1 or html.count(slot) != 1:
            raise ValueError("an embed's placeholder is not where its block left it")
        html = html.replace(slot, embed.frame())
    return html


_FRAME_RE = re.compile(r'<iframe class="embed__frame" [^>]*></iframe>')


def without_frames(html: str) -> str:
    """The HTML with every embed's frame taken out, its fallback link left: for feeds, which
    carry the link and never a frame. (Frames are only ever written by `Embed.frame`.)"""
    return _FRAME_RE.sub("", html)
