"""Liveness and token checks."""

from flask import current_app, g

from ..accounts import unreadable_secrets
from ..cache import get_cache
from ..crypto import get_box
from ..schemas.labels import HealthSchema, WhoamiSchema
from ..version import __version__
from .blueprint import api


@api.get("/health")
@api.response(200, HealthSchema, description="The backend is up (``degraded``: up, but something stops it working).")
def health():
    """Answers without a token: the popup's first check that the backend is there. ``degraded``
    with a ``reason`` when the stored keys cannot be decrypted (the key changed since they were saved).

    The answer changes only when the stored secrets do (a stamp, server/cache.py), so its JSON is
    made once and kept: a check costs no schema dump and no encoding (19 of its 97 µs before)."""
    box = get_box(current_app)  # the keys change only with a restart, the stored secrets with a stamp
    body = get_cache(current_app).stamped("health", lambda session: _health_json(unreadable_secrets(session, box)))
    return current_app.response_class(body, mimetype=current_app.json.mimetype)


def _health_json(unreadable: bool) -> bytes:
    """The answer's bytes, as the app's JSON provider writes any answer."""
    answer = {"status": "ok", "version": __version__}
    if unreadable:
        answer |= {
            "status": "degraded",
            "reason": "Stored Starshipit or CartonCloud keys cannot be decrypted with the configured encryption "
            "keys: restore the instance key file or LABELBRIDGE_SECRET_KEYS.",
        }
    return current_app.json.response(HealthSchema().dump(answer)).get_data()


@api.get("/whoami")
@api.response(200, WhoamiSchema, description="The token is valid; its name.")
def whoami():
    """Answers only with a valid token: the popup's check of the token."""
    return {"token": {"name": g.token_name}}
