"""API tokens for extension installs: created once, shown once, stored only as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import cache
from .models import ApiToken, utcnow

TOKEN_PREFIX = "lb_"
ROLES = ("packer", "supervisor", "admin")
# Who may void labels (and manifest): a supervisor at the benches, or an admin.
SUPERVISING_ROLES = ("supervisor", "admin")
# Writing last_used_at on every request would make each lookup a write; once a minute tells enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenError(ValueError):
    """A token command cannot be done (duplicate or unknown name)."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, name: str, role: str = "packer", expires_at: datetime | None = None) -> str:
    """Store a new token under ``name`` and return the token itself (never stored).
    ``packer`` tokens print and look up; ``supervisor`` tokens also void labels; ``admin``
    tokens also change settings and accounts."""
    name = name.strip()
    if not name or len(name) > 100:
        raise TokenError("A token name must be 1 to 100 characters.")
    if role not in ROLES:
        raise TokenError(f"A token's role is one of {', '.join(ROLES)}.")
    if session.scalar(select(ApiToken).where(ApiToken.name == name)):
        raise TokenError(f"A token named {name!r} already exists; revoke it or pick another name.")
    token = add_token(session, name, role, expires_at)
    session.commit()
    return token


def add_token(session: Session, name: str, role: str, expires_at: datetime | None = None) -> str:
    """Add a token to the session (committed by the caller) and return the token itself."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(name=name, token_hash=hash_token(token), role=role, expires_at=expires_at))
    return token


def list_tokens(session: Session) -> list[ApiToken]:
    return list(session.scalars(select(ApiToken).order_by(ApiToken.name)))


def revoke_token(session: Session, name: str) -> None:
    token = session.scalar(select(ApiToken).where(ApiToken.name == name))
    if token is None:
        raise TokenError(f"No token named {name!r}.")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        cache.changed(session)  # every process stops accepting it (server/cache.py)
    session.commit()


@dataclass(frozen=True)
class TokenCheck:
    """What a request needs of its token, kept apart from the session that read it."""

    id: int
    name: str
    role: str
    expires_at: datetime | None

    def live(self, now: datetime) -> bool:
        return self.expires_at is None or now < self.expires_at


def check(session: Session, digest: str, now: datetime | None = None) -> TokenCheck | None:
    """The unrevoked token whose hash is ``digest`` (expired or not: ``TokenCheck.live``), or
    None. Records when it was last used. Commits."""
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
    now = now or utcnow()
    if token is None or not hmac.compare_digest(token.token_hash, digest) or token.revoked_at:
        session.rollback()
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        token.last_used_at = now
    found = TokenCheck(token.id, token.name, token.role, token.expires_at)
    session.commit()
    return found
