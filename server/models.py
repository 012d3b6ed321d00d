"""Storage: SQLAlchemy 2 models. The schema itself is owned by the Alembic migrations."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, column_property, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return str(uuid.uuid4())


class UtcDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every engine (SQLite keeps no zone of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UtcDateTime, dict[str, Any]: JSON, list[str]: JSON}


class ApiToken(Base):
    """A bearer token for one extension install; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    role: Mapped[str] = mapped_column(String(20), default="packer")
    expires_at: Mapped[datetime | None]
    # The workstation's printing preferences (PUT /api/v1/workstation).
    label_layout: Mapped[str] = mapped_column(String(20), default="original")
    printer_id: Mapped[int | None] = mapped_column(ForeignKey("printers.id", ondelete="SET NULL"))
    packing_slip: Mapped[bool] = mapped_column(default=False)


class SaleOrder(Base):
    """labelbridge's record of one CartonCloud sale order and its shipment: the state machine
    ``new → ordered → labelled → written_back`` (+ ``failed``), unique per (tenant, sale order)."""

    __tablename__ = "sale_orders"
    __table_args__ = (
        UniqueConstraint("tenant_id", "sale_order_id", name="uq_sale_orders_tenant_sale_order"),
        Index("ix_sale_orders_numeric_id", "tenant_id", "numeric_id"),
        Index("ix_sale_orders_customer_reference", "tenant_id", "customer_reference"),
        Index("ix_sale_orders_pending", "tenant_id", "starshipit_order_id", "status"),
        Index("ix_sale_orders_starshipit_order_id", "starshipit_order_id"),
        Index("ix_sale_orders_starshipit_order_number", "tenant_id", "starshipit_order_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(64))
    sale_order_id: Mapped[str] = mapped_column(String(64))
    numeric_id: Mapped[str | None] = mapped_column(String(32))
    customer_reference: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str | None] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(20), default="new")
    starshipit_account: Mapped[str | None] = mapped_column(String(100))
    starshipit_order_id: Mapped[int | None] = mapped_column(Integer)
    starshipit_order_number: Mapped[str | None] = mapped_column(String(50))
    carrier: Mapped[str | None] = mapped_column(String(100))
    tracking_numbers: Mapped[list[str]] = mapped_column(default=list)
    current_label_id: Mapped[str | None] = mapped_column(String(36))
    last_error_code: Mapped[str | None] = mapped_column(String(50))
    last_error_message: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None]
    lock_token: Mapped[str | None] = mapped_column(String(36))
    locked_until: Mapped[datetime | None]
    # Automatic transfer (server/sync): the CartonCloud version last seen; why the order cannot
    # be shipped, and for which version (not retried until it changes).
    source_version: Mapped[int | None]
    source_modified_at: Mapped[datetime | None]
    blocked_fingerprint: Mapped[str | None] = mapped_column(String(80))
    blocked_reasons: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    tracking_status: Mapped[str | None] = mapped_column(String(40))
    tracking_updated_at: Mapped[datetime | None]
    # How many of its shipments were voided: the next Starshipit order is numbered past them.
    voided_shipments: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class StarshipitCreate(Base):
    """One create of a sale order's Starshipit order, sent alone or in a bulk import (rows of one
    import share ``send_id``): written before the request goes out, ended when its answer comes.
    ``outcome``: ``sent`` (no answer yet), ``created``, ``refused`` (answered: nothing was
    created), ``unconfirmed`` (answered, but not known to have created it) or ``no_answer``."""

    __tablename__ = "starshipit_creates"
    __table_args__ = (Index("ix_starshipit_creates_sale_order", "sale_order_pk", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    send_id: Mapped[str] = mapped_column(String(36), index=True)
    sale_order_pk: Mapped[int] = mapped_column(ForeignKey("sale_orders.id"))
    account: Mapped[str | None] = mapped_column(String(100))
    order_number: Mapped[str] = mapped_column(String(50))
    via: Mapped[str] = mapped_column(String(10))  # "create" (one order) or "import"
    outcome: Mapped[str] = mapped_column(String(20), default="sent")
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]


class Label(Base):
    """A label as Starshipit returned it, kept so a reprint needs no upstream call."""

    __tablename__ = "labels"
    __table_args__ = (Index("ix_labels_unmanifested", "manifest_id", "kind", "created_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    sale_order_pk: Mapped[int] = mapped_column(ForeignKey("sale_orders.id"), index=True)
    format: Mapped[str] = mapped_column(String(10))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    carrier: Mapped[str | None] = mapped_column(String(100))
    carrier_service_code: Mapped[str | None] = mapped_column(String(50))
    service_chosen_by: Mapped[str | None] = mapped_column(String(100))  # None: the mapping rules chose
    tracking_numbers: Mapped[list[str]] = mapped_column(default=list)
    replaces_label_id: Mapped[str | None] = mapped_column(String(36))
    replaced_reason: Mapped[str | None] = mapped_column(Text)
    starshipit_order_id: Mapped[int | None] = mapped_column(Integer)  # the Starshipit order it was printed for
    # Voided (server/orders/void.py): kept, no longer the order's; ``void_action`` is what
    # Starshipit did with its order, ``deleted`` or ``archived``.
    voided_at: Mapped[datetime | None]
    void_reason: Mapped[str | None] = mapped_column(Text)
    voided_by: Mapped[str | None] = mapped_column(String(100))
    void_action: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(10), default="shipment", server_default="shipment")  # or "return"
    manifest_id: Mapped[int | None] = mapped_column(ForeignKey("manifests.id"))


class ReturnShipment(Base):
    """A sale order's return: ``sent`` (the clone asked of Starshipit, no answer yet), ``cloned``
    (the return's Starshipit order recorded, before its label is printed) or ``printed``."""

    __tablename__ = "return_shipments"

    id: Mapped[int] = mapped_column(primary_key=True)
    sale_order_pk: Mapped[int] = mapped_column(ForeignKey("sale_orders.id"), unique=True)
    source_order_id: Mapped[int]
    starshipit_order_id: Mapped[int | None]
    state: Mapped[str] = mapped_column(String(20), default="sent")
    label_id: Mapped[str | None] = mapped_column(String(36))
    created_by: Mapped[str | None] = mapped_column(String(100))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Manifest(Base):
    """One carrier's end-of-day manifest: ``sending`` (its labels claimed, Starshipit asked),
    ``done`` (the PDF kept; ``manifest_number`` None when Starshipit's answer named none) or
    ``failed`` (``error`` in Starshipit's words; its labels released for the next one)."""

    __tablename__ = "manifests"

    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str | None] = mapped_column(String(100))
    carrier: Mapped[str] = mapped_column(String(100))
    manifest_number: Mapped[str | None] = mapped_column(String(50))
    state: Mapped[str] = mapped_column(String(20), default="sending")
    error: Mapped[str | None] = mapped_column(Text)
    order_count: Mapped[int] = mapped_column(default=0)
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    finished_at: Mapped[datetime | None]
    # Whether ``pdf`` is kept, without reading it (a manifest settled after a lost answer has none).
    has_pdf: Mapped[bool] = column_property(pdf.column.is_not(None))


class PackingSlip(Base):
    """Starshipit's packing slip for a printed order, kept like its label."""

    __tablename__ = "packing_slips"

    label_id: Mapped[str] = mapped_column(ForeignKey("labels.id", ondelete="CASCADE"), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Printer(Base):
    """A network label printer that takes raw print jobs over TCP (port 9100)."""

    __tablename__ = "printers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    host: Mapped[str] = mapped_column(String(255))
    port: Mapped[int] = mapped_column(default=9100)
    language: Mapped[str] = mapped_column(String(10))  # pdf | zpl
    dpi: Mapped[int] = mapped_column(default=203)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class PrintBatch(Base):
    """Labels for several sale orders in one request: progress while it runs, then each order's
    result and the merged document, in the order asked for."""

    __tablename__ = "print_batches"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    token_name: Mapped[str] = mapped_column(String(100), index=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(20), default="running")  # running | finished
    total: Mapped[int]
    done: Mapped[int] = mapped_column(default=0)
    results: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    format: Mapped[str | None] = mapped_column(String(10))
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    finished_at: Mapped[datetime | None]


class OutboxJob(Base):
    """A tracking writeback to CartonCloud, written in the same transaction as its label."""

    __tablename__ = "outbox_jobs"
    __table_args__ = (Index("ix_outbox_jobs_due", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sale_order_pk: Mapped[int] = mapped_column(ForeignKey("sale_orders.id"), index=True)
    label_id: Mapped[str | None] = mapped_column(String(36), index=True)
    # Set instead of a label for tracking found in Starshipit (a label printed in its app).
    tracking_numbers: Mapped[list[str] | None] = mapped_column(JSON)
    carrier: Mapped[str | None] = mapped_column(String(100))
    mode: Mapped[str] = mapped_column(String(20))
    # ``tracking``: write the order's tracking back; ``void``: clear (consignment) or annotate
    # (document) what a voided label wrote back.
    kind: Mapped[str] = mapped_column(String(20), default="tracking", server_default="tracking")
    state: Mapped[str] = mapped_column(String(20), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    steps_done: Mapped[list[str]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    done_at: Mapped[datetime | None]


class IdempotencyKey(Base):
    """One Idempotency-Key per token: the request's fingerprint and, once answered, the answer."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("token_name", "key", name="uq_idempotency_token_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_name: Mapped[str] = mapped_column(String(100))
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    response_status: Mapped[int | None]
    response_body: Mapped[dict[str, Any] | None]
    label_id: Mapped[str | None] = mapped_column(String(36))
    locked_until: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class OrderEvent(Base):
    """The audit log: what happened, who did it, when. Most events belong to a sale order
    (prints, reprints, redos, writebacks, errors); some do not (settings changes, refused tokens)."""

    __tablename__ = "order_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    sale_order_pk: Mapped[int | None] = mapped_column(ForeignKey("sale_orders.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str | None] = mapped_column(String(100))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class StarshipitAccount(Base):
    """A Starshipit account managed in the database; its keys are stored encrypted."""

    __tablename__ = "starshipit_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    api_key_encrypted: Mapped[str] = mapped_column(Text)
    subscription_key_encrypted: Mapped[str] = mapped_column(Text)
    rate_per_second: Mapped[float] = mapped_column(default=2.0)
    is_default: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class RoutingRule(Base):
    """Sends a CartonCloud customer's sale orders to one Starshipit account."""

    __tablename__ = "routing_rules"
    __table_args__ = (UniqueConstraint("match_field", "match_value", name="uq_routing_rules_match"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    match_field: Mapped[str] = mapped_column(String(20))  # customer_id | customer_code
    match_value: Mapped[str] = mapped_column(String(200))
    account_id: Mapped[int] = mapped_column(ForeignKey("starshipit_accounts.id", ondelete="CASCADE"))


class CartonCloudConnection(Base):
    """The CartonCloud connection managed in the database (at most one row); it takes the place
    of the LABELBRIDGE_CARTONCLOUD_* settings when present."""

    __tablename__ = "cartoncloud_connections"

    id: Mapped[int] = mapped_column(primary_key=True)
    base_url: Mapped[str] = mapped_column(String(200))
    tenant_id: Mapped[str] = mapped_column(String(64))
    tenant_slug: Mapped[str | None] = mapped_column(String(100))
    client_id: Mapped[str] = mapped_column(String(200))
    client_secret_encrypted: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Setting(Base):
    """A setting changed at run time (GET/PUT /api/v1/settings); it overrides the start-up value."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(100))


class SyncCursor(Base):
    """One poller's place (``position``: changes up to here are seen) and its last run; the
    lease lets one worker at a time poll, and expires when that worker dies."""

    __tablename__ = "sync_cursors"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    position: Mapped[datetime | None]
    next_run_at: Mapped[datetime | None]
    lease_owner: Mapped[str | None] = mapped_column(String(100))
    lease_until: Mapped[datetime | None]
    last_started_at: Mapped[datetime | None]
    last_finished_at: Mapped[datetime | None]
    last_summary: Mapped[dict[str, Any] | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    consecutive_failures: Mapped[int] = mapped_column(default=0)


class InboxEvent(Base):
    """Work that arrived by webhook or poll (a sale order entity, a tracking update), stored
    once per ``dedupe_key`` and processed by a worker: duplicates are dropped on arrival."""

    __tablename__ = "sync_inbox"
    __table_args__ = (
        UniqueConstraint("source", "dedupe_key", name="uq_sync_inbox_source_key"),
        Index("ix_sync_inbox_due", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(20))
    dedupe_key: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]]
    state: Mapped[str] = mapped_column(String(20), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_until: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(200))
    last_error: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_at: Mapped[datetime | None]


class EnrollmentCode(Base):
    """A short one-time code a bench exchanges for its own API token (``labelbridge token
    enroll``, POST /api/v1/enrollments, POST /api/v1/enroll). Only its SHA-256 is stored, like a
    token's; ``used_at`` is set by the one exchange that wins."""

    __tablename__ = "enrollment_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    token_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20), default="packer")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(100))
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class RateBucket(Base):
    """One Starshipit account's share of its rate, used by every process (server/rate_budget.py):
    ``tokens`` left as of ``updated_at`` (seconds since the epoch, the database's clock)."""

    __tablename__ = "rate_buckets"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    tokens: Mapped[float]
    updated_at: Mapped[float]
