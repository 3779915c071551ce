"""A local HTTP server that plays the cited sites and the archive service, for offline tests.

Pages are set per test (`web.page(...)`); the archive service's two APIs are played
after the Wayback Machine's: `/wayback/available?url=…&timestamp=…` answers with the
closest snapshot recorded, `/save/<url>` records a snapshot of the page as it is now and
redirects to it, and `/web/<timestamp>/<url>` serves the snapshot. Every request is
logged, so tests can say what was asked and when.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Page:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering: longer than the client's timeout is a timeout
    head_status: int | None = None  # a different status for HEAD (405: HEAD refused)


@dataclass
class Request:
    method: str
    path: str
    at: float


class LocalWeb:
    def __init__(self) -> None:
        self.pages: dict[str, Page] = {}
        self.snapshots: dict[str, tuple[str, bytes]] = {}  # url -> (timestamp, body)
        self.save_answers: list[int] = []  # statuses the Save API gives before it saves
        self.requests: list[Request] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def page(self, path: str, html: str = "", status: int = 200, **options) -> str:
        body = f"<!doctype html><title>{path}</title><body>{html}</body>".encode() if html else b""
        self.pages[path] = Page(status, body, **options)
        return self.url(path)

    def redirect(self, path: str, to: str, status: int = 301) -> str:
        self.pages[path] = Page(status, headers={"Location": to})
        return self.url(path)

    def snapshot(self, url: str, timestamp: str, html: str) -> str:
        """An existing snapshot of `url`, as the archive already holds it."""
        self.snapshots[url] = (timestamp, f"<!doctype html><body>{html}</body>".encode())
        return self.snapshot_url(url)

    def snapshot_url(self, url: str) -> str:
        return self.url(f"/web/{self.snapshots[url][0]}/{url}")

    def asked(self, prefix: str) -> list[Request]:
        return [r for r in self.requests if r.path.startswith(prefix)]

    def settings(self, **extra) -> dict:
        return {
            "AVAILABILITY": self.url("/wayback/available"),
            "SAVE": self.url("/save/"),
            "DELAY": 0,
            "TIMEOUT": 2,
            **extra,
        }

    def __enter__(self) -> LocalWeb:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def _handler(web: LocalWeb) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass  # quiet: the tests read web.requests

        def do_HEAD(self) -> None:
            self.answer(head=True)

        def do_GET(self) -> None:
            self.answer(head=False)

        def answer(self, head: bool) -> None:
            web.requests.append(Request(self.command, self.path, time.monotonic()))
            path, _, query = self.path.partition("?")
            if path == "/wayback/available":
                return self.available(urllib.parse.parse_qs(query))
            if path.startswith("/save/"):
                return self.save(self.path.removeprefix("/save/"))
            if path.startswith("/web/"):
                url = self.path.split("/", 3)[3]
                if url in web.snapshots:
                    return self.send(200, web.snapshots[url][1], head=head)
                return self.send(404, b"no snapshot", head=head)
            page = web.pages.get(path)
            if page is None:
                return self.send(404, b"<!doctype html><title>Not found</title>", head=head)
            if page.delay:
                time.sleep(page.delay)
            status = page.head_status if head and page.head_status else page.status
            return self.send(status, page.body, page.headers, head=head)

        def available(self, query: dict) -> None:
            url = query.get("url", [""])[0]
            if url in web.snapshots:
                stamp = web.snapshots[url][0]
                found = {"closest": {"available": True, "status": "200", "timestamp": stamp,
                                     "url": web.snapshot_url(url)}}  # fmt: skip
            else:
                found = {}
            self.send(200, json.dumps({"url": url, "archived_snapshots": found}).encode(),
                      {"Content-Type": "application/json"})  # fmt: skip

        def save(self, url: str) -> None:
            if web.save_answers:
                status = web.save_answers.pop(0)
                return self.send(status, b"busy", {"Retry-After": "0"})
            page = web.pages.get(urllib.parse.urlsplit(url).path)
            stamp = "20251202103000"
            web.snapshots[url] = (stamp, page.body if page else b"")
            return self.send(302, b"", {"Location": f"/web/{stamp}/{url}"})

        def send(self, status: int, body: bytes, headers: dict | None = None, head: bool = False) -> None:
            self.send_response(status)
            headers = {"Content-Type": "text/html; charset=utf-8", **(headers or {})}
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not head:
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)  # unless the client gave up (a timeout test)

    return Handler
