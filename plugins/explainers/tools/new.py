"""`make new TITLE="…"`: a new explainer file from a template that already passes `make check`.

Every field of the format is in the template, the optional ones commented out with a
short note, so a writer fills in rather than looks up.
"""

from __future__ import annotations

import datetime
import json
import os

from pelican.utils import slugify

from ..document.model import SOURCE_TYPES
from ..settings import ExplainerSettings

TEMPLATE = """\
---
# yaml-language-server: $schema={schema}
# A new explainer, saved as a draft. Fill in the fields, cite in the body with [@key],
# and run `make check`. Optional fields are commented out: remove the # to use one.
title: {title}
date: {today}
# modified: {today}             # when it last changed; defaults to the newest correction
# summary: One or two sentences on what the reader will learn.
# authors: [Your name]
# category: The section of the site it belongs in
# tags: [A topic, Another topic]
# slug: {slug}                  # the page's file name; made from the title
status: draft                   # draft | published | hidden: change to published when ready
# lang: en

sources:
#  a-source-key:                # your name for it; cite it as [@a-source-key]
#    title: The source's own title, or a description where it has none
#    publisher: Who published it
#    url: https://…             # http or https only
#    archive_url: https://…     # an archived copy; or leave it to `make archive`
#    published: {today}         # or 2025-01 when only the month is known
#    accessed: {today}          # when you last opened it yourself
#    authors: [A Name]
#    type: news                 # {source_types}
#    language: de               # a language tag, only when not the page's language
#    quote: The passage relied on, word for word
#    note: Anything the reader should know about it

claims:
#  - id: a-claim-id             # cite it as [@a-claim-id]
#    text: The claim, as one sentence.
#    status: estimate           # {statuses}
#    by: Who makes the claim
#    sources: [a-source-key]    # or [{{source: a-source-key, locator: p. 4}}]
#    note: Context from the editor

corrections:
#  - date: {today}
#    kind: correction           # correction, clarification or update
#    text: What changed, and why.
---

Write the explainer here, in Markdown. Cite a source or a claim with `[@key]`, several
with `[@a; @b]`, and a place in a source with `[@key, p. 4]` (without the backticks).
"""


class ExistingFileError(Exception):
    pass


def slug_for(title: str, pelican_settings: dict) -> str:
    """Pelican's own slug for the title: lower-case ASCII (transliterated) with hyphens."""
    return slugify(title, regex_subs=pelican_settings.get("SLUG_REGEX_SUBSTITUTIONS", []))


def create(
    title: str,
    *,
    content_path: str,
    pelican_settings: dict,
    settings: ExplainerSettings,
    schema_path: str,
    today: datetime.date | None = None,
) -> str:
    """Write `<slug>.md` in the content folder and return its path; never overwrite a file."""
    slug = slug_for(title, pelican_settings)
    if not slug:
        raise ValueError(f"the title {title!r} gives no usable file name; use letters or digits")
    path = os.path.join(content_path, f"{slug}.md")
    today = today or datetime.date.today()
    text = TEMPLATE.format(
        title=json.dumps(title, ensure_ascii=False),  # a JSON string is a valid YAML string
        today=today.isoformat(),
        slug=slug,
        schema=os.path.relpath(schema_path, content_path),
        statuses=", ".join(settings.statuses),
        source_types=", ".join(SOURCE_TYPES),
    )
    os.makedirs(content_path, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8") as handle:  # "x": fails if it exists
            handle.write(text)
    except FileExistsError as exc:
        raise ExistingFileError(
            f"{os.path.relpath(path)} already exists: edit it, or choose another title"
        ) from exc
    return path
