"""The plugin's own templates (`explainers/templates/`), for a theme that knows nothing of
explainers.

They are found after the theme's (a fallback): any theme may override each one. A theme
without its own `explainer.html` gets the plugin's, which is the theme's own article page;
the claims, the body and the source notes are then what `article.content` holds, rendered
here with autoescape on, whatever the theme's settings say.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, TemplateNotFound
from markupsafe import Markup

from ..document import dates

FOLDER = Path(__file__).resolve().parent.parent / "templates"


def theme_has(loader, name: str) -> bool:
    try:
        loader.get_source(Environment(), name)
    except TemplateNotFound:
        return False
    return True


def add_fallback(generator) -> None:
    """`generator_init`: the plugin's templates after the theme's; and whether the theme
    has its own explainer page (kept on the generator that writes it)."""
    generator.explainers_theme_page = theme_has(generator.env.loader, "explainer.html")
    generator.env.loader = ChoiceLoader([generator.env.loader, FileSystemLoader(str(FOLDER))])


def content_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(FOLDER)), autoescape=True, trim_blocks=True, lstrip_blocks=True
    )
    env.filters["iso_date"] = dates.iso
    env.filters["display_date"] = dates.display
    return env


def fill_content(generator) -> None:
    """`article_generator_finalized`: for a theme without an explainer page, each
    explainer's `article.content` holds its claims, body and notes."""
    if getattr(generator, "explainers_theme_page", True):
        return
    template = content_environment().get_template("explainers/content.html")
    for article in [*generator.articles, *generator.translations, *generator.drafts]:
        if getattr(article, "explainer", None) is not None:
            # The body is the spine's sanitised HTML; everything else is escaped here.
            article._content = template.render(article=article, body=Markup(article._content))
