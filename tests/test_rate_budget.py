"""One Starshipit rate budget per account across processes: on PostgreSQL, on Redis, and the
per-process bucket kept for SQLite. Two processes reserving at once get slots that never come
closer than 1/rate, and one process alone may use the whole rate.

The tests that compare the slots with the clock are ``serial``: a machine busy with other tests
skews it."""

import json
import os
import subprocess
import sys
import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy import create_engine

from server import rate_budget
from server.db import Database
from server.http.ratelimit import TokenBucket

RATE = 20.0
# The processes' tests run slower than production's 20/s, so a busy machine's scheduling (a clock
# read late) stays small beside a slot.
SHARED_RATE, PER_PROCESS = 2.0, 5
SLOT = 1 / SHARED_RATE
CLOCK_SLACK = SLOT / 2
# A process reserving its slots: prints, for each, when it asked and the moment it may send at
# (its clock + the wait; the wait counts from when the store answered, so read the clock after).
RESERVE = f"""
import json, sys, time
from sqlalchemy import create_engine
from server import rate_budget
config, url, key, count = json.loads(sys.argv[1])
bucket = rate_budget.bucket_for_account(config, create_engine(url), key, {SHARED_RATE})
sys.stdin.readline()  # both processes start reserving together
slots = []
for _ in range(count):
    asked = time.time()
    wait = bucket.reserve()
    slots.append((asked, time.time() + wait))
print(json.dumps(slots))
"""


@dataclass(frozen=True, order=True)
class Slot:
    moment: float  # when the call may be sent
    asked: float  # when it was reserved
    process: int


def redis_available(url: str) -> bool:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


@pytest.fixture(params=["postgresql", "redis"])
def shared(request, postgres_url):
    """(config, database url) where the bucket is shared, on a clean store."""
    upgrade(postgres_url)
    if request.param == "redis":
        redis_url = request.getfixturevalue("redis_url")
        if not redis_available(redis_url):
            message = f"Redis is not running at {redis_url} (.ci/run starts it)"
            pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
        import redis

        client = redis.Redis.from_url(redis_url)
        client.flushdb()  # the tests' own database
        client.close()
        return {"RATELIMIT_STORAGE_URI": redis_url}, postgres_url
    return {"RATELIMIT_STORAGE_URI": "memory://"}, postgres_url


def upgrade(url: str) -> None:
    database = Database(url)
    database.upgrade()
    database.dispose()


def reserve_in_processes(config, url, key, processes=2, count=PER_PROCESS) -> list[Slot]:
    started = [
        subprocess.Popen(
            [sys.executable, "-c", RESERVE, json.dumps([config, url, key, count])],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    for process in started:
        process.stdin.write("go\n")
        process.stdin.flush()
    slots = []
    for index, process in enumerate(started):
        out, _ = process.communicate(timeout=60)
        assert process.returncode == 0
        slots += [Slot(moment, asked, index) for asked, moment in json.loads(out)]
    return sorted(slots)


def assert_at_the_rate(slots: list[Slot]) -> None:
    """Never two sends closer than a slot; and a call reserved while another's slot was still
    ahead (it had to queue) gets the very next slot, so the budget is used whole, not wasted."""
    pairs = list(zip(slots, slots[1:], strict=False))
    queued = [(earlier, later) for earlier, later in pairs if later.asked < earlier.moment - CLOCK_SLACK]
    assert len(queued) >= len(pairs) // 2, "too few calls queued: the test measured nothing"
    assert all(later.moment - earlier.moment > SLOT - CLOCK_SLACK for earlier, later in pairs), slots
    assert all(later.moment - earlier.moment < SLOT + CLOCK_SLACK for earlier, later in queued), slots


@pytest.mark.serial
def test_processes_share_one_budget(shared):
    config, url = shared
    slots = reserve_in_processes(config, url, f"account-{uuid.uuid4()}")
    assert len(slots) == 2 * PER_PROCESS
    # Separate buckets would give both processes the same slots: the processes' calls interleave
    # one slot apart instead.
    assert any(
        earlier.process != later.process and later.asked < earlier.moment - CLOCK_SLACK
        for earlier, later in zip(slots, slots[1:], strict=False)
    ), "the processes never queued behind each other"
    assert_at_the_rate(slots)


@pytest.mark.serial
def test_one_process_alone_uses_the_whole_rate(shared):
    config, url = shared
    slots = reserve_in_processes(config, url, f"account-{uuid.uuid4()}", processes=1, count=PER_PROCESS)
    # A slot apart at the whole rate, not five (the rate divided among 5 processes)
    assert_at_the_rate(slots)


def test_accounts_have_budgets_of_their_own(shared):
    config, url = shared
    engine = create_engine(url)
    try:
        # One call a second, so a's next call still waits on a busy machine.
        first = rate_budget.bucket_for_account(config, engine, "subscription-a", 1.0)
        second = rate_budget.bucket_for_account(config, engine, "subscription-b", 1.0)
        assert first.reserve() == 0 and second.reserve() == 0  # b is not held up by a's call
        assert 0 < first.reserve() <= 1.0  # a's next waits (less whatever time has passed)
    finally:
        engine.dispose()
        rate_budget.close_clients()


def test_the_store_holds_no_credential(postgres_url):
    upgrade(postgres_url)
    engine = create_engine(postgres_url)
    try:
        rate_budget.bucket_for_account({}, engine, "the-subscription-key", RATE).reserve()
        with engine.connect() as connection:
            keys = [row[0] for row in connection.exec_driver_sql("SELECT key FROM rate_buckets")]
    finally:
        engine.dispose()
    assert keys == [rate_budget.account_key("the-subscription-key")] and "the-subscription-key" not in keys[0]


def test_sqlite_keeps_the_per_process_bucket(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert isinstance(rate_budget.bucket_for_account({}, engine, "key", RATE), TokenBucket)
    engine.dispose()


def test_many_threads_on_a_new_account_all_get_a_slot(postgres_url):
    """The first calls anywhere race to make the account's row: none of them may fail, and none
    waits longer than the queue ahead of it (a call that waited for the row's lock reads the clock
    after the lock, so the time it waited is not taken from the bucket again)."""
    from concurrent.futures import ThreadPoolExecutor

    upgrade(postgres_url)
    engine = create_engine(postgres_url, pool_size=16)
    try:
        bucket = rate_budget.bucket_for_account({}, engine, f"fresh-{uuid.uuid4()}", 1000.0)
        with ThreadPoolExecutor(16) as pool:
            waits = list(pool.map(lambda _: bucket.reserve(), range(64)))
    finally:
        engine.dispose()
    assert len(waits) == 64 and max(waits) <= 63 / 1000.0 + 1e-9, sorted(waits)[-5:]
