"""CORS for the configured extension origins only."""

from __future__ import annotations

from flask import Flask
from flask_cors import CORS

from ..access import allowed_origins


def init_app(app: Flask) -> None:
    CORS(
        app,
        resources={r"/api/*": {"origins": list(allowed_origins(app.config))}},
        allow_headers=["Authorization", "Content-Type", "Idempotency-Key"],
        expose_headers=["Retry-After"],
        max_age=600,
    )
