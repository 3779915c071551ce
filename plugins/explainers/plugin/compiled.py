"""Jinja's compiled templates, kept in the cache's folder between runs: a rebuild need not
compile them again. Set by the plugin (`handlers.configure`), not in the settings file, so
that a check, which renders nothing, never loads Jinja."""

from __future__ import annotations

import contextlib
import hashlib
import os

import jinja2
from jinja2 import FileSystemBytecodeCache
from jinja2.bccache import Bucket


def keep_compiled_templates(settings: dict, cache: bool) -> None:
    """Jinja's compiled templates kept in CACHE_PATH, with the plugin's cache (`cache`: the
    site's EXPLAINERS["CACHE"], as the caller read it), unless the site keeps them elsewhere.
    The dev server's preview calls it before it turns the outcome cache off for its run of
    one file: compiling every template again was most of a save's preview."""
    environment = settings.get("JINJA_ENVIRONMENT") or {}
    if "bytecode_cache" in environment or not settings.get("CACHE_PATH") or not cache:
        return
    folder = os.path.join(settings["CACHE_PATH"], "jinja")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:  # a file where the folder should be, a disk it cannot write: compiled each run
        return
    # A new mapping: the one Pelican's defaults hold is shared by every run of this process.
    settings["JINJA_ENVIRONMENT"] = {**environment, "bytecode_cache": CompiledTemplates(folder)}


class CompiledTemplates(FileSystemBytecodeCache):
    """Jinja's cache of compiled templates, which a rebuild may not trust blindly: a template is
    found under its name and its source's checksum and also under what its code was compiled
    with (the environment's syntax and options, Jinja's version), which Jinja's own key leaves
    out; a file that cannot be read back (cut short, garbled) is compiled again, and one that
    cannot be written is not kept."""

    def get_bucket(self, environment, name, filename, source) -> Bucket:
        compiled_under = repr((self.get_cache_key(name, filename), _compiled_under(environment, name)))
        key = hashlib.sha1(compiled_under.encode()).hexdigest()
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # unpickling a file cut short raises anything
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):  # the folder gone or unwritable: compiled again next time
            super().dump_bytecode(bucket)


def _compiled_under(environment, name: str | None) -> tuple:
    """What a template's compiled code depends on besides its source."""
    autoescape = environment.autoescape
    if callable(autoescape):  # decided per template name, when it is compiled
        autoescape = autoescape(name)
    return (
        jinja2.__version__,
        environment.block_start_string,
        environment.block_end_string,
        environment.variable_start_string,
        environment.variable_end_string,
        environment.comment_start_string,
        environment.comment_end_string,
        environment.line_statement_prefix,
        environment.line_comment_prefix,
        environment.trim_blocks,
        environment.lstrip_blocks,
        environment.newline_sequence,
        environment.keep_trailing_newline,
        environment.optimized,
        environment.is_async,
        bool(autoescape),
        sorted(environment.extensions),
        getattr(environment.finalize, "__qualname__", repr(environment.finalize)),
        environment.code_generator_class.__qualname__,
    )
