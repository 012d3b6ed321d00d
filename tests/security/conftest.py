"""A real `labelbridge serve` (gunicorn, two worker processes) for the probe suite, started once
for the module on its own SQLite database, its log kept to scan, and every answer it gives kept to
scan too (tests/scale/stack.py starts the processes)."""

from __future__ import annotations

import pytest
import requests
from cryptography.fernet import Fernet
from scale.stack import Backend

from server import tokens
from server.db import Database
from server.sandbox import credentials

CARTONCLOUD_WEBHOOK_SECRET = "probe-cartoncloud-webhook-secret-2c91"
STARSHIPIT_WEBHOOK_SECRET = "probe-starshipit-webhook-secret-77ad"
SECRET_KEY = Fernet.generate_key().decode()
SETTINGS = {
    "CARTONCLOUD_WEBHOOK_SECRET": CARTONCLOUD_WEBHOOK_SECRET,
    "STARSHIPIT_WEBHOOK_SECRET": STARSHIPIT_WEBHOOK_SECRET,
    "SECRET_KEYS": SECRET_KEY,
    "RATE_LIMIT": "100 per minute",  # per process: two workers let through at most 200 a minute
    "WEBHOOK_RATE_LIMIT": "100 per minute",
}


class Served:
    """The running server, its tokens, its log, and every response it gave in this module."""

    def __init__(self, backend: Backend, admin_token: str) -> None:
        self.backend = backend
        self.url = backend.url
        self.admin = {"Authorization": f"Bearer {admin_token}"}
        self.packer = backend.headers
        self.responses: list[requests.Response] = []
        self.secrets = [
            credentials.STARSHIPIT_API_KEY,
            credentials.STARSHIPIT_SUBSCRIPTION_KEY,
            credentials.CARTONCLOUD_CLIENT_SECRET,
            credentials.STARSHIPIT_SECOND_API_KEY,
            credentials.STARSHIPIT_SECOND_SUBSCRIPTION_KEY,
            CARTONCLOUD_WEBHOOK_SECRET,
            STARSHIPIT_WEBHOOK_SECRET,
            SECRET_KEY,
            admin_token,
            backend.token,
        ]

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        response = requests.request(method, self.url + path, timeout=60, **kwargs)
        self.responses.append(response)
        return response

    def log(self) -> str:
        return self.backend.log.read_text(errors="replace")


@pytest.fixture(scope="module")
def served(sandbox_server, tmp_path_factory):
    sandbox_server.state.reset()
    folder = tmp_path_factory.mktemp("security")
    database_url = f"sqlite:///{folder / 'labelbridge.sqlite3'}"
    backend = Backend(database_url, sandbox_server, folder / "instance", log=folder / "processes.log", **SETTINGS)
    database = Database(database_url)
    with database.sessions() as session:
        admin_token = tokens.create_token(session, "office", "admin")
    database.dispose()
    backend.start_serve(workers=2)
    try:
        yield Served(backend, admin_token)
    finally:
        backend.stop()
