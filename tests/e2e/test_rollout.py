"""Rolling out to benches in the real Chromium: enrolling with a one-time code from the popup,
and a force-installed bench configured and enrolled by its organisation's policy. The token never
reaches a page: not in a field, not in the popup's text, not in a URL."""

from __future__ import annotations

import uuid

import pytest
import requests
from playwright.sync_api import expect

from server import enrollment
from server.db import get_database

pytestmark = pytest.mark.e2e

WAIT_FOR_TOKEN = """async () => {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const { token } = await chrome.storage.local.get('token');
    if (token) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}"""


def new_code(stack, name: str) -> str:
    with get_database(stack.app).sessions() as session:
        return enrollment.create_enrollment(session, name).code


def token_name(stack, token: str) -> str:
    response = requests.get(
        f"{stack.backend_url}/api/v1/whoami", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    return response.json()["token"]["name"]


def assert_token_not_on_page(popup, token: str) -> None:
    assert token not in popup.content()
    assert popup.locator("#token").input_value() == ""
    assert token not in popup.url


def test_a_bench_enrolls_from_the_link_and_a_used_code_is_refused_in_words(fresh_stack, extension):
    name = f"bench-{uuid.uuid4().hex[:8]}"
    code = new_code(fresh_stack, name)
    popup = extension.context.new_page()
    link = enrollment.enrollment_link(f"chrome-extension://{extension.id}", code, fresh_stack.backend_url)
    popup.goto(link)
    expect(popup.locator("body")).to_have_attribute("data-ready", "true")
    expect(popup.locator("#enrollmentCode")).to_have_value(code)
    expect(popup.locator("#backendUrl")).to_have_value(fresh_stack.backend_url)

    popup.click("#enroll")
    expect(popup.locator("#enroll-status")).to_have_text(f"Enrolled as {name}.")
    token = extension.storage("local", "token")
    assert token_name(fresh_stack, token) == name
    assert extension.storage("local", "backendUrl") == fresh_stack.backend_url
    assert_token_not_on_page(popup, token)
    expect(popup.locator("#workstation-name")).to_contain_text(name)

    popup.fill("#enrollmentCode", code)
    popup.click("#enroll")
    expect(popup.locator("#enroll-status")).to_contain_text("has already been used")
    assert extension.storage("local", "token") == token


def test_the_organisations_policy_sets_the_bench_up_and_locks_what_it_sets(fresh_stack, managed_extension):
    name = f"bench-{uuid.uuid4().hex[:8]}"
    managed_extension.set_policy(
        {"backendUrl": fresh_stack.backend_url, "enrollmentCode": new_code(fresh_stack, name), "autoPrint": False}
    )
    assert managed_extension.worker.evaluate(WAIT_FOR_TOKEN), "the bench never enrolled with the managed code"
    token = managed_extension.storage("local", "token")
    assert token_name(fresh_stack, token) == name

    popup = managed_extension.context.new_page()
    popup.goto(managed_extension.url("src/popup/popup.html"))
    expect(popup.locator("body")).to_have_attribute("data-ready", "true")
    expect(popup.locator("#backendUrl")).to_be_disabled()
    expect(popup.locator("#backendUrl")).to_have_value(fresh_stack.backend_url)
    expect(popup.locator("#backendUrl-managed")).to_have_text("Set by your organisation")
    expect(popup.locator("#autoPrint")).to_be_disabled()
    expect(popup.locator("#autoPrint")).not_to_be_checked()
    expect(popup.locator("#autoPrint-managed")).to_be_visible()
    assert_token_not_on_page(popup, token)
    expect(popup.locator("#workstation-name")).to_contain_text(name)
