"""The site's one settings file.

Publish-time differences go through Pelican's own means, not a second copy of this
file: `make publish` passes `-e SITEURL=… RELATIVE_URLS=false` on the command line.
"""

import os

HERE = os.path.dirname(os.path.abspath(__file__))

AUTHOR = "Explainer desk"
SITENAME = "Explainers"
# The masthead's logo, an image inside the site shown before the name (None: the name alone),
# and the accent colour: blue, red, green, teal or purple (README, "The theme's settings").
SITELOGO = None
SITE_ACCENT = "blue"
# Where the site is served. Pages link to each other relatively (RELATIVE_URLS), so the
# build works from any folder; feeds, the sitemap, canonical links and structured data
# need an absolute address: by default the preview server's, `make serve`. Publishing
# overrides it on the command line: -e SITEURL=https://…
SITEURL = "http://127.0.0.1:8000"
SITE_DESCRIPTION = "What is known, and how well, about the stories in the news: claim by claim, source by source."

PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%-d %B %Y"

# The plugin and theme live beside this file, so that `make html INPUTDIR=/elsewhere`
# builds another content folder with them.
PLUGIN_PATHS = [os.path.join(HERE, "plugins")]
PLUGINS = ["explainers"]
THEME = os.path.join(HERE, "theme")

# Everything from the front matter is escaped by the templates: no raw field reaches a page.
# What builds keep to go faster (the plugin's outcomes and pages, Jinja's compiled
# templates): `make CACHEDIR=…` (the environment's CACHEDIR) puts it elsewhere, a CI cache
# folder for one. Lower case: a name of this file's own, not a Pelican setting.
cache_folder = os.environ.get("CACHEDIR") or os.path.join(HERE, "cache")

# The plugin keeps the compiled templates in CACHE_PATH too (a rebuild need not compile them
# again).
JINJA_ENVIRONMENT = {
    "trim_blocks": True,
    "lstrip_blocks": True,
    "autoescape": True,
}

# The plugin keeps each explainer's outcome here, keyed by the file's content, so a
# rebuild or a check redoes only the files that changed. Pelican's own content cache
# stays off: on a hit it skips the reader, and the file's problems would go unreported.
CACHE_PATH = cache_folder
CACHE_CONTENT = False

# The site-wide sources library is data, not pages.
ARTICLE_EXCLUDES = ["sources"]
PAGE_EXCLUDES = ["sources"]
STATIC_PATHS = ["images"]

# URLs without .html suffix handling: plain, predictable files for any static host.
ARTICLE_URL = "{slug}.html"
ARTICLE_SAVE_AS = "{slug}.html"

# The Atom feeds; their entries carry their source notes, with absolute links. The site's
# feed has each explainer once, in the language it was written in (a translation is not a
# new story: Pelican's FEED_ALL_ATOM would list it beside its original); each language has
# a feed of its own, translations included, which its pages link to.
FEED_ALL_ATOM = None
FEED_ATOM = "feeds/all.atom.xml"
TRANSLATION_FEED_ATOM = "feeds/all-{lang}.atom.xml"
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

DEFAULT_PAGINATION = False
RELATIVE_URLS = True

# Site pages rendered from the theme alone: the usual lists, plus search and a 404 page.
DIRECT_TEMPLATES = ["index", "tags", "categories", "authors", "archives", "search", "404"]

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.smarty": {},
        "markdown.extensions.toc": {"permalink": False},
    },
    "output_format": "html5",
}

# Statuses, their labels, definitions and ClaimReview ratings: see
# plugins/explainers/settings.py for the defaults, and override them here.
EXPLAINERS = {}
