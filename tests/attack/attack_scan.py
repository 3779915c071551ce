"""What a reader's browser would get from a built site: every HTML and XML file scanned
twice, with BeautifulSoup (what a naive parser sees) and with a small HTML5-style
tokenizer over the raw text (what a browser sees: raw-text elements, comment quirks,
`<!-->`, `--!>`, CDATA as a bogus comment, control characters in addresses).

Only observables: the files as written. Nothing here knows the project's internals.
Each function returns findings, one short line each ("what got through").
"""

from __future__ import annotations

import gzip
import html
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import idna
from bs4 import BeautifulSoup

HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".svg", ".shtml"}
XML_SUFFIXES = {".xml", ".atom", ".rss"}

# Attributes whose value a browser treats as an address (or list of addresses).
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "srcset",
    "imagesrcset",
    "poster",
    "background",
    "ping",
    "data",
    "cite",
    "longdesc",
    "usemap",
    "manifest",
    "codebase",
    "lowsrc",
    "dynsrc",
    "icon",
    "profile",
    "archive",
    "classid",
    "itemtype",
}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
# Elements that never come from the theme (the search form is the theme's own: allowed there).
FORBIDDEN_ELEMENTS = {
    "svg",
    "math",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "form",
    "portal",
    "style",
    "xmp",
    "plaintext",
    "listing",
    "noembed",
    "noframes",
    "template",
    "isindex",
}
RAWTEXT = {"script", "style", "xmp", "iframe", "noembed", "noframes", "noscript"}
RCDATA = {"title", "textarea"}
SITE_HOSTS = {"127.0.0.1:8000", "example.org"}  # the preview server and the publish cases' SITEURL
RESOURCE_ATTRIBUTES = {"src", "srcset", "poster", "data", "background", "imagesrcset"}
THEME_SCRIPT = re.compile(r"(^|/)theme/js/(notes|search|devserver)(\.[0-9a-f]+)?\.js$")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def normalise_url(value: str) -> str:
    """An address as a browser's URL parser reads its scheme: C0 controls and spaces
    stripped at the ends, tabs and newlines removed everywhere, lower case."""
    value = re.sub(r"[\t\n\r]", "", value)
    value = value.strip("".join(chr(c) for c in range(0x21)))
    return value.lower()


def bad_address(name: str, value: str) -> str | None:
    name = name.lower()
    if name in ("srcset", "imagesrcset"):
        candidates = [part.strip().split(" ")[0] for part in value.split(",")]
    elif name in ("ping", "archive"):
        candidates = value.split()
    else:
        candidates = [value]
    for candidate in candidates:
        url = normalise_url(candidate)
        if url.startswith(BAD_SCHEMES):
            return candidate
    return None


# --- a small HTML tokenizer with a browser's view of raw text -----------------------

_ATTR_NAME_END = set(" \t\n\f\r/>=")
_SPACE = " \t\n\f\r"


class Tag:
    __slots__ = ("attrs", "end", "name", "start")

    def __init__(self, name: str, attrs: list[tuple[str, str]], start: int, end: int):
        self.name, self.attrs, self.start, self.end = name, attrs, start, end

    def get(self, name: str) -> str | None:
        for key, value in self.attrs:
            if key == name:
                return value
        return None


