"""The sandbox on a real socket: a threaded werkzeug server in a daemon thread."""

import threading

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from server.sandbox import create_sandbox_app
from server.sandbox.state import SandboxState


class _QuietRequestHandler(WSGIRequestHandler):
    """No access log line per request: benchmarks send thousands (errors are still logged)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


class SandboxServer:
    """`with SandboxServer() as sandbox: requests.get(sandbox.url + "/_sandbox/info")`.

    Port 0 picks a free port; `url` has the real one once started.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, config: dict | None = None):
        self.host = host
        self.port = port
        self.app = create_sandbox_app(config)
        self.state: SandboxState = self.app.extensions["sandbox"]
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the sandbox server is not running; call start() first")
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        return f"http://{host}:{self._server.server_port}"

    @property
    def starshipit_url(self) -> str:
        return self.url + "/starshipit"

    @property
    def cartoncloud_url(self) -> str:
        return self.url + "/cartoncloud"

    def start(self) -> "SandboxServer":
        if self._server is not None:
            return self
        self._server = make_server(self.host, self.port, self.app, threaded=True, request_handler=_QuietRequestHandler)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},  # how long stop() may wait for the loop to notice
            name=f"sandbox:{self._server.server_port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; calls held by latency or timeout faults are cut short."""
        if self._server is None:
            return
        self.state.release_holds()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
        self._server = None
        self._thread = None

    def __enter__(self) -> "SandboxServer":
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
