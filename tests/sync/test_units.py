"""The pure parts: which statuses trigger, which tracking status may follow which, signatures."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from server.config import DEFAULTS, ConfigError, validate
from server.failures import Forbidden, Unauthenticated
from server.statuses import eligible_statuses, parse_trigger_statuses
from server.sync.signatures import check_shared_secret, check_signature
from server.sync.tracking import moves_forward


@pytest.mark.parametrize(
    ("triggers", "eligible"),
    [
        (("PACKED",), ("PACKED", "DISPATCHED")),
        (("DISPATCHED",), ("DISPATCHED",)),
        (("PICKED", "DISPATCHED"), ("PICKED", "PACKED", "DISPATCHED")),
        ((), ()),
        (("REJECTED",), ()),  # off the path to shipping: never a trigger
    ],
)
def test_orders_at_or_past_the_earliest_trigger_are_eligible(triggers, eligible):
    assert eligible_statuses(triggers) == eligible


@pytest.mark.parametrize(
    ("value", "parsed"), [("PACKED", ("PACKED",)), (" packed, DISPATCHED ", ("PACKED", "DISPATCHED")), ("", ())]
)
def test_trigger_statuses_are_read_from_a_comma_separated_setting(value, parsed):
    assert parse_trigger_statuses(value) == parsed


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TRIGGER_STATUSES", "PACKD"),
        ("CARTONCLOUD_POLL_SECONDS", "-1"),
        ("CARTONCLOUD_WEBHOOK_SECRET", "short"),
        ("STARSHIPIT_SIGNATURE_SCHEME", "md5"),
    ],
)
def test_bad_sync_settings_stop_start_up_naming_the_variable(name, value):
    with pytest.raises(ConfigError, match=f"LABELBRIDGE_{name}"):
        validate({**DEFAULTS, name: value})


def at(hour: int) -> datetime:
    return datetime(2025, 6, 22, hour, tzinfo=UTC)


@pytest.mark.parametrize(
    ("current", "new", "allowed"),
    [
        ((None, None), ("Printed", at(1)), True),
        (("Printed", at(1)), ("InTransit", at(2)), True),
        (("Delivered", at(2)), ("InTransit", at(3)), False),
        (("InTransit", at(2)), ("Printed", at(3)), False),
        (("AttemptedDelivery", at(2)), ("OutForDelivery", at(9)), True),
        (("AttemptedDelivery", at(2)), ("OutForDelivery", at(1)), False),
        (("InTransit", at(2)), ("InTransit", at(3)), False),
        (("InTransit", at(2)), (None, at(3)), False),
    ],
)
def test_a_tracking_status_only_moves_forward(current, new, allowed):
    assert moves_forward(*current, *new) is allowed


def test_a_shared_secret_is_required_and_compared_whole():
    check_shared_secret("s" * 20, "s" * 20, "X")
    with pytest.raises(Unauthenticated):
        check_shared_secret("s" * 20, "s" * 19, "X")
    with pytest.raises(Forbidden) as off:
        check_shared_secret(None, "anything", "X")
    assert "switched off" in off.value.message


def test_a_non_ascii_signature_is_refused_not_an_error():
    with pytest.raises(Unauthenticated):
        check_signature("secret", "hmac-sha256", b"{}", "é", insecure=False)
