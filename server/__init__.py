"""labelbridge: one-click Starshipit shipping labels from CartonCloud sale-order pages."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import cache, crypto, db, event_queue, log_redaction, startup
from .config import DEFAULTS, validate
from .errors import register_error_handlers
from .json_provider import OrjsonProvider
from .version import __version__

__all__ = ["__version__", "create_app"]


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Application factory: defaults, then LABELBRIDGE_* variables, then ``config``.
    The instance folder (SQLite database, key file) is LABELBRIDGE_INSTANCE_PATH when set."""
    instance_path = (config or {}).get("INSTANCE_PATH") or os.environ.get("LABELBRIDGE_INSTANCE_PATH")
    app = Flask(__name__, instance_relative_config=True, instance_path=instance_path)
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("LABELBRIDGE")
    if config:
        app.config.update(config)
    app.config.update(validate(app.config))
    app.json = OrjsonProvider(app)  # keys in their order, as before

    if app.config["TRUSTED_PROXIES"]:  # the client's address and scheme as the load balancer saw them
        proxies = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    log_redaction.install()
    register_error_handlers(app)
    database = db.init_app(app)
    event_queue.start(database.engine, app.config["AUDIT_BATCH_SECONDS"])
    cache.init_app(app)
    crypto.init_app(app)
    startup.check(app)

    from . import clients, observability
    from .api import cors, document, refusals, throttle
    from .api.metrics import metrics_endpoint
    from .orders import known_cache

    known_cache.init_app(app)

    cors.init_app(app)
    refusals.init_app(app)
    throttle.init_app(app)
    clients.init_app(app)
    document.init_app(app)
    app.register_blueprint(metrics_endpoint)
    observability.init_app(app)
    return app
