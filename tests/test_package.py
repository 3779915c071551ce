"""The plugin as a package: the wheel built from this repository, installed into a fresh
venv, used by another Pelican site with Pelican's stock `notmyidea` theme.

No network: the wheel is built without build isolation (hatchling from requirements-dev),
and the fresh venv reaches, through a .pth file, a folder holding only the distributions
the wheel declares (Requires-Dist) and what they declare in turn, linked from this venv: a
dependency the wheel leaves out is missing there, as in a real install. Pelican itself is
copied in, since a namespace plugin must sit in the same `pelican/plugins/` folder as the
Pelican that loads it. And the requirements split: what `make html` installs, and what
`make test` adds.
"""

from __future__ import annotations

import ast
import importlib.metadata
import json
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from email.parser import HeaderParser
from pathlib import Path

from bs4 import BeautifulSoup
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from sitebuild import EXPLAINER, ROOT
from test_make_variables import STAND_IN
from test_makefile import make
from test_media import LEAD, png, same


def run(*args, cwd=None):
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def build_wheel(tmp_path: Path) -> Path:
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
        "-w", str(tmp_path / "dist"), str(ROOT))  # fmt: skip
    return next((tmp_path / "dist").glob("pelican_explainers-*.whl"))


def declared(wheel: Path) -> list[Requirement]:
    """The wheel's Requires-Dist, as pip reads them from its METADATA."""
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = HeaderParser().parsestr(archive.read(name).decode("utf-8"))
    return [Requirement(line) for line in metadata.get_all("Requires-Dist") or []]


def installed_with(requirements: list[Requirement]) -> set[str]:
    """The distributions pip would install for these (found in this venv): each requirement's
    distribution with the extras asked for, and theirs in turn."""
    found: set[str] = set()
    todo = [(r, "") for r in requirements]
    while todo:
        requirement, extra = todo.pop()
        if requirement.marker and not requirement.marker.evaluate({"extra": extra}):
            continue
        distribution = importlib.metadata.distribution(requirement.name)
        name = canonicalize_name(distribution.metadata["Name"])
        for wanted in ["", *sorted(requirement.extras)]:
            if (name, wanted) in found:
                continue
            found.add((name, wanted))
            todo += [(Requirement(r), wanted) for r in distribution.requires or []]
    return {name for name, _ in found}


def link_distributions(names: set[str], folder: Path, but: str) -> None:
    """A site folder with these distributions alone: links to their top-level files and
    folders (and .dist-info) in this venv; `but` the one folder copied instead."""
    folder.mkdir()
    ours = Path(sysconfig.get_paths()["purelib"])
    for name in names:
        for file in importlib.metadata.distribution(name).files or []:
            top = file.parts[0]
            if top in ("..", "__pycache__", but) or top.endswith(".pth") or (folder / top).exists():
                continue
            if (ours / top).exists():
                (folder / top).symlink_to(ours / top)


def plugin_imports() -> set[str]:
    """The top-level modules the plugin's code imports, other than the standard library's."""
    names: set[str] = set()
    for path in (ROOT / "plugins" / "explainers").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names)


def test_the_wheel_declares_every_package_the_plugin_imports(tmp_path: Path):
    """`import PIL` needs pillow, `import babel` babel: each is in the wheel's Requires-Dist,
    not only in this project's requirements.in."""
    requirements = declared(build_wheel(tmp_path))
    names = {canonicalize_name(r.name) for r in requirements}
    providers = importlib.metadata.packages_distributions()
    imports = plugin_imports()
    assert {"PIL", "babel", "yaml", "bs4"} <= imports  # the scan finds imports, by module name
    undeclared = {
        module: providers.get(module)
        for module in imports
        if not names & {canonicalize_name(d) for d in providers.get(module, [])}
    }
    assert undeclared == {}


