"""Beyond the brief's list: Pelican's link syntax keeping the scheme of what follows it,
site-wide source keys that are paths, the lockfile as an input, publish builds, and
benign content the corpus expects to build (so that a failing attack is never the
harness's own doing).
"""

from __future__ import annotations

import json

from attack_content import explainer, other, pelican_page, q
from attack_harness import Case

CLS = "beyond"
X = "alert(document.domain)"
PUBLISH = {"build_extra": ("--publish", "-e", "SITEURL=https://example.org"), "check_extra": ("--strict",)}
CASES: list[Case] = []


def add(id: str, **kwargs) -> None:
    CASES.append(Case(id=f"{kwargs.get('cls', CLS)}-{id}", **{"cls": CLS, **kwargs}))


LIBRARY_ALPHA = (
    "{key}:\n  title: Library source\n  publisher: Library Press\n"
    "  url: https://library.example/\n  accessed: 2025-01-12\n"
)

# --- Pelican's {filename}/{index}/{tag} links keep the scheme that follows them ----------------
add(
    "filename-keeps-scheme",
    files={
        "evil.md": explainer(payload="[x]({filename}javascript:another.md)"),
        "another.md": other("Another explainer"),
    },
    line="[x]({filename}",
    expect="error",
    note="[x]({filename}javascript:another.md): Pelican keeps the javascript: scheme",
)
add(
    "filename-keeps-scheme-publish",
    files={
        "evil.md": explainer(payload="[x]({filename}javascript:another.md)"),
        "another.md": other("Another explainer", front=f"slug: {q('x%0A' + X + '%0A')}"),
    },
    line="[x]({filename}",
    expect="error",
    note="the same in a publish build, with a slug that makes the address run alert()",
    **PUBLISH,
)
add(
    "index-keeps-scheme",
    files={"evil.md": explainer(payload=f"[x]({{index}}javascript:{X})")},
    line="[x]({index}",
    expect="error",
    note="[x]({index}javascript:…)",
)
add(
    "tag-keeps-scheme",
    files={"evil.md": explainer(payload=f'<a href="{{tag}}javascript:{X}">x</a>')},
    line="<a href",
    expect="error",
    note='<a href="{tag}javascript:…">',
)
add(
    "static-keeps-scheme",
    files={
        "evil.md": explainer(payload="![x]({static}data:images/pic.png)"),
        "images/pic.png": b"\x89PNG\r\n\x1a\n",
    },
    line="![x]",
    expect="error",
    note="![x]({static}data:images/pic.png)",
)

# --- site-wide source keys are file names ----------------------------------------------------
for name, key in (
    ("traversal", "a/../../../../../../pwned"),
    ("index", "a/../../index"),
    ("claims", "a/../../claims"),
):
    add(
        f"library-key-{name}",
        files={
            "sources/lib.yml": LIBRARY_ALPHA.format(key=key),
            "evil.md": explainer(payload=f"From the library [@{key}]."),
        },
        culprit="sources/lib.yml",
        line=1,
        forbidden_paths=("@TMP@/pwned.html", "@SITE@/pwned.html"),
        note=f"a site-wide source key {key!r}: its page is sources/KEY.html",
    )
add(
    "slug-library-page",
    files={
        "sources/lib.yml": LIBRARY_ALPHA.format(key="libsrc"),
        "evil.md": explainer(front="slug: sources/libsrc", payload="From the library [@libsrc]."),
    },
    line="slug:",
    note="an explainer whose page is a site-wide source's page",
)

# --- the lockfile is content too ----------------------------------------------------------------
for name, address, expect in (
    ("javascript", f"javascript:{X}", "error"),
    ("quote", f'https://web.archive.org/x"onmouseover="{X}', "safe"),
    ("data", "data:text/html,x", "error"),
):
    add(
        f"lockfile-archive-{name}",
        files={
            "sources.lock.json": json.dumps(
                {
                    "sources": {
                        "https://alpha.example/report": {
                            "archive_url": address,
                            "archived": "2025-01-12",
                            "status": 200,
                        }
                    }
                },
                indent=2,
            ),
            "ok.md": explainer(),
        },
        culprit="sources.lock.json",
        line=3,
        expect=expect,
        note=f"an archived copy at {address[:40]!r}",
    )