def tokenize(text: str) -> tuple[list[Tag], list[tuple[int, int, str]]]:
    """Start tags a browser would create (outside raw text and comments), and the
    regions it would swallow (start, end, why)."""
    tags: list[Tag] = []
    swallowed: list[tuple[int, int, str]] = []
    n = len(text)
    i = 0
    while i < n:
        j = text.find("<", i)
        if j < 0:
            break
        if text.startswith("<!--", j):
            if text.startswith("<!-->", j):
                i = j + 5
                continue
            if text.startswith("<!--->", j):
                i = j + 6
                continue
            ends = [(k, len(t)) for t in ("-->", "--!>") if (k := text.find(t, j + 4)) >= 0]
            if not ends:
                swallowed.append((j, n, "an unclosed <!-- comment"))
                break
            k, length = min(ends)
            i = k + length
            continue
        if text.startswith(("<!", "<?"), j):  # bogus comment: CDATA and doctype included
            k = text.find(">", j)
            if k < 0:
                swallowed.append((j, n, "an unclosed <! declaration"))
                break
            i = k + 1
            continue
        if text.startswith("</", j):
            k = text.find(">", j)
            i = n if k < 0 else k + 1
            continue
        if j + 1 < n and text[j + 1].isascii() and text[j + 1].isalpha():
            tag, end = _start_tag(text, j)
            tags.append(tag)
            i = end
            name = tag.name
            if name == "plaintext":
                swallowed.append((end, n, "<plaintext>"))
                break
            if name in ("select", "template"):
                # Inside <select> a browser drops every tag but option/optgroup (until </select>
                # or an input/textarea closes it); inside <template> nothing is rendered.
                ends = [rf"</{name}[\s/>]"] + (
                    [r"<(input|keygen|textarea)[\s/>]"] if name == "select" else []
                )
                close = re.compile("|".join(ends), re.I).search(text, end)
                stop = close.start() if close else n
                swallowed.append((end, stop, f"an unclosed <{name}>" if close is None else f"<{name}>"))
                continue
            if name in RAWTEXT or name in RCDATA:
                close = re.compile(rf"</{re.escape(name)}[\s/>]", re.I).search(text, end)
                if close is None:
                    swallowed.append((end, n, f"an unclosed <{name}>"))
                    break
                swallowed.append((end, close.start(), f"<{name}>"))
                k = text.find(">", close.start())
                i = n if k < 0 else k + 1
            continue
        i = j + 1
    return tags, swallowed


def _start_tag(text: str, j: int) -> tuple[Tag, int]:
    n = len(text)
    k = j + 1
    while k < n and text[k] not in _SPACE and text[k] not in "/>":
        k += 1
    name = text[j + 1 : k].lower()
    attrs: list[tuple[str, str]] = []
    while k < n:
        while k < n and (text[k] in _SPACE or text[k] == "/"):
            k += 1
        if k >= n:
            break
        if text[k] == ">":
            k += 1
            return Tag(name, attrs, j, k), k
        start = k
        k += 1  # the first character may be "="
        while k < n and text[k] not in _ATTR_NAME_END:
            k += 1
        attr = text[start:k].lower()
        while k < n and text[k] in _SPACE:
            k += 1
        value = ""
        if k < n and text[k] == "=":
            k += 1
            while k < n and text[k] in _SPACE:
                k += 1
            if k < n and text[k] in "\"'":
                quote = text[k]
                end = text.find(quote, k + 1)
                end = n if end < 0 else end
                value = text[k + 1 : end]
                k = end + 1
            else:
                start = k
                while k < n and text[k] not in _SPACE and text[k] != ">":
                    k += 1
                value = text[start:k]
        if attr not in (a for a, _ in attrs):
            attrs.append((attr, html.unescape(value)))
    return Tag(name, attrs, j, n), n


# --- the rules ------------------------------------------------------------------------


def _script_allowed(attrs: dict) -> bool:
    kind = (attrs.get("type") or "").strip().lower()
    src = attrs.get("src")
    if kind == "application/ld+json" and src is None:
        return True
    return src is not None and bool(THEME_SCRIPT.search(src.split("?")[0])) and kind in ("", "module")


TABLE_ALIGN = re.compile(r"^\s*text-align\s*:\s*(left|right|center)\s*;?\s*$")


