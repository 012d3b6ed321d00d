"""Starshipit's data and behaviour: orders, label printing, tracking.

Wording clients depend on (labelbridge's client looks for "already" and "print"):
- printing a printed order without `reprint`: HTTP 200, `success: false`,
  message "Order has already been printed" (ALREADY_PRINTED);
- printing an archived order, a reprint included: HTTP 200, `success: false`, message "Order is
  archived" (ARCHIVED); only unshipped orders can be deleted, only printed ones archived (HTTP 400);
- unknown order: `success: false`, message "General Exception", details "Unable to find order
  number: N" (NOT_FOUND, UNABLE_TO_FIND), sent with HTTP 200 as clients in the wild expect, or
  404 (options.py, `starshipit_not_found`); the control API always says 404.
Business refusals of a print (already printed, address invalid, unknown carrier) come back as
HTTP 200 with `success: false`; invalid requests (field validation, paging) as HTTP 400 — the
two readings of docs/starshipit-api-notes.md a client must accept.
Duplicate order numbers are allowed, as in real accounts; a lookup or print by order number
picks the most recently created of them.
A reprint returns the very labels and tracking numbers of the first print; `reprint: true` on
an order not yet printed prints it.

Accounts (accounts.py): every order belongs to the account that created it, and the API's calls
take that `account` and see only its orders (another account's order is not found).
Order ids come from one sequence, so an id names one order across accounts and the control
API's calls by id need no account. Printing for an account without couriers is refused with
HTTP 200, `success: false`, message "No carrier is set up for this account. Add a courier in
Settings > Couriers." (NO_COURIERS), details "Order <order_number> was not booked".
An account whose print setting is ZPL (`label_format`) gets its labels as ZPL (zpl.py) in the
same base64 fields. Packing slips (`packing_slips`) are PDFs for orders of the caller's account,
printed or not.
"""

import base64
import copy
import threading
from collections.abc import Callable
from datetime import datetime

from server.sandbox import addresses, carriers
from server.sandbox.accounts import SENDER_ADDRESS, StarshipitAccounts
from server.sandbox.errors import StarshipitRefusal
from server.sandbox.labels import LabelInput, render_label
from server.sandbox.manifests import render_manifest
from server.sandbox.options import SandboxOptions
from server.sandbox.packing_slips import render_packing_slips
from server.sandbox.starshipit_orders import clean_order, clean_packages, item_line, new_order, package_line
from server.sandbox.timeutil import starshipit_time
from server.sandbox.zpl import render_zpl_label

ALREADY_PRINTED = "Order has already been printed"
NOT_FOUND = "General Exception"
UNABLE_TO_FIND = "Unable to find order number: {}"
ARCHIVED = "Order is archived"
NO_COURIERS = "No carrier is set up for this account. Add a courier in Settings > Couriers."
PRINTED_STATUSES = ("Printed", "Delivered")
TRACKING_STATUSES = (
    "Printed",
    "Dispatched",
    "InTransit",
    "OutForDelivery",
    "Delivered",
    "PickupInStore",
    "AttemptedDelivery",
    "Exception",
    "AwaitingCollection",
    "Cancelled",
)
FIRST_ORDER_ID = 214300001
DEFAULT_PACKAGE = {"weight": 1.0, "height": 0.1, "width": 0.2, "length": 0.3}  # the account's default box


