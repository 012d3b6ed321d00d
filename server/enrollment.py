"""Enrollment codes: a bench gets its API token by typing a short one-time code (``7KQ-4MD-92X``)
into the extension's popup, or from a managed ``enrollmentCode``, instead of someone pasting a
43-character token. The code is made by ``labelbridge token enroll NAME`` or by an admin at POST
/api/v1/enrollments, and exchanged once at POST /api/v1/enroll for a new token named NAME.

Codes are stored as SHA-256 hashes, like tokens. Nine characters from a 30-letter alphabet are
about 44 bits: too few to resist an offline search of a stolen hash for long, which is why a code
lives minutes (``MAX_EXPIRY``), works once, and the exchange is rate-limited per address; the
token it becomes is a full 256-bit token. Every exchange and refused exchange is in the audit log,
never the code or the token themselves.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from . import tokens
from .events import record_event
from .failures import Conflict, Invalid, NotFound
from .models import ApiToken, EnrollmentCode, utcnow

# No 0/O, 1/I/L or U: a code is read off a screen or a sheet of paper and typed at a bench.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPS, GROUP_LENGTH = 3, 3
CODE_LENGTH = GROUPS * GROUP_LENGTH
DEFAULT_EXPIRY = timedelta(minutes=30)
MAX_EXPIRY = timedelta(hours=24)
_SEPARATORS = re.compile(r"[\s-]+")
CODE_FORMAT = f"A code is {CODE_LENGTH} letters and digits, like 7KQ-4MD-92X."
POPUP_PATH = "/src/popup/popup.html"


@dataclass(frozen=True)
class Enrollment:
    """A code just made: the only time the code itself is known."""

    code: str
    token_name: str
    role: str
    expires_at: datetime


@dataclass(frozen=True)
class Enrolled:
    """A code exchanged: the new token (to hand to the extension, never to show) and its name."""

    token: str
    token_name: str
    role: str


def new_code() -> str:
    characters = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(characters[i : i + GROUP_LENGTH] for i in range(0, CODE_LENGTH, GROUP_LENGTH))


def normalize(code: str) -> str | None:
    """The code as stored (upper case, no dashes or spaces), or None when it cannot be one."""
    text = _SEPARATORS.sub("", code).upper()
    if len(text) != CODE_LENGTH or any(character not in ALPHABET for character in text):
        return None
    return text


def hash_code(code: str) -> str:
    normalized = normalize(code)
    if normalized is None:
        raise ValueError(CODE_FORMAT)
    return tokens.hash_token(normalized)


def create_enrollment(
    session: Session,
    token_name: str,
    role: str = "packer",
    expires_in: timedelta = DEFAULT_EXPIRY,
    created_by: str | None = None,
    now: datetime | None = None,
) -> Enrollment:
    """A new code for the token ``token_name``; it replaces any code for that name not used yet.
    Invalid for a bad name, role or expiry; Conflict when a token of that name exists."""
    token_name = token_name.strip()
    if not token_name or len(token_name) > 100:
        raise Invalid(
            "validation_error",
            "A token name must be 1 to 100 characters.",
            errors={"name": ["A token name must be 1 to 100 characters."]},
        )
    if role not in tokens.ROLES:
        raise Invalid(
            "validation_error",
            f"A token's role is one of {', '.join(tokens.ROLES)}.",
            errors={"role": [f"Must be one of {', '.join(tokens.ROLES)}."]},
        )
    if not timedelta(minutes=1) <= expires_in <= MAX_EXPIRY:
        raise Invalid(
            "validation_error",
            "A code lives from 1 minute to 24 hours.",
            errors={"expires_in_minutes": ["Must be from 1 to 1440 minutes."]},
        )
    if session.scalar(select(ApiToken.id).where(ApiToken.name == token_name)) is not None:
        raise Conflict(
            "token_name_taken",
            f"A token named {token_name!r} already exists; revoke it and pick another name, "
            "or enroll this bench under a new name.",
        )
    now = now or utcnow()
    replaced = session.execute(
        delete(EnrollmentCode).where(EnrollmentCode.token_name == token_name, EnrollmentCode.used_at.is_(None))
    ).rowcount
    code = new_code()
    session.add(
        EnrollmentCode(
            code_hash=hash_code(code),
            token_name=token_name,
            role=role,
            created_at=now,
            created_by=created_by,
            expires_at=now + expires_in,
        )
    )
    record_event(
        session,
        None,
        "enrollment_created",
        created_by,
        token_name=token_name,
        role=role,
        expires_at=(now + expires_in).isoformat(),
        replaced=replaced,
    )
    session.commit()
    return Enrollment(code, token_name, role, now + expires_in)


def exchange(session: Session, code: str, address: str | None, now: datetime | None = None) -> Enrolled:
    """Use ``code`` once: a new token named as the code says. NotFound for a code that was never
    made (or was replaced), Conflict for one already used or expired; each refusal is audited."""
    now = now or utcnow()
    normalized = normalize(code)
    record = (
        None
        if normalized is None
        else session.scalar(select(EnrollmentCode).where(EnrollmentCode.code_hash == tokens.hash_token(normalized)))
    )
    if record is None:
        _refuse(session, "unknown code", address)
        raise NotFound(
            "enrollment_code_unknown",
            "This enrollment code is not right: check it letter by letter, or ask for a new one.",
        )
    if record.used_at is not None:
        _refuse(session, "code already used", address, record.token_name)
        raise Conflict(
            "enrollment_code_used",
            "This enrollment code has already been used; each code works once. Ask for a new one.",
        )
    if record.expires_at <= now:
        _refuse(session, "code expired", address, record.token_name)
        raise Conflict(
            "enrollment_code_expired",
            f"This enrollment code expired at {record.expires_at:%H:%M} UTC. Ask for a new one.",
        )
    # The one exchange that sets used_at wins; a second one at the same moment finds it set.
    won = session.execute(
        update(EnrollmentCode)
        .where(EnrollmentCode.id == record.id, EnrollmentCode.used_at.is_(None))
        .values(used_at=now)
    ).rowcount
    if won != 1:
        _refuse(session, "code already used", address, record.token_name)
        raise Conflict(
            "enrollment_code_used",
            "This enrollment code has already been used; each code works once. Ask for a new one.",
        )
    token_name, role = record.token_name, record.role
    if session.scalar(select(ApiToken.id).where(ApiToken.name == token_name)) is not None:
        _refuse(session, "token name taken since the code was made", address, token_name)
        raise Conflict(
            "token_name_taken",
            f"A token named {token_name!r} was created after this code; ask for a code under another name.",
        )
    token = tokens.add_token(session, token_name, role)
    record_event(session, None, "enrollment_used", token_name, role=role, remote_addr=address)
    session.commit()
    return Enrolled(token, token_name, role)


def _refuse(session: Session, reason: str, address: str | None, token_name: str | None = None) -> None:
    """Audit a refused exchange: why and from where, never the code."""
    session.rollback()
    record_event(
        session,
        None,
        "enrollment_refused",
        None,
        reason=reason,
        remote_addr=address,
        **({"token_name": token_name} if token_name else {}),
    )
    session.commit()


def enrollment_link(extension_origin: str, code: str, backend_url: str | None) -> str:
    """The extension's popup as a page, with the code (and the backend's address) filled in.
    They ride in the fragment, which no browser sends anywhere; the token never does."""
    fragment = f"enroll={quote(code)}"
    if backend_url:
        fragment += f"&backend={quote(backend_url, safe='')}"
    return f"{extension_origin}{POPUP_PATH}#{fragment}"
