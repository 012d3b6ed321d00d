"""Everything on one machine with no accounts: the simulators, the backend, a token, the worker."""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.serving import make_server

from . import create_app, tokens
from .clients import get_upstreams
from .db import get_database
from .sandbox import credentials
from .sandbox.server import SandboxServer
from .worker import Worker

EXTENSION_DIR = Path(__file__).resolve().parent.parent / "extension"


def sandbox_config(sandbox: SandboxServer) -> dict[str, Any]:
    """Backend settings that point at ``sandbox`` with its demo credentials."""
    return {
        "STARSHIPIT_URL": sandbox.starshipit_url,
        "STARSHIPIT_API_KEY": credentials.STARSHIPIT_API_KEY,
        "STARSHIPIT_SUBSCRIPTION_KEY": credentials.STARSHIPIT_SUBSCRIPTION_KEY,
        "STARSHIPIT_RATE_PER_SECOND": 20,
        "CARTONCLOUD_URL": sandbox.cartoncloud_url,
        "CARTONCLOUD_CLIENT_ID": credentials.CARTONCLOUD_CLIENT_ID,
        "CARTONCLOUD_CLIENT_SECRET": credentials.CARTONCLOUD_CLIENT_SECRET,
        "CARTONCLOUD_TENANT_ID": credentials.CARTONCLOUD_TENANT_ID,
        "CARTONCLOUD_TENANT_SLUG": credentials.TENANT_SLUG,
    }


class BackgroundServer:
    """A WSGI app on a threaded werkzeug server in a daemon thread."""

    def __init__(self, app: Flask, host: str, port: int) -> None:
        self._server = make_server(host, port, app, threaded=True)
        self.url = f"http://{host}:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> BackgroundServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join()


class DemoStack:
    """The sandbox, the backend on its own SQLite database, a token and a running worker."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        backend_port: int = 0,
        sandbox_port: int = 0,
        data_dir: str | None = None,
        config: dict[str, Any] | None = None,
        worker_poll_seconds: float = 1.0,
    ) -> None:
        self._tmp = None if data_dir else tempfile.TemporaryDirectory(prefix="labelbridge-demo-")
        self.data_dir = Path(data_dir or self._tmp.name)
        self.sandbox = SandboxServer(host=host, port=sandbox_port)
        self._host, self._backend_port = host, backend_port
        self._config = config or {}
        self._poll = worker_poll_seconds
        self._stop = threading.Event()

    def start(self) -> DemoStack:
        self.sandbox.start()
        self.app = create_app(
            {
                **sandbox_config(self.sandbox),
                "DATABASE_URL": f"sqlite:///{self.data_dir / 'labelbridge.sqlite3'}",
                "INSTANCE_PATH": str(self.data_dir),
                **self._config,
            }
        )
        database = get_database(self.app)
        database.upgrade()
        with database.sessions() as session:
            self.token = tokens.create_token(session, f"demo-{len(tokens.list_tokens(session)) + 1}", "admin")
        self.backend = BackgroundServer(self.app, self._host, self._backend_port).start()
        self.backend_url = self.backend.url
        upstreams = get_upstreams(self.app)
        self.worker = Worker(database.sessions, upstreams.cartoncloud, name="demo-worker", poll_seconds=self._poll)
        self._worker_thread = threading.Thread(target=self.worker.run_forever, args=(self._stop,), daemon=True)
        self._worker_thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._worker_thread.join()
        self.backend.stop()
        self.sandbox.stop()
        get_database(self.app).dispose()
        if self._tmp:
            self._tmp.cleanup()

    def __enter__(self) -> DemoStack:
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()
