"""Network label printers: the list (any token), changes and a test page (admin)."""

from __future__ import annotations

from flask import Response, g

from ..db import get_session
from ..errors import ApiError
from ..printing import printers
from ..printing.printer_jobs import send_test_page
from ..printing.printer_policy import PrinterAddressRefused, PrinterPolicy
from ..schemas.labels import PrinterDeliverySchema
from ..schemas.printing import PrinterCreateSchema, PrinterFieldsSchema, PrinterListSchema, PrinterSchema
from .auth import admin_only
from .blueprint import api
from .changes import admin_change
from .operations import errors, path_parameter
from .services import runtime_config

_NAME = [path_parameter("name", "The printer's name.")]
_UNKNOWN = "There is no printer of that name."


@api.get("/printers")
@api.response(200, PrinterListSchema, description="Every registered printer, by name.")
def list_printers():
    """The network printers a workstation can choose."""
    session = get_session()
    listed = {"printers": printers.all_printers(session)}
    session.commit()
    return listed


@api.post("/printers")
@api.arguments(PrinterCreateSchema)
@api.response(201, PrinterSchema, description="The printer, registered.")
@errors({409: "A printer of that name exists already."})
@admin_change("printer_saved", lambda body: body)
def add_printer(body):
    """Register a network printer (admin): name, host, port (9100), language (pdf or zpl) and dpi (203)."""
    _check_address(body)
    return printers.add_printer(get_session(), body)


@api.put("/printers/<name>", parameters=_NAME)
@api.arguments(PrinterFieldsSchema)
@api.response(200, PrinterSchema, description="The printer, changed.")
@errors({404: _UNKNOWN})
@admin_change("printer_saved", lambda body, name: {"name": name, **body})
def change_printer(body, name: str):
    """Change a printer's host, port, language or dpi (admin); only the fields sent change."""
    _check_address(body)
    return printers.change_printer(get_session(), name, body)


@api.delete("/printers/<name>", parameters=_NAME)
@api.response(204, description="Removed; workstations that used it print from the browser.")
@errors({404: _UNKNOWN})
@admin_change("printer_removed", lambda name: {"name": name})
def remove_printer(name: str):
    """Remove a printer (admin); workstations that had it as default have none after."""
    printers.remove_printer(get_session(), name)
    response = Response(status=204)
    del response.headers["Content-Type"]  # no body, so no type of one
    return response


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


@api.post("/printers/<name>/test", parameters=_NAME)
@api.response(200, PrinterDeliverySchema, description="The test page was sent (any warnings with it).")
@errors(
    {
        404: _UNKNOWN,
        503: "The printer did not take the page: off, unplugged or unreachable; `message` says what to check.",
    }
)
@admin_only
def test_printer(name: str):
    """Send a 4×6 test page in the printer's language (admin: it makes the backend connect where
    the printer entry says)."""
    session = get_session()
    printer = printers.find_printer(session, name)
    config = runtime_config()
    delivery = send_test_page(
        session, printer, config["PRINTER_TIMEOUT_SECONDS"], g.token_name, PrinterPolicy.from_config(config)
    )
    if delivery["status"] == "failed":
        raise ApiError(503, "printer_offline", delivery["message"], retry_after=5)
    return delivery
