"""CartonCloud's data: sale orders, the consignments generated from them, documents, tokens.

Every method takes the sandbox lock; what it returns is a copy, safe to hand out. Every change
to a sale order (status, a document) moves its `version` and `timestamps.modified`.
"""

import base64
import binascii
import copy
import pickle
import secrets
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from server.sandbox import credentials
from server.sandbox.conditions import Predicate
from server.sandbox.errors import CartonCloudError
from server.sandbox.limits import SlidingWindowPerKey
from server.sandbox.options import SandboxOptions
from server.sandbox.sale_orders import STATUSES, apply_status, build_sale_order, touch
from server.sandbox.seed import FIRST_NUMERIC_ID, seed_orders
from server.sandbox.timeutil import cartoncloud_time

_IDS = uuid.UUID("6b1f3c2e-0d7a-4e59-9b8c-5a4f3e2d1c0b")  # namespace of the sandbox's generated ids

DOCUMENT_TYPES = ("OUTBOUND_ORDER_INVOICE",)
# A reset this soon after the last seeding anchored at "now" reuses its orders instead of building
# them again (a tenth of the time; the tests reset before each test). They are then at most this
# much older than new ones would be: the newest seeded change is an hour before its anchor.
SEED_REUSE_SECONDS = 5.0


def _id(kind: str, key: object) -> str:
    return str(uuid.uuid5(_IDS, f"{kind}:{key}"))


@dataclass(frozen=True)
class _Seeding:
    anchor: datetime | None  # None: "now" at built_at
    built_at: float  # epoch seconds, by the store's clock
    state: bytes


@dataclass(frozen=True)
class CartonCloudOptions:
    token_lifetime: int = 3600
    creates_per_minute: int = 30
    consignments: bool = True
    numeric_search: bool = True
    seed: bool = True


