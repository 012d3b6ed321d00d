"""Webhook authentication: a shared secret (CartonCloud) and a body signature (Starshipit).

Compared in constant time. Starshipit does not publish how ``X-Starshipit-Signature`` is made,
so the scheme is a setting: HMAC-SHA256 of the raw body, hex or base64 (``hmac-sha256`` takes
either), or the secret itself.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from ..failures import Forbidden, Unauthenticated


def check_shared_secret(expected: str | None, presented: str | None, setting: str) -> None:
    """Raises Forbidden when the webhook is switched off (no secret set), Unauthenticated on a wrong one."""
    if not expected:
        raise Forbidden("webhook_disabled", f"This webhook is switched off: set LABELBRIDGE_{setting} first.")
    if not presented or not hmac.compare_digest(presented.encode(), expected.encode()):
        raise Unauthenticated("unauthorized", "The webhook secret is missing or wrong.")


def check_signature(secret: str | None, scheme: str, body: bytes, presented: str | None, *, insecure: bool) -> None:
    """Raises Forbidden without a secret (unless ``insecure``: unsigned calls accepted), else
    Unauthenticated unless ``presented`` signs ``body``."""
    if not secret:
        if insecure:
            return
        raise Forbidden(
            "webhook_disabled",
            "This webhook is switched off: set LABELBRIDGE_STARSHIPIT_WEBHOOK_SECRET first (as set in Starshipit).",
        )
    presented = (presented or "").strip().removeprefix("sha256=")
    if not presented or not any(
        hmac.compare_digest(candidate.encode(), (presented.lower() if is_hex else presented).encode())
        for candidate, is_hex in expected_signatures(secret, scheme, body)
    ):
        raise Unauthenticated("unauthorized", "The X-Starshipit-Signature header is missing or does not match.")


def expected_signatures(secret: str, scheme: str, body: bytes) -> list[tuple[str, bool]]:
    """The signatures ``scheme`` accepts for ``body``, each with whether it is hex."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    as_hex, as_base64 = (digest.hex(), True), (base64.b64encode(digest).decode(), False)
    return {
        "hmac-sha256": [as_hex, as_base64],
        "hmac-sha256-hex": [as_hex],
        "hmac-sha256-base64": [as_base64],
        "secret": [(secret, False)],
    }[scheme]
