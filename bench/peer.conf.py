"""The peer: plain Pelican with its default theme and Python-Markdown's footnotes extension.

The same text as our explainers, each citation a footnote (see bench/generate.py).
"""

AUTHOR = "Bench desk"
SITENAME = "Bench"
SITEURL = "http://127.0.0.1:8000"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
RELATIVE_URLS = True
DEFAULT_PAGINATION = False
ARTICLE_URL = "{slug}.html"
ARTICLE_SAVE_AS = "{slug}.html"
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},  # includes footnotes
        "markdown.extensions.smarty": {},
        "markdown.extensions.toc": {"permalink": False},
    },
    "output_format": "html5",
}
