"""Enrollment codes (server/enrollment.py): POST /enrollments makes one (admin token), POST
/enroll exchanges one for the bench's token (no token: the code is the credential), at most
ENROLL_RATE_LIMIT tries per client address."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from flask import current_app, g, request

from .. import enrollment
from ..access import allowed_origins
from ..db import get_session
from ..schemas.enrollment import EnrollmentRequestSchema, EnrollmentSchema, EnrollRequestSchema, EnrollResponseSchema
from .auth import admin_only
from .blueprint import api
from .operations import errors
from .throttle import get_throttle


def limited_by_address(view: Callable[..., Any]) -> Callable[..., Any]:
    """429 once this address has tried ENROLL_RATE_LIMIT codes, right or wrong (a code is short),
    before the body is read."""

    @wraps(view)
    def limited(*args: Any, **kwargs: Any) -> Any:
        get_throttle(current_app).count_enrollment_try()
        return view(*args, **kwargs)

    return limited


def _backend_url() -> str:
    return current_app.config["PUBLIC_URL"] or request.host_url.rstrip("/")


@api.post("/enrollments")
@api.arguments(EnrollmentRequestSchema)
@api.response(201, EnrollmentSchema, description="A new one-time code for the named bench; shown only now.")
@errors({409: "A token of that name already exists."})
@admin_only
def create_enrollment(body):
    """Make a one-time enrollment code for a bench (admin): the bench's popup exchanges it for a
    token named ``name``. It replaces any unused code for that name."""
    made = enrollment.create_enrollment(
        get_session(), body["name"], body["role"], timedelta(minutes=body["expires_in_minutes"]), g.token_name
    )
    link = enrollment.enrollment_link(allowed_origins(current_app.config)[0], made.code, _backend_url())
    return {"code": made.code, "name": made.token_name, "role": made.role, "expires_at": made.expires_at, "link": link}


@api.post("/enroll")
@limited_by_address
@api.arguments(EnrollRequestSchema)
@api.response(200, EnrollResponseSchema, description="This bench's new token.")
@errors(
    {
        404: "No such code (`enrollment_code_unknown`).",
        409: "The code was used already (`enrollment_code_used`), has expired (`enrollment_code_expired`), "
        "or its token name was taken meanwhile (`token_name_taken`).",
    }
)
def enroll(body):
    """Exchange a one-time enrollment code for this bench's API token (no token needed). Each
    code works once; tries are limited per address and audited."""
    enrolled = enrollment.exchange(get_session(), body["code"], request.remote_addr)
    return {"token": enrolled.token, "name": enrolled.token_name, "role": enrolled.role}