add(
    "source-url-quote",
    files={
        "evil.md": explainer().replace(
            "https://alpha.example/report", f'https://alpha.example/"onmouseover="{X}'
        )
    },
    note="a source url with a quote (no white space, so it is a valid address)",
)
add(
    "publish-pelican-page-script",
    files={"plain.md": pelican_page("Title: Plain\nDate: 2025-01-14", f"<script>{X}</script>\n")},
    culprit="plain.md",
    line="<script>",
    note="a publish build of a Pelican page with a script",
    **PUBLISH,
)
add(
    "publish-save_as-absolute",
    files={"evil.md": explainer(front=f"save_as: {q('@TMP@/pwned.html')}")},
    line="save_as:",
    forbidden_paths=("@TMP@/pwned.html",),
    note="a publish build with save_as outside the output",
    **PUBLISH,
)

# --- benign content: what the corpus expects to build ----------------------------------------
SANITY = "sanity"
add(
    "benign-explainer",
    cls=SANITY,
    files={"good.md": explainer()},
    culprit=None,
    expect="pass",
    note="a plain explainer",
)
add(
    "benign-code",
    cls=SANITY,
    files={
        "good.md": explainer(
            payload=(
                "Write `<script>alert(1)</script>` and `[@alpha]` in code.\n\n```html\n<img onerror=x>\n```"
            )
        )
    },
    culprit=None,
    expect="pass",
    note="markup and citations inside code are text",
)
add(
    "benign-figure",
    cls=SANITY,
    files={
        "good.md": explainer(
            payload='<figure>\n<img src="https://alpha.example/a.png" alt="A chart">\n</figure>'.replace(
                "https://alpha.example/a.png", "a.png"
            )
        ),
        # The image is there: a missing one is an error at its line, as any linked file's.
        "a.png": b"\x89PNG\r\n\x1a\n",
    },
    culprit=None,
    expect="pass",
    note="a raw <figure> with a relative image",
)
add(
    "benign-attribute-text",
    cls=SANITY,
    files={"good.md": explainer(payload='<abbr title="a &lt;b&gt; tag">HTML</abbr> is fine.')},
    culprit=None,
    expect="pass",
    note="an attribute whose text looks like markup",
)
add(
    "benign-image",
    cls=SANITY,
    files={
        "good.md": explainer(payload="![A chart]({static}images/chart.png)"),
        "images/chart.png": b"\x89PNG\r\n\x1a\n",
    },
    culprit=None,
    expect="pass",
    note="an image in images/, linked with {static}, as the settings' STATIC_PATHS invite",
)
add(
    "benign-pelican-page",
    cls=SANITY,
    files={"pages/about.md": pelican_page("Title: About", "We explain the news.\n"), "good.md": explainer()},
    culprit=None,
    expect="pass",
    note="an ordinary Pelican page",
)
add(
    "benign-library",
    cls=SANITY,
    files={
        "sources/lib.yml": LIBRARY_ALPHA.format(key="libsrc"),
        "good.md": explainer(payload="Also [@libsrc]."),
    },
    culprit=None,
    expect="pass",
    note="a site-wide source, cited",
)
add(
    "benign-publish",
    cls=SANITY,
    files={"good.md": explainer()},
    culprit=None,
    expect="pass",
    note="a publish build of a plain explainer",
    **PUBLISH,
)
add(
    "benign-make",
    cls=SANITY,
    files={"good.md": explainer()},
    culprit=None,
    expect="pass",
    mode="make",
    note="make check and make html on a plain explainer",
)
