"""`labelbridge worker` processes started by a test, and stopped so that none outlives it.

A worker left running after its test would go on polling the process's simulators and writing to
the database path the next test gets (one a process: tests/kept_engines.py), and turn that test's
counts into nonsense. So a worker asked to stop and still running after ``GRACE_SECONDS`` (a
machine busy with other tests can make a pass that long) is killed.
"""

from __future__ import annotations

import subprocess
import sys

GRACE_SECONDS = 30.0


def start_worker(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "from server.cli import main; main()", "worker"], env=env)


def stop_workers(*processes: subprocess.Popen) -> None:
    """SIGTERM to each at once (a worker finishes its pass and writes what waits), SIGKILL to any
    still running after the grace time."""
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