def install_wheel(tmp_path: Path) -> Path:
    """The wheel built from this repository, in a fresh venv with the distributions it
    declares and nothing else: that venv's python."""
    wheel = build_wheel(tmp_path)
    dependencies = tmp_path / "dependencies"
    link_distributions(installed_with(declared(wheel)), dependencies, but="pelican")

    fresh = tmp_path / "venv"
    venv.create(fresh, with_pip=False)
    python = fresh / "bin" / "python"
    fresh_site = Path(
        run(str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip()
    )
    ours = Path(sysconfig.get_paths()["purelib"])
    shutil.copytree(ours / "pelican", fresh_site / "pelican", ignore=shutil.ignore_patterns("__pycache__"))
    (fresh_site / "declared-dependencies.pth").write_text(f"{dependencies}\n")
    run(
        sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", str(wheel)
    )
    installed = run(str(python), "-c", "import pelican.plugins.explainers as e; print(e.__file__)").stdout
    assert installed.startswith(str(fresh_site / "pelican" / "plugins" / "explainers"))
    return python


def test_the_wheel_works_in_another_site_with_notmyidea(tmp_path: Path):
    python = install_wheel(tmp_path)

    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    # notmyidea leaves Jinja's autoescape off: what the plugin puts in article.content escapes itself.
    (site / "content" / "test.md").write_text(
        EXPLAINER.replace("title: Alpha report", "title: Alpha <script>report</script>")
        .replace("title: A test explainer", "title: A test explainer <script>x</script>")
        .replace("date: 2025-01-14", "slug: a-test-explainer\ndate: 2025-01-14")
        .replace("authors: [Test desk]", "authors: [Test desk <script>y</script>]\ntags: [Q&A <b>z</b>]"),
        encoding="utf-8",
    )
    (site / "pelicanconf.py").write_text(
        'SITENAME = "Another site"\nPATH = "content"\nTHEME = "notmyidea"\nTIMEZONE = "UTC"\n'
        'PLUGINS = ["explainers"]\n'
    )
    built = run(str(python), "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", "output", cwd=site)
    assert "Pagefind" not in built.stdout + built.stderr  # with Pelican's relative CACHE_PATH too
    assert (site / "output" / "pagefind" / "parts.json").is_file()
    assert (site / "output" / "pagefind" / "0" / "pagefind-entry.json").is_file()

    page = BeautifulSoup((site / "output" / "a-test-explainer.html").read_text(encoding="utf-8"), "lxml")
    content = page.select_one("#content article .entry-content")  # notmyidea's article.content
    assert [li["id"] for li in content.select(".explainer-claims li")] == [
        "claim-first-claim",
        "claim-uncited-claim",
    ]
    assert content.select_one(".explainer-claims li").get_text(" ", strip=True).startswith("Confirmed :")
    citation = content.select_one(".explainer-body sup.citation a")
    assert (citation["href"], citation.get_text()) == ("#source-alpha", "1")
    notes = content.select("#sources li")
    assert [note["id"] for note in notes] == ["source-alpha", "source-beta", "source-gamma"]
    assert notes[0].a["href"] == "https://alpha.example/report"
    assert notes[0].a.get_text() == "Alpha <script>report</script>"
    assert page.select_one("h1.entry-title").get_text(strip=True) == "A test explainer <script>x</script>"
    assert page.select("#content script") == []
    assert page.select_one("address.author a").get_text() == "Test desk <script>y</script>"
    assert page.select_one("footer.post-info a[href*='tag/']").get_text() == "Q&A <b>z</b>"
    for name in (
        "index.html",
        "authors.html",
        "tags.html",
        "tag/qa-z.html",
        "author/test-desk-y.html",
    ):
        listing = BeautifulSoup((site / "output" / name).read_text(encoding="utf-8"), "lxml")
        assert listing.select("body script, body b") == [], name
    # The site-wide pages come from the plugin's fallback templates, inside the theme's page.
    statuses = BeautifulSoup((site / "output" / "statuses.html").read_text(encoding="utf-8"), "lxml")
    assert statuses.select_one("#status-confirmed").get_text() == "Confirmed"
    assert page.select_one("link[href$='main.css']") is not None  # the theme's own stylesheet


def test_under_notmyidea_the_content_shows_what_the_projects_theme_shows(tmp_path: Path):
    """The lead image, the corrections log (said when empty), each note's accessed date,
    quote and archived copy, in `article.content`; the method page; a social card drawn
    for an explainer with no lead image (the theme decides whether to use it)."""
    python = install_wheel(tmp_path)
    site = tmp_path / "site"
    (site / "content" / "photos").mkdir(parents=True)
    (site / "content" / "photos" / "lead.png").write_bytes(png())
    (site / "content" / "test.md").write_text(
        EXPLAINER.replace("summary: What the test is about.\n", f"summary: What the test is about.\n{LEAD}")
        .replace("date: 2025-01-14", "slug: a-test-explainer\ndate: 2025-01-14")
        .replace(
            "    accessed: 2025-01-12\n  beta:",
            "    accessed: 2025-01-12\n    quote: The rate rose by a tenth.\n  beta:",
        )
        .replace(
            "    url: https://gamma.example/data\n",
            "    url: https://gamma.example/data\n    language: ja\n    title_is: description\n"
            "    note: Figures for \"2024\" only.\n",
        ),
        encoding="utf-8",
    )
    without = EXPLAINER.replace("title: A test explainer", "title: No corrections\nslug: no-corrections")
    (site / "content" / "plain.md").write_text(
        without[: without.index("corrections:")] + without[without.index("---\nOpening") :], encoding="utf-8"
    )
    (site / "pelicanconf.py").write_text(
        'SITENAME = "Another site"\nPATH = "content"\nTHEME = "notmyidea"\nTIMEZONE = "UTC"\n'
        'PLUGINS = ["explainers"]\nSITEURL = "https://example.org"\n'
    )
    run(str(python), "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", "output", cwd=site)

    def content(name: str):
        page = BeautifulSoup((site / "output" / name).read_text(encoding="utf-8"), "lxml")
        return page.select_one("#content article .entry-content")

    shown = content("a-test-explainer.html")
    # image:                                     (front matter, as LEAD)
    #   file: photos/lead.png
    #   alt: The council chamber, empty
    #   caption: The chamber *before* the vote.
    #   credit: Photo by the press office
    same(
        shown.select_one("figure"),
        """<figure class="explainer-lead-image">
             <img src="https://example.org/photos/lead.png" alt="The council chamber, empty">
             <figcaption><span class="explainer-caption">The chamber <em>before</em> the vote.</span>
               <span class="explainer-credit">Photo by the press office</span></figcaption>
           </figure>""",
    )
    assert (site / "output" / "photos" / "lead.png").read_bytes() == png()
    # corrections:
    #   - date: 2025-01-15
    #     kind: clarification
    #     text: An earlier version said *less*.
    log = shown.select_one("section#corrections")
    assert log.h2.get_text() == "Corrections and updates"
    same(
        log.select_one("li"),
        """<li class="explainer-correction" data-kind="clarification"><time datetime="2025-01-15">15
           January 2025</time>, Clarification: An earlier version said <em>less</em>.</li>""",
    )
    # The log sits between the story and the notes, as on this project's own pages.
    parts = shown.find_all(["section", "div"], recursive=False)
    sections = [tag.get("id") or tag["class"][0] for tag in parts]
    assert sections == ["explainer-claims", "explainer-body", "corrections", "sources"]
    # alpha:  url: https://alpha.example/report, accessed: 2025-01-12, quote: The rate rose by a tenth.
    alpha = shown.select_one("#source-alpha")
    assert "Accessed 12 January 2025." in alpha.get_text(" ", strip=True).replace(" .", ".")
    assert alpha.select_one("time[datetime='2025-01-12']") is not None
    assert alpha.blockquote.get_text() == "The rate rose by a tenth."
    quote_link = alpha.select_one("a.explainer-quote-link")
    assert quote_link["href"] == "https://alpha.example/report#:~:text=The%20rate%20rose%20by%20a%20tenth."
    assert quote_link.get_text() == "See the quote in the source"
    # beta:  archive_url: https://archive.example/beta
    archive = shown.select_one("#source-beta a.explainer-archive")
    assert (archive["href"], archive.get_text()) == ("https://archive.example/beta", "Archived copy")

    # gamma:  title: Gamma dataset, language: ja, title_is: description, note: Figures for "2024" only.
    gamma = shown.select_one("#source-gamma")
    shown_as = "Gamma Institute: Our description: Gamma dataset (in Japanese)"
    assert gamma.get_text(" ", strip=True).startswith(shown_as)
    assert gamma.a["hreflang"] == "ja"
    assert gamma.select_one(".explainer-source-note").get_text() == "Figures for “2024” only."

    # No `corrections:` in the front matter: the log says so.
    empty = content("no-corrections.html").select_one("section#corrections")
    assert empty.select("li") == []
    assert empty.p.get_text() == "No corrections since publication."
    # No lead image: a card is drawn beside the page, as with this project's theme.
    card = site / "output" / "no-corrections.card.png"
    assert card.read_bytes().startswith(b"\x89PNG")
    assert not (site / "output" / "a-test-explainer.card.png").exists()  # shares its lead image
    # The site-wide method page, which every explainer's statuses rest on.
    method = BeautifulSoup((site / "output" / "method.html").read_text(encoding="utf-8"), "lxml")
    assert method.find("h1", string="How we rate claims") is not None
    assert method.select_one("#status-confirmed").get_text() == "Confirmed"
    # The claims index lists every claim (the fallback once looped over a list it was not given).
    claims = BeautifulSoup((site / "output" / "claims.html").read_text(encoding="utf-8"), "lxml")
    listed = [a["href"] for a in claims.select("li a") if "#" in a["href"]]
    assert "https://example.org/a-test-explainer.html#claim-first-claim" in listed


def test_a_theme_may_override_the_plugins_templates(tmp_path: Path):
    """Pelican's namespace auto-discovery (no PLUGINS setting), and a theme of one's own
    explainer page (THEME_TEMPLATES_OVERRIDES): the plugin's fallback steps aside."""
    fresh = install_wheel(tmp_path)
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "content" / "test.md").write_text(EXPLAINER, encoding="utf-8")
    (site / "overrides").mkdir()
    (site / "overrides" / "explainer.html").write_text(
        '{% extends "article.html" %}{% block title %}Ours: {{ article.explainer.claims|length }} claims'
        "{% endblock %}"
    )
    (site / "pelicanconf.py").write_text(
        'SITENAME = "Another site"\nPATH = "content"\nTHEME = "notmyidea"\nTIMEZONE = "UTC"\n'
        'THEME_TEMPLATES_OVERRIDES = ["overrides"]\n'
    )
    run(str(fresh), "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", "output", cwd=site)
    page = BeautifulSoup((site / "output" / "a-test-explainer.html").read_text(encoding="utf-8"), "lxml")
    assert page.title.get_text() == "Ours: 2 claims"
    content = page.select_one("#content article .entry-content")
    assert content.select(".explainer-claims, .explainer-notes") == []  # the theme's page shows them
    assert content.select_one("sup.citation a")["href"] == "#source-alpha"


