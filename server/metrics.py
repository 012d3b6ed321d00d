"""What labelbridge counts for Prometheus (GET /metrics, server/observability.py). A leaf module:
the HTTP clients record their calls here without reaching up into the app.

Under gunicorn each process counts for itself; with PROMETHEUS_MULTIPROC_DIR set (``labelbridge
serve`` sets it, and a worker on the same host given the same folder joins in) the scrape adds
the processes up. Gauges that describe the database (outbox, inbox, poller lag) are read from it at
scrape time instead, so they are the same whichever process answers.
"""

from __future__ import annotations

import re

from prometheus_client import Counter, Histogram

# Seconds: a click waits on one call; a writeback may wait on CartonCloud being down for hours.
_CALL_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30)
_DELAY_BUCKETS = (1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 4 * 3600, 24 * 3600)

LABELS = Counter("labelbridge_labels", "Labels: kind=print (first), reprint, redo (a new shipment), void.", ["kind"])
BATCH_SIZE = Histogram(
    "labelbridge_batch_size", "Sale orders asked for per batch print.", buckets=(1, 2, 5, 10, 20, 50, 100)
)
UPSTREAM_REQUESTS = Counter(
    "labelbridge_upstream_requests",
    "Calls to Starshipit and CartonCloud by answer status (timeout, connection_error when there was none).",
    ["service", "endpoint", "status"],
)
UPSTREAM_SECONDS = Histogram(
    "labelbridge_upstream_request_seconds",
    "Time to an upstream answer.",
    ["service", "endpoint"],
    buckets=_CALL_BUCKETS,
)
UPSTREAM_RATE_LIMITED = Counter("labelbridge_upstream_rate_limited", "429 answers from an upstream.", ["service"])
UPSTREAM_RETRIES = Counter("labelbridge_upstream_retries", "Upstream calls sent again after a failure.", ["service"])
ORDER_CACHE_READS = Counter(
    "labelbridge_order_cache_reads",
    "Reads of what labelbridge knows of an order on PostgreSQL (server/orders/known_cache.py): hit (kept "
    "in the process), miss (read from the database and kept), unkept (read, not kept: a change came in "
    "meanwhile, or the process is not listening for changes).",
    ["outcome"],
)
PACKED_TO_ORDER = Histogram(
    "labelbridge_packed_to_starshipit_order_seconds",
    "From the sale order's change in CartonCloud (reaching the trigger status) to its Starshipit order.",
    buckets=_DELAY_BUCKETS,
)
PRINT_TO_WRITEBACK = Histogram(
    "labelbridge_print_to_writeback_seconds",
    "From a label's print to its tracking written back to CartonCloud.",
    buckets=_DELAY_BUCKETS,
)

# Ids in a path would make a series per order: /tenants/{uuid}/outbound-orders/{uuid} → :id.
_ID_SEGMENT = re.compile(r"/(?:[0-9a-fA-F]{8}-[0-9a-fA-F-]{27}|\d+|[A-Za-z0-9_-]*\d[A-Za-z0-9_-]{5,})(?=/|$)")


def endpoint(path: str) -> str:
    return _ID_SEGMENT.sub("/:id", path.split("?", 1)[0])


def upstream_answered(service: str, method: str, path: str, status: int | str, seconds: float | None) -> None:
    name = f"{method} {endpoint(path)}"
    UPSTREAM_REQUESTS.labels(service, name, str(status)).inc()
    if seconds is not None:
        UPSTREAM_SECONDS.labels(service, name).observe(seconds)
    if status == 429:
        UPSTREAM_RATE_LIMITED.labels(service).inc()


def upstream_retried(service: str) -> None:
    UPSTREAM_RETRIES.labels(service).inc()
