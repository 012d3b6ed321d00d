"""The end of a packing bench's day in real Chromium: a return label from the Details panel, and
Close the day from the popup (the counts per carrier, a confirmation, the manifests opened, a
carrier Starshipit refuses shown in its words)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from test_extension import SHOWCASE, order_url, starshipit_orders_numbered

pytestmark = pytest.mark.e2e

DIALOG_AREA = {"x": 0, "y": 0, "width": 420, "height": 900}
STARTRACK = {"carrier": "StarTrack", "carrier_service_code": "EXP"}


def print_on_the_page(extension, page: Page) -> None:
    with extension.context.expect_page() as opened:
        extension.button(page).click()
    expect(opened.value.locator("body")).to_have_attribute("data-job-state", "ready")
    opened.value.close()


def open_details(extension, page: Page) -> Page:
    with extension.context.expect_page() as opened:
        extension.button_host(page).locator(".details-link").click()
    return opened.value


def test_a_return_label_is_printed_from_the_details_panel_once(fresh_stack, extension):
    # Print pages opened from extension pages are left to the packer's Print button: an automatic
    # print dialog there makes Playwright's driver fail on the print preview's frames.
    extension.configure(fresh_stack.backend_url, fresh_stack.token, auto_print=False)
    page = extension.open_order_page(order_url(fresh_stack, SHOWCASE["numeric_id"]))
    print_on_the_page(extension, page)

    panel = open_details(extension, page)
    button = panel.locator("#return-label")
    expect(button).to_have_text("Return label")
    with extension.context.expect_page() as opened:
        button.click()
    print_page = opened.value
    expect(print_page.locator("body")).to_have_attribute("data-job-state", "ready")
    expect(print_page.locator("#title")).to_have_text(f"Return label · {SHOWCASE['customer_reference']}")
    expect(panel.locator("#return-status")).to_contain_text("Return printed · ")
    expect(button).to_have_text("Reprint return label")
    (returned,) = starshipit_orders_numbered(fresh_stack, f"{SHOWCASE['customer_reference']}-R")
    assert returned["status"] == "Printed"

    with extension.context.expect_page() as opened:
        button.click()
    expect(opened.value.locator("body")).to_have_attribute("data-job-state", "ready")
    assert len(starshipit_orders_numbered(fresh_stack, f"{SHOWCASE['customer_reference']}-R")) == 1
    calls = fresh_stack.sandbox.state.counters.snapshot()["starshipit"]
    assert calls.get("POST /api/orders/shipment/clone") == 1

    again = extension.open_order_page(order_url(fresh_stack, SHOWCASE["numeric_id"]))
    expect(extension.button_host(again)).to_contain_text("Return printed")


def test_closing_the_day_shows_the_counts_then_opens_the_manifests_and_says_what_failed(
    fresh_stack, extension, screenshots
):
    state = fresh_stack.sandbox.state
    extension.configure(fresh_stack.backend_url, fresh_stack.token, auto_print=False)
    page = extension.open_order_page(order_url(fresh_stack, SHOWCASE["numeric_id"]))
    print_on_the_page(extension, page)
    second = extension.open_order_page(order_url(fresh_stack, "787064"))
    print_on_the_page(extension, second)
    state.starshipit.refuse_manifests("Plain Label", "Manifest failed", "Plain Label is closed for the day")

    popup = extension.context.new_page()
    popup.goto(extension.url("src/popup/popup.html"))
    expect(popup.locator("body")).to_have_attribute("data-ready", "true")
    popup.locator("#close-day").click()
    expect(popup.locator("#close-day-list li")).to_have_text(
        ["Australia Post · 1 shipment", "Plain Label · 1 shipment"]
    )
    expect(popup.locator("#close-day-confirm")).to_be_visible()
    popup.screenshot(path=screenshots / "close-the-day.png", clip=DIALOG_AREA, full_page=True)
    assert state.counters.snapshot()["starshipit"].get("POST /api/orders/manifest", 0) == 0

    with extension.context.expect_page() as opened:
        popup.locator("#close-day-confirm").click()
    manifest_page = opened.value
    expect(manifest_page.locator("#title")).to_have_text("Manifest · Australia Post")
    expect(manifest_page.locator("#summary")).to_contain_text("1 shipment")
    expect(popup.locator("#close-day-list li")).to_have_text(
        [
            "Australia Post · manifest number unknown · 1 shipments (PDF opened)",
            "Plain Label · failed: Starshipit refused manifesting the Plain Label shipments: "
            "Manifest failed: Plain Label is closed for the day",
        ]
    )
    expect(popup.locator("#close-day-status")).to_have_text("1 carrier(s) not manifested: see why above.")

    state.starshipit.accept_manifests()
    popup.locator("#close-day").click()
    expect(popup.locator("#close-day-list li")).to_have_text(["Plain Label · 1 shipment"])
    with extension.context.expect_page() as opened:
        popup.locator("#close-day-confirm").click()
    expect(opened.value.locator("#title")).to_have_text("Manifest · Plain Label")
    expect(popup.locator("#close-day-status")).to_have_text("The day is closed.")
    assert state.counters.snapshot()["starshipit"]["POST /api/orders/manifest"] == 3
    assert all(order["manifested"] for order in state.starshipit_orders() if order["status"] == "Printed")
