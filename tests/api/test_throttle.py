"""The rate limits' memory storage (server/api/throttle.py): counting a request starts no
thread, and counters past their window are swept by the requests that follow."""

from __future__ import annotations

import threading

from server.api.throttle import SWEEP_SECONDS, SweptByRequests


def test_counting_requests_starts_no_thread(client, auth, monkeypatch):
    started: list[str] = []
    start = threading.Thread.start

    def recording_start(thread: threading.Thread) -> None:
        started.append(thread.name)
        start(thread)

    monkeypatch.setattr(threading.Thread, "start", recording_start)
    for _ in range(30):
        assert client.get("/api/v1/whoami", headers=auth).status_code == 200
    assert started == []


def test_counters_past_their_window_are_swept_by_later_requests(monkeypatch):
    now = {"wall": 1_000_000.0, "monotonic": 5_000.0}
    monkeypatch.setattr("limits.storage.memory.time.time", lambda: now["wall"])
    monkeypatch.setattr("server.api.throttle.time.monotonic", lambda: now["monotonic"])
    storage = SweptByRequests()
    storage.incr("addr:192.0.2.1", expiry=60)  # the first sweep: nothing to sweep yet
    storage.incr("token:1", expiry=60)
    assert set(storage.storage) == {"addr:192.0.2.1", "token:1"}

    now["wall"] += 61  # both windows are over; the address is never seen again
    now["monotonic"] += SWEEP_SECONDS
    storage.incr("token:1", expiry=60)
    assert dict(storage.storage) == {"token:1": 1}
