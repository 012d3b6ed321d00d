"""The token bucket paces by its clock; one bucket per key in the process."""

from __future__ import annotations

import threading

import pytest

from server.http.ratelimit import TokenBucket, bucket_for

from .support import FakeTime


@pytest.mark.parametrize(("rate", "gap"), [(2, 0.5), (20, 0.05)])
def test_back_to_back_acquires_are_spaced_by_the_rate(fake_time: FakeTime, rate, gap):
    bucket = TokenBucket(rate, clock=fake_time.monotonic)
    for _ in range(4):
        bucket.acquire(fake_time.sleep)
    assert fake_time.sleeps == pytest.approx([gap, gap, gap])


def test_capacity_allows_a_burst_then_paces(fake_time: FakeTime):
    bucket = TokenBucket(2, capacity=2, clock=fake_time.monotonic)
    assert [bucket.reserve() for _ in range(4)] == pytest.approx([0.0, 0.0, 0.5, 1.0])


def test_idle_time_refills_only_up_to_capacity(fake_time: FakeTime):
    bucket = TokenBucket(2, capacity=1, clock=fake_time.monotonic)
    bucket.reserve()
    fake_time.now += 60
    assert [bucket.reserve() for _ in range(2)] == pytest.approx([0.0, 0.5])


def test_threads_get_distinct_slots(fake_time: FakeTime):
    bucket = TokenBucket(2, clock=fake_time.monotonic)
    waits: list[float] = []
    lock = threading.Lock()

    def take() -> None:
        wait = bucket.reserve()
        with lock:
            waits.append(wait)

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(waits) == pytest.approx([i * 0.5 for i in range(8)])


def test_bucket_for_shares_one_bucket_per_key_and_rate():
    first = bucket_for("key-for-sharing-test", 2)
    assert bucket_for("key-for-sharing-test", 2) is first
    assert bucket_for("another-key-for-sharing-test", 2) is not first
    assert bucket_for("key-for-sharing-test", 20).rate == 20


@pytest.mark.parametrize(("rate", "capacity"), [(0, 1), (-1, 1), (2, 0.5)])
def test_bucket_refuses_nonsense(rate, capacity):
    with pytest.raises(ValueError):
        TokenBucket(rate, capacity)
