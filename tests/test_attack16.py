"""Attacks on four changes: social cards written by a PNG encoder of the project's own
(render/png.py), cards drawn ahead by a forked process (plugin/cards.py), feed entries and
corrections in the page's language (render/feeds.py, render/language.py), and a stock theme
under autoescape (plugin/templates.py `content_as_html`).

Written by a session that had not written these changes, as a hostile party. A plain test is
an attack that held; a strict xfail is a finding that fails today.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import unicodedata
import zlib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from lxml import etree
from PIL import Image

from explainers.plugin import cards
from explainers.settings import DEFAULT_STATUSES
from sitebuild import CONFFILE, EXPLAINER, ROOT, Site
from test_list_attack import STOCK_THEME
from test_media import LEAD, png
from test_rebuild_equivalence import build, differences, edit, fresh_build
from test_workers import BROKEN, corpus, tree, workers

# --- 1. Cards as PNG (render/png.py, render/card.py) ---------------------------------------

# Titles a writer may type: other scripts, none drawable, emoji, right-to-left, the longest
# allowed (300 characters), words wider than a line, marks the font has no glyph for.
CARD_TITLES = {
    "latin": "Kursk: what “we” know… about the “Zürich café” — a test",
    "greek-cyrillic": "Ελληνικά και русский",
    "rtl": "العربية עברית",
    "cjk": "中文标题",
    "emoji": "🎉🎉 emoji 👍🏽",
    "longest": " ".join(["word"] * 60)[:300],
    "one-long-word": "W" * 300,
    "bidi-controls": "a\u200fb\u202ec",
    "only-a-mark": "\u2060",
}


def chunks(data: bytes) -> list[tuple[bytes, bytes, int]]:
    """A PNG's chunks after its signature: kind, data, and the CRC it carries."""
    found, at = [], 8
    while at < len(data):
        (size,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + size]
        (crc,) = struct.unpack(">I", data[at + 8 + size : at + 12 + size])
        found.append((kind, body, crc))
        at += 12 + size
    assert at == len(data)  # nothing after the last chunk
    return found


@pytest.fixture(scope="module")
def card_site(tmp_path_factory) -> Site:
    site = Site(tmp_path_factory.mktemp("cards"))
    for slug, title in CARD_TITLES.items():
        site.write(
            f"{slug}.md",
            EXPLAINER.replace(
                "title: A test explainer", f"title: {json.dumps(title, ensure_ascii=False)}\nslug: {slug}"
            ),
        )
    built = site.build("-e", 'SITENAME="Site <&> “name” 🎉 عربي"')
    assert built.code == 0, built.stderr
    return site


