"""Liveness and token checks."""
from flask import g

from .. import __version__
from . import api


@api.get("/health")
def health():
    """Answers without a token: the popup's first check that the backend is there."""
    return {"status": "ok", "version": __version__}


@api.get("/whoami")
def whoami():
    """Answers only with a valid token: the popup's check of the token."""
    return {"token": {"name": g.token_name}}