class CartonCloudStore:
    def __init__(
        self,
        lock: threading.RLock,
        now: Callable[[], datetime],
        clock: Callable[[], float],
        options: CartonCloudOptions,
        readings: Callable[[], SandboxOptions] = SandboxOptions,
    ):
        self._lock = lock
        self._now = now
        self._clock = clock
        self.options = options
        self._readings = readings
        self._last_seeding: _Seeding | None = None
        self.reset()

    def reset(self, anchor: datetime | None = None) -> None:
        with self._lock:
            self._orders: dict[str, dict] = {}
            self._consignments: dict[str, dict] = {}
            self._documents: list[dict] = []
            self._tokens: dict[str, tuple[str, float]] = {}
            self._create_limit = SlidingWindowPerKey(self.options.creates_per_minute, 60.0, self._clock)
            self._next_numeric_id = FIRST_NUMERIC_ID
            if self.options.seed:
                self._orders, self._consignments, self._next_numeric_id = pickle.loads(self._seeded(anchor))

    def _seeded(self, anchor: datetime | None) -> bytes:
        """The seeded orders, consignments and next numericId (pickled: each reset loads its own
        copy): built again unless the last seeding has the same anchor, or, anchored at "now", was
        built at most SEED_REUSE_SECONDS ago."""
        built_at = self._clock()
        last = self._last_seeding
        recent = last is not None and 0 <= built_at - last.built_at <= SEED_REUSE_SECONDS
        if last is not None and last.anchor == anchor and (anchor is not None or recent):
            return last.state
        for seed in seed_orders(anchor or self._now()):
            order = self._add(seed.partial, "DRAFT", seed.created)
            for status, minutes in seed.history:
                self._move(order, status, seed.created + timedelta(minutes=minutes))
        state = pickle.dumps((self._orders, self._consignments, self._next_numeric_id))
        self._last_seeding = _Seeding(anchor, built_at, state)
        return state

    # --- OAuth2 ---------------------------------------------------------------------------

    def issue_token(self, client_id: str, client_secret: str) -> dict | None:
        """A client-credentials token, or None for wrong credentials."""
        if not (
            secrets.compare_digest(client_id, credentials.CARTONCLOUD_CLIENT_ID)
            and secrets.compare_digest(client_secret, credentials.CARTONCLOUD_CLIENT_SECRET)
        ):
            return None
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._tokens[token] = (client_id, self._clock() + self.options.token_lifetime)
        return {"access_token": token, "token_type": "bearer", "expires_in": self.options.token_lifetime}

    def token_user(self, token: str) -> str | None:
        """The client id a live token belongs to; None when unknown or expired."""
        with self._lock:
            entry = self._tokens.get(token)
            if entry is None or entry[1] <= self._clock():
                return None
            return entry[0]

    def expire_tokens(self) -> None:
        """Make every issued token expired, as if its lifetime had passed."""
        with self._lock:
            self._tokens = {token: (user, 0.0) for token, (user, _) in self._tokens.items()}

    # --- sale orders ----------------------------------------------------------------------

    def sale_orders(self) -> list[dict]:
        with self._lock:
            return copy.deepcopy(list(self._orders.values()))

    def sale_order(self, key: str) -> dict:
        """By UUID or numericId; raises CartonCloudError 404."""
        with self._lock:
            return copy.deepcopy(self._find(key))

    def search_sale_orders(self, matches: Predicate) -> Sequence[dict]:
        with self._lock:
            return _CopiedOnRead([o for o in self._orders.values() if matches(o)], self._lock)

    def create_sale_order(self, partial: dict, *, user: str | None = None) -> dict:
        """A new order; `user` (an API caller) is held to the create rate limit.

        Raises CartonCloudError: 422 for bad input or a duplicate customer reference (and, with
        the `cartoncloud_strict` option, for an unknown SKU or no customer); RateLimited (429,
        with `retry_after`) when `user` is over the limit.
        """
        if not isinstance(partial, dict):
            raise CartonCloudError(400, "Request body must be a JSON object")
        status = partial.get("status") or "AWAITING_PICK_AND_PACK"
        if status not in STATUSES:
            raise CartonCloudError(422, f"Unknown status '{status}'", field="/status", kind="INVALID")
        with self._lock:
            if user is not None:
                wait = self._create_limit.take(user)
                if wait is not None:
                    raise RateLimited(self.options.creates_per_minute, wait)
            reference = (partial.get("references") or {}).get("customer")
            if any(o["references"]["customer"] == reference for o in self._orders.values()):
                raise CartonCloudError(
                    422,
                    f"An outbound order with reference '{reference}' already exists",
                    field="/references/customer",
                    kind="DUPLICATE",
                )
            order = self._add(partial, status, self._now(), strict=self._readings().cartoncloud_strict)
            return copy.deepcopy(order)

    def set_status(self, key: str, status: str) -> dict:
        with self._lock:
            order = self._find(key)
            self._move(order, status, self._now())
            return copy.deepcopy(order)

    def _find(self, key: str) -> dict:
        order = self._orders.get(key) or next(
            (o for o in self._orders.values() if o["references"]["numericId"] == key), None
        )
        if order is None:
            raise CartonCloudError(404, f"Outbound order {key} not found")
        return order

    def _add(self, partial: dict, status: str, created: datetime, *, strict: bool = False) -> dict:
        """A new order created directly in `status` (version 1)."""
        numeric_id = str(self._next_numeric_id)
        order = build_sale_order(
            partial,
            order_id=_id("outbound-order", numeric_id),
            numeric_id=numeric_id,
            status=status,
            created=created,
            strict=strict,
        )
        self._next_numeric_id += 1
        self._orders[order["id"]] = order
        if status != "DRAFT" and self.options.consignments:
            self._ensure_consignment(order, created)
        return order

    def _move(self, order: dict, status: str, moment: datetime) -> None:
        apply_status(order, status, moment)
        if status != "DRAFT" and self.options.consignments:
            self._ensure_consignment(order, moment)

    # --- consignments ---------------------------------------------------------------------

    def consignments(self) -> list[dict]:
        with self._lock:
            return copy.deepcopy(list(self._consignments.values()))

    def search_consignments(self, matches: Predicate) -> list[dict]:
        with self._lock:
            return copy.deepcopy([c for c in self._consignments.values() if matches(c)])

    def consignment(self, consignment_id: str) -> dict:
        with self._lock:
            return copy.deepcopy(self._find_consignment(consignment_id))

    def update_consignment(self, consignment_id: str, body: dict, if_match: str | None) -> dict:
        """Replace the writable parts (references, details, properties) of a consignment.

        Optimistic locking as CartonCloud does it: `If-Match` must carry the current version
        (412 otherwise, also when missing); a `version` in the body that is not the current one
        is a conflict (409).
        """
        if not isinstance(body, dict):
            raise CartonCloudError(400, "Request body must be a JSON object")
        with self._lock:
            current = self._find_consignment(consignment_id)
            if _etag_version(if_match) != current["version"]:
                raise CartonCloudError(412, f"If-Match does not match the current version {current['version']}")
            if "version" in body and body["version"] != current["version"]:
                raise CartonCloudError(
                    409,
                    f"Consignment was modified: version {body['version']} is stale, current is {current['version']}",
                )
            if body.get("id", consignment_id) != consignment_id:
                raise CartonCloudError(400, "id in the body does not match the path", field="/id", kind="INVALID")
            for part in ("references", "details", "properties"):
                if part in body and not isinstance(body[part], dict):
                    raise CartonCloudError(422, "must be an object", field=f"/{part}", kind="INVALID")
            tracking = (body.get("details") or {}).get("tracking")
            if tracking is not None and not isinstance(tracking, dict):
                raise CartonCloudError(422, "must be an object", field="/details/tracking", kind="INVALID")
            numeric_id = current["references"]["numericId"]  # server-owned, whatever the body says
            for part in ("references", "details", "properties"):
                if part in body:
                    current[part] = copy.deepcopy(body[part])
            current["references"]["numericId"] = numeric_id
            current["version"] += 1
            current["timestamps"]["modified"] = {"time": cartoncloud_time(self._now())}
            return copy.deepcopy(current)

    def _find_consignment(self, consignment_id: str) -> dict:
        consignment = self._consignments.get(consignment_id)
        if consignment is None:
            raise CartonCloudError(404, f"Consignment {consignment_id} not found")
        return consignment

    def _ensure_consignment(self, order: dict, moment: datetime) -> None:
        consignment_id = _id("consignment", order["id"])
        if consignment_id in self._consignments:
            return
        stamp = {"time": cartoncloud_time(moment)}
        self._consignments[consignment_id] = {
            "id": consignment_id,
            "type": "CONSIGNMENT",
            "status": "AWAITING_DISPATCH",
            "version": 1,
            "references": {
                "customer": order["references"]["customer"],
                "numericId": f"C{order['references']['numericId']}",
                "tracking": None,
            },
            "customer": copy.deepcopy(order["customer"]),
            "generatedFromTask": {"id": order["id"], "type": "OUTBOUND"},
            "details": {
                "deliver": {"address": copy.deepcopy(order["details"]["deliver"]["address"])},
                "tracking": None,
            },
            "properties": {},
            "timestamps": {"created": stamp, "modified": dict(stamp)},
        }

    # --- documents ------------------------------------------------------------------------

    def add_document(self, sale_order_id: str, body: dict) -> dict:
        """Attach a document to a sale order; the 201 body of the real API."""
        if not isinstance(body, dict):
            raise CartonCloudError(400, "Request body must be a JSON object")
        kind = body.get("type")
        if kind not in DOCUMENT_TYPES:
            raise CartonCloudError(422, f"must be one of {', '.join(DOCUMENT_TYPES)}", field="/type", kind="INVALID")
        content = body.get("content") if isinstance(body.get("content"), dict) else {}
        name = content.get("name")
        if not isinstance(name, str) or not name.strip():
            raise CartonCloudError(422, "must not be blank", field="/content/name", kind="REQUIRED")
        try:
            data = base64.b64decode(content.get("data") or "", validate=True)
        except (binascii.Error, TypeError, ValueError):
            raise CartonCloudError(422, "must be base64", field="/content/data", kind="INVALID") from None
        if not data:
            raise CartonCloudError(422, "must not be empty", field="/content/data", kind="REQUIRED")
        with self._lock:
            order = self._orders.get(sale_order_id)
            if order is None:
                raise CartonCloudError(404, f"Outbound order {sale_order_id} not found")
            document = {
                "id": _id("document", len(self._documents)),
                "type": kind,
                "owner": {"type": "OUTBOUND", "id": order["id"]},
                "content": {"name": name},
            }
            stored = copy.deepcopy(document)
            stored["content"]["data"] = base64.b64encode(data).decode("ascii")
            stored.update({"size": len(data), "created": cartoncloud_time(self._now())})
            self._documents.append(stored)
            touch(order, self._now())
            return document

    def documents(self, sale_order_id: str | None = None) -> list[dict]:
        """Stored documents with `content.data` (base64), `size` and `created` — for tests."""
        with self._lock:
            return copy.deepcopy([d for d in self._documents if sale_order_id in (None, d["owner"]["id"])])

    def sale_order_documents(self, sale_order_id: str, *, minimal: bool = False) -> list[dict]:
        """`GET …/outbound-orders/{id}/documents`: without the files' data; `minimal` keeps
        only `id`, `type` and `content.name`. 404 for an unknown order."""
        with self._lock:
            if sale_order_id not in self._orders:
                raise CartonCloudError(404, f"Outbound order {sale_order_id} not found")
            listed = []
            for document in self._documents:
                if document["owner"]["id"] != sale_order_id:
                    continue
                content = {"name": document["content"]["name"]}
                if minimal:
                    listed.append({"id": document["id"], "type": document["type"], "content": content})
                else:
                    listed.append({**copy.deepcopy(document), "content": content})
            return listed

    def document_file(self, sale_order_id: str, document_id: str) -> tuple[str, bytes]:
        """(name, bytes) of one of the order's documents; 404 otherwise."""
        with self._lock:
            document = next(
                (d for d in self._documents if d["id"] == document_id and d["owner"]["id"] == sale_order_id), None
            )
            if document is None:
                raise CartonCloudError(404, f"Document {document_id} not found")
            return document["content"]["name"], base64.b64decode(document["content"]["data"])


class _CopiedOnRead(Sequence):
    """Search matches copied only when read: a page of a search over thousands of orders copies
    its hundred, not the thousands (a full deep copy took about a second per page at 10,000)."""

    def __init__(self, matches: list[dict], lock: threading.RLock):
        self._matches = matches
        self._lock = lock

    def __len__(self) -> int:
        return len(self._matches)

    def __getitem__(self, index):
        with self._lock:
            return copy.deepcopy(self._matches[index])


class RateLimited(CartonCloudError):
    """Over the create limit; `retry_after` whole seconds to wait."""

    def __init__(self, per_minute: int, retry_after: int):
        super().__init__(429, f"Rate limit exceeded: at most {per_minute} outbound orders may be created per minute")
        self.retry_after = retry_after


def _etag_version(header: str | None) -> int | None:
    """The version in an If-Match header: `5`, `"5"` and `W/"5"` all mean 5."""
    if not header:
        return None
    text = header.strip().removeprefix("W/").strip('"')
    return int(text) if text.isdigit() else None
