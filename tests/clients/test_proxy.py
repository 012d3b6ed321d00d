"""A warehouse behind a proxy: the clients take it from the environment when they are made
(``transport.session_for``), through a real HTTP proxy on loopback."""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from server.http.errors import UpstreamConnectionError
from server.http.retry import RetryPolicy
from server.http.transport import Transport


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


SERVICE_URL = f"http://127.0.0.1:{_closed_port()}"  # nothing listens there: only the proxy answers for it


class _Recording(BaseHTTPRequestHandler):
    """Answers every request with ``{}`` and records the target it was sent (a proxied request
    names the whole URL)."""

    def do_GET(self):  # noqa: N802 (http.server's name)
        self.server.targets.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *_args):
        pass


@pytest.fixture
def proxy():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recording)
    server.targets = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(autouse=True)
def no_proxy_settings(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)


def transport(base_url: str = SERVICE_URL) -> Transport:
    return Transport(
        "starshipit", base_url, read_failure=lambda _status, _body: None, retry=RetryPolicy(max_attempts=1)
    )


def test_calls_go_through_the_proxy_the_environment_names(proxy, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{proxy.server_port}")
    reply = transport().request("GET", "/api/orders", params={"order_id": 7})
    assert reply.status == 200 and reply.body == {}
    assert proxy.targets == [f"{SERVICE_URL}/api/orders?order_id=7"]


def test_a_host_in_no_proxy_is_called_directly(proxy, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    reply = transport(f"http://127.0.0.1:{proxy.server_port}").request("GET", "/api/orders")
    assert reply.status == 200 and proxy.targets == ["/api/orders"]  # asked as the server, not as a proxy


def test_the_environment_is_read_when_the_client_is_made(proxy, monkeypatch):
    made_before = transport()
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{proxy.server_port}")
    with pytest.raises(UpstreamConnectionError):  # no proxy then: nothing listens at the service's port
        made_before.request("GET", "/api/orders")
    assert proxy.targets == []
    assert transport().request("GET", "/api/orders").status == 200  # a client made now uses it
