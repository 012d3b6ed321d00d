"""Real Chromium (Debian's /usr/bin/chromium) with the unpacked extension loaded, driven by
Playwright, against the live stack of tests/conftest.py (sandbox + backend + worker).

The extension is loaded from a copy whose manifest lists the sandbox's loopback host as a
required host permission instead of an optional one: that is the state after a user accepted
the popup's permission prompt, which a headless browser cannot show. Everything else is the
shipped extension's files, unchanged.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, Worker, expect, sync_playwright

EXTENSION_SOURCE = Path(__file__).resolve().parents[2] / "extension"
SCREENSHOTS_ENV = "LABELBRIDGE_SCREENSHOTS_DIR"
CHROMIUM = "/usr/bin/chromium"
SANDBOX_ORIGIN = "http://127.0.0.1/*"
BUTTON = '[data-labelbridge="print-button"]'
# Generous: a step may wait on the backend, the simulators and a browser start on a busy machine.
TIMEOUT_MS = 15_000

WAIT_FOR_SANDBOX_SCRIPT = """async () => {
  // onInstalled registers it asynchronously; the test must not open a page before that.
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const scripts = await chrome.scripting.getRegisteredContentScripts();
    if (scripts.length) return scripts.map((script) => script.id);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the sandbox content script was never registered');
}"""


def _copy_with_sandbox_granted(destination: Path) -> Path:
    shutil.copytree(
        EXTENSION_SOURCE,
        destination,
        ignore=shutil.ignore_patterns("node_modules", "package*.json", "vitest.config.js"),
    )
    manifest_path = destination / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["optional_host_permissions"].remove(SANDBOX_ORIGIN)
    manifest["host_permissions"] = [SANDBOX_ORIGIN]
    manifest_path.write_text(json.dumps(manifest, indent=2))
    return destination


@pytest.fixture(scope="session")
def extension_dir(tmp_path_factory) -> Path:
    return _copy_with_sandbox_granted(tmp_path_factory.mktemp("extension") / "labelbridge")


@pytest.fixture(scope="session")
def playwright_driver():
    with sync_playwright() as driver:
        yield driver


@dataclass
class LoadedExtension:
    """A browser with the extension loaded, and the handles a test needs."""

    context: BrowserContext
    id: str

    @property
    def worker(self) -> Worker:
        # After a restart Playwright reports the new worker; the newest is the live one.
        return self.context.service_workers[-1]

    def url(self, path: str) -> str:
        return f"chrome-extension://{self.id}/{path}"

    def configure(self, backend_url: str, token: str, *, auto_print: bool = True) -> None:
        self.worker.evaluate(
            "settings => chrome.storage.local.set(settings)",
            {"backendUrl": backend_url, "token": token, "autoPrint": auto_print},
        )

    def set_policy(self, policy: dict) -> None:
        """What IT would set for this extension (managed_extension only)."""
        self.worker.evaluate(f"policy => chrome.storage.session.set({{{POLICY_KEY}: policy}})", policy)

    def storage(self, area: str, key: str):
        return self.worker.evaluate(
            "([area, key]) => chrome.storage[area].get(key).then(found => found[key])", [area, key]
        )

    @staticmethod
    def button_host(page: Page) -> Locator:
        """The element the content script adds (its shadow root holds the button)."""
        return page.locator(BUTTON)

    @staticmethod
    def button(page: Page) -> Locator:
        return page.locator(f"{BUTTON} button")

    def open_order_page(self, url: str) -> Page:
        page = self.context.new_page()
        page.goto(url)
        expect(self.button_host(page)).to_have_count(1)
        return page

    def stop_worker(self) -> None:
        """Stops the service worker as Chrome does when it is idle, and waits until it has."""
        page = self.context.new_page()
        page.goto(self.url("src/popup/popup.html"))
        session = self.context.new_cdp_session(page)
        statuses: list[str] = []
        session.on(
            "ServiceWorker.workerVersionUpdated",
            lambda event: statuses.extend(
                version["runningStatus"] for version in event["versions"] if self.id in version["scriptURL"]
            ),
        )
        session.send("ServiceWorker.enable")
        session.send("ServiceWorker.stopAllWorkers")
        deadline = time.monotonic() + TIMEOUT_MS / 1000
        # Playwright delivers CDP events during its own calls: each round trip lets them in.
        while "stopped" not in statuses:
            assert time.monotonic() < deadline, f"the service worker did not stop: {statuses}"
            page.evaluate("0")
        session.detach()
        page.close()


# The organisation's policy, for the copy that stands in for chrome.storage.managed: a test sets
# it in chrome.storage.session under this key. Debian's Chromium reads real policy only from
# /etc/chromium/policies/managed/, which needs root and would reach every Chromium on the machine
# (other test runs included), so the e2e swaps the one module that names the managed area
# (src/shared/managed-area.js) and nothing else. That the manifest's managed_schema is accepted is
# still checked: the copy loads the real manifest.json.
POLICY_KEY = "e2ePolicy"
MANAGED_AREA_STAND_IN = f"""// tests/e2e/conftest.py: the policy a test sets, in place of chrome.storage.managed.
export const MANAGED_AREA_NAME = 'session';

export function managedArea() {{
  return {{ get: async () => (await chrome.storage.session.get('{POLICY_KEY}')).{POLICY_KEY} ?? {{}} }};
}}
"""


@pytest.fixture(scope="session")
def managed_extension_dir(tmp_path_factory) -> Path:
    destination = _copy_with_sandbox_granted(tmp_path_factory.mktemp("managed-extension") / "labelbridge")
    (destination / "src" / "shared" / "managed-area.js").write_text(MANAGED_AREA_STAND_IN)
    return destination


@pytest.fixture
def extension(playwright_driver, extension_dir, tmp_path) -> Iterator[LoadedExtension]:
    yield from _launch(playwright_driver, extension_dir, tmp_path)


@pytest.fixture
def managed_extension(playwright_driver, managed_extension_dir, tmp_path) -> Iterator[LoadedExtension]:
    """The extension as a force-installed bench runs it: its policy set with ``set_policy``."""
    yield from _launch(playwright_driver, managed_extension_dir, tmp_path)


def _launch(playwright_driver, extension_dir: Path, tmp_path: Path) -> Iterator[LoadedExtension]:
    context = playwright_driver.chromium.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=CHROMIUM,
        headless=True,
        viewport={"width": 1280, "height": 720},
        args=[
            "--headless=new",
            f"--disable-extensions-except={extension_dir}",
            f"--load-extension={extension_dir}",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            # window.print() without the print preview: headless, the preview's frames came and
            # went under the print page, and a lifecycle event of a frame gone stopped
            # Playwright's driver (every test after it failed). What the tests check is that
            # the print page asked to print, which it still does.
            "--disable-print-preview",
        ],
    )
    context.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    worker = context.service_workers[0] if context.service_workers else context.wait_for_event("serviceworker")
    worker.evaluate(WAIT_FOR_SANDBOX_SCRIPT)
    yield LoadedExtension(context=context, id=worker.url.split("/")[2])
    context.close()


@pytest.fixture
def screenshots(tmp_path_factory) -> Path:
    """Where the tests' screenshots go: a temporary folder, so a test run leaves the checkout as
    it was; the README's own (docs/screenshots/) only with ``python -m tests.e2e.screenshots``."""
    wanted = os.environ.get(SCREENSHOTS_ENV)
    folder = Path(wanted) if wanted else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder
