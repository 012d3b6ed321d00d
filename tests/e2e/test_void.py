"""Void a label, then print again, in real Chromium: the Details panel's Void label with its
confirmation, the button's "Voided · print again", and a new shipment without a redo, whose print
page says which voided label it replaces."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from test_extension import SHOWCASE, order_url, starshipit_orders_numbered

pytestmark = pytest.mark.e2e

PANEL_AREA = {"x": 0, "y": 0, "width": 1000, "height": 420}


def test_void_then_print_again(fresh_stack, extension, screenshots):
    # The demo's token: an admin's. Auto-print off: a print dialog opened while the Details panel
    # is open can detach the print page's frame under Playwright's driver, which then stops.
    extension.configure(fresh_stack.backend_url, fresh_stack.token, auto_print=False)
    page = extension.open_order_page(order_url(fresh_stack, SHOWCASE["numeric_id"]))
    with extension.context.expect_page() as opened:
        extension.button(page).click()
    first_print = opened.value
    expect(first_print.locator("body")).to_have_attribute("data-job-state", "ready")
    expect(extension.button(page)).to_contain_text("Printed · 33LB")
    expect(first_print.locator("#summary")).not_to_contain_text("Replaces voided label")
    voided_tracking = re.search(r"Tracking (\S+)", first_print.locator("#summary").text_content()).group(1)

    with extension.context.expect_page() as opened:
        extension.button_host(page).locator(".details-link").click()
    panel = opened.value
    expect(panel.locator("body")).to_have_attribute("data-ready", "true")
    panel.locator("#void-open").click()
    expect(panel.locator("#void-explanation")).to_contain_text("does not cancel anything at the courier")
    panel.locator("#void-reason").fill("Wrong box size: repacked")
    panel.set_viewport_size({"width": 1000, "height": 700})
    panel.screenshot(path=screenshots / "void-confirmation.png", clip=PANEL_AREA)
    panel.locator("#void-confirm").click()
    expect(panel.locator("#void-status")).to_contain_text("voided on")  # the panel reloaded: the label is void
    expect(panel.locator("#void-status")).to_contain_text("Wrong box size: repacked")
    expect(panel.locator("#events li[data-kind='void']")).to_contain_text("reason: Wrong box size: repacked")
    (archived,) = starshipit_orders_numbered(fresh_stack, SHOWCASE["customer_reference"])
    assert archived["archived"] is True

    page.reload()
    expect(extension.button(page)).to_have_text("Voided · print again")
    with extension.context.expect_page() as opened:
        extension.button(page).click()  # no redo confirmation: the old shipment is void
    second_print = opened.value
    expect(second_print.locator("body")).to_have_attribute("data-job-state", "ready")
    expect(second_print.locator("#summary")).to_contain_text(f"Replaces voided label {voided_tracking}")
    expect(extension.button(page)).to_contain_text("Printed · 33LB")
    assert voided_tracking not in second_print.locator("#summary").text_content().split("Tracking ")[1].split(" ·")[0]
    (new_order,) = starshipit_orders_numbered(fresh_stack, f"{SHOWCASE['customer_reference']}-V1")
    assert new_order["status"] == "Printed" and not new_order["archived"]
