"""Pagefind as a service: pages handed to it in the order given, not read from a folder.

Pagefind's command line indexes the HTML files of a folder in the order the file system
lists them, and the index it writes follows that order: the same records gave other index
files on tmpfs than on a disk. Its service mode (`pagefind --service`) takes each page's
HTML over its standard input, so the build hands it the pages in the order of their
addresses, and no page is written to a file first (a thousand files a build, each made on
a disk still freeing the last build's).

The protocol is Pagefind's own (what its Python package speaks, `pagefind.service`): each
message a JSON object, base64-encoded and followed by a comma, both ways; each request
carries a number its answer repeats. That package's client is asyncio and polls for an
answer every tenth of a second; this one is synchronous, one request at a time.
"""

from __future__ import annotations

import base64
import json
import subprocess
import tempfile
from typing import Any


class PagefindServiceError(Exception):
    pass


class PagefindService:
    def __init__(self, program: list[str]):
        # What Pagefind says besides its answers goes to a file, read when it fails: a pipe
        # nobody reads would fill and stop it.
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 (closed by `close`)
        try:
            self.process = subprocess.Popen(
                [*program, "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors
            )
        except OSError as exc:  # its program gone or not one: said as the writer can act on it
            self.errors.close()
            raise PagefindServiceError(
                f"Pagefind, which makes the search index, could not be started ({exc.strerror}: "
                f"{program[0]}): install the project's requirements again (requirements.txt)"
            ) from exc
        self.number = 0
        self.unread = b""

    def index(self, pages: list[tuple[str, str]], exclude_selectors: list[str]) -> list[tuple[str, bytes]]:
        """The files of the index of `pages` ((address, HTML), in this order), each (its path
        in the index's folder, its bytes); the index is then dropped from Pagefind's memory.

        Its files are asked for, not written by Pagefind: its answer to "write the files"
        could come before a file was whole (an empty entry file, on a loaded machine)."""
        config = {"exclude_selectors": exclude_selectors}
        index = self.ask({"type": "NewIndex", "config": config}, "NewIndex")["index_id"]
        for address, html in pages:
            # The address as a path under the site: Pagefind makes the page's URL from it as
            # its command line does from a file's place in the folder.
            request = {"type": "AddFile", "index_id": index, "file_path": address, "url": None}
            self.ask({**request, "file_contents": html}, "IndexedFile")
        files = self.ask({"type": "GetFiles", "index_id": index}, "GetFiles")["files"]
        self.ask({"type": "DeleteIndex", "index_id": index}, "DeleteIndex")
        try:
            return [(str(file["path"]), base64.b64decode(file["content"])) for file in files]
        except (KeyError, TypeError, ValueError) as exc:
            raise PagefindServiceError(f"Pagefind sent a file that is not one ({exc})") from exc

    def ask(self, payload: dict[str, Any], answer: str) -> dict[str, Any]:
        self.number += 1
        message = json.dumps({"message_id": self.number, "payload": payload}).encode("utf-8")
        try:
            assert self.process.stdin is not None
            self.process.stdin.write(base64.b64encode(message) + b",")
            self.process.stdin.flush()
            reply = json.loads(base64.b64decode(self._read_message()))
        except (OSError, ValueError) as exc:
            raise PagefindServiceError(f"Pagefind stopped answering ({exc}){self._said()}") from exc
        got = reply.get("payload") or {}
        if got.get("type") == "Error":
            raise PagefindServiceError(f"Pagefind: {got.get('message')}{self._said()}")
        if reply.get("message_id") != self.number or got.get("type") != answer:
            raise PagefindServiceError(f"Pagefind answered {got.get('type')!r} to {payload['type']!r}")
        return got

    def _read_message(self) -> bytes:
        assert self.process.stdout is not None
        while b"," not in self.unread:
            chunk = self.process.stdout.read1(1 << 16)
            if not chunk:
                raise OSError("it ended")
            self.unread += chunk
        message, _, self.unread = self.unread.partition(b",")
        return message

    def _said(self) -> str:
        self.errors.seek(0)
        said = self.errors.read()[-2000:].decode("utf-8", "replace").strip()
        return f": {said}" if said else ""

    def close(self) -> None:
        """Let it end (its standard input closed), or end it."""
        try:
            if self.process.stdin is not None:
                self.process.stdin.close()
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.kill()
        finally:
            self.errors.close()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
