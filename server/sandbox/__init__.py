"""Simulators of the Starshipit and CartonCloud APIs, and a look-alike CartonCloud page.

`create_sandbox_app(config)` serves Starshipit under /starshipit, CartonCloud under /cartoncloud,
the pages under /app and the control API under /_sandbox (settings: see state.py).
"""

import time
from typing import Any

from flask import Flask


def create_sandbox_app(config: dict[str, Any] | None = None) -> Flask:
    """The sandbox app: defaults, then LABELBRIDGE_SANDBOX_* variables, then `config`."""
    # Imported here so `server.sandbox.credentials` can be read without building the app.
    from server.sandbox import cartoncloud_api, control, gateway, pages, starshipit_api
    from server.sandbox.state import SandboxSettings, SandboxState

    app = Flask(__name__)
    app.config.from_prefixed_env("LABELBRIDGE")
    if config:
        app.config.update(config)
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    # A doubled slash is an unknown path to the real services, answered in their error shape:
    # werkzeug would otherwise redirect it (an HTML 308 no API client expects).
    app.url_map.merge_slashes = False
    clock = app.config.get("SANDBOX_CLOCK") or time.time
    app.extensions["sandbox"] = SandboxState(SandboxSettings.from_config(app.config), clock)
    gateway.install(app)
    for module in (starshipit_api, cartoncloud_api, control, pages):
        app.register_blueprint(module.blueprint)
    return app