def test_make_html_installs_the_build_requirements_and_make_test_the_test_tools_too(tmp_path: Path):
    """A stand-in venv whose python records what it is asked: `make html` installs
    requirements.txt alone; `make lint` (as `make test`) adds requirements-dev.txt."""
    bin_folder = tmp_path / "venv" / "bin"
    bin_folder.mkdir(parents=True)
    (bin_folder / "python").write_text(STAND_IN, encoding="utf-8")
    (bin_folder / "python").chmod(0o755)
    log = tmp_path / "log.jsonl"
    (tmp_path / "content").mkdir()
    env = {"STAND_IN_LOG": str(log)}

    def installs() -> list[str]:
        records = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
        log.unlink(missing_ok=True)
        return [Path(r["argv"][r["argv"].index("-r") + 1]).name for r in records if "-r" in r["argv"]]

    venv_option = f"VENV={tmp_path / 'venv'}"
    assert make("html", venv_option, "INPUTDIR=content", cwd=tmp_path, **env).returncode == 0
    assert installs() == ["requirements.txt"]
    assert make("lint", venv_option, cwd=tmp_path, **env).returncode == 0
    assert installs() == ["requirements-dev.txt"]  # the build's stamp is fresh: only the test tools
    assert make("lint", venv_option, cwd=tmp_path, **env).returncode == 0
    assert installs() == []  # both stamps fresh
