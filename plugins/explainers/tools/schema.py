"""The JSON Schema of an explainer's front matter, generated from the model.

Editors that speak JSON Schema (VS Code's YAML extension, JetBrains IDEs, Neovim with
yaml-language-server) use it for completion and checks while writing. It is never
written by hand: `make schema` writes it from the same pydantic models the build
validates with, and a test fails when the committed copy is out of date.
"""

from __future__ import annotations

import ast
import inspect
import itertools
import json
import textwrap
from typing import Any

from pydantic import BaseModel

from ..document import fields
from ..document import model as models
from ..document.model import KEY_PATTERN, Explainer, Source
from ..settings import ExplainerSettings


def front_matter_schema(settings: ExplainerSettings) -> dict[str, Any]:
    schema = with_field_docs(Explainer.model_json_schema(), Explainer)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Explainer front matter"
    # A claim's source may also be written as its bare key (the model converts it).
    uses = schema["$defs"]["Claim"]["properties"]["sources"]
    uses["items"] = {"anyOf": [{"type": "string", "pattern": f"^{KEY_PATTERN}$"}, uses["items"]]}
    # The statuses are the site's settings, not part of the model's types.
    status = schema["$defs"]["Claim"]["properties"]["status"]
    status["enum"] = list(settings.statuses)
    status["description"] += " " + "; ".join(f"{k}: {s.description}" for k, s in settings.statuses.items())
    properties = schema["properties"]
    # What the model takes besides its types: `claims:` with nothing under it (YAML null) is
    # none yet, and `tags:` or `authors:` may be one name alone (`_one_or_many`).
    for name in ("sources", "claims", "corrections", "tags", "authors"):
        one = [{"type": "string", "minLength": 1}] if name in ("tags", "authors") else []
        described = {k: properties[name].pop(k) for k in ("title", "description", "default")}
        properties[name] = {**described, "anyOf": [properties[name], *one, {"type": "null"}]}
    # The language tag the build takes (`fields.LANG_RE`, plain ASCII: a regex JSON Schema reads).
    properties["lang"]["anyOf"][0]["pattern"] = fields.LANG_RE.pattern
    # The slug's (`fields.SLUG_RE`) with any letter beyond ASCII taken: an editor's regex knows
    # `\w` in ASCII alone, and must not flag `café` (the build refuses `—` among those).
    letter, word = "(?:[0-9A-Za-z]|[^\\x00-\\x7f])", "(?:[0-9A-Za-z_-]|[^\\x00-\\x7f])"
    properties["slug"]["anyOf"][0]["pattern"] = f"^{letter}(?:{word}*{letter})?$"
    # A category, tag or author is a file name of its own (`fields.MAX_NAME_BYTES`, in bytes: in
    # characters here, exact for ASCII, the build's to say beyond it).
    for named in (
        properties["category"]["anyOf"][0],
        *properties["tags"]["anyOf"][:2],
        *properties["authors"]["anyOf"][:2],
    ):
        named.get("items", named)["maxLength"] = fields.MAX_NAME_BYTES
    as_written(schema)
    # The fields the build takes and no other (`document/fields.py`): the model passes any
    # other field on, and the build then refuses it, so an editor flags a typo (`sumary`,
    # `Status`) as the build does, and knows Pelican's `translation`.
    properties["translation"] = {
        "title": "Translation",
        "description": "true: this file translates the explainer with the same slug, into its `lang`; "
        "false (or no field): it does not.",
        # Quoted, in any case, as the build reads it.
        "anyOf": [
            {"type": "boolean"},
            {"type": "string", "pattern": "^([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])$"},
        ],
    }
    for name in sorted(settings.allow_fields & fields.WRITE_FIELDS):
        properties[name] = {
            "title": name,
            "type": "string",
            "description": 'A template the site lists (EXPLAINERS["TEMPLATES"]).'
            if name == "template"
            else "Where the page is written: a relative path inside the site, such as notes/page.html.",
        }
    schema["additionalProperties"] = False
    schema["description"] = "The front matter of one explainer (docs/writing-explainers.md)."
    return schema


def field_docstrings(model: type[BaseModel]) -> dict[str, str]:
    """The docstring written under each field of `model`'s own class body, by field name."""
    body = ast.parse(textwrap.dedent(inspect.getsource(model))).body[0].body
    return {
        field.target.id: inspect.cleandoc(doc.value.value)
        for field, doc in itertools.pairwise(body)
        if isinstance(field, ast.AnnAssign)
        and isinstance(field.target, ast.Name)
        and isinstance(doc, ast.Expr)
        and isinstance(doc.value, ast.Constant)
        and isinstance(doc.value.value, str)
    }


def with_field_docs(schema: dict[str, Any], root: type[BaseModel]) -> dict[str, Any]:
    """`schema`, the JSON Schema of `root`, with each field's docstring as its description:
    the root's fields, and those of each model it uses (`$defs`, by class name)."""
    for name, properties in [(root.__name__, schema["properties"])] + [
        (name, definition.get("properties", {})) for name, definition in schema.get("$defs", {}).items()
    ]:
        model = getattr(models, name, None)
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            continue
        for field, doc in field_docstrings(model).items():
            if field in properties:
                properties[field]["description"] = doc  # over its type's own, as pydantic puts it
    return schema


def as_written(node: Any) -> Any:
    """`node`, where it asks for text, asking it as the build reads text. Not blank: the
    model strips it before its length. And taking what an editor reads as a number or a
    yes/no too: the build keeps every value as the text written (`frontmatter._TEXT_TAGS`):
    `title: 1984` is the title "1984", `status: false` the status "false"; an editor reads
    YAML's number or boolean there. A choice of words takes the ones so spelt (`false`); any other text
    takes any number or boolean, its pattern the build's to check. (Called before the
    fields whose words the build reads itself are added: `translation`, the write fields.)"""
    if isinstance(node, list):
        for item in node:
            as_written(item)
    elif isinstance(node, dict):
        for value in node.values():
            as_written(value)
        if node.get("type") == "string" and node.get("minLength") and "pattern" not in node:
            node["pattern"] = r"\S"  # the model's text is stripped before its length: not blank
        if node.get("type") == "string":
            if "enum" in node:
                typed = [{"const": value} for value in map(_typed, node["enum"]) if value is not None]
            else:
                typed = [{"type": ["number", "boolean"]}]
            if typed:
                kept = {key: node.pop(key) for key in ("title", "description", "default") if key in node}
                text = dict(node)
                node.clear()
                node.update(kept, anyOf=[text, *typed])
    return node


def _typed(word: str) -> bool | int | float | None:
    """`word` as YAML's core schema types it, where it is a boolean or a number (else None)."""
    if word in ("true", "false"):
        return word == "true"
    try:
        return int(word) if word.lstrip("+-").isdigit() else float(word) if "." in word else None
    except ValueError:
        return None


def sources_file_schema() -> dict[str, Any]:
    """A file of the site-wide sources library: a mapping of keys to sources."""
    source = as_written(with_field_docs(Source.model_json_schema(), Source))
    definitions = source.pop("$defs", {})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Site-wide sources",
        "type": "object",
        "propertyNames": {"pattern": f"^{KEY_PATTERN}$"},
        "additionalProperties": {"$ref": "#/$defs/Source"},
        "$defs": {**definitions, "Source": source},
    }


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
