"""Liveness and token checks."""
from flask import g

from ..version import __version__
from ..openapi import operation
from .blueprint import api
from ..schemas.labels import HealthSchema, WhoamiSchema


@api.get("/health")
@operation(responses={200: (HealthSchema, "The backend is up.")})
def health():
    """Answers without a token: the popup's first check that the backend is there."""
    return {"status": "ok", "version": __version__}


@api.get("/whoami")
@operation(responses={200: (WhoamiSchema, "The token is valid; its name.")})
def whoami():
    """Answers only with a valid token: the popup's check of the token."""
    return {"token": {"name": g.token_name}}
