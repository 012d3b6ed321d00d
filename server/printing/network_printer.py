"""Raw printing to a network label printer: the label's bytes over TCP (port 9100, the
"JetDirect" or "raw" protocol), sent by the backend so a bench needs no print dialog.

``deliver`` answers with a PrinterDelivery (the ``printer`` field of print answers) and never
raises for a printer that is off, unplugged or busy: the label is stored already and prints from
the browser instead, so the message says so.
"""

from __future__ import annotations

import re
import socket
import time
from typing import Any

from ..models import Printer
from .printer_policy import PrinterAddressRefused, PrinterPolicy

LANGUAGES = {"pdf": "PDF", "zpl": "ZPL"}
DPIS = (203, 300, 600)
LABEL_WIDTH_INCHES = 4  # a ZPL label's print width (^PW, in dots) over 4 inches gives its dpi
_PRINT_WIDTH = re.compile(rb"\^PW(\d+)")
_SAVED = "The label is saved: print it from the browser."


def deliver(
    printer: Printer, content: bytes, label_format: str, timeout: float, policy: PrinterPolicy
) -> dict[str, Any]:
    """Send ``content`` (a label in ``label_format``) to ``printer``; a label in another language
    than the printer's is not sent at all (the printer would print its source as text). Every
    failure to connect gets the same words, so the answers tell nothing about other ports."""
    where = f"Printer '{printer.name}' ({printer.host}:{printer.port})"
    if label_format != printer.language:
        wanted = LANGUAGES.get(label_format, label_format.upper())
        return _failed(
            printer,
            f"{where} prints {LANGUAGES.get(printer.language, printer.language)} and this label "
            f"is {wanted}: nothing was sent. {_SAVED}",
        )
    try:
        send_raw(policy.resolve(printer.host, printer.port), content, timeout)
    except PrinterAddressRefused as refused:
        return _failed(printer, f"{where}: {refused.message} Nothing was sent. {_SAVED}")
    except OSError:  # refused, timed out, unknown host, unreachable: one answer for all
        return _failed(
            printer,
            f"{where} could not be reached within {timeout:g} s: check that it is on, connected "
            f"and takes raw print jobs on port {printer.port}. {_SAVED}",
        )
    return {
        "name": printer.name,
        "status": "sent",
        "bytes": len(content),
        "message": None,
        "warnings": dpi_warnings(printer, content, label_format),
    }


def send_raw(address: tuple, content: bytes, timeout: float) -> None:
    """One print job to ``address`` (as resolved and checked): connect, send, close our side,
    then wait for the printer to close its own, which it does once it has read the whole job
    (CUPS' socket backend waits the same way); whatever it sends back meanwhile is status
    chatter and is dropped. Raises TimeoutError when any of it takes longer than ``timeout``
    seconds, OSError otherwise."""
    deadline = time.monotonic() + timeout
    with socket.create_connection(address[:2], timeout=timeout) as connection:
        connection.sendall(content)
        connection.shutdown(socket.SHUT_WR)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("the printer did not finish reading the job")
            connection.settimeout(remaining)
            if not connection.recv(4096):
                return


def zpl_dpi(content: bytes) -> int | None:
    """The resolution a ZPL label was made for, from its print width (``^PW``) on a 4 inch
    wide label: 812 dots is 203 dpi, 1218 is 300, 2436 is 600. None when it does not say."""
    found = _PRINT_WIDTH.search(content)
    if found is None:
        return None
    per_inch = int(found.group(1)) / LABEL_WIDTH_INCHES
    nearest = min(DPIS, key=lambda dpi: abs(dpi - per_inch))
    return nearest if abs(nearest - per_inch) <= nearest * 0.1 else None


def dpi_warnings(printer: Printer, content: bytes, label_format: str) -> list[str]:
    """ZPL is in printer dots: made for another resolution it prints at the wrong size."""
    label_dpi = zpl_dpi(content) if label_format == "zpl" else None
    if label_dpi is None or label_dpi == printer.dpi:
        return []
    effect = "smaller than intended" if label_dpi < printer.dpi else "larger than intended and may be cut off"
    return [
        f"This label is {label_dpi} dpi ZPL and printer '{printer.name}' is {printer.dpi} dpi: it will print {effect}."
    ]


def _failed(printer: Printer, message: str) -> dict[str, Any]:
    return {"name": printer.name, "status": "failed", "bytes": 0, "message": message, "warnings": []}
