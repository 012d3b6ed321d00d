"""The seeded sale orders cover every case labelbridge must handle, the same way every run."""

from server.sandbox import create_sandbox_app
from server.sandbox.cartoncloud_store import SEED_REUSE_SECONDS
from server.sandbox.state import SandboxSettings, SandboxState

from .helpers import sale_order_by_reference


def addresses(state) -> list[dict]:
    return [o["details"]["deliver"]["address"] for o in state.sale_orders()]


def test_at_least_fifty_orders_with_the_showcase_first(state):
    orders = state.sale_orders()
    assert len(orders) >= 50
    first = orders[0]
    assert (first["references"]["customer"], first["references"]["numericId"], first["status"]) == (
        "SO-10045",
        "787061",
        "PACKED",
    )
    address = first["details"]["deliver"]["address"]
    assert address["country"]["iso2Code"] == "AU" and address["address1"] and address["phone"] and address["postcode"]
    assert len({o["id"] for o in orders}) == len({o["references"]["numericId"] for o in orders}) == len(orders)


def test_states_countries_and_statuses_vary(state):
    australian = [a for a in addresses(state) if a["country"]["iso2Code"] == "AU"]
    assert {a["state"]["code"] for a in australian} >= {"QLD", "NSW", "VIC", "WA", "SA", "TAS", "ACT", "NT"}
    assert {a["country"]["iso2Code"] for a in addresses(state)} >= {"AU", "NZ", "US", "GB", "DE", "JP"}
    statuses = {o["status"] for o in state.sale_orders()}
    assert statuses >= {"DRAFT", "REJECTED", "AWAITING_PICK_AND_PACK", "PACKED", "DISPATCHED"}


def test_the_awkward_cases_are_there(state):
    names = {a["contactName"] for a in addresses(state)}
    assert {"Zoë Müller", "José Ñúñez", "渡辺 健"} <= names
    assert any(a["phone"] is None for a in addresses(state))
    assert sale_order_by_reference(state, "SO-10054")["details"]["deliver"]["address"]["address1"] is None
    assert any(len(a["address1"] or "") > 100 for a in addresses(state))
    assert any(len(o["items"]) >= 5 for o in state.sale_orders())


def test_some_orders_were_dispatched_without_being_packed(state):
    dispatched = [o for o in state.sale_orders() if o["status"] == "DISPATCHED"]
    assert any(o["timestamps"]["packed"] is None for o in dispatched)
    assert any(o["timestamps"]["packed"] is not None for o in dispatched)


def test_optional_values_are_null_never_empty_strings(state):
    def strings(value):
        if isinstance(value, dict):
            for inner in value.values():
                yield from strings(inner)
        elif isinstance(value, list):
            for inner in value:
                yield from strings(inner)
        elif isinstance(value, str):
            yield value

    assert "" not in {text.strip() for order in state.sale_orders() for text in strings(order)}


def test_every_non_draft_order_has_one_consignment(state):
    owners = [c["generatedFromTask"]["id"] for c in state.cartoncloud.consignments()]
    assert sorted(owners) == sorted(o["id"] for o in state.sale_orders() if o["status"] != "DRAFT")


def test_seeds_are_deterministic(sandbox_config, state):
    again = create_sandbox_app(sandbox_config).extensions["sandbox"]
    assert again.sale_orders() == state.sale_orders()
    assert again.cartoncloud.consignments() == state.cartoncloud.consignments()


def test_the_showcase_is_fresh_in_a_modified_since_window(state):
    first = state.sale_orders()[0]
    assert first["timestamps"]["modified"]["time"] == "2025-06-20T09:00:00+10:00"  # an hour before the anchor


def test_seeding_can_be_turned_off(sandbox_config):
    assert create_sandbox_app({**sandbox_config, "SANDBOX_SEED": False}).extensions["sandbox"].sale_orders() == []


def test_a_reset_gives_the_seeded_orders_afresh_and_seeds_again_once_now_has_moved_on(clock):
    state = SandboxState(SandboxSettings(), clock)  # no anchor: seeded at "now"
    seeded = state.sale_orders()
    state.set_sale_order_status(seeded[0]["id"], "DISPATCHED")
    state.reset()
    assert state.sale_orders() == seeded  # the change went with the reset: each has its own copy
    clock.advance(SEED_REUSE_SECONDS + 3600)
    state.reset()
    later = state.sale_orders()[0]["timestamps"]["created"]["time"]
    assert later > seeded[0]["timestamps"]["created"]["time"]  # anchored at the new "now"
