"""Pelican's links to other content (`{filename}`, `{static}`, `{attach}`, …), confined.

Pelican resolves these while writing: `{attach}` and `{static}` copy the named file into
the site, so a target such as `../../.git/config` would publish a file from outside the
content folder. Every such link in a body is found here with Pelican's own pattern and
checked before Pelican sees it: its path must stay inside the content folder (a link that
does not is reported and removed from the HTML), and the file it reaches must be one the
content folder's door accepts (`check_target`, asked by the run of the folder as it is).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from .files import Door, RefusedFileError
from .problems import Spotted

# Pelican's INTRASITE_LINK_REGEX inside its link pattern (pelican/contents.py).
_NAMES_READ = "href|src|poster|data|cite|formaction|action|content"
_LINK = re.compile(
    rf"""(?P<markup><[^>]+(?:{_NAMES_READ})\s*=\s*)"""
    r"""(?P<quote>["'])(?P<path>[{|](?P<what>.*?)[|}](?P<value>.*?))(?P=quote)"""
)
# An attribute `confine` may read a link in: `_LINK` takes any attribute whose name ends so
# (`data-src=`), `_PLAIN_LINK` `href` and `src`.
_READS_NAME = re.compile(f"(?:{_NAMES_READ})$", re.IGNORECASE)
# What Python-Markdown's serializer or the sanitizer's writes otherwise in a value.
_ESCAPED = re.compile('[&<>"\xa0]')
# A plain address in an element's href or src (`images/map.png`): `plain_file_link` decides
# whether it names a file of the content folder.
_PLAIN_LINK = re.compile(
    r"""(?P<markup><(?P<tag>[A-Za-z][\w-]*)\s(?:[^>]*?\s)?(?:href|src)\s*=\s*)"""
    r"""(?P<quote>["'])(?P<value>[^"'{|<>]*)(?P=quote)"""
)
_FILES = {"filename", "static", "attach"}
_NAMES = {"index", "tag", "category", "author"}
# A target's path: plain segments, no escapes Pelican would decode on a second try.
_PATH = re.compile(r"^/?(?:[\w .,+()-]+/)*[\w .,+()-]+$")


@dataclass(frozen=True)
class Target:
    what: str
    path: str  # the file linked to, under the content folder
    needle: str  # what to find in the file for the line
    line: int = 1
    label: str = ""  # how a problem names the link, where not `{what}needle` (a front-matter field)

    @property
    def name(self) -> str:
        return self.label or f"{{{self.what}}}{self.needle}"


def confine(html: str, source_path: str, door: Door) -> tuple[str, list[Spotted], list[Target]]:
    """The HTML with every bad intrasite link removed, the problems, the good targets."""
    problems: list[Spotted] = []
    targets: list[Target] = []

    def replace(match: re.Match[str]) -> str:
        what, value = match["what"], match["value"]
        problem = _check(what, value, source_path, door, targets, typed=match["path"])
        if problem is None:
            return match.group(0)
        problems.append(problem)
        return f"{match['markup']}{match['quote']}{match['quote']}"

    def replace_plain(match: re.Match[str]) -> str:
        value = match["value"]
        if not plain_file_link(match["tag"], value, door):
            return match.group(0)
        problem = _check("static", value, source_path, door, targets, label=value)
        if problem is not None:
            problems.append(problem)
            return f"{match['markup']}{match['quote']}{match['quote']}"
        # Pelican finds the file and writes its address, as for `{static}`, and publishes it.
        return f"{match['markup']}{match['quote']}{{static}}{value}{match['quote']}"

    if "{" in html or "|" in html:
        html = _LINK.sub(replace, html)
    return _PLAIN_LINK.sub(replace_plain, html), problems, targets


def reads_attribute(name: str) -> bool:
    """Whether `confine` may read a link in an attribute of this name."""
    return bool(_READS_NAME.search(name))


def may_find(tag: str, name: str, value: str, door: Door) -> bool:
    """Whether `confine` may find a link in this attribute, written in a start tag alone:
    Pelican's (`{static}…`), or a file's plain address; or its value is one the two
    serializers (Python-Markdown's, the sanitizer's) write otherwise."""
    if value[:1] in ("{", "|") or _ESCAPED.search(value):
        return True
    return name in ("href", "src") and plain_file_link(tag, value, door)


def plain_file_link(tag: str, value: str, door: Door) -> bool:
    """Whether a plain address names a file of the content folder, to be checked as `{static}`
    is: an image's address (`images/map.png`), or a link's to a file of a type the site
    publishes (`files/report.pdf`). An address from the site's root (`/images/map.png`) is
    one too, from the content folder's root: left as written it would miss the site when
    it is published in a subfolder (`https://example.org/explainers/`), and it would not be
    checked. Links to pages (`other.html`, `/about/`), to a part of the page (`#notes`) and
    to other sites are left as they are."""
    if value.startswith("#"):  # a part of the page (the citations' note links): no path
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    if parts.scheme or parts.netloc or not parts.path:
        return False
    extension = os.path.splitext(parts.path)[1].lower().lstrip(".")
    return tag.lower() == "img" or extension in door.static_types


def _check(
    what: str,
    value: str,
    source_path: str,
    door: Door,
    targets: list[Target],
    *,
    label: str = "",
    typed: str = "",
) -> Spotted | None:
    """Why the link is refused, or None (its target added to `targets`). `label`: how a
    problem names the link, where the writer wrote no `{what}` (a plain address, a field);
    `typed`: the link as the HTML holds it (`{what}value` or `|what|value`), to find it by."""
    shown = label or f"{{{what}}}{value}"
    # The link as the writer typed it (`{static}.`, `|attach|x`), not its bare value (`.`,
    # which the body holds at every full stop); a plain address as it is.
    needle = value if label else typed or shown
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        # Pelican keeps them: `{filename}javascript:x.md` becomes `javascript:./x.html`.
        return Spotted(needle, f"{shown}: a link to content names a file or a name, no address", "bad-link")
    if what in _NAMES:
        if _PATH.match(parts.path) or not parts.path:
            return None  # a tag, category or author name: Pelican makes a slug of it
        return Spotted(needle, f"{shown}: name a {what} in plain words", "bad-link")
    if what not in _FILES:
        return Spotted(
            needle,
            f'"{{{what}}}" is not a kind of link Pelican knows (use {{filename}}, {{static}} or {{attach}})',
            "bad-link",
        )
    path = parts.path
    if not path:
        if what == "filename":
            return None  # `{filename}#part`: this very page
        # Pelican reads an empty path as the linking file's own folder, and copies all of it.
        return Spotted(needle, f"{shown}: name the file to link to", "bad-link")
    if not _PATH.match(path) or ".." in path.split("/"):
        return Spotted(
            needle,
            f"{shown}: link to a file by a plain path inside the content folder "
            "(no '..', no %-escapes or entities)",
            "link-outside",
        )
    base = door.root if path.startswith("/") else os.path.dirname(source_path)
    target = os.path.normpath(os.path.join(base, path.lstrip("/")))
    root = os.path.normpath(door.root)
    if not target.startswith(root + os.sep):
        message = f"{shown}: the file is outside the content folder"
        return Spotted(needle, message, "link-outside")
    targets.append(Target(what, target, needle, label=shown))
    return None


def confine_path(
    what: str, value: str, source_path: str, door: Door, *, label: str
) -> tuple[Spotted | None, Target | None]:
    """A path named outside the body (the front matter's `image: file:`), checked as a body's
    `{static}` link is: the problem, or the target to check against the folder. `label`:
    how a problem names it (the field)."""
    targets: list[Target] = []
    problem = _check(what, value, source_path, door, targets, label=label)
    return problem, (targets[0] if targets else None)


def check_target(target: Target, door: Door) -> str | None:
    """Why the file a link reaches cannot be published, or None. Asked of the folder as
    it is now, on every run (a link's outcome is cached by its file's text alone)."""
    if not door.inside(target.path):
        return "the file is a link out of the content folder"
    if not os.path.lexists(target.path):
        return "there is no such file in the content folder"
    if os.path.isdir(target.path) and not os.path.islink(target.path):
        return "this is a folder: name a file in it"
    try:
        door.check(target.path)
    except RefusedFileError as exc:
        return exc.message
    kind = door.kind_of(target.path)
    if kind is None:
        return "the site does not accept this type of file"
    # Pelican finds `{filename}` among pages and `{static}`/`{attach}` among static files;
    # any other pairing is published as the literal text `{filename}…`.
    if target.what == "filename" and kind != "document":
        return "{filename} links to an explainer or article (.md); link to this file with {static}"
    if target.what != "filename" and kind != "static":
        return f"{{{target.what}}} links to an image or file; link to a page with {{filename}}"
    return None
