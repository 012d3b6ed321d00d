"""Fixtures for bench printing: raw-printing "printers" listening on loopback, tokens."""

from __future__ import annotations

import socket

import pytest

from .listener import PrinterListener


@pytest.fixture
def listener():
    printer = PrinterListener()
    yield printer
    printer.close()


@pytest.fixture
def hung_listener():
    printer = PrinterListener(read=False)
    yield printer
    printer.close()


@pytest.fixture
def closed_port():
    """A loopback port nothing listens on: connecting is refused at once. Held (bound, never
    listening) for the test, so no server of a test running beside it can take it meanwhile."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        yield held.getsockname()[1]


@pytest.fixture
def admin(make_token) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_token('office', role='admin')}"}
