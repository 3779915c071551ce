"""Pelican's own warnings that say again what the run has already said at a line.

`make check` never runs Pelican, so a warning only Pelican gives would make the build say
more than the check. These are the ones the run reports itself (two pages on one address,
a translation with no original, a file the door refused), or judges not to be a problem
(an image with empty alt text is how a decorative image is marked, WCAG 1.1.1). Every
other Pelican warning is left to say what it says.
"""

from __future__ import annotations

import logging

SAID_ALREADY = {
    "pelican.utils": (
        'There are %s items "%s" with lang %s',
        'All items ("%s") "%s" are translations',
        "There are %s original (not translated) items %s",
    ),
    "pelican.cache": ("Cannot get modification stamp for %s\n\t%s",),
    "pelican.readers": ("Empty alt attribute for image %s in %s",),
}


class SaidAlready(logging.Filter):
    def __init__(self, messages: tuple[str, ...]):
        super().__init__()
        self.messages = messages

    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str) and record.msg.startswith(self.messages))


def install() -> None:
    """On Pelican's loggers themselves, so that every handler is spared them."""
    for name, messages in SAID_ALREADY.items():
        logger = logging.getLogger(name)
        if not any(isinstance(f, SaidAlready) for f in logger.filters):
            logger.addFilter(SaidAlready(messages))
