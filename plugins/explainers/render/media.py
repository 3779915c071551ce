"""The lead image as a page shows it: the explainer's image, at the address Pelican gives it.

The image is a static file like any `{static}` link's target: it is handed to Pelican's
static files (`publish`, so one outside STATIC_PATHS is copied too), and its address is
read from them when a template or the social card first asks, since Pelican places
static files after it has made the pages' objects.
"""

from __future__ import annotations

from .view import LeadImageView


class PageImage:
    """`article.lead_image`: the view's image (`file`, `source_path`, `alt`, `caption`,
    `credit`, `decorative`) with its published address, `url` (relative to the site, as
    `article.url` is)."""

    def __init__(self, image: LeadImageView, context: dict):
        self.image = image
        self._context = context

    def __getattr__(self, name: str):
        return getattr(self.image, name)

    @property
    def url(self) -> str:
        static = self._context.get("static_content", {}).get(self.image.file)
        # Pelican's default STATIC_URL is the file's path: the address when it has not placed it.
        return static.url if static is not None else self.image.file


def publish(content) -> PageImage | None:
    """The page's lead image, handed to Pelican's static files; None without one."""
    view = getattr(content, "explainer", None)
    image = view.image if view is not None else None
    if image is None:
        return None
    context = content._context  # the generators' shared context, as Pelican hands it to content
    context.setdefault("static_links", set()).add(image.file)
    return PageImage(image, context)
