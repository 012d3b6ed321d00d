"""Admin views that change how labelbridge is set up (accounts, routes, printers): one decorator
says so, and records the change in the audit log in the same transaction as the change."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any

from flask import g

from ..db import get_session
from ..events import record_event
from .auth import admin_only


def admin_change(kind: str, detail: Callable[..., Mapping[str, Any]]):
    """Admin only (``auth.admin_only``); after the view has made its change, an audit event
    ``kind`` with ``detail(*args, **kwargs)`` of the view's own arguments, then one commit.
    Put it right above the view, under ``@api.arguments``, so it sees the parsed body."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def audited(*args: Any, **kwargs: Any) -> Any:
            answer = view(*args, **kwargs)
            session = get_session()
            record_event(session, None, kind, g.token_name, **detail(*args, **kwargs))
            session.commit()
            return answer

        return admin_only(audited)

    return decorate
