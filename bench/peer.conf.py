"""The peer: plain Pelican with its default theme and the Markdown extensions this project
uses, read from the project's own settings (never a copy of the list).

The same text as our explainers, each citation a footnote (see bench/generate.py).
"""

import os
import runpy

_project = runpy.run_path(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "pelican.conf.py")
)

AUTHOR = "Bench desk"
SITENAME = "Bench"
SITEURL = "http://127.0.0.1:8000"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
RELATIVE_URLS = True
DEFAULT_PAGINATION = False
ARTICLE_URL = "{slug}.html"
ARTICLE_SAVE_AS = "{slug}.html"
# Footnotes, which the peer's citations are, come with "extra" when the project uses it.
MARKDOWN = _project["MARKDOWN"]