def browser_frame_host(url: str) -> str | None:
    """The host a browser loads an https frame from (None when it is not one): tabs and
    newlines removed, backslashes read as slashes, any number of slashes after the scheme,
    user info dropped, %-escapes decoded and the name mapped as IDNA (UTS 46) does."""
    url = re.sub(r"[\t\n\r]", "", url).strip("".join(chr(c) for c in range(0x21))).replace("\\", "/")
    match = re.match(r"^https:/*([^/?#]*)", url, re.I)
    if match is None:
        return None
    authority = match[1].rsplit("@", 1)[-1]
    host = (
        authority
        if authority.startswith("[")
        else authority.rsplit(":", 1)[0]
        if ":" in authority
        else authority
    )
    host = unquote(host)
    try:
        return idna.encode(host, uts46=True, transitional=False).decode("ascii").lower()
    except (idna.IDNAError, UnicodeError, ValueError):
        return host.lower()


SANDBOX_ALLOWED = {"allow-scripts", "allow-same-origin"}


def frame_allowed(attrs: dict, frame_hosts: tuple[str, ...]) -> bool:
    """An embed the site allows: https on one of its hosts, with no port or user info, in the
    sandbox the writers' guide names (never popups, forms, top navigation), no srcdoc."""
    src = str(attrs.get("src") or "")
    host = browser_frame_host(src)
    authority = re.match(r"^[a-z]+:/*([^/?#]*)", normalise_url(src))
    sandbox = attrs.get("sandbox")
    tokens = set((" ".join(sandbox) if isinstance(sandbox, list) else str(sandbox or "")).lower().split())
    return (
        bool(frame_hosts)
        and host in frame_hosts
        and authority is not None
        and "@" not in authority[1]
        and re.match(r"^[^:]*(:(443)?)?$", authority[1]) is not None  # https's own port only
        and sandbox is not None
        and tokens <= SANDBOX_ALLOWED
        and "srcdoc" not in attrs
    )


def _element_findings(
    name: str,
    attrs: dict,
    where: str,
    search_page: bool,
    page: bool = True,
    *,
    frame_hosts: tuple[str, ...] = (),
) -> list[str]:
    found = []
    framed = name == "iframe" and page and frame_allowed(attrs, frame_hosts)
    if name == "iframe" and page and frame_hosts and not framed:
        found.append(f"{where}: <iframe src={str(attrs.get('src'))[:60]!r}> the site does not allow")
    if name == "script" and not _script_allowed(attrs):
        found.append(f"{where}: <script {_short(attrs)}>")
    if (
        name in FORBIDDEN_ELEMENTS
        and not framed
        and not (name == "form" and search_page and attrs.get("role") == "search")
    ):
        found.append(f"{where}: <{name}> element")
    equiv = attrs.get("http-equiv")
    if name == "meta" and equiv is not None:
        # The theme's own policy is the one http-equiv a page may carry, and only a strict one.
        policy = attrs.get("content") or ""
        strict = "script-src 'self'" in policy and "unsafe-inline" not in policy
        if str(equiv).lower() != "content-security-policy" or not strict:
            found.append(f"{where}: <meta http-equiv={equiv!r}>")
    for attr, raw in attrs.items():
        value = " ".join(raw) if isinstance(raw, list) else str(raw)
        if attr.startswith("on"):
            found.append(f"{where}: event handler {attr}= on <{name}>")
        elif attr == "style" and not (name in ("td", "th") and TABLE_ALIGN.match(value)):
            # Python-Markdown aligns table columns with style="text-align: …"; nothing else.
            found.append(f"{where}: style= attribute on <{name}>")
        elif attr == "ping":
            found.append(f"{where}: ping= attribute on <{name}>")
        elif attr == "srcdoc":
            found.append(f"{where}: srcdoc= attribute on <{name}>")
        if attr in URL_ATTRIBUTES and (bad := bad_address(attr, value)) is not None:
            found.append(f"{where}: {attr}={bad[:60]!r} on <{name}>")
        if attr in ("values", "to", "from", "by") and "javascript:" in normalise_url(value):
            found.append(f"{where}: {attr}={value[:60]!r} on <{name}> (SVG animation to a script address)")
        if CONTROL.search(value) and attr in URL_ATTRIBUTES:
            found.append(f"{where}: control character in {attr}= on <{name}>")
    found += _other_sites(name, {k: v for k, v in attrs.items() if not (framed and k == "src")}, where, page)
    if name == "meta" and "url=" in (attrs.get("content") or "").lower():
        content = attrs.get("content") or ""
        url = content.lower().split("url=", 1)[1]
        if normalise_url(url.strip("'\"")).startswith(BAD_SCHEMES):
            found.append(f"{where}: meta refresh to {url[:60]!r}")
    return found


