"""Starshipit's REST API, HTTP only: every method is one documented call (or its pages)."""

from __future__ import annotations

import base64
import binascii
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import requests

from server.http.errors import UpstreamConflict, UpstreamNotFound, UpstreamRejected
from server.http.ratelimit import TokenBucket, bucket_for
from server.http.retry import RetryPolicy
from server.http.timestamps import rfc3339_utc
from server.http.transport import DEFAULT_TIMEOUT, Reply, Timeout, Transport
from server.starshipit.errors import ALREADY_PRINTED, AlreadyPrinted, read_failure
from server.starshipit.shipment import Shipment, shipment_from_reply

SERVICE = "starshipit"
MAX_IMPORT = 50
MAX_PAGE_SIZE = 250


class StarshipitClient:
    """One Starshipit account. Calls are paced by the process-wide bucket of its subscription key."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        subscription_key: str,
        *,
        timeout: Timeout = DEFAULT_TIMEOUT,
        session: requests.Session | None = None,
        rate_per_second: float = 2,
        retry: RetryPolicy = RetryPolicy(),
        sleep: Callable[[float], None] = time.sleep,
        rng: Callable[[], float] = random.random,
        bucket: TokenBucket | None = None,
    ) -> None:
        if not api_key or not subscription_key:
            raise ValueError("Starshipit needs both the API key and the subscription key")
        self._headers = {
            "StarShipIT-Api-Key": api_key,
            "Ocp-Apim-Subscription-Key": subscription_key,
            "Accept": "application/json",
        }
        # The gateway counts requests per subscription key (it is the rate-limit tier).
        self._transport = Transport(
            SERVICE,
            base_url,
            read_failure=read_failure,
            timeout=timeout,
            session=session,
            retry=retry,
            sleep=sleep,
            rng=rng,
            bucket=bucket or bucket_for(subscription_key, rate_per_second),
        )

    def __repr__(self) -> str:
        return f"StarshipitClient(base_url={self._transport.base_url!r})"

    # Orders

    def create_order(self, order: dict) -> dict:
        """Create an unshipped order; returns the full order with its ``order_id``."""
        return self._call("POST", "/api/orders", json={"order": order}).field("order")

    def get_order(self, order_id: int) -> dict:
        """Raises UpstreamNotFound."""
        return self._call("GET", "/api/orders", params={"order_id": order_id}).field("order")

    def find_order_by_number(self, order_number: str) -> dict | None:
        try:
            return self._call("GET", "/api/orders", params={"order_number": order_number}).field("order")
        except UpstreamNotFound:
            return None

    def search_orders(self, phrase: str) -> list[dict]:
        """Orders whose number, recipient name or tracking number holds ``phrase``, every page:
        rows of ``order_id, order_number, name, carrier_name, tracking_number, country``. Only
        reads, so a failure may be retried."""
        return list(self._orders_on_every_page("/api/orders/search", {"phrase": phrase}, MAX_PAGE_SIZE))

    def update_order(self, order: dict) -> dict:
        """``order`` carries its ``order_id``; printed orders accept only ``status``."""
        body = self._call("PUT", "/api/orders", json={"order": order}).body
        return body.get("order", body) if isinstance(body, dict) else body

    def delete_order(self, order_id: int) -> None:
        """Delete an unshipped order (a printed one is refused: archive it). Raises
        UpstreamNotFound when it is not there (deleted already). Safe to retry: a delete that
        landed leaves nothing to delete twice."""
        self._call("DELETE", "/api/orders/delete", params={"order_id": order_id}, safe=True)

    def archive_order(self, order_id: int) -> None:
        """Archive a printed order (query parameter, no body). Safe to retry: archiving an
        archived order changes nothing."""
        self._call("POST", "/api/orders/archive", params={"order_id": order_id}, safe=True)

    def import_orders(self, orders: list[dict]) -> dict:
        if not 1 <= len(orders) <= MAX_IMPORT:
            raise ValueError(f"import 1 to {MAX_IMPORT} orders at a time, not {len(orders)}")
        return self._call("POST", "/api/orders/import", json={"orders": orders}).body

    def iter_shipped(self, since: datetime | None = None, *, limit: int = MAX_PAGE_SIZE) -> Iterator[dict]:
        """Shipped orders updated since ``since``, every page. ⚠ Each row is read as a flat summary
        (one ``tracking_number``, ``tracking_short_status``, ``shipped_date``; as documented) or as
        a full order (``packages``): callers accept both."""
        return self._orders_on_every_page("/api/orders/shipped", _since("since_last_updated", since), limit)

    def iter_recently_printed(self, since: datetime | None = None, *, limit: int = MAX_PAGE_SIZE) -> Iterator[dict]:
        """Shipments printed since ``since``, with their tracking numbers, every page."""
        return self._orders_on_every_page("/api/orders/shipments", _recently_printed(since), limit)

    # Labels and tracking

    def print_label(
        self,
        *,
        order_id: int | None = None,
        order_number: str | None = None,
        reprint: bool = False,
        carrier: str | None = None,
        carrier_service_code: str | None = None,
        packages: list[dict] | None = None,
    ) -> Shipment:
        """Create the shipment (books the courier) or, with ``reprint``, fetch its labels again.

        Raises AlreadyPrinted when the order has a label and ``reprint`` was not asked for.
        Never retried after a 5xx or timeout: that could book a second shipment.
        """
        if (order_id is None) == (order_number is None):
            raise ValueError("give exactly one of order_id and order_number")
        optional = {
            "order_id": order_id,
            "order_number": order_number,
            "carrier": carrier,
            "carrier_service_code": carrier_service_code,
            "packages": packages,
        }
        payload = {key: value for key, value in optional.items() if value is not None} | {"reprint": reprint}
        try:
            reply = self._call("POST", "/api/orders/shipment", json=payload)
        except (UpstreamRejected, UpstreamConflict) as error:
            if ALREADY_PRINTED.search(error.message):
                raise AlreadyPrinted(
                    error.message,
                    service=error.service,
                    http_status=error.http_status,
                    request_id=error.request_id,
                    body=error.body,
                ) from error
            raise
        return shipment_from_reply(reply, order_id=order_id, order_number=order_number)

    def clone_shipment(self, order_id: int, *, to_return_shipment: bool = True) -> int:
        """Clone the order (with ``to_return_shipment``: as its return); the new order's id.

        ⚠ The answer is documented as ``success`` and the new ``order`` only: the id is read
        from ``order.order_id`` or, the other reading, from a top-level ``order_id``. Never
        retried after a 5xx or timeout: that could make a second clone."""
        reply = self._call(
            "POST", "/api/orders/shipment/clone", json={"order_id": order_id, "to_return_shipment": to_return_shipment}
        )
        body = reply.body if isinstance(reply.body, dict) else {}
        order = body.get("order")
        new_id = order.get("order_id") if isinstance(order, dict) else None
        new_id = new_id if new_id is not None else body.get("order_id")
        if isinstance(new_id, bool) or not isinstance(new_id, (int, str)) or not str(new_id).isdigit():
            raise reply.bad_response("the clone's answer names no new order id")
        if int(new_id) == order_id:
            raise reply.bad_response("the clone's answer names the original order, not a new one")
        return int(new_id)

    def manifest(self, order_ids: list[int]) -> Manifested:
        """Manifest printed orders (one carrier's): ``{label_type, pdf, success}``.

        ⚠ The answer may or may not name the manifest number (``manifest_number``): None when it
        does not. Never retried after a 5xx or timeout: Starshipit may have manifested them."""
        if not order_ids:
            raise ValueError("give at least one order id")
        reply = self._call("POST", "/api/orders/manifest", json={"order_ids": list(order_ids)})
        body = reply.body if isinstance(reply.body, dict) else {}
        number = body.get("manifest_number")
        return Manifested(_pdf_of(reply, "manifest"), str(number) if number not in (None, "") else None)

    def packing_slips(self, order_ids: list[int], *, summary: bool = False) -> bytes:
        """One PDF of packing slips for the orders (with ``summary``, a pick list of SKU totals).

        ⚠ The answer's field is read as ``pdf`` (``{label_type, pdf, success}``, the shape of
        the manifest call and of a public client of this call), not confirmed against a live
        account: a ``labels`` list like the print answer's is accepted too. Only reads, so a
        failure may be retried."""
        if not order_ids:
            raise ValueError("give at least one order id")
        reply = self._call(
            "POST", "/api/orders/packingslips", json={"order_ids": list(order_ids), "summary": summary}, safe=True
        )
        return _pdf_of(reply, "packing slip")

    def track(self, *, tracking_number: str | None = None, order_number: str | None = None) -> dict:
        """The ``results`` object: status, tracking URL and events."""
        if (tracking_number is None) == (order_number is None):
            raise ValueError("give exactly one of tracking_number and order_number")
        params = {"tracking_number": tracking_number} if tracking_number else {"order_number": order_number}
        return self._call("GET", "/api/track", params=params).field("results")

    # Services and account checks

    def rates(self, destination: dict, packages: list[dict], currency: str | None = None) -> list[dict]:
        """The services and prices for a parcel (``include_pricing``: without it prices may be
        missing). Some accounts answer no rates at all: an empty list. A quote, so safe to retry."""
        payload = {"destination": destination, "packages": packages, "include_pricing": True}
        if currency:
            payload["currency"] = currency
        rates = self._call("POST", "/api/rates", json=payload, safe=True).field("rates")
        return [rate for rate in rates or [] if isinstance(rate, dict)]

    def delivery_services(self, destination: dict, packages: list[dict]) -> list[dict]:
        """Services the account's couriers offer for a destination; a quote, so safe to retry."""
        payload = {"destination": destination, "packages": packages}
        return self._call("POST", "/api/deliveryservices", json=payload, safe=True).field("services")

    def validate_address(
        self,
        *,
        street: str,
        country: str,
        suburb: str | None = None,
        city: str | None = None,
        state: str | None = None,
        post_code: str | None = None,
    ) -> dict:
        """``{valid, suggestions, ...}``."""
        given = {
            "street": street,
            "suburb": suburb,
            "city": city,
            "state": state,
            "post_code": post_code,
            "country": country,
        }
        params = {key: value for key, value in given.items() if value is not None}
        return self._call("GET", "/api/address/validate", params=params).body

    # Plumbing

    def _call(self, method: str, path: str, *, safe: bool | None = None, **kwargs: Any) -> Reply:
        return self._transport.request(method, path, headers=self._headers, safe=safe, **kwargs)

    def _orders_on_every_page(self, path: str, params: dict, limit: int) -> Iterator[dict]:
        """Every page until a short one (as clients in the wild page) or the last of ``total_pages``."""
        page = 1
        while True:
            reply = self._call("GET", path, params={**params, "limit": limit, "page": page})
            orders = reply.field("orders") or []
            yield from orders
            total_pages = reply.body.get("total_pages")
            if len(orders) < limit or (total_pages is not None and page >= int(total_pages)):
                return
            page += 1


@dataclass(frozen=True)
class Manifested:
    pdf: bytes = field(repr=False)
    manifest_number: str | None


def _pdf_of(reply: Reply, what: str) -> bytes:
    """The base64 PDF of a ``{label_type, pdf, success}`` answer (or the first of ``labels``)."""
    body = reply.body if isinstance(reply.body, dict) else {}
    labels = body.get("labels")
    encoded = body.get("pdf") or (labels[0] if isinstance(labels, list) and labels else None)
    if not isinstance(encoded, str) or not encoded.strip():
        raise reply.bad_response(f"the answer holds no {what}")
    try:
        return base64.b64decode("".join(encoded.split()), validate=True)
    except binascii.Error as error:
        raise reply.bad_response(f"unreadable {what} (not base64)") from error


def _since(name: str, since: datetime | None) -> dict:
    return {name: rfc3339_utc(since)} if since is not None else {}


def _recently_printed(since: datetime | None) -> dict:
    return {"status": "recently_printed", **_since("since_created_date", since)}
