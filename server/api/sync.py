"""The automatic transfer's state, for the popup and for monitoring."""

from __future__ import annotations

from ..db import get_session
from ..schemas.sync import SyncStatusSchema
from ..sync.status import sync_status
from .blueprint import api
from .services import runtime_config


@api.get("/sync/status")
@api.response(200, SyncStatusSchema, description="The automatic transfer's state.")
def get_sync_status():
    """Last run, each cursor, queue depth (inbox and outbox) and failures. Any valid token."""
    session = get_session()
    body = sync_status(session, runtime_config())
    session.commit()
    return body
