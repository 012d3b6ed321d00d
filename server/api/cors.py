"""CORS for the configured extension origins only."""
from __future__ import annotations

from flask import Flask
from flask_cors import CORS

# The extension's manifest carries a fixed public key, so its id (and origin) is stable.
BUNDLED_EXTENSION_ORIGIN = "chrome-extension://gemklbolcljbkdoodipaiednkjlmeckh"  # extension/EXTENSION_ID


def allowed_origins(app: Flask) -> tuple[str, ...]:
    return app.config["CORS_ORIGINS"] or (BUNDLED_EXTENSION_ORIGIN,)


def init_app(app: Flask) -> None:
    CORS(
        app,
        resources={r"/api/*": {"origins": list(allowed_origins(app))}},
        allow_headers=["Authorization", "Content-Type", "Idempotency-Key"],
        expose_headers=["Retry-After"],
        max_age=600,
    )
