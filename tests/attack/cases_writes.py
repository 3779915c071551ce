"""Writes outside the output folder, and reads from outside the content folder.

Front-matter addresses (`save_as`, `url`, `slug`, `lang`), Pelican's `{static}`/`{attach}`/
`{filename}` link targets, symbolic links and special files in the content folder, and an
OUTPUTDIR that is the content folder, the project, a parent of them, or someone else's folder.
"""

from __future__ import annotations

from attack_content import explainer, other, q
from attack_harness import Case, Fifo, Symlink

CLS = "writes"
UP6 = "../" * 6  # from the plugin's search-record folder in the site's cache up to TMP
CASES: list[Case] = []


def add(id: str, **kwargs) -> None:
    CASES.append(Case(id=f"writes-{id}", cls=CLS, **kwargs))


def front(field: str, value: str, **kwargs) -> dict:
    return {"files": {"evil.md": explainer(front=f"{field}: {q(value)}", **kwargs)}, "line": f"{field}:"}


# --- front matter decides where a page goes -------------------------------------------------

add(
    "save_as-absolute",
    note="save_as: an absolute path outside the output",
    forbidden_paths=("@TMP@/pwned.html",),
    **front("save_as", "@TMP@/pwned.html"),
)
add(
    "save_as-parent",
    note="save_as: ../pwned.html, beside the output folder",
    forbidden_paths=("@SITE@/pwned.html",),
    **front("save_as", "../pwned.html"),
)
add(
    "save_as-grandparent",
    note="save_as: ../../pwned.html",
    forbidden_paths=("@TMP@/pwned.html",),
    **front("save_as", "../../pwned.html"),
)
add(
    "save_as-into-content",
    note="save_as: ../content/pwned.md, a new 'explainer' in the content folder",
    forbidden_paths=("@CONTENT@/pwned.md",),
    **front("save_as", "../content/pwned.md"),
)
add(
    "save_as-git-hook",
    note="save_as: the project's .git/hooks/post-checkout",
    forbidden_paths=("@SITE@/.git/hooks/post-checkout",),
    **front("save_as", "@SITE@/.git/hooks/post-checkout"),
)
add(
    "save_as-site-packages",
    note="save_as: a module in site-packages (code the next run imports)",
    forbidden_paths=("@TMP@/venv/lib/python3.11/site-packages/sitecustomize.py",),
    **front("save_as", "@TMP@/venv/lib/python3.11/site-packages/sitecustomize.py"),
)
PTH_LINE = "import sys;sys.stderr.write(chr(80)+chr(87)+chr(78)+chr(69)+chr(68)+chr(10))#"
add(
    "save_as-venv-pth",
    note="save_as: a .pth file in the project's virtual environment, by a path relative to its cache "
    "(a .pth line that starts with 'import' runs at every Python start)",
    files={
        "evil.md": explainer(
            front=f"save_as: {q('../../../../../.venv/lib/python3.11/site-packages/explainers-evil.pth')}",
            payload=f"A harmless first line\n{PTH_LINE}",
        )
    },
    line="save_as:",
    forbidden_paths=("@SITE@/.venv/lib/python3.11/site-packages/explainers-evil.pth",),
)
add(
    "save_as-victim-glob",
    note="save_as: @TMP@/victim (a file beside victim.txt)",
    forbidden_paths=("@TMP@/victim",),
    **front("save_as", "@TMP@/victim"),
)
for target in ("index.html", "claims.html", "statuses.html", "search.html", "404.html", "sitemap.xml"):
    add(
        f"save_as-{target.replace('.', '-')}",
        note=f"save_as: {target}, a page the site itself writes",
        **front("save_as", target),
    )
add(
    "save_as-feed",
    note="save_as: feeds/all.atom.xml, the feed",
    **front("save_as", "feeds/all.atom.xml"),
)
add(
    "save_as-claims-folder",
    note="save_as: claims (the name of a folder the site writes)",
    **front("save_as", "claims"),
)
add(
    "save_as-theme-script",
    note="save_as: theme/js/notes.js, the theme's own script",
    **front("save_as", "theme/js/notes.js"),
)
add(
    "save_as-other-explainer",
    note="save_as: another explainer's page",
    files={
        "evil.md": explainer(front=f"save_as: {q('another-explainer.html')}"),
        "another.md": other("Another explainer"),
    },
    line="save_as:",
)
add(
    "save_as-pagefind",
    note="save_as: pagefind/pagefind.js, the search script",
    **front("save_as", "pagefind/pagefind.js"),
)
for name in (".htaccess", "CNAME", "_headers", "_redirects"):
    add(
        f"save_as-{name.strip('._').lower()}",
        note=f"save_as: {name}, a file that configures the host",
        forbidden_outputs=(name,),
        **front("save_as", name),
    )