class StarshipitStore:
    def __init__(
        self,
        lock: threading.RLock,
        now: Callable[[], datetime],
        accounts: StarshipitAccounts,
        options: Callable[[], SandboxOptions] = SandboxOptions,
    ):
        self._lock = lock
        self._now = now
        self._accounts = accounts
        self._options = options
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._orders: dict[int, dict] = {}
            self._owner: dict[int, str] = {}  # order id -> account name
            self._updated: dict[int, datetime] = {}
            self._printed: dict[int, datetime] = {}
            self._labels: dict[int, bytes] = {}
            self._events: dict[int, list[dict]] = {}
            self._next_order_id = FIRST_ORDER_ID
            self._next_line_id = 1
            self._next_serial = 1
            self._next_manifest = 1
            self._manifest_refusals: dict[str, tuple[str, str]] = {}  # carrier (lower case) -> its refusal

    # --- orders ---------------------------------------------------------------------------

    def create(self, raw: object, *, account: str) -> dict:
        fields = clean_order(raw)
        with self._lock:
            return copy.deepcopy(self._insert(fields, account))

    def import_orders(self, raws: object, *, account: str) -> list[dict]:
        """Create up to 50 orders at once; all or none."""
        if not isinstance(raws, list) or not raws:
            raise StarshipitRefusal.one(400, "The orders field is required.", "orders")
        if len(raws) > 50:
            raise StarshipitRefusal.one(
                400, "A maximum of 50 orders can be imported per request.", f"{len(raws)} orders were sent"
            )
        errors, cleaned = [], []
        for index, raw in enumerate(raws):
            try:
                cleaned.append(clean_order(raw, where=f"orders[{index}]"))
            except StarshipitRefusal as refusal:
                errors += refusal.errors
        if errors:
            raise StarshipitRefusal(400, errors)
        with self._lock:
            return copy.deepcopy([self._insert(fields, account) for fields in cleaned])

    def get(self, order_id: int, *, account: str) -> dict:
        with self._lock:
            return copy.deepcopy(self._by_id(order_id, account))

    def find_by_number(self, order_number: str, *, account: str) -> dict:
        with self._lock:
            return copy.deepcopy(self._by_number(order_number, account))

    def all_orders(self, account: str | None = None) -> list[dict]:
        """Every order (or `account`'s) with the name of its `account` added."""
        with self._lock:
            return [
                {**copy.deepcopy(order), "account": self._owner[order_id]}
                for order_id, order in self._orders.items()
                if account in (None, self._owner[order_id])
            ]

    def update(self, raw: object, *, account: str) -> dict:
        """Unshipped orders take every writable field; printed ones only `status`.

        Moving a printed order back to Unshipped or Saved voids its labels (the next print
        books a new shipment); an unprinted order becomes Printed only by printing its label.
        """
        if not isinstance(raw, dict) or not isinstance(raw.get("order_id"), int):
            raise StarshipitRefusal.one(400, "The order_id field is required.", "order.order_id")
        fields = clean_order(raw, for_update=True)
        with self._lock:
            order = self._by_id(raw["order_id"], account)
            printed = order["status"] in PRINTED_STATUSES
            if printed:
                locked = sorted(key for key in fields if key != "status")
                if locked:
                    raise StarshipitRefusal.one(
                        400,
                        "Order has been printed: only its status can be updated",
                        f"Fields that cannot change: {', '.join(locked)}",
                    )
            to_printed = fields.get("status", order["status"]) in PRINTED_STATUSES
            if to_printed and not printed:
                raise StarshipitRefusal.one(
                    400,
                    f"Order status cannot change from {order['status']} to {fields['status']}",
                    "Print the order's label to make it Printed",
                )
            if printed and not to_printed:
                self._void_labels(order)
            order.update(_merged(order, fields, self._line_id))
            self._touch(order["order_id"])
            return copy.deepcopy(order)

    def delete(self, order_id: int, *, account: str) -> None:
        with self._lock:
            order = self._by_id(order_id, account)
            if order["status"] not in ("Unshipped", "Saved"):
                raise StarshipitRefusal.one(
                    400, "Only unshipped orders can be deleted", f"Order status is {order['status']}"
                )
            del self._orders[order_id], self._updated[order_id], self._owner[order_id]
            for table in (self._printed, self._labels, self._events):
                table.pop(order_id, None)

    def archive(self, order_id: int, *, account: str) -> dict:
        with self._lock:
            order = self._by_id(order_id, account)
            if order["status"] not in PRINTED_STATUSES:
                raise StarshipitRefusal.one(
                    400, "Only printed or shipped orders can be archived", f"Order status is {order['status']}"
                )
            order["archived"] = True
            self._touch(order_id)
            return copy.deepcopy(order)

    def clone(self, request: object, *, account: str) -> dict:
        """`POST /api/orders/shipment/clone` `{order_id, to_return_shipment}`: a new unshipped order
        with the same lines; a return goes back to the sender (the order's `sender_details`, else
        the account's sender address), numbered `<order_number>-R` (or, with the option
        `starshipit_return_number` "same", as its order)."""
        order_id = request.get("order_id") if isinstance(request, dict) else None
        if not isinstance(order_id, int) or isinstance(order_id, bool):
            raise StarshipitRefusal.one(400, "The order_id field is required.", "order_id")
        to_return = request.get("to_return_shipment", False)
        if not isinstance(to_return, bool):
            raise StarshipitRefusal.one(
                400, "The field to_return_shipment must be true or false.", "to_return_shipment"
            )
        with self._lock:
            source = self._by_id(order_id, account)
            fields = {
                key: copy.deepcopy(source[key])
                for key in ("reference", "shipping_method", "shipping_description", "signature_required", "currency")
            }
            fields.update(
                items=copy.deepcopy(source["items"]),
                destination=copy.deepcopy(source["destination"]),
                order_number=source["order_number"],
            )
            if to_return:
                suffix = "-R" if self._options().starshipit_return_number == "suffix" else ""
                fields.update(
                    order_number=f"{source['order_number']}{suffix}",
                    return_order=True,
                    destination={
                        **{key: None for key in source["destination"]},
                        **(source.get("sender_details") or SENDER_ADDRESS),
                    },
                    sender_details={key: value for key, value in source["destination"].items() if value is not None},
                )
            return copy.deepcopy(self._insert(fields, account))

    def manifest(self, request: object, *, account: str) -> dict:
        """`POST /api/orders/manifest` `{order_ids}`: hands printed orders to the courier; a PDF."""
        order_ids = request.get("order_ids") if isinstance(request, dict) else None
        if (
            not isinstance(order_ids, list)
            or not order_ids
            or not all(isinstance(order_id, int) and not isinstance(order_id, bool) for order_id in order_ids)
        ):
            raise StarshipitRefusal.one(
                400, "The order_ids field is required.", "order_ids must be a list of order ids"
            )
        with self._lock:
            orders = [self._by_id(order_id, account) for order_id in order_ids]
            for order in orders:
                refusal = self._manifest_refusals.get((order["carrier_name"] or "").lower())
                if refusal is not None:
                    raise StarshipitRefusal.one(200, *refusal)
            unprinted = [o["order_number"] for o in orders if o["status"] not in PRINTED_STATUSES]
            if unprinted:
                raise StarshipitRefusal.one(200, "Only printed orders can be manifested", ", ".join(unprinted))
            already = [o["order_number"] for o in orders if o["manifested"]]
            if already:
                raise StarshipitRefusal.one(200, "Order has already been manifested", ", ".join(already))
            number = f"M{self._next_manifest:06d}"
            self._next_manifest += 1
            for order in orders:
                order.update(manifested=True, manifest_number=number)
                self._touch(order["order_id"])
            pdf = render_manifest(number, copy.deepcopy(orders), made_at=self._now())
        answer = {"label_type": "Manifest", "pdf": base64.b64encode(pdf).decode("ascii"), "success": True}
        return {**answer, "manifest_number": number} if self._options().starshipit_manifest_number else answer

    def refuse_manifests(self, carrier_name: str, message: str, details: str) -> None:
        """Until the next reset, refuse any manifest holding an order of this carrier, with
        these words (a courier's manifest service down, its account closed for the day)."""
        with self._lock:
            self._manifest_refusals[carrier_name.lower()] = (message, details)

    def accept_manifests(self) -> None:
        """Take every carrier's manifests again."""
        with self._lock:
            self._manifest_refusals.clear()

    def search(self, phrase: str, *, account: str) -> list[dict]:
        """Orders whose number, recipient name or a tracking number contains `phrase`, newest first."""
        wanted = phrase.strip().lower()
        with self._lock:
            hits = [
                order
                for order in self._orders_of(account)
                if wanted in order["order_number"].lower()
                or wanted in (order["destination"]["name"] or "").lower()
                or any(wanted in (p["tracking_number"] or "").lower() for p in order["packages"])
            ]
            return [_summary(order) for order in sorted(hits, key=lambda o: -o["order_id"])]

    def listing(self, *, shipped: bool, since: datetime, account: str) -> list[dict]:
        """Unshipped (Unshipped, Saved) or shipped (Printed, Delivered) orders updated since `since`:
        full orders, except the shipped list's flat summary rows (unless `starshipit_shipped_rows`
        is "full")."""
        wanted = PRINTED_STATUSES if shipped else ("Unshipped", "Saved")
        with self._lock:
            orders = [
                order
                for order in self._orders_of(account)
                if order["status"] in wanted and not order["archived"] and self._updated[order["order_id"]] >= since
            ]
            if shipped and self._options().starshipit_shipped_rows == "summary":
                return [self._shipped_row(order) for order in orders]
            return copy.deepcopy(orders)

    def recently_printed(self, since: datetime, *, account: str) -> list[dict]:
        with self._lock:
            printed = sorted(
                (at, order_id)
                for order_id, at in self._printed.items()
                if at >= since and self._owner[order_id] == account
            )
            return [self._shipment_summary(self._orders[order_id]) for _, order_id in printed]

    # --- labels ---------------------------------------------------------------------------

    def print_label(self, request: object, *, account: str) -> dict:
        """`POST /api/orders/shipment`: book the shipment and return its labels (see module doc)."""
        if not isinstance(request, dict):
            raise StarshipitRefusal.one(400, "The request body is required.", "")
        with self._lock:
            return self._print(self._target(request, account), request)

    def print_in_app(self, order_id: int) -> dict:
        """As if a user printed the order in the Starshipit app (not through the API)."""
        with self._lock:
            return self._print(self._by_id(order_id), {})

    def relabel(self, order_id: int) -> dict:
        """Void a printed order's labels and print new ones: new tracking numbers."""
        with self._lock:
            order = self._by_id(order_id)
            if order["status"] not in PRINTED_STATUSES:
                raise StarshipitRefusal.one(200, "Order has not been printed", f"Order status is {order['status']}")
            self._book(order, {"carrier": order["carrier"], "carrier_service_code": order["carrier_service_code"]})
            return self._shipment(order)

    def label_document(self, order_id: int) -> bytes | None:
        """The order's labels as printed: a PDF, or ZPL for a ZPL account."""
        with self._lock:
            return self._labels.get(order_id)

    def packing_slips(self, request: object, *, account: str) -> dict:
        """`POST /api/orders/packingslips` `{order_ids, summary?}`: one PDF for all the orders."""
        order_ids = request.get("order_ids") if isinstance(request, dict) else None
        if (
            not isinstance(order_ids, list)
            or not order_ids
            or not all(isinstance(order_id, int) and not isinstance(order_id, bool) for order_id in order_ids)
        ):
            raise StarshipitRefusal.one(
                400, "The order_ids field is required.", "order_ids must be a list of order ids"
            )
        summary = request.get("summary", False)
        if not isinstance(summary, bool):
            raise StarshipitRefusal.one(400, "The field summary must be true or false.", f"summary={summary}")
        with self._lock:
            orders = [copy.deepcopy(self._by_id(order_id, account)) for order_id in order_ids]
        pdf = render_packing_slips(orders, summary=summary, printed_at=self._now())
        return {"label_type": "PackingSlip", "pdf": base64.b64encode(pdf).decode("ascii"), "success": True}

    # --- tracking -------------------------------------------------------------------------

    def track(self, *, account: str, tracking_number: str | None = None, order_number: str | None = None) -> dict:
        with self._lock:
            if tracking_number:
                order = next(
                    (
                        o
                        for o in self._orders_of(account)
                        if any(p["tracking_number"] == tracking_number for p in o["packages"])
                    ),
                    None,
                )
                if order is None:
                    raise StarshipitRefusal.one(
                        404, "Tracking number not found", f"No shipment has tracking number {tracking_number}"
                    )
            elif order_number:
                order = self._by_number(order_number, account)
            else:
                raise StarshipitRefusal.one(400, "The tracking_number or order_number field is required.", "")
            return self._tracking(order, tracking_number)

    def set_tracking_status(self, order_id: int, status: str, details: str | None = None) -> dict:
        """Add a carrier tracking event; Delivered also marks the order Delivered."""
        if status not in TRACKING_STATUSES:
            raise StarshipitRefusal.one(400, f"Unknown tracking status '{status}'", ", ".join(TRACKING_STATUSES))
        with self._lock:
            order = self._by_id(order_id)
            if order["status"] not in PRINTED_STATUSES:
                raise StarshipitRefusal.one(200, "Order has not been printed", f"Order status is {order['status']}")
            self._events[order_id].append(
                {"event_datetime": starshipit_time(self._now()), "status": status, "details": details or status}
            )
            if status == "Delivered":
                order["status"] = "Delivered"
            order["events"] = copy.deepcopy(self._events[order_id])
            self._touch(order_id)
            return self._tracking(order, None)

    # --- internals (lock held) ------------------------------------------------------------

    def _line_id(self) -> int:
        self._next_line_id += 1
        return self._next_line_id - 1

    def _insert(self, fields: dict, account: str) -> dict:
        order = new_order(self._next_order_id, fields, self._now(), next_id=self._line_id)
        self._next_order_id += 1
        self._orders[order["order_id"]] = order
        self._owner[order["order_id"]] = account
        self._touch(order["order_id"])
        return order

    def _touch(self, order_id: int) -> None:
        self._updated[order_id] = self._now()

    def _orders_of(self, account: str) -> list[dict]:
        return [order for order_id, order in self._orders.items() if self._owner[order_id] == account]

    def _by_id(self, order_id: int, account: str | None = None) -> dict:
        """The order `order_id` of `account` (None: of any account, for the control API)."""
        order = self._orders.get(order_id)
        if order is None or account not in (None, self._owner[order_id]):
            raise self._not_found(order_id, api=account is not None)
        return order

    def _by_number(self, order_number: str, account: str) -> dict:
        matches = [o for o in self._orders_of(account) if o["order_number"] == str(order_number)]
        if not matches:
            raise self._not_found(order_number, api=True)
        return max(matches, key=lambda o: o["order_id"])

    def _not_found(self, key: object, *, api: bool) -> StarshipitRefusal:
        status = self._options().starshipit_not_found if api else 404
        return StarshipitRefusal.one(status, NOT_FOUND, UNABLE_TO_FIND.format(key))

    def _target(self, request: dict, account: str) -> dict:
        if isinstance(request.get("order_id"), int):
            return self._by_id(request["order_id"], account)
        if request.get("order_number") not in (None, ""):
            return self._by_number(str(request["order_number"]), account)
        raise StarshipitRefusal.one(400, "The order_id or order_number field is required.", "")

    def _print(self, order: dict, request: dict) -> dict:
        if order["archived"]:
            # Checked first: an archived order is printed again by nobody, a reprint included.
            raise StarshipitRefusal.one(200, ARCHIVED, f"Order {order['order_number']} is archived")
        if order["status"] in PRINTED_STATUSES:
            if request.get("reprint") is not True:
                raise StarshipitRefusal.one(
                    200,
                    ALREADY_PRINTED,
                    f"Order {order['order_number']} was printed on {starshipit_time(self._printed[order['order_id']])}. "
                    'Send "reprint": true to get its labels again.',
                )
            return self._shipment(order)
        self._book(order, request)
        return self._shipment(order)

    def _book(self, order: dict, request: dict) -> None:
        if not self._accounts.named(self._owner[order["order_id"]]).has_couriers:
            # Checked first: without a courier account nothing can be booked, whatever the address.
            raise StarshipitRefusal.one(200, NO_COURIERS, f"Order {order['order_number']} was not booked")
        problems = addresses.address_problems(order["destination"])
        if problems:
            raise StarshipitRefusal(200, [(problem, f"Order {order['order_number']}") for problem in problems])
        carrier, service = _carrier_and_service(order, request)
        package_errors: list[tuple[str, str]] = []
        wanted_packages = request.get("packages")
        if wanted_packages:
            packages = [
                package_line(p, self._line_id()) for p in clean_packages(wanted_packages, package_errors, "request")
            ]
            if package_errors:
                raise StarshipitRefusal(400, package_errors)
        else:
            packages = order["packages"] or [package_line(_default_package(order), self._line_id())]
        now = self._now()
        label_format = self._accounts.named(self._owner[order["order_id"]]).label_format
        for package in packages:
            tracking_number = carrier.tracking_number(self._next_serial)
            self._next_serial += 1
            package.update(
                {
                    "tracking_number": tracking_number,
                    "tracking_url": carrier.tracking_link(tracking_number),
                    "carrier_service_code": service.code,
                    "label_created_date": starshipit_time(now),
                    "labels": [
                        {
                            "label_type": "Label",
                            "label_url": f"/_sandbox/starshipit/labels/{order['order_id']}.{label_format}",
                            "label_base64_string": None,
                        }
                    ],
                }
            )
        weight = sum(package["weight"] or 0.0 for package in packages)
        order.update(
            {
                "packages": packages,
                "carrier": carrier.code,
                "carrier_name": carrier.name,
                "carrier_service_code": service.code,
                "carrier_service_name": service.name,
                "total_shipping_price": carriers.price(service, weight),
                "shipping_freight_value": carriers.price(service, weight),
                "status": "Printed",
            }
        )
        render = render_zpl_label if label_format == "zpl" else render_label
        self._labels[order["order_id"]] = render(
            LabelInput(
                order_number=order["order_number"],
                destination=order["destination"],
                carrier_name=carrier.name,
                service_name=service.name,
                tracking_numbers=[p["tracking_number"] for p in packages],
                package_weights=[p["weight"] or 0.0 for p in packages],
                printed_at=now,
            )
        )
        self._printed[order["order_id"]] = now
        self._events[order["order_id"]] = [
            {"event_datetime": starshipit_time(now), "status": "Printed", "details": "Label printed"}
        ]
        order["events"] = copy.deepcopy(self._events[order["order_id"]])
        self._touch(order["order_id"])

    def _void_labels(self, order: dict) -> None:
        # A fresh line keeps the package's size and weight and drops its tracking and labels.
        order["packages"] = [package_line(package, package["package_id"]) for package in order["packages"]]
        order.update(
            carrier_name=None,
            carrier_service_name=None,
            total_shipping_price=None,
            shipping_freight_value=None,
            events=[],
        )
        for table in (self._printed, self._labels, self._events):
            table.pop(order["order_id"], None)

    def _shipment(self, order: dict) -> dict:
        return {
            "success": True,
            "order_id": order["order_id"],
            "order_number": order["order_number"],
            "carrier_name": order["carrier_name"],
            "tracking_numbers": [p["tracking_number"] for p in order["packages"]],
            "labels": [base64.b64encode(self._labels[order["order_id"]]).decode("ascii")],
            "label_types": ["Label"],
        }

    def _shipment_summary(self, order: dict) -> dict:
        return {
            "order_id": order["order_id"],
            "order_number": order["order_number"],
            "carrier_name": order["carrier_name"],
            "carrier_service_code": order["carrier_service_code"],
            "tracking_numbers": [p["tracking_number"] for p in order["packages"]],
            "name": order["destination"]["name"],
            "status": order["status"],
            "shipment_date": starshipit_time(self._printed[order["order_id"]]),
        }

    def _shipped_row(self, order: dict) -> dict:
        """A row of the shipped list: flat, one tracking number, no packages, destination or items."""
        events = self._events.get(order["order_id"], [])
        tracking = next((p["tracking_number"] for p in order["packages"] if p["tracking_number"]), None)
        return {
            "order_id": order["order_id"],
            "order_date": order["order_date"],
            "shipped_date": starshipit_time(self._printed[order["order_id"]]),
            "order_number": order["order_number"],
            "reference": order["reference"],
            "integration_source_name": "API",
            "name": order["destination"]["name"],
            "country": order["destination"]["country"],
            "carrier": order["carrier"],
            "carrier_name": order["carrier_name"],
            "carrier_service_code": order["carrier_service_code"],
            "carrier_service_name": order["carrier_service_name"],
            "shipment_type": "Return" if order["return_order"] else "Outbound",
            "tracking_number": tracking,
            "tracking_short_status": events[-1]["status"] if events else None,
            "tracking_full_status": events[-1]["details"] if events else None,
            "manifest_number": order["manifest_number"],
            "manifest_sent": order["manifested"],
            "writeback_status": None,
            "writeback_details": None,
        }

    def _tracking(self, order: dict, tracking_number: str | None) -> dict:
        printed = order["order_id"] in self._printed and order["status"] in PRINTED_STATUSES
        package = (
            next((p for p in order["packages"] if tracking_number in (None, p["tracking_number"])), None)
            if printed
            else None
        )
        events = self._events.get(order["order_id"], []) if printed else []
        service = carriers.CARRIERS[order["carrier"]].service(order["carrier_service_code"]) if printed else None
        return {
            "order_number": order["order_number"],
            "order_status": order["status"],
            "carrier_name": order["carrier_name"] if printed else None,
            "carrier_service": service.name if service else None,
            "tracking_number": package["tracking_number"] if package else None,
            "tracking_url": package["tracking_url"] if package else None,
            "shipment_date": starshipit_time(self._printed[order["order_id"]]) if printed else None,
            "tracking_status": events[-1]["status"] if events else None,
            "last_updated_date": events[-1]["event_datetime"] if events else None,
            "tracking_events": copy.deepcopy(events),
        }