def _host(url: str) -> str | None:
    """The host of an absolute or scheme-relative address, else None."""
    match = re.match(r"^(?:https?:)?//([^/?#]+)", normalise_url(url))
    return match[1] if match else None


def _other_sites(name: str, attrs: dict, where: str, page: bool) -> list[str]:
    found = []
    for attr in RESOURCE_ATTRIBUTES & attrs.keys():
        value = str(attrs[attr])
        urls = [part.strip().split(" ")[0] for part in value.split(",")] if "srcset" in attr else [value]
        for url in urls:
            host = _host(url)
            if host and host not in SITE_HOSTS:
                found.append(f"{where}: <{name} {attr}> loads from another host ({host})")
    # The promise is about the site's pages (a feed reader decides how it opens links).
    if page and name == "a" and (host := _host(str(attrs.get("href") or ""))) and host not in SITE_HOSTS:
        rel = attrs.get("rel") or ""
        rel = set(rel if isinstance(rel, list) else str(rel).split())
        if not {"noopener", "noreferrer"} <= rel:
            found.append(f"{where}: link to {host} without rel=noopener noreferrer")
    return found


def _short(attrs: dict) -> str:
    return " ".join(f"{k}={str(v)[:30]!r}" for k, v in list(attrs.items())[:3])


def scan_html(
    text: str, where: str, *, page: bool = True, search_page: bool = False, frame_hosts: tuple[str, ...] = ()
) -> list[str]:
    """Findings for one HTML document (page=True) or fragment (a feed entry)."""
    found: list[str] = []
    # 1. What a naive parser sees.
    soup = BeautifulSoup(text, "lxml")
    for element in soup.find_all(True):
        found += _element_findings(
            element.name.lower(), dict(element.attrs), where, search_page, page, frame_hosts=frame_hosts
        )
        if element.name == "link" and page and element.find_parent("head") is None:
            found.append(f"{where}: <link> in the body")
        if element.name == "script" and (element.get("type") or "").lower() == "application/ld+json":
            try:
                json.loads(element.string or "")
            except ValueError:
                found.append(f"{where}: JSON-LD that is not JSON")
    # 2. What a browser sees.
    tags, swallowed = tokenize(text)
    ids: dict[str, int] = {}
    for tag in tags:
        attrs = dict(tag.attrs)
        found += [
            f"{f} [browser view]"
            for f in _element_findings(tag.name, attrs, where, search_page, page, frame_hosts=frame_hosts)
        ]
    # What the reader is shown: tags outside <select>/<template> regions (raw text has no tags).
    live = [t for t in tags if not any(s <= t.start < e for s, e, _ in swallowed)]
    for tag in live:
        if tag.get("id") is not None:
            ids[tag.get("id")] = ids.get(tag.get("id"), 0) + 1
    if page:
        duplicates = sorted(key for key, count in ids.items() if count > 1)
        if duplicates:
            found.append(f"{where}: duplicate ids {duplicates[:6]}")
        live_classes = {c for tag in live for c in (tag.get("class") or "").split()}
        if "site-footer" not in live_classes:
            at = text.find('class="site-footer"')
            why = next((w for s, e, w in swallowed if s <= at < e), "missing")
            found.append(f"{where}: the page's footer is hidden ({why})")
        if 'class="explainer"' in text:
            for hook in ("claims", "sources"):
                if ids.get(hook, 0) == 0:
                    why = next((w for s, e, w in swallowed if s < text.find(f'id="{hook}"') < e), "missing")
                    found.append(f"{where}: #{hook} is hidden from the reader ({why})")
            found += _structure(soup, where)
    if CONTROL.search(text):
        found.append(f"{where}: control character {CONTROL.search(text).group()!r} in the page")
    # Duplicate messages from the two views say the same thing once.
    return list(dict.fromkeys(_dedupe(found)))


