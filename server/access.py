"""Which API endpoints need no token, which methods change state, and which browser origins may
call: the API enforces it (``server/api/auth.py``, ``cors.py``), the OpenAPI document describes
it (``server/api/operations.py``), the enrollment links point at the extension."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# The webhooks are authenticated by their own secret or signature (server/api/webhooks.py); the
# OpenAPI document and its docs page describe the API's shape, no secret (server/api/docs.py); an
# enrollment exchange is authenticated by its one-time code (server/api/enrollments.py).
PUBLIC_ENDPOINTS = {
    "api.health",
    "api.cartoncloud_webhook",
    "api.starshipit_webhook",
    "api.openapi_document",
    "api.docs",
    "api.docs_asset",
    "api.enroll",
}
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
# Not counted by the API's rate limit (server/api/throttle.py), so never answered 429: the health
# check takes no token and costs less to answer than to count, and a monitor polling it from one
# address must never take the backend for down.
UNCOUNTED_ENDPOINTS = {"api.health"}

# The extension's manifest carries a fixed public key, so its id (and origin) is stable.
BUNDLED_EXTENSION_ORIGIN = "chrome-extension://gemklbolcljbkdoodipaiednkjlmeckh"  # extension/EXTENSION_ID


def allowed_origins(config: Mapping[str, Any]) -> tuple[str, ...]:
    return config["CORS_ORIGINS"] or (BUNDLED_EXTENSION_ORIGIN,)
