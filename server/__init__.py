"""labelbridge: one-click Starshipit shipping labels from CartonCloud sale-order pages."""
from __future__ import annotations

from typing import Any

from flask import Flask

from . import db
from .config import DEFAULTS, validate
from .errors import register_error_handlers

__version__ = "0.1.0"


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Application factory: defaults, then LABELBRIDGE_* variables, then ``config``."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("LABELBRIDGE")
    if config:
        app.config.update(config)
    app.config.update(validate(app.config))
    app.json.sort_keys = False

    register_error_handlers(app)
    db.init_app(app)

    from . import cors, upstreams
    from .api import api

    cors.init_app(app)
    upstreams.init_app(app)
    app.register_blueprint(api)
    return app