def _dedupe(found: list[str]) -> list[str]:
    plain = {f for f in found if not f.endswith("[browser view]")}
    return [f for f in found if not (f.endswith(" [browser view]") and f[: -len(" [browser view]")] in plain)]


def _structure(soup: BeautifulSoup, where: str) -> list[str]:
    """The explainer page's own parts sit where the theme put them, not inside content."""
    found = []
    for hook in ("claims", "sources"):
        element = soup.find(id=hook)
        if element is None:
            continue
        chain = [parent.name for parent in element.parents if parent.name != "[document]"]
        if chain != ["article", "main", "body", "html"]:
            shown = " > ".join(reversed(chain))
            shown = shown if len(shown) < 120 else f"{shown[:60]} … {shown[-50:]} ({len(chain)} levels)"
            found.append(f"{where}: #{hook} sits inside {shown}")
    return found


def scan_feed(text: str, where: str) -> list[str]:
    found = []
    try:
        root = ET.fromstring(text.encode("utf-8"))
    except ET.ParseError as exc:
        return [f"{where}: not well-formed XML ({exc})"]
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag in ("content", "summary", "description") and element.text:
            found += scan_html(element.text, f"{where} <{tag}>", page=False)
        if tag == "link" and element.get("href") and bad_address("href", element.get("href")):
            found.append(f"{where}: feed link {element.get('href')[:60]!r}")
        if tag in ("loc", "id") and element.text and bad_address("href", element.text.strip()):
            found.append(f"{where}: <{tag}> {element.text[:60]!r}")
    return found


def read_maybe_compressed(path: Path) -> bytes:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(data)
        except (OSError, EOFError):
            return data
    return data


def scan_output(
    output: Path, secrets: list[str], theme_static: Path, frame_hosts: tuple[str, ...] = ()
) -> list[str]:
    """Every file a successful build wrote. `frame_hosts`: the hosts the site allows embeds
    from (its pages may frame them; its feeds never do)."""
    found: list[str] = []
    for path in sorted(output.rglob("*")):
        rel = path.relative_to(output).as_posix()
        if CONTROL.search(rel) or "\n" in rel:
            found.append(f"output file name with a control character: {rel!r}")
        if path.is_symlink():
            found.append(f"{rel}: a symbolic link in the output (to {path.readlink()})")
            continue
        if not path.is_file():
            continue
        data = read_maybe_compressed(path)
        for secret in secrets:
            if secret.encode() in data:
                found.append(f"{rel}: holds {secret[:24]!r} from outside the content folder")
        suffix = path.suffix.lower()
        if rel.startswith("theme/") and (theme_static / rel.removeprefix("theme/")).is_file():
            if data != (theme_static / rel.removeprefix("theme/")).read_bytes():
                found.append(f"{rel}: the theme's own file was overwritten")
            continue
        if suffix in HTML_SUFFIXES or suffix in XML_SUFFIXES:
            text = data.decode("utf-8", "replace")
            if suffix in XML_SUFFIXES and text.lstrip().startswith("<?xml"):
                found += scan_feed(text, rel)
            elif suffix == ".svg":
                # An SVG image may be an <svg>; what matters is whether it can run anything.
                found += [f for f in scan_html(text, rel, page=False) if "element" not in f]
            else:
                found += scan_html(
                    text, rel, page=True, search_page=rel == "search.html", frame_hosts=frame_hosts
                )
    return found