@pytest.mark.parametrize("slug", CARD_TITLES)
def test_every_card_is_a_valid_png_by_a_second_decoder(card_site, slug):
    """x.card.png: \\x89PNG, IHDR 1200×630 8-bit palette, PLTE, IDAT, IEND; each CRC right;
    the pixels inflated by zlib are 630 rows of a filter byte 0 and 1200 indices, each
    within the palette."""
    data = (card_site.output / f"{slug}.card.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    found = chunks(data)
    assert [kind for kind, _, _ in found] == [b"IHDR", b"PLTE", b"IDAT", b"IEND"]
    assert all(crc == zlib.crc32(kind + body) for kind, body, crc in found)
    width, height, depth, colour, compression, filtering, interlace = struct.unpack(">IIBBBBB", found[0][1])
    assert (width, height, depth, colour, compression, filtering, interlace) == (1200, 630, 8, 3, 0, 0, 0)
    palette = found[1][1]
    assert len(palette) % 3 == 0
    assert 1 <= len(palette) // 3 <= 256
    assert found[3][1] == b""
    rows = zlib.decompress(found[2][1])
    assert len(rows) == height * (width + 1)
    lines = [rows[row * (width + 1) : (row + 1) * (width + 1)] for row in range(height)]
    assert {line[0] for line in lines} == {0}  # filter: none
    assert max(max(line[1:]) for line in lines) < len(palette) // 3
    # Pillow agrees, and reads the same pixels.
    Image.open(io.BytesIO(data)).verify()
    image = Image.open(io.BytesIO(data))
    assert (image.mode, image.size) == ("P", (1200, 630))
    assert image.tobytes() == b"".join(line[1:] for line in lines)


def blank_card(site: Site) -> bytes:
    """The card of an explainer whose title the font cannot draw at all."""
    return (site.output / "only-a-mark.card.png").read_bytes()


def test_a_title_in_another_script_leaves_the_title_out_of_the_card(card_site):
    # Documented: "a title in another script: the card then leaves it out rather than draw boxes".
    for slug in ("greek-cyrillic", "rtl", "cjk", "emoji", "bidi-controls"):
        assert (card_site.output / f"{slug}.card.png").read_bytes() == blank_card(card_site), slug
    assert (card_site.output / "latin.card.png").read_bytes() != blank_card(card_site)


@pytest.mark.parametrize(
    "title",
    [
        unicodedata.normalize("NFD", "Café prices"),  # e + U+0301
        "Cost of\u200b living",  # zero-width space
        "Cost of liv\u00ading",  # soft hyphen
    ],
    ids=["nfd", "zero-width-space", "soft-hyphen"],
)
def test_a_latin_title_with_an_invisible_or_combining_character_is_still_drawn(tmp_path, title):
    site = Site(tmp_path)
    site.write(
        "x.md",
        EXPLAINER.replace(
            "title: A test explainer", f"title: {json.dumps(title, ensure_ascii=False)}\nslug: x"
        ),
    )
    site.write("blank.md", EXPLAINER.replace("title: A test explainer", 'title: "\\u2060"\nslug: blank'))
    assert site.build().code == 0
    # The page shows the title; the card must show it too, not the background alone.
    assert site.page("x.html").select_one("h1").get_text().strip() == title
    assert (site.output / "x.card.png").read_bytes() != (site.output / "blank.card.png").read_bytes()


# --- 2. Cards drawn ahead (plugin/cards.py) -----------------------------------------------


@pytest.fixture
def ahead_finishes_first(monkeypatch) -> list[int]:
    """The head start draws every card before the run takes them (no race to lose): the
    number of cards it had drawn, once a run."""
    counts: list[int] = []
    stop = cards.HeadStart.stop

    def finished_first(self):
        if self.drawn is None:
            self.drawer.wait()
            counts.append(len([name for name in os.listdir(self.folder) if name.endswith(".png")]))
        return stop(self)

    monkeypatch.setattr(cards.HeadStart, "stop", finished_first)
    return counts


ORIGINAL = EXPLAINER.replace("title: A test explainer", "title: Twin title\nslug: twin-a")
TWIN = EXPLAINER.replace("title: A test explainer", "title: Twin title\nslug: twin-b")  # one card, two paths
FRENCH = ORIGINAL.replace("summary:", "lang: fr\ntranslation: true\nsummary:")
DRAFT = EXPLAINER.replace("title: A test explainer", "title: A draft\nslug: a-draft\nstatus: draft")
WITH_LEAD = EXPLAINER.replace("title: A test explainer", "title: With a lead\nslug: with-lead").replace(
    "summary: What the test is about.\n", "summary: What the test is about.\n" + LEAD
)
ODD_SITE = ("-e", 'SITENAME="Ça & <co> “—” 🎉\\\\ %s {x}"')


def custom_statuses(count: int) -> tuple[str, str]:
    statuses = {key: {**spec, "label": f"{spec['label']} ✓ <b>"} for key, spec in DEFAULT_STATUSES.items()}
    return ("-e", "EXPLAINERS=" + json.dumps({"WORKERS": count, "STATUSES": statuses}))


def ahead_corpus(root: Path) -> Site:
    site = corpus(
        root,
        ("twin-a.md", ORIGINAL),
        ("twin-a-fr.md", FRENCH),
        ("twin-b.md", TWIN),
        ("a-draft.md", DRAFT),
        ("with-lead.md", WITH_LEAD),
    )
    (site.content / "photos").mkdir()
    (site.content / "photos" / "lead.png").write_bytes(png())
    return site


def test_cards_drawn_ahead_give_the_site_one_worker_builds_with_every_kind_of_explainer(
    tmp_path, ahead_finishes_first
):
    """Drafts, a translation, a lead image, two explainers with one title and counts, custom
    statuses and a site name with odd characters: byte for byte the WORKERS=1 site."""
    site = ahead_corpus(tmp_path)
    built = site.build(*custom_statuses(2), *ODD_SITE)
    assert built.code == 0, built.stderr
    assert len(ahead_finishes_first) == 1
    assert ahead_finishes_first[0] >= 16  # the cards were drawn ahead
    assert (site.output / "twin-a.card.png").read_bytes() == (site.output / "twin-b.card.png").read_bytes()
    assert not (site.output / "with-lead.card.png").exists()
    assert not list((tmp_path / "cache").rglob("cards-ahead-*"))
    assert not list(site.output.rglob("*.part"))
    shutil.rmtree(tmp_path / "cache")
    one = site.build(*custom_statuses(1), *ODD_SITE, "-o", str(tmp_path / "one"))
    assert one.code == 0, one.stderr
    assert tree(site.output) == tree(tmp_path / "one")


def test_a_failed_build_then_a_good_one_gives_the_site_a_fresh_build_gives(tmp_path, ahead_finishes_first):
    site = ahead_corpus(tmp_path)
    site.write("broken.md", BROKEN)
    assert site.build(*workers(2)).code == 1
    (site.content / "broken.md").unlink()
    built = site.build(*workers(2))
    assert built.code == 0, built.stderr
    assert not list((tmp_path / "cache").rglob("cards-ahead-*"))
    one = site.build(*workers(1), "-o", str(tmp_path / "one"), "-e", f"CACHE_PATH={tmp_path / 'cache-one'}")
    assert one.code == 0, one.stderr
    assert tree(site.output) == tree(tmp_path / "one")


def build_command(site: Site, output: Path, cache: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "explainers",
        "build",
        str(site.content),
        "-s",
        str(CONFFILE),
        "-e",
        f"CACHE_PATH={cache}",
        "-o",
        str(output),
        *extra,
    ]


def environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "plugins")}