def _default_package(order: dict) -> dict:
    """The default box, weighing what the items weigh when they say so."""
    weight = sum((item["weight"] or 0) * (item["quantity"] or 1) for item in order["items"])
    return {**DEFAULT_PACKAGE, "weight": round(weight, 3)} if weight else dict(DEFAULT_PACKAGE)


def _carrier_and_service(order: dict, request: dict) -> tuple[carriers.Carrier, carriers.Service]:
    iso2 = addresses.country_iso2(order["destination"]["country"])
    domestic = iso2 == "AU"
    requested_code = request.get("carrier_service_code")
    # ⚠ Rates name a service by its code only: a code asked for without a carrier books the
    # carrier that offers it (codes are the carriers' own, so one carrier has each).
    offering = (
        None if request.get("carrier") or not requested_code else carriers.offering(str(requested_code), domestic)
    )
    wanted_carrier = request.get("carrier") or (offering.code if offering else order["carrier"])
    if wanted_carrier:
        carrier = carriers.find_carrier(str(wanted_carrier))
        if carrier is None:
            raise StarshipitRefusal.one(
                200, f"Carrier '{wanted_carrier}' is not set up on this account", "Settings > Couriers"
            )
    else:
        carrier = carriers.default_carrier(iso2 or "")
    service = carrier.service(requested_code or order["carrier_service_code"], domestic=domestic)
    if service is None and not requested_code:
        service = carrier.service(None, domestic=domestic)  # the order's code belongs to another carrier
    if service is None:
        where = "within Australia" if domestic else "outside Australia"
        raise StarshipitRefusal.one(
            200, f"Service '{requested_code}' is not available for {carrier.name} {where}", "carrier_service_code"
        )
    return carrier, service


def _merged(order: dict, fields: dict, next_id) -> dict:
    """`fields` applied over `order`: destination merged key by key, lines replaced."""
    merged = {key: value for key, value in fields.items() if key not in ("destination", "items", "packages")}
    if "destination" in fields:
        merged["destination"] = {**order["destination"], **fields["destination"]}
    if "items" in fields:
        merged["items"] = [item_line(item, next_id()) for item in fields["items"]]
    if "packages" in fields:
        merged["packages"] = [package_line(package, next_id()) for package in fields["packages"]]
    return merged


def _summary(order: dict) -> dict:
    tracking = next((p["tracking_number"] for p in order["packages"] if p["tracking_number"]), None)
    return {
        "order_id": order["order_id"],
        "order_number": order["order_number"],
        "name": order["destination"]["name"],
        "carrier_name": order["carrier_name"],
        "tracking_number": tracking,
        "country": order["destination"]["country"],
        "status": order["status"],
    }
