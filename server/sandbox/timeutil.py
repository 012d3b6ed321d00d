"""Timestamps as each simulated service writes them, and parsing of what clients send."""

from datetime import UTC, datetime, timedelta, timezone

# CartonCloud answers in the tenant's zone; the demo tenant is in Brisbane (no daylight saving).
TENANT_ZONE = timezone(timedelta(hours=10))


def from_epoch(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


def starshipit_time(moment: datetime) -> str:
    """Starshipit style: UTC, seconds precision, `Z` suffix."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def cartoncloud_time(moment: datetime) -> str:
    """CartonCloud style: the tenant's local time with its offset, e.g. `...T12:10:04+10:00`."""
    return moment.astimezone(TENANT_ZONE).replace(microsecond=0).isoformat()


def parse_timestamp(text: str) -> datetime:
    """An ISO-8601/RFC 3339 timestamp as an aware datetime (naive means UTC).

    Raises ValueError for anything else.
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError("empty timestamp")
    moment = datetime.fromisoformat(text.strip())
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
