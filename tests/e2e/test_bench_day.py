"""The rest of a packing bench's day in real Chromium: choosing the courier service from the ▾
beside Print label (and the confirmed redo when the order has a label already)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from test_extension import SCREENSHOT_AREA, SHOWCASE, order_url, starshipit_orders_numbered

from server.cache import get_cache

pytestmark = pytest.mark.e2e

MENU_AREA = {**SCREENSHOT_AREA, "height": 420}


def rates_calls(stack) -> int:
    return stack.sandbox.state.counters.snapshot()["starshipit"].get("POST /api/rates", 0)


def forget_kept_rates(stack) -> None:
    """The backend keeps rates 5 minutes per order; the reset sandbox seeds the same orders again."""
    get_cache(stack.app).forget()


def open_menu(extension, page: Page):
    host = extension.button_host(page)
    host.locator(".service-toggle").click()
    expect(host.locator(".service-menu")).to_have_attribute("data-status", "ready")
    return host


def print_from_menu(extension, page: Page, entry: str) -> Page:
    host = extension.button_host(page)
    with extension.context.expect_page() as opened:
        host.locator(".services li", has_text=entry).click()
    print_page = opened.value
    expect(print_page.locator("body")).to_have_attribute("data-job-state", "printed")
    return print_page


def test_the_menu_lists_the_services_and_prints_with_the_one_picked(fresh_stack, extension, screenshots, monkeypatch):
    forget_kept_rates(fresh_stack)
    monkeypatch.setitem(
        fresh_stack.app.config, "CARRIER_SERVICES", {"Express": {"carrier": "AusPost", "service_code": "7J55"}}
    )
    extension.configure(fresh_stack.backend_url, fresh_stack.token)
    page = extension.open_order_page(order_url(fresh_stack, SHOWCASE["numeric_id"]))
    expect(extension.button(page)).to_have_text("Print label")

    host = open_menu(extension, page)
    expect(host.locator(".services li", has_text="Parcel Post")).to_contain_text("AUD")
    expect(host.locator(".services li", has_text="Premium")).to_contain_text("Premium — AUD")
    expect(host.locator(".services li[data-rules-choice='true']")).to_have_text(
        "Express Post — AUD 17.75 · the rules' choice"
    )
    page.screenshot(path=screenshots / "service-menu.png", clip=MENU_AREA)
    assert rates_calls(fresh_stack) == 1
    host.locator(".service-toggle").click()
    expect(host.locator(".service-menu")).to_be_hidden()
    open_menu(extension, page)
    assert rates_calls(fresh_stack) == 1  # kept by the backend: no second call to Starshipit

    print_from_menu(extension, page, "Premium")
    expect(extension.button(page)).to_contain_text("Printed · LBZ")
    expect(extension.button_host(page)).to_contain_text("StarTrack")
    (order,) = starshipit_orders_numbered(fresh_stack, SHOWCASE["customer_reference"])
    assert (order["carrier"], order["carrier_service_code"]) == ("StarTrack", "PRM")

    with extension.context.expect_page() as opened:
        extension.button_host(page).locator(".details-link").click()
    panel = opened.value
    expect(panel.locator("#service")).to_have_text("Booked with StarTrack PRM, chosen at the bench.")
    expect(panel.locator("#events li[data-kind='print']")).to_contain_text(
        "service: StarTrack PRM, chosen at the bench"
    )


def test_another_service_for_a_printed_order_asks_for_a_reason_first(fresh_stack, extension, screenshots):
    forget_kept_rates(fresh_stack)
    extension.configure(fresh_stack.backend_url, fresh_stack.token)
    page = extension.open_order_page(order_url(fresh_stack, SHOWCASE["numeric_id"]))
    with extension.context.expect_page() as opened:
        extension.button(page).click()
    expect(opened.value.locator("body")).to_have_attribute("data-job-state", "printed")
    expect(extension.button(page)).to_contain_text("Printed · 33LB")

    host = open_menu(extension, page)
    host.locator(".services li", has_text="Road Express").click()
    expect(host.locator(".redo-warning")).to_contain_text("books a new shipment")
    page.screenshot(path=screenshots / "service-redo-confirmation.png", clip=MENU_AREA)
    (before,) = starshipit_orders_numbered(fresh_stack, SHOWCASE["customer_reference"])
    assert before["carrier"] == "AusPost"

    host.locator(".redo input").fill("The customer asked for StarTrack")
    with extension.context.expect_page() as opened:
        host.locator(".redo .confirm").click()
    expect(opened.value.locator("body")).to_have_attribute("data-job-state", "printed")
    expect(extension.button(page)).to_contain_text("Printed · LBZ")
    (after,) = starshipit_orders_numbered(fresh_stack, SHOWCASE["customer_reference"])
    assert (after["order_id"], after["carrier"], after["carrier_service_code"]) == (
        before["order_id"],
        "StarTrack",
        "EXP",
    )


def test_no_rates_are_said_and_the_rules_choice_prints(fresh_stack, extension):
    forget_kept_rates(fresh_stack)
    fresh_stack.sandbox.state.add_fault(
        service="starshipit", path="/api/rates", status=200, body={"rates": [], "success": True}
    )
    extension.configure(fresh_stack.backend_url, fresh_stack.token)
    page = extension.open_order_page(order_url(fresh_stack, SHOWCASE["numeric_id"]))
    host = open_menu(extension, page)
    expect(host.locator(".menu-status")).to_contain_text("Starshipit offered no services")
    print_from_menu(extension, page, "Print with the rules' choice")
    expect(extension.button(page)).to_contain_text("Printed · 33LB")
