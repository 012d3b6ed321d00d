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

import pytest
from sqlalchemy import create_engine

from server import rate_budget
from server.db import Database
from server.http.ratelimit import TokenBucket

RATE = 20.0
PER_PROCESS = 15
# A process reserving its slots: prints the moments (its clock + the wait) it may send at.
RESERVE = f"""
import json, sys, time
from sqlalchemy import create_engine
from server import rate_budget
config, url, key, count = json.loads(sys.argv[1])
bucket = rate_budget.bucket_for_account(config, create_engine(url), key, {RATE})
sys.stdin.readline()  # both processes start reserving together
# The wait counts from the moment the store answered: read the clock after it, not before.
print(json.dumps([(lambda wait: time.time() + wait)(bucket.reserve()) for _ in range(count)]))
"""


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


def reserve_in_processes(config, url, key, processes=2, count=PER_PROCESS) -> list[float]:
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
    moments = []
    for process in started:
        out, _ = process.communicate(timeout=60)
        assert process.returncode == 0
        moments += json.loads(out)
    return sorted(moments)


@pytest.mark.serial
def test_processes_share_one_budget(shared):
    config, url = shared
    moments = reserve_in_processes(config, url, f"account-{uuid.uuid4()}")
    assert len(moments) == 2 * PER_PROCESS
    gaps = [later - earlier for earlier, later in zip(moments, moments[1:], strict=False)]
    # Slots 1/rate apart; separate buckets would give both processes the same slots (gaps near 0).
    # The slack is for reading the clock after the store answered, on a busy machine.
    assert min(gaps) > 0.5 / RATE, gaps
    # And no slower than the rate: the 30 sends span 29 slots.
    assert moments[-1] - moments[0] == pytest.approx((2 * PER_PROCESS - 1) / RATE, abs=0.15)


@pytest.mark.serial
def test_one_process_alone_uses_the_whole_rate(shared):
    config, url = shared
    moments = reserve_in_processes(config, url, f"account-{uuid.uuid4()}", processes=1, count=10)
    assert moments[-1] - moments[0] == pytest.approx(9 / RATE, abs=0.1)  # 0.45 s, not 10 / (20 / 5 processes)


def test_accounts_have_budgets_of_their_own(shared):
    config, url = shared
    engine = create_engine(url)
    try:
        first = rate_budget.bucket_for_account(config, engine, "subscription-a", RATE)
        second = rate_budget.bucket_for_account(config, engine, "subscription-b", RATE)
        assert first.reserve() == 0 and second.reserve() == 0  # b is not held up by a's call
        assert 0 < first.reserve() <= 1 / RATE  # a's next waits (less whatever time has passed)
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


@pytest.mark.serial
def test_many_threads_on_a_new_account_all_get_a_slot(postgres_url):
    """The first calls anywhere race to make the account's row: none of them may fail."""
    from concurrent.futures import ThreadPoolExecutor

    upgrade(postgres_url)
    engine = create_engine(postgres_url, pool_size=16)
    try:
        bucket = rate_budget.bucket_for_account({}, engine, f"fresh-{uuid.uuid4()}", 1000.0)
        with ThreadPoolExecutor(16) as pool:
            waits = list(pool.map(lambda _: bucket.reserve(), range(64)))
    finally:
        engine.dispose()
    assert len(waits) == 64 and max(waits) == pytest.approx(63 / 1000.0, abs=0.05)
