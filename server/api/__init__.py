"""The HTTP API under /api/v1: each module's views register on the blueprint as it is imported;
``document.init_app`` serves them, with flask-smorest."""

from . import (
    admin,
    batch,
    docs,
    enrollments,
    health,
    labels,
    manifests,
    orders,
    printers,
    returns,
    shipments,
    sync,
    troubleshooting,
    voids,
    webhooks,
    workstation,
)
from .blueprint import api

__all__ = [
    "api",
    "admin",
    "batch",
    "docs",
    "enrollments",
    "health",
    "labels",
    "manifests",
    "orders",
    "printers",
    "returns",
    "shipments",
    "sync",
    "troubleshooting",
    "voids",
    "webhooks",
    "workstation",
]
