"""One Starshipit rate budget per account across every process: the API processes, the workers,
on any host. Starshipit counts requests per subscription key, so every process pacing itself to
a share of the rate wastes what idle processes do not use, and processes pacing themselves to the
whole rate together exceed it.

The shared bucket is the same token bucket as ``server/http/ratelimit.py`` (capacity 1: the
gateway counts in a sliding second), kept where every process sees it:

- on PostgreSQL (the default when the database is PostgreSQL): one row per account in
  ``rate_buckets``, taken from by one ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` that holds the
  row's lock, on the database's clock, so processes on hosts whose clocks differ still agree;
- on Redis when LABELBRIDGE_RATELIMIT_STORAGE_URI is ``redis://…``: one hash per account, updated
  by one Lua script on the server's clock;
- on SQLite (one machine, usually one process): the per-process bucket, as before.

A caller reserves its slot (the bucket may go below zero: the callers after it wait longer) and
sleeps outside any lock, exactly like the per-process bucket.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Engine, text

from .http.ratelimit import TokenBucket, bucket_for

REDIS_PREFIX = "labelbridge:rate:"
REDIS_TTL_SECONDS = 3600  # an account nobody calls for an hour starts again with a full bucket


def account_key(subscription_key: str) -> str:
    """The bucket's name: a hash, so neither the table nor Redis holds a credential."""
    return hashlib.sha256(subscription_key.encode()).hexdigest()


class _SharedBucket:
    rate: float
    capacity: float

    def _tokens_after_taking_one(self) -> float:
        raise NotImplementedError

    def reserve(self) -> float:
        """Take a token and return how many seconds to wait before using it."""
        return max(0.0, -self._tokens_after_taking_one() / self.rate)

    def acquire(self, sleep: Callable[[float], None] = time.sleep) -> None:
        wait = self.reserve()
        if wait > 0:
            sleep(wait)


class PostgresBucket(_SharedBucket):
    # One statement: the first call anywhere makes the row, every other takes from it under its
    # row lock (a separate INSERT then UPDATE races with a process whose INSERT is not committed).
    # The clock is read in SET, after the row lock is held: a moment read before it (the VALUES
    # row's) may be older than the holder's, and would take refill away and set the clock back.
    _TAKE = text("""
        INSERT INTO rate_buckets AS bucket (key, tokens, updated_at)
        VALUES (:key, :capacity - 1, extract(epoch FROM clock_timestamp())::float8)
        ON CONFLICT (key) DO UPDATE
           SET tokens = LEAST(
                   :capacity,
                   bucket.tokens
                   + GREATEST(0, extract(epoch FROM clock_timestamp())::float8 - bucket.updated_at) * :rate
               ) - 1,
               updated_at = GREATEST(bucket.updated_at, extract(epoch FROM clock_timestamp())::float8)
        RETURNING tokens
    """)

    def __init__(self, engine: Engine, key: str, rate: float, capacity: float = 1.0) -> None:
        self.engine, self.key, self.rate, self.capacity = engine, key, float(rate), float(capacity)

    def _tokens_after_taking_one(self) -> float:
        # The one statement is atomic on its own: no BEGIN and COMMIT round trips around it.
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            return connection.execute(
                self._TAKE, {"key": self.key, "rate": self.rate, "capacity": self.capacity}
            ).scalar_one()


class RedisBucket(_SharedBucket):
    _TAKE = """
        local now = redis.call('TIME')
        now = tonumber(now[1]) + tonumber(now[2]) / 1000000
        local rate, capacity = tonumber(ARGV[1]), tonumber(ARGV[2])
        local saved = redis.call('HMGET', KEYS[1], 'tokens', 'updated')
        local tokens = tonumber(saved[1]) or capacity
        local updated = tonumber(saved[2]) or now
        tokens = math.min(capacity, tokens + (now - updated) * rate) - 1
        redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens), 'updated', string.format('%.6f', now))
        redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
        return string.format('%.6f', tokens)
    """

    def __init__(self, client: Any, key: str, rate: float, capacity: float = 1.0) -> None:
        self.key, self.rate, self.capacity = REDIS_PREFIX + key, float(rate), float(capacity)
        self._take = client.register_script(self._TAKE)

    def _tokens_after_taking_one(self) -> float:
        return float(self._take(keys=[self.key], args=[self.rate, self.capacity, REDIS_TTL_SECONDS]))


_redis_clients: dict[str, Any] = {}


def _redis(uri: str) -> Any:
    import redis

    if uri not in _redis_clients:
        _redis_clients[uri] = redis.Redis.from_url(uri)
    return _redis_clients[uri]


def close_clients() -> None:
    """Close the Redis connections this process opened (tests; a server keeps them)."""
    while _redis_clients:
        _redis_clients.popitem()[1].close()


def bucket_for_account(
    config: Mapping[str, Any], engine: Engine, subscription_key: str, rate: float
) -> TokenBucket | _SharedBucket:
    """The bucket every process shares for this account where one can be shared, else this
    process's own."""
    storage = str(config.get("RATELIMIT_STORAGE_URI") or "")
    if storage.startswith(("redis://", "rediss://")):
        return RedisBucket(_redis(storage), account_key(subscription_key), rate)
    if engine.dialect.name == "postgresql":
        return PostgresBucket(engine, account_key(subscription_key), rate)
    return bucket_for(subscription_key, rate)
