"""`make devserver` and `make serve` answer only requests addressed to 127.0.0.1 or localhost
on their port: a page that points its own name at 127.0.0.1 (DNS rebinding) reads nothing."""

from __future__ import annotations

import http.client
import socket

import pytest

from test_makefile import make
from test_workflow import background, fetch, free_port, stop


def status(port: int, path: str, host: str | None, method: str = "GET") -> int:
    """The status of one request that names `host` (None: no Host header at all)."""
    if host is None:
        with socket.create_connection(("127.0.0.1", port), timeout=20) as connection:
            connection.sendall(f"{method} {path} HTTP/1.0\r\n\r\n".encode())
            return int(connection.makefile("rb").readline().split()[1])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        connection.request(method, path, headers={"Host": host})
        return connection.getresponse().status
    finally:
        connection.close()


def hosts(port: int) -> dict[str, int]:
    """The Host header a request names, and the status it must get."""
    return {
        f"127.0.0.1:{port}": 200,
        f"localhost:{port}": 200,
        f"LocalHost:{port}": 200,
        f"rebound.example:{port}": 421,
        "rebound.example": 421,
        f"127.0.0.1:{port + 1}": 421,
        "127.0.0.1": 421,
        f"127.0.0.1:{port}.rebound.example": 421,
        f"localhost.:{port}": 421,
        f"[::1]:{port}": 421,  # it listens on 127.0.0.1 only
    }


def answers(port: int, path: str) -> dict[str, int]:
    return {host: status(port, path, host) for host in hosts(port)}


@pytest.fixture
def built(writer):
    assert make("html", "INPUTDIR=content", "OUTPUTDIR=out", cwd=writer).returncode == 0
    return writer


def test_devserver_answers_only_its_own_host_names(writer):
    port = free_port()
    server = background("devserver", "INPUTDIR=content", "OUTPUTDIR=out", f"PORT={port}", cwd=writer)
    try:
        fetch(f"http://127.0.0.1:{port}/__devserver__.json")  # up, and the first build is in
        for path in ("/a-test-explainer.html", "/__devserver__.json"):
            assert answers(port, path) == hosts(port), path
        assert status(port, "/a-test-explainer.html", f"rebound.example:{port}", method="HEAD") == 421
        assert status(port, "/a-test-explainer.html", None) == 400
    finally:
        stop(server)


def test_serve_answers_only_its_own_host_names(built):
    port = free_port()
    server = background("serve", "OUTPUTDIR=out", f"PORT={port}", cwd=built)
    try:
        fetch(f"http://127.0.0.1:{port}/a-test-explainer.html")
        assert answers(port, "/a-test-explainer.html") == hosts(port)
        assert status(port, "/a-test-explainer.html", None) == 400
    finally:
        stop(server)
