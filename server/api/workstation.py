"""A workstation's printing preferences: the calling token's label layout, default printer and
packing slip choice (GET/PUT /workstation)."""

from __future__ import annotations

from flask import g

from ..db import get_session
from ..events import record_event
from ..printing.workstation import save_preferences, workstation_for
from ..schemas.printing import WorkstationSchema, WorkstationUpdateSchema
from .blueprint import api
from .operations import errors

_PREFERENCES = "The calling token's printing preferences."


def workstation_view(session, token_name: str) -> dict:
    workstation = workstation_for(session, token_name)
    return {
        "name": token_name,
        "label_layout": workstation.label_layout,
        "printer": workstation.printer,
        "packing_slip": workstation.packing_slip,
    }


@api.get("/workstation")
@api.response(200, WorkstationSchema, description=_PREFERENCES)
def get_workstation():
    """The calling token's printing preferences: layout, default printer, packing slips."""
    session = get_session()
    view = workstation_view(session, g.token_name)
    session.commit()
    return view


@api.put("/workstation")
@api.arguments(WorkstationUpdateSchema)
@api.response(200, WorkstationSchema, description=_PREFERENCES)
@errors({422: "There is no printer of that name (`errors.printer`)."})
def put_workstation(body):
    """Change the calling token's printing preferences (any role); only the fields sent change."""
    session = get_session()
    save_preferences(session, g.token_name, body)
    record_event(session, None, "workstation_saved", g.token_name, **body)
    view = workstation_view(session, g.token_name)
    session.commit()
    return view
