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
def closed_port() -> int:
    """A loopback port nothing listens on: connecting is refused at once."""
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return probe.getsockname()[1]


@pytest.fixture
def admin(make_token) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_token('office', role='admin')}"}