add(
    "url-javascript",
    note="url: javascript:alert(1)",
    **front("url", "javascript:alert(1)"),
)
add(
    "url-traversal",
    note="url: ../../../x (links and the feed point outside the site)",
    **front("url", "../../../../x.html"),
)

# --- slug and lang become file names -------------------------------------------------------

add(
    "slug-traversal",
    note="slug: ../ six times (out of the output and out of the cache)",
    forbidden_paths=("@TMP@/pwned.html", "@SITE@/pwned.html"),
    **front("slug", f"{UP6}pwned"),
)
add(
    "slug-absolute",
    note="slug: an absolute path",
    forbidden_paths=("@TMP@/pwned.html",),
    **front("slug", "@TMP@/pwned"),
)
add(
    "slug-inner-traversal",
    note="slug: a/../../pwned",
    forbidden_paths=("@SITE@/pwned.html",),
    **front("slug", "a/../../pwned"),
)
for slug in ("index", "claims/confirmed", "statuses", "404", "archives"):
    add(
        f"slug-{slug.replace('/', '-')}",
        note=f"slug: {slug}, a page the site itself writes",
        **front("slug", slug),
    )
add(
    "slug-newline",
    note="slug with a newline: a file name with a control character",
    **front("slug", "line\none"),
)
add(
    "slug-nul",
    note="slug with a NUL character",
    **front("slug", "nul\u0000byte"),
)
add(
    "slug-same-title",
    note="two explainers with the same title: one page for both",
    files={"a-first.md": other("Same title"), "b-second.md": other("Same title")},
    culprit="b-second.md",
    expect="error",
)
add(
    "slug-explicit-collision",
    note="slug: the slug another explainer gets from its title",
    files={"evil.md": explainer(front="slug: another-explainer"), "another.md": other("Another explainer")},
    expect="error",
)
add(
    "lang-traversal",
    note="lang: /../../… (Pelican puts lang in the file name of a page not in the default language)",
    forbidden_paths=("@TMP@/pwned.html",),
    **front("lang", "/" + "../" * 7 + "pwned"),
)
add(
    "translation-traversal",
    note="translation: true with lang: /../../…",
    files={
        "evil.md": explainer(front=f"lang: {q('/' + '../' * 7 + 'pwned')}\ntranslation: 'true'"),
    },
    forbidden_paths=("@TMP@/pwned.html",),
)

# --- {static}, {attach}, {filename}: link targets outside the content folder ----------------

for name, link in (
    ("static-parent", "[x]({static}../secret.txt)"),
    ("static-grandparent", "[x]({static}../../secret.txt)"),
    ("attach-parent", "[x]({attach}../secret.txt)"),
    ("attach-grandparent", "[x]({attach}../../secret.txt)"),
    ("attach-etc-passwd", "[x]({attach}../../../../../../../../../../etc/passwd)"),
    ("attach-git-config", "[x]({attach}../.git/config)"),
    ("static-git-config-image", "![x]({static}../.git/config)"),
    ("static-absolute-passwd", "![x]({static}/../../../../../../../../etc/passwd)"),
    ("filename-outside", "[x]({filename}../../secret.md)"),
    ("static-percent-encoded", "[x]({static}%2e%2e/secret.txt)"),
    ("attach-raw-img", '<img alt="" src="{attach}../secret.txt">'),
    ("attach-raw-a", '<a href="{attach}../../outside/leak.png">x</a>'),
):
    add(
        f"link-{name}",
        note=f"body link {link}",
        files={"evil.md": explainer(payload=link)},
        line=link[:12],
    )
add(
    "link-attach-from-subfolder-page",
    note="{attach}../secret.txt from a page saved in a subfolder",
    files={"evil.md": explainer(front="save_as: deep/er/page.html", payload="[x]({attach}../secret.txt)")},
)

# --- symbolic links and special files in the content folder --------------------------------

