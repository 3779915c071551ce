"""A web server for this machine's own browser: it answers only requests addressed to
127.0.0.1 or localhost, on its own port.

Binding to 127.0.0.1 is not enough. A page on any site can make its own name point at
127.0.0.1 (DNS rebinding); the browser then treats the local server as that site and lets
the page read what it serves: drafts, and the dev server's list of problems. Such a request
still names the page's site in its Host header, so a server that refuses every other Host
(421 Misdirected Request) gives that page nothing.

Standard library only: `make serve` runs this file with any Python, before `.venv` exists:

    python localhost.py --directory=output --port=8000
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import sys

HOST_NAMES = ("127.0.0.1", "localhost")


def allowed_hosts(port: int) -> frozenset[str]:
    """The Host headers that name this server; a browser leaves out port 80."""
    hosts = {f"{name}:{port}" for name in HOST_NAMES}
    if port == 80:
        hosts.update(HOST_NAMES)
    return frozenset(hosts)


class LocalHandler(http.server.SimpleHTTPRequestHandler):
    """SimpleHTTPRequestHandler that first checks the Host header, for every method."""

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        host = self.headers.get("Host")
        if host is None:
            self.send_error(400, "A Host header is needed")
            return False
        if host.strip().lower() not in allowed_hosts(self.server.server_address[1]):
            self.send_error(421, "This server answers only requests for 127.0.0.1 and localhost")
            return False
        return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--directory", required=True, help="the folder to serve")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    handler = functools.partial(LocalHandler, directory=args.directory)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    with server, contextlib.suppress(KeyboardInterrupt):  # Ctrl-C is how it stops
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
