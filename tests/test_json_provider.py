"""The app's JSON answers say what Flask's own encoder said, faster (server/json_provider.py)."""

from __future__ import annotations

import dataclasses
import json
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from flask import Flask
from flask.json.provider import DefaultJSONProvider
from hypothesis import given
from hypothesis import strategies as st

from server.json_provider import OrjsonProvider

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=20,
)


@dataclasses.dataclass
class Shipment:
    tracking: str
    booked_at: datetime


def _providers() -> tuple[OrjsonProvider, DefaultJSONProvider, Flask]:
    """Ours and Flask's own, configured as the app configures it (keys in their order)."""
    app = Flask(__name__)
    flasks = DefaultJSONProvider(app)
    flasks.sort_keys = False
    return OrjsonProvider(app), flasks, app


@pytest.fixture
def providers():
    return _providers()


@given(value=JSON_VALUES)
def test_any_json_value_reads_back_as_flasks_encoding_of_it(value):
    ours, flasks, _app = _providers()
    assert json.loads(ours.dumps(value)) == json.loads(flasks.dumps(value))


def test_dates_decimals_uuids_dataclasses_and_int_keys_are_written_as_flask_writes_them(providers):
    ours, flasks, _app = providers
    value = {
        "at": datetime(2026, 12, 4, 21, 30, tzinfo=UTC),
        "on": date(2026, 12, 4),
        "weight": Decimal("1.250"),
        "id": uuid.UUID("6f0e7749-7766-5dca-ada9-a6a3e5d23eeb"),
        "shipment": Shipment("ABC123", datetime(2026, 12, 4, tzinfo=UTC)),
        7: "a key that is a number",
        "name": "Zoë's café",
    }
    assert json.loads(ours.dumps(value)) == json.loads(flasks.dumps(value))
    assert json.loads(ours.dumps(value))["at"] == "Fri, 04 Dec 2026 21:30:00 GMT"  # Flask's HTTP date


def test_keys_keep_their_order(providers):
    ours, _flasks, _app = providers
    assert ours.dumps({"z": 1, "a": 2, "m": 3}) == '{"z":1,"a":2,"m":3}'


def test_an_integer_orjson_refuses_is_written_by_flasks_encoder(providers):
    ours, _flasks, _app = providers
    assert json.loads(ours.dumps({"big": 2**70})) == {"big": 2**70}


def test_an_object_neither_encoder_knows_is_a_type_error(providers):
    ours, _flasks, _app = providers
    with pytest.raises(TypeError):
        ours.dumps({"thing": object()})


def test_a_response_is_the_json_and_a_newline_and_indented_in_debug_mode(providers):
    ours, _flasks, app = providers
    with app.app_context():
        response = ours.response(status="ok", count=2)
        assert response.mimetype == "application/json"
        assert response.get_data() == b'{"status":"ok","count":2}\n'
        app.debug = True
        assert json.loads(ours.response([1, 2]).get_data()) == [1, 2]
        assert b"\n  " in ours.response({"a": 1}).get_data()
