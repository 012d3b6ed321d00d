"""Network label printers: the list (any token), changes and a test page (admin)."""

from __future__ import annotations

from flask import Response, g

from ..db import get_session
from ..errors import ApiError
from ..events import record_event
from ..openapi import operation
from ..printing import printers
from ..printing.printer_jobs import send_test_page
from ..printing.printer_policy import PrinterAddressRefused, PrinterPolicy
from ..schemas.labels import PrinterDeliverySchema
from ..schemas.printing import PrinterCreateSchema, PrinterFieldsSchema, PrinterListSchema, PrinterSchema
from .auth import require_admin
from .blueprint import api
from .bodies import load_json
from .services import runtime_config

_create, _change, _printer = PrinterCreateSchema(), PrinterFieldsSchema(), PrinterSchema()
_PATH = {"name": "The printer's name."}
_UNKNOWN = "There is no printer of that name."


@api.get("/printers")
@operation(responses={200: (PrinterListSchema, "Every registered printer, by name.")})
def list_printers():
    """The network printers a workstation can choose."""
    session = get_session()
    listed = PrinterListSchema().dump({"printers": printers.all_printers(session)})
    session.commit()
    return listed


@api.post("/printers")
@operation(
    admin=True,
    request=PrinterCreateSchema,
    responses={201: (PrinterSchema, "The printer, registered.")},
    errors={409: "A printer of that name exists already."},
)
def add_printer():
    """Register a network printer (admin): name, host, port (9100), language (pdf or zpl) and dpi (203).
    409 when the name is taken."""
    require_admin()
    body = load_json(_create)
    _check_address(body)
    session = get_session()
    printer = printers.add_printer(session, body)
    record_event(session, None, "printer_saved", g.token_name, **body)
    session.commit()
    return _printer.dump(printer), 201


@api.put("/printers/<name>")
@operation(
    admin=True,
    request=PrinterFieldsSchema,
    path=_PATH,
    responses={200: (PrinterSchema, "The printer, changed.")},
    errors={404: _UNKNOWN},
)
def change_printer(name: str):
    """Change a printer's host, port, language or dpi (admin); only the fields sent change. 404 when unknown."""
    require_admin()
    body = load_json(_change)
    _check_address(body)
    session = get_session()
    printer = printers.change_printer(session, name, body)
    record_event(session, None, "printer_saved", g.token_name, name=name, **body)
    session.commit()
    return _printer.dump(printer)


@api.delete("/printers/<name>")
@operation(
    admin=True,
    path=_PATH,
    responses={204: (None, "Removed; workstations that used it print from the browser.")},
    errors={404: _UNKNOWN},
)
def remove_printer(name: str):
    """Remove a printer (admin); workstations that had it as default have none after. 404 when unknown."""
    require_admin()
    session = get_session()
    printers.remove_printer(session, name)
    record_event(session, None, "printer_removed", g.token_name, name=name)
    session.commit()
    return _no_content()


def _check_address(fields: dict) -> None:
    """422 for a port or an IP address no print job may go to (server/printing/printer_policy.py)."""
    policy = PrinterPolicy.from_config(runtime_config())
    try:
        if "port" in fields:
            policy.check_port(fields["port"])
        if "host" in fields:
            policy.check_address(fields["host"])
    except PrinterAddressRefused as refused:
        raise ApiError(422, "validation_error", refused.message, errors={refused.field: [refused.message]}) from None


def _no_content() -> Response:
    response = Response(status=204)
    del response.headers["Content-Type"]  # no body, so no type of one
    return response


@api.post("/printers/<name>/test")
@operation(
    admin=True,
    path=_PATH,
    responses={200: (PrinterDeliverySchema, "The test page was sent (any warnings with it).")},
    errors={
        404: _UNKNOWN,
        503: "The printer did not take the page: off, unplugged or unreachable; `message` says what to check.",
    },
)
def test_printer(name: str):
    """Send a 4×6 test page in the printer's language (admin: it makes the backend connect where
    the printer entry says). 404 unknown printer, 503 printer offline."""
    require_admin()
    session = get_session()
    printer = printers.find_printer(session, name)
    config = runtime_config()
    delivery = send_test_page(
        session, printer, config["PRINTER_TIMEOUT_SECONDS"], g.token_name, PrinterPolicy.from_config(config)
    )
    if delivery["status"] == "failed":
        raise ApiError(503, "printer_offline", delivery["message"], retry_after=5)
    return PrinterDeliverySchema().dump(delivery)
