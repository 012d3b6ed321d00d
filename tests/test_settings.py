"""Run-time settings: admin-only, validated per field, applied to the next print, audited."""

import json

import pytest
from click.testing import CliRunner

from server.cli import main
from server.db import get_database


@pytest.fixture
def admin(make_token) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_token('office', role='admin')}"}


def test_settings_round_trip(client, admin):
    before = client.get("/api/v1/settings", headers=admin).get_json()
    assert before["writeback_mode"] == "consignment" and before["auto_print"] is True
    changes = {
        "writeback_mode": "both",
        "auto_print": False,
        "shipping_methods": {"Express": "EXP"},
        "default_package_weight_kg": 2.5,
        "trigger_statuses": ["PACKED", "DISPATCHED"],
    }
    response = client.put("/api/v1/settings", json=changes, headers=admin)
    assert response.status_code == 200
    assert {name: response.get_json()[name] for name in changes} == changes
    assert client.get("/api/v1/settings", headers=admin).get_json() == response.get_json()


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        (
            {"writeback_mode": "carrier pigeon"},
            {"writeback_mode": ["Must be one of: consignment, document, both, none."]},
        ),
        (
            {"default_package_weight_kg": 0},
            {"default_package_weight_kg": ["Must be greater than 0 and less than or equal to 1000.0."]},
        ),
        (
            {"cartoncloud_poll_seconds": 1e20},
            {"cartoncloud_poll_seconds": ["Must be greater than or equal to 5 and less than or equal to 86400.0."]},
        ),
        (
            {"starshipit_poll_seconds": 86401},
            {"starshipit_poll_seconds": ["Must be greater than or equal to 5 and less than or equal to 86400.0."]},
        ),
        (
            {"trigger_statuses": ["DRAFT"]},
            {
                "trigger_statuses": {
                    "0": [
                        "Must be one of: AWAITING_STOCK, "
                        "AWAITING_PICK_AND_PACK, PACKING_IN_PROGRESS, PICKED, PACKED, DISPATCHED."
                    ]
                }
            },
        ),
        ({"auto_print": "maybe"}, {"auto_print": ["Not a valid boolean."]}),
        ({"colour": "red"}, {"colour": ["Unknown field."]}),
    ],
)
def test_invalid_settings_are_refused_per_field_and_nothing_is_saved(client, admin, changes, errors):
    before = client.get("/api/v1/settings", headers=admin).get_json()
    response = client.put("/api/v1/settings", json={**changes, "label_format": "zpl"}, headers=admin)
    assert response.status_code == 422
    assert response.get_json()["errors"] == errors
    assert client.get("/api/v1/settings", headers=admin).get_json() == before


def test_packer_tokens_cannot_read_or_change_settings(client, auth):
    for response in (
        client.get("/api/v1/settings", headers=auth),
        client.put("/api/v1/settings", json={"auto_print": False}, headers=auth),
    ):
        assert response.status_code == 403
        assert response.get_json()["code"] == "forbidden"


def test_a_changed_setting_applies_to_the_next_print(client, admin, print_label):
    client.put("/api/v1/settings", json={"writeback_mode": "none"}, headers=admin)
    assert print_label(customer_reference="SO-10045").get_json()["writeback"] == "disabled"


def test_settings_changes_are_in_the_audit_log(client, admin):
    client.put("/api/v1/settings", json={"writeback_mode": "document"}, headers=admin)
    events = client.get("/api/v1/events?kind=settings_changed", headers=admin).get_json()["events"]
    assert events[-1]["actor"] == "office"
    assert events[-1]["detail"]["changes"] == {"writeback_mode": {"from": "consignment", "to": "document"}}


def test_settings_from_the_command_line(app, monkeypatch):
    monkeypatch.setenv("LABELBRIDGE_DATABASE_URL", get_database(app).url)
    runner = CliRunner()
    result = runner.invoke(main, ["settings", "set", "trigger_statuses", '["DISPATCHED"]'], catch_exceptions=False)
    assert result.exit_code == 0 and json.loads(result.stdout) == {"trigger_statuses": ["DISPATCHED"]}
    shown = json.loads(runner.invoke(main, ["settings", "show"], catch_exceptions=False).stdout)
    assert shown["trigger_statuses"] == ["DISPATCHED"]
    refused = runner.invoke(main, ["settings", "set", "writeback_mode", "sometimes"])
    assert refused.exit_code == 1 and "Must be one of" in refused.stderr
