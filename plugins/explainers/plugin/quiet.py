"""Pelican's own warnings that say again what the run has already said at a line.

`make check` never runs Pelican, so a warning only Pelican gives would make the build say
more than the check. These are the ones the run reports itself (two pages on one address,
a translation with no original, a file the door refused), or judges not to be a problem
(an image with empty alt text is how a decorative image is marked, WCAG 1.1.1). Every
other Pelican warning is left to say what it says. And the traceback of a build the
content's problems stopped, which Pelican's own command shows after them.
"""

from __future__ import annotations

import logging

from ..document.problems import ContentError

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


class StoppedByTheContent(logging.Filter):
    """`pelican` logs the exception that stopped a build at CRITICAL with its traceback. When
    it is the run stopping on the content's problems, every problem has been reported at its
    line already: the one line saying so is kept, the traceback (the plugin's insides, not
    the writer's concern) is dropped. Any other exception keeps its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], ContentError):
            record.exc_info = None
        return True


def install() -> None:
    """On Pelican's loggers themselves, so that every handler is spared them."""
    for name, messages in SAID_ALREADY.items():
        logger = logging.getLogger(name)
        if not any(isinstance(f, SaidAlready) for f in logger.filters):
            logger.addFilter(SaidAlready(messages))
    logger = logging.getLogger("pelican")  # where `pelican`'s main() logs what stopped it
    if not any(isinstance(f, StoppedByTheContent) for f in logger.filters):
        logger.addFilter(StoppedByTheContent())
