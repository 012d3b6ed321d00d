"""Regenerate the README's screenshots (docs/screenshots/) from the end-to-end tests that take
them, in Debian's Chromium with the extension loaded: ``python -m tests.e2e.screenshots``.

The ordinary test run writes its screenshots to a temporary folder, never into the checkout."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def main() -> int:
    os.environ["LABELBRIDGE_SCREENSHOTS_DIR"] = str(ROOT / "docs" / "screenshots")
    tests = [
        str(Path(__file__).with_name(name))
        for name in ("test_extension.py", "test_bench_day.py", "test_void.py", "test_return_and_manifest.py")
    ]
    return pytest.main([*tests, "-q", "-p", "no:cacheprovider"])


if __name__ == "__main__":
    sys.exit(main())