add(
    "symlink-explainer-outside",
    note="content/leak.md -> an explainer outside the content folder",
    files={"leak.md": Symlink("@TMP@/secret.md")},
    culprit="leak.md",
)
add(
    "symlink-static-outside",
    note="content/images/leak.png -> a secret file outside",
    files={"images/leak.png": Symlink("@TMP@/secret.txt"), "ok.md": explainer()},
    culprit="images/leak.png",
)
add(
    "symlink-static-folder",
    note="content/images -> a folder outside",
    files={"images": Symlink("@TMP@/outside"), "ok.md": explainer()},
    culprit="images",
)
add(
    "symlink-content-subfolder",
    note="content/sub -> a folder of explainers outside",
    files={"sub": Symlink("@TMP@/outside"), "ok.md": explainer()},
    culprit="sub",
)
add(
    "symlink-sources-library",
    note="content/sources/lib.yml -> a sources file outside",
    files={
        "sources/lib.yml": Symlink("@TMP@/secret-sources.yml"),
        "evil.md": explainer(payload="Leaked [@leaked]."),
    },
    culprit="sources/lib.yml",
)
add(
    "symlink-lockfile",
    note="content/sources.lock.json -> a lockfile outside",
    files={"sources.lock.json": Symlink("@TMP@/outside/lock.json"), "ok.md": explainer()},
    culprit="sources.lock.json",
)
add(
    "symlink-etc-passwd",
    note="content/passwd.md -> /etc/passwd",
    files={"passwd.md": Symlink("/etc/passwd"), "ok.md": explainer()},
    culprit="passwd.md",
)
add(
    "symlink-git-config",
    note="content/config.md -> the project's .git/config",
    files={"config.md": Symlink("@SITE@/.git/config"), "ok.md": explainer()},
    culprit="config.md",
)
add(
    "symlink-dev-zero",
    note="content/zero.md -> /dev/zero",
    files={"zero.md": Symlink("/dev/zero"), "ok.md": explainer()},
    culprit="zero.md",
    budget=60,
    memory=1024**3,
)
add(
    "symlink-dev-zero-static",
    note="content/images/zero.png -> /dev/zero (a static file that never ends)",
    files={"images/zero.png": Symlink("/dev/zero"), "ok.md": explainer()},
    culprit="images/zero.png",
    budget=60,
    memory=1024**3,
)
add(
    "fifo-explainer",
    note="content/fifo.md is a FIFO nobody writes to",
    files={"fifo.md": Fifo(), "ok.md": explainer()},
    culprit="fifo.md",
    budget=20,
    concurrent=True,
)
add(
    "fifo-static",
    note="content/images/pipe.png is a FIFO",
    files={"images/pipe.png": Fifo(), "ok.md": explainer()},
    culprit="images/pipe.png",
    budget=20,
    concurrent=True,
)
add(
    "symlink-loop",
    note="content/loop -> the content folder itself",
    files={"loop": Symlink("@CONTENT@"), "ok.md": explainer()},
    culprit="loop",
    budget=20,
    concurrent=True,
)
add(
    "symlink-dangling",
    note="content/gone.md -> a file that does not exist",
    files={"gone.md": Symlink("@TMP@/no-such-file.md"), "ok.md": explainer()},
    culprit="gone.md",
)

# --- OUTPUTDIR: where the build is told to write --------------------------------------------

STAGING = ("site/cache",)
for name, output, allowed, additive, note in (
    ("content", "@CONTENT@", (*STAGING, "site/.content.building-"), (), "the content folder"),
    ("project", "@SITE@", (*STAGING, ".site.building-"), (), "the project folder"),
    ("parent", "@TMP@", (), (), "a parent of the project and content folders"),
    (
        "foreign",
        "@TMP@/foreign",
        (*STAGING, ".foreign.building-"),
        ("foreign",),
        "a non-empty folder that is not a previous build",
    ),
    ("git", "@SITE@/.git", (*STAGING, "site/.git.building-"), ("site/.git",), "the project's .git folder"),
    (
        "site-packages",
        "@TMP@/venv/lib/python3.11/site-packages",
        (*STAGING, "venv/lib/python3.11/.site-packages.building-"),
        ("venv/lib/python3.11/site-packages",),
        "a Python site-packages folder",
    ),
):
    add(
        f"outputdir-{name}",
        note=f"OUTPUTDIR is {note}",
        files={"ok.md": explainer()},
        mode="build",
        output=output,
        culprit=None,
        expect="safe" if additive else "error",
        allowed=allowed,
        additive=additive,
        seed_output=False,
    )
for name, output, allowed in (
    ("content", "@CONTENT@", (*STAGING, "site/.content.building-")),
    ("project", "@SITE@", (*STAGING, ".site.building-")),
):
    add(
        f"make-outputdir-{name}",
        note=f"make html OUTPUTDIR= the {name} folder",
        files={"ok.md": explainer()},
        mode="make-html",
        output=output,
        culprit=None,
        expect="error",
        allowed=allowed,
        seed_output=False,
    )
add(
    "outputdir-symlink-to-content",
    note="the output folder is a symbolic link to the content folder",
    files={"ok.md": explainer(), "../output": Symlink("@CONTENT@")},
    mode="build",
    culprit=None,
    seed_output=False,
)