# A build that kills itself (SIGKILL, as a CI timeout or the OOM killer does) the moment its
# head start has begun: after the read-ahead stored the files' outcomes in the cache.
KILLED_AFTER_READ_AHEAD = """
import os, signal, sys
from explainers.plugin import cards
from explainers.tools import cli
start = cards.HeadStart.start.__func__
def start_then_die(cls, run):
    head = start(cls, run)
    with open(sys.argv[1], "w") as out:
        out.write(f"{head.drawer.pid} {head.folder}" if head else "")
    os.kill(os.getpid(), signal.SIGKILL)
cards.HeadStart.start = classmethod(start_then_die)
cli.main(sys.argv[2:])
"""


def wait_gone(pid: int) -> None:
    """Until process `pid` has ended (not a child of this one: a pidfd says when)."""
    try:
        handle = os.pidfd_open(pid)
    except ProcessLookupError:
        return
    try:
        ready, _, _ = select.select([handle], [], [], 120)  # an event waited for; 120 s only a guard
        assert ready, f"process {pid} outlived the build that forked it"
    finally:
        os.close(handle)


def killed_after_read_ahead(site: Site, said: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    """A build killed (SIGKILL) once its head start has begun: `said` names that process and its folder."""
    command = [sys.executable, "-c", KILLED_AFTER_READ_AHEAD, str(said)]
    command += build_command(site, site.output, tmp_path / "cache")[3:]
    return subprocess.run(command, env=environment(), cwd=tmp_path, check=False)


def test_a_killed_builds_head_start_ends_with_it(tmp_path):
    site = corpus(tmp_path)
    said = tmp_path / "head-start"
    killed = killed_after_read_ahead(site, said, tmp_path)
    assert killed.returncode == -signal.SIGKILL
    pid, folder = said.read_text().split()
    assert Path(folder).is_dir()  # it had begun
    wait_gone(int(pid))  # the head start dies with its build (PR_SET_PDEATHSIG)
    assert not site.output.exists()  # and nothing was written where the site goes


def test_a_build_after_a_killed_one_leaves_nothing_of_it_in_the_cache(tmp_path):
    site = corpus(tmp_path)
    said = tmp_path / "head-start"
    killed_after_read_ahead(site, said, tmp_path)
    pid, _ = said.read_text().split()
    wait_gone(int(pid))
    built = site.build(*workers(2))
    assert built.code == 0, built.stderr
    one = site.build(*workers(1), "-o", str(tmp_path / "one"), "-e", f"CACHE_PATH={tmp_path / 'cache-one'}")
    assert one.code == 0, one.stderr
    assert tree(site.output) == tree(tmp_path / "one")  # the site is right (held)
    assert list((tmp_path / "cache").rglob("cards-ahead-*")) == []  # the killed build's folder


def test_two_builds_sharing_one_cache_at_once_each_write_the_one_worker_site(tmp_path):
    site = corpus(tmp_path)
    shared = tmp_path / "shared-cache"
    builds = [
        subprocess.Popen(
            build_command(site, tmp_path / name, shared, *workers(2)),
            env=environment(),
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for name in ("first", "second")
    ]
    outcomes = [(build.wait(), build.communicate()) for build in builds]
    assert [code for code, _ in outcomes] == [0, 0], outcomes
    one = site.build(*workers(1), "-o", str(tmp_path / "one"))
    assert one.code == 0, one.stderr
    assert tree(tmp_path / "first") == tree(tmp_path / "one")
    assert tree(tmp_path / "second") == tree(tmp_path / "one")
    assert not list(shared.rglob("cards-ahead-*"))
    assert not list(shared.rglob("*.part"))
    # And one after the other on the same cache: the second finds everything cached.
    again = subprocess.run(
        build_command(site, tmp_path / "third", shared, *workers(2)),
        env=environment(),
        cwd=tmp_path,
        check=False,
    )
    assert again.returncode == 0
    assert tree(tmp_path / "third") == tree(tmp_path / "one")
    assert not list(shared.rglob("cards-ahead-*"))


def injected(page: BeautifulSoup) -> list[str]:
    """The scripts a writer's `alert(…)` became (not JSON-LD, which holds it as a string)."""
    return [script.get_text() for script in page.select("script") if script.get_text().startswith("alert(")]


def children() -> set[int]:
    """This process's child processes (each thread's, as Linux lists them)."""
    found: set[int] = set()
    for task in Path("/proc/self/task").iterdir():
        with contextlib.suppress(FileNotFoundError):
            found |= {int(pid) for pid in (task / "children").read_text().split()}
    return found


def everything(root: Path, *leaving_out: str) -> set[str]:
    return {
        str(path.relative_to(root))
        for path in root.rglob("*")
        if path.relative_to(root).parts[0] not in leaving_out
    }


def test_a_build_that_draws_ahead_leaves_no_process_and_writes_only_its_output_and_cache(tmp_path):
    site = ahead_corpus(tmp_path)
    before_files, before_children = everything(tmp_path), children()
    built = site.build(*workers(2))  # the head start racing the run, as in every build
    assert built.code == 0, built.stderr
    assert children() == before_children  # the head start stopped and reaped, the jobs too
    assert everything(tmp_path, "output", "cache") == before_files  # the content untouched, nothing beside
    assert not list((tmp_path / "cache").rglob("cards-ahead-*"))
    assert not list(tmp_path.rglob("*.part"))
    one = site.build(*workers(1), "-o", str(tmp_path / "one"), "-e", f"CACHE_PATH={tmp_path / 'cache-one'}")
    assert one.code == 0, one.stderr
    assert tree(site.output) == tree(tmp_path / "one")


# --- 3. Feeds and corrections in the page's language (render/feeds.py, render/language.py) ---

ATOM = {"a": "http://www.w3.org/2005/Atom"}
# A writer's correction and a source's title carrying markup and entities, as typed.
MARKED_UP = EXPLAINER.replace(
    "title: Alpha report", 'title: "Alpha & <b>report</b> &amp; &lt;i&gt;"'
).replace(
    "text: An earlier version said *less*.",
    'text: "An earlier version said *less* & <b>bold</b> &amp; &lt;script&gt;x&lt;/script&gt;."',
)


def translated(text: str, lang: str) -> str:
    return text.replace("summary:", f"lang: {lang}\ntranslation: true\nsummary:")


def words(element) -> str:
    return " ".join(element.get_text().split())


@pytest.mark.parametrize("kind", ["correction", "clarification", "update"])
def test_every_feed_is_atom_and_says_what_its_page_says_in_any_language(site, kind):
    """A translation in a language with a catalog (fr), with one by region (fr-CA: French),
    and without (de, pt-BR: English); a correction and a source title with markup and
    entities. Each feed parses as XML; each entry's headings, correction and source notes are
    its page's words, and no markup the writer typed becomes an element."""
    text = MARKED_UP.replace("kind: clarification", f"kind: {kind}")
    site.write("test.md", text)
    for lang in ("fr", "fr-CA", "de", "pt-BR"):
        site.write(f"test-{lang}.md", translated(text, lang))
    built = site.build()
    assert built.code == 0, built.stderr
    feeds = sorted(path.name for path in (site.output / "feeds").glob("*.xml"))
    assert feeds == [
        "all-de.atom.xml", "all-en.atom.xml", "all-fr-CA.atom.xml", "all-fr.atom.xml", "all-pt-BR.atom.xml",
        "all.atom.xml",
    ]  # fmt: skip
    for name in feeds:
        feed = etree.parse(str(site.output / "feeds" / name)).getroot()  # well-formed XML
        assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
        for entry in feed.findall("a:entry", ATOM):
            address = entry.find("a:link", ATOM).get("href")
            content = BeautifulSoup(entry.find("a:content", ATOM).text, "lxml")
            page = site.page(address.removeprefix("http://127.0.0.1:8000/"))
            # The page's section headings include the entry's (but "Key claims", a feed's own).
            headings = [words(h2) for h2 in content.select("h2")]
            assert set(headings[1:]) <= {words(h2) for h2 in page.select("h2")}, (name, headings)
            # <li>15 janvier 2025, Mise à jour: An earlier version said less & <b>bold</b> …</li>
            assert words(content.select("ol")[1].li) == words(page.select_one(".corrections__list li")), name
            # <li id="source-alpha">Alpha News: Alpha & <b>report</b> &amp; &lt;i&gt;.</li>: the
            # page's note has the same words (with its number, the date accessed and backlinks).
            for note in content.select("li[id^=source-]"):
                first = words(note).split(". ")[0]  # the publisher and title
                assert first in words(page.select_one(f"li#{note['id']}")), name
            for element in (content, page.select_one("main") or page):
                assert not element.select("b, i") or all(
                    "bold" not in b.get_text() for b in element.select("b")
                )
                assert "x" not in [script.get_text() for script in element.select("script")], name
    french = BeautifulSoup(
        etree.parse(str(site.output / "feeds" / "all-fr-CA.atom.xml"))
        .getroot()
        .find("a:entry/a:content", ATOM)
        .text,
        "lxml",
    )
    assert [words(h2) for h2 in french.select("h2")] == [
        "Affirmations clés",
        "Corrections et mises à jour",
        "Sources",
    ]


# --- 4. A stock theme under autoescape (plugin/templates.py `content_as_html`) ---------------

PLAIN_WITH_SUMMARY = """\
Title: Plain &lt;script&gt;alert(1)&lt;/script&gt; <i>it</i> &quot; onmouseover=&quot;alert(6)
Date: 2025-01-10
Summary: S <img src=x onerror=alert(2)> <b onclick="alert(3)">b</b> &lt;script&gt;alert(4)&lt;/script&gt;

Body &lt;script&gt;alert(5)&lt;/script&gt; and a [link]({filename}test.md).
"""


@pytest.mark.parametrize("theme", [STOCK_THEME, ()], ids=["notmyidea", "own"])
def test_nothing_a_writer_types_in_a_plain_article_becomes_an_element_under_either_theme(tmp_path, theme):
    """Title, summary and body with raw HTML and entities: on every page and list, shown as
    text or refused, never an <img>, an on… attribute or a <script> with the writer's words."""
    site = Site(tmp_path)
    site.write("test.md", EXPLAINER)
    site.write("plain.md", PLAIN_WITH_SUMMARY)
    built = site.build(*theme)
    assert built.code == 0, built.stderr
    pages = sorted(site.output.rglob("*.html"))
    assert len(pages) > 5
    for path in pages:
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        assert not page.select("img[onerror], [onclick], [onmouseover]"), path.name
        assert injected(page) == [], path.name
    plain = next(path for path in pages if path.name.startswith("plain"))
    link = BeautifulSoup(plain.read_text(encoding="utf-8"), "lxml").find("a", string="link")
    assert link["href"] == "./a-test-explainer.html"  # {filename} resolved, as under the own theme


@pytest.mark.parametrize("theme", [STOCK_THEME, ()], ids=["notmyidea", "own"])
def test_raw_html_in_a_plain_articles_body_is_refused_under_either_theme(tmp_path, theme):
    site = Site(tmp_path)
    site.write("plain.md", "Title: Plain\nDate: 2025-01-10\n\nBody <script>alert(1)</script>.\n")
    built = site.build(*theme)
    assert built.code == 1
    assert built.problems == ["content/plain.md:4: error: raw HTML in the body: <script> is not allowed"]


# What the writer types                    what notmyidea's article.html makes of it, today:
# Summary: A &quot;&gt;&lt;script&gt;…     <meta name="description" content="A "><script>…</script>" />
BREAKOUT = "A &quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; &#34; onmouseover=&#34;alert(2)"
SHOWN = 'A "><script>alert(1)</script> " onmouseover="alert(2)'


@pytest.mark.parametrize(
    ("name", "text", "address", "shown_in"),
    [
        # The own theme describes a plain article by the site's description; its summary is listed.
        (
            "plain.md",
            f"Title: Plain\nDate: 2025-01-10\nSummary: {BREAKOUT}\n\nBody.\n",
            "index.html",
            ".entry__summary",
        ),
        (
            "test.md",
            EXPLAINER.replace("What the test is about.", json.dumps(BREAKOUT)),
            "a-test-explainer.html",
            'meta[name="description"]',
        ),
    ],
    ids=["plain-article", "explainer"],
)
def test_the_own_theme_shows_a_summary_with_entities_as_text(tmp_path, name, text, address, shown_in):
    site = Site(tmp_path)
    site.write(name, text)
    assert site.build().code == 0
    for page in (
        site.page(address),
        site.page(name.replace(".md", ".html").replace("test", "a-test-explainer")),
    ):
        assert injected(page) == []
        assert not page.select("[onmouseover]")
    shown = site.page(address).select_one(shown_in)
    assert shown.get("content", shown.get_text()).strip() == SHOWN


@pytest.mark.parametrize(
    ("name", "text", "address"),
    [
        ("plain.md", f"Title: Plain\nDate: 2025-01-10\nSummary: {BREAKOUT}\n\nBody.\n", "plain.html"),
        (
            "test.md",
            EXPLAINER.replace("What the test is about.", json.dumps(BREAKOUT)),
            "a-test-explainer.html",
        ),
    ],
    ids=["plain-article", "explainer"],
)
def test_a_stock_theme_keeps_a_summary_inside_its_description_attribute(tmp_path, name, text, address):
    site = Site(tmp_path)
    site.write(name, text)
    assert site.build(*STOCK_THEME).code == 0
    page = site.page(address)
    # Today: <meta content="A " name="description"/><script>alert(1)</script> …
    assert injected(page) == []
    assert not page.select("[onmouseover]")
    assert page.select_one('meta[name="description"]')["content"] == SHOWN


def test_reruns_of_one_pelican_instance_after_a_failed_run_leave_nothing_behind(tmp_path, monkeypatch):
    """`pelican -r` runs one Pelican instance again and again: a run stopped by a content
    error (its head start left running: no `_abandon` there), then a run with every file
    edited (so it draws ahead again) gives the one-worker site, and leaves no folder drawn
    ahead and no process."""
    import argparse  # noqa: PLC0415

    from pelican import Pelican  # noqa: PLC0415

    from explainers.document.problems import ContentError  # noqa: PLC0415
    from explainers.tools import cli  # noqa: PLC0415

    site = corpus(tmp_path, ("broken.md", BROKEN))
    started: list = []
    start = cards.HeadStart.start.__func__

    def recording(cls, run):
        started.append(start(cls, run))
        return started[-1]

    monkeypatch.setattr(cards.HeadStart, "start", classmethod(recording))
    before_children = children()
    args = argparse.Namespace(
        input=str(site.content),
        settings=str(CONFFILE),
        extra_settings=[f"CACHE_PATH={tmp_path / 'cache'}", "EXPLAINERS=" + json.dumps({"WORKERS": 2})],
    )
    output = tmp_path / "rerun"
    pelican = Pelican(cli.load_settings(args, OUTPUT_PATH=str(output)))
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        with pytest.raises(ContentError):
            pelican.run()
        (site.content / "broken.md").unlink()
        for path in sorted(site.content.glob("*.md")):
            path.write_text(path.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
        pelican.run()
    finally:
        os.chdir(cwd)
    assert len(started) == 2
    assert None not in started  # each run drew ahead
    assert children() == before_children
    assert not list((tmp_path / "cache").rglob("cards-ahead-*"))
    one = site.build(*workers(1), "-o", str(tmp_path / "one"), "-e", f"CACHE_PATH={tmp_path / 'cache-one'}")
    assert one.code == 0, one.stderr
    (tmp_path / "one" / ".explainers-output").unlink()  # the command's mark on its folder, not Pelican's
    assert tree(output) == tree(tmp_path / "one")


def test_a_rebuild_under_a_stock_theme_is_the_fresh_build(tmp_path):
    """Under notmyidea (autoescape on), a summary and a body edited between two builds with
    a warm cache and the previous output: the rebuild is, byte for byte, the fresh build."""
    site = Site(tmp_path / "site")
    site.write("test.md", EXPLAINER)
    site.write("other.md", EXPLAINER.replace("title: A test explainer", "title: Another\nslug: other"))
    site.write("plain.md", "Title: Plain\nDate: 2025-01-10\nSummary: First *summary*.\n\nPlain *text*.\n")
    build(site, *STOCK_THEME)
    edit(site, "plain.md", "First *summary*.", "Second **summary** &amp; more.")
    edit(site, "test.md", "What the test is about.", "What the test is now about.")
    build(site, *STOCK_THEME)
    assert site.page("index.html").find(string=lambda text: "Second" in text) is not None
    assert differences(site.output, fresh_build(site.content, tmp_path / "fresh", *STOCK_THEME)) == []


def modes(folder: Path) -> dict[str, int]:
    return {str(path.relative_to(folder)): path.stat().st_mode for path in sorted(folder.rglob("*"))}


def another_file_system(tmp_path: Path) -> Path:
    """A folder on tmpfs, when the tests' folders are on another file system."""
    other = Path("/dev/shm")
    if not other.is_dir() or other.stat().st_dev == tmp_path.stat().st_dev:
        pytest.skip("no second file system for the cache")
    return Path(tempfile.mkdtemp(prefix="attack16-cache-", dir=other))


def test_cards_drawn_ahead_into_a_cache_on_another_file_system_are_copied_whole(
    tmp_path, ahead_finishes_first
):
    """CACHE_PATH on tmpfs, the output on the disk: a card drawn ahead cannot be moved into
    place (EXDEV), so it is copied; the site, its files' modes too, is the one-worker site
    with the same cache (the search index aside: it differs by the cache's file system
    alone, a finding of its own below)."""
    site = ahead_corpus(tmp_path)
    outputs = {"ahead": site.output, "one": tmp_path / "one"}
    for name, count in (("ahead", 2), ("one", 1)):
        cache = another_file_system(tmp_path)
        try:
            built = site.build(*workers(count), "-o", str(outputs[name]), "-e", f"CACHE_PATH={cache}")
            assert built.code == 0, built.stderr
            assert not list(cache.rglob("cards-ahead-*"))
        finally:
            shutil.rmtree(cache, ignore_errors=True)
    assert len(ahead_finishes_first) == 1
    assert ahead_finishes_first[0] >= 16
    ahead, one = tree(outputs["ahead"]), tree(outputs["one"])
    assert [name for name in ahead if name.endswith(".card.png")]
    assert {k: v for k, v in ahead.items() if not k.startswith("pagefind/")} == {
        k: v for k, v in one.items() if not k.startswith("pagefind/")
    }
    shown = {k: v for k, v in modes(outputs["ahead"]).items() if not k.startswith("pagefind/")}
    assert shown == {k: v for k, v in modes(outputs["one"]).items() if not k.startswith("pagefind/")}


def test_the_search_index_does_not_depend_on_the_caches_file_system(tmp_path):
    """Found here: the index followed the order the cache's file system listed the records
    in (Pagefind's command line over a folder), so a CI with its cache on tmpfs published
    other bytes. The records are now handed to Pagefind's service in address order."""
    site = corpus(tmp_path)
    cache = another_file_system(tmp_path)
    try:
        built = site.build(*workers(1), "-e", f"CACHE_PATH={cache}")
        assert built.code == 0, built.stderr
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    disk = site.build(
        *workers(1), "-o", str(tmp_path / "disk"), "-e", f"CACHE_PATH={tmp_path / 'disk-cache'}"
    )
    assert disk.code == 0, disk.stderr
    assert tree(site.output) == tree(tmp_path / "disk")


@pytest.mark.parametrize("theme", [STOCK_THEME, ()], ids=["notmyidea", "own"])
def test_feeds_stay_atom_with_a_summary_given_as_markup(tmp_path, theme):
    """Summary: Fish & chips <em>x</em> &amp; 1 < 2 -> <summary type="html">Fish &amp;amp; chips
    &amp;lt;em&amp;gt;x…</summary>: the summary (Markup under notmyidea) is escaped once for the
    XML, as under the own theme; every feed parses."""
    site = Site(tmp_path)
    site.write(
        "plain.md", "Title: Plain\nDate: 2025-01-10\nSummary: Fish & chips <em>x</em> &amp; 1 < 2\n\nText.\n"
    )
    site.write("test.md", EXPLAINER.replace("What the test is about.", '"Fish & chips &amp; 1 < 2"'))
    built = site.build(*theme)
    assert built.code == 0, built.stderr
    summaries = []
    for path in sorted((site.output / "feeds").glob("*.xml")):
        feed = etree.parse(str(path)).getroot()
        summaries += [entry.find("a:summary", ATOM).text for entry in feed.findall("a:entry", ATOM)]
    assert sorted(set(summaries)) == [
        "Fish &amp; chips &amp; 1 &lt; 2",
        "Fish &amp; chips &lt;em&gt;x&lt;/em&gt; &amp; 1 &lt; 2",
    ]


def test_a_rebuild_that_changes_no_card_draws_none_ahead(tmp_path, ahead_finishes_first):
    site = corpus(tmp_path)
    assert site.build(*workers(2)).code == 0
    assert ahead_finishes_first == [16]
    for path in sorted(site.content.glob("*.md")):
        path.write_text(path.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    assert site.build(*workers(2)).code == 0
    assert ahead_finishes_first[1:] in ([], [0])  # no card to draw: no head start, or one drawing none
