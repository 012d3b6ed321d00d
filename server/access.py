"""Which API endpoints need no token, and which methods change state: the API enforces it
(``server/api/auth.py``), the OpenAPI document describes it (``server/openapi/spec.py``)."""

# The webhooks are authenticated by their own secret or signature (server/api/webhooks.py); the
# OpenAPI document and its docs page describe the API's shape, no secret (server/api/docs.py).
PUBLIC_ENDPOINTS = {"api.health", "api.cartoncloud_webhook", "api.starshipit_webhook",
                    "api.openapi_document", "api.docs", "api.docs_asset"}  # fmt: skip
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
