"""CartonCloud's REST API, HTTP only: sale orders (its "outbound orders"), consignments, documents."""

from __future__ import annotations

import base64
import copy
import logging
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import requests

from server.cartoncloud import conditions
from server.cartoncloud.errors import read_failure
from server.cartoncloud.token import TokenCache
from server.http.errors import UpstreamAuthError, UpstreamConflict, UpstreamRejected
from server.http.retry import RetryPolicy
from server.http.transport import DEFAULT_TIMEOUT, Reply, Timeout, Transport

log = logging.getLogger(__name__)

SERVICE = "cartoncloud"
API_VERSION = {"Accept-Version": "1"}
MAX_CONFLICT_ATTEMPTS = 3
DEFAULT_TOKEN_LIFETIME = 300.0


@dataclass(frozen=True)
class SearchPage:
    items: list[dict]
    page: int
    total_pages: int
    total_elements: int


class CartonCloudClient:
    """One CartonCloud tenant, reached with OAuth2 client credentials."""

    def __init__(
        self,
        base_url: str,
        client_id: str,
        client_secret: str,
        tenant_id: str,
        *,
        timeout: Timeout = DEFAULT_TIMEOUT,
        session: requests.Session | None = None,
        retry: RetryPolicy = RetryPolicy(),
        sleep: Callable[[float], None] = time.sleep,
        rng: Callable[[], float] = random.random,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not client_id or not client_secret or not tenant_id:
            raise ValueError("CartonCloud needs the client id, the client secret and the tenant id")
        self._credentials = (client_id, client_secret)
        self._tenant_path = f"/tenants/{quote(tenant_id, safe='')}"
        self._transport = Transport(
            SERVICE,
            base_url,
            read_failure=read_failure,
            timeout=timeout,
            session=session,
            retry=retry,
            sleep=sleep,
            rng=rng,
        )
        self._tokens = TokenCache(self._fetch_token, clock)

    def __repr__(self) -> str:
        return f"CartonCloudClient(base_url={self._transport.base_url!r}, tenant_path={self._tenant_path!r})"

    def userinfo(self) -> dict:
        """``{id, name, email, tenants: [{id, name}]}``: proves the credentials work."""
        return self._call("GET", "/uaa/userinfo").body

    # Sale orders

    def get_sale_order(self, sale_order_id: str) -> dict:
        """Raises UpstreamNotFound."""
        return self._call("GET", f"{self._tenant_path}/outbound-orders/{quote(sale_order_id, safe='')}").body

    def search_sale_orders(self, condition: dict, *, page: int = 1, size: int = 100) -> SearchPage:
        """One page of sale orders matching a condition tree (see ``conditions``)."""
        return self._search("outbound-orders", condition, page, size)

    def iter_sale_orders(self, condition: dict, size: int = 100) -> Iterator[dict]:
        page = 1
        while True:
            result = self.search_sale_orders(condition, page=page, size=size)
            yield from result.items
            if page >= result.total_pages:
                return
            page += 1

    def find_sale_orders_by_customer_reference(self, reference: str) -> list[dict]:
        return list(self.iter_sale_orders(conditions.text_equals(conditions.CUSTOMER_REFERENCE, reference)))

    def find_sale_orders_by_numeric_id(self, numeric_id: str) -> list[dict]:
        """The sale orders whose ``numericId`` (the number the web app shows) is ``numeric_id``."""
        if not numeric_id.isdigit():
            raise ValueError(f"a numericId is digits only, not {numeric_id!r}")
        try:
            return list(self.iter_sale_orders(conditions.numeric_equals(conditions.NUMERIC_ID, int(numeric_id))))
        except UpstreamRejected:
            # Not confirmed that numericId is searchable as a number; a tenant that refuses the
            # numeric comparison still answers the text one.
            return list(self.iter_sale_orders(conditions.text_equals(conditions.NUMERIC_ID, numeric_id)))

    def upload_sale_order_document(
        self,
        sale_order_id: str,
        *,
        name: str,
        data: bytes,
        document_type: str = "OUTBOUND_ORDER_INVOICE",
    ) -> dict:
        """Attach a file (e.g. the label PDF) to a sale order; returns the created document."""
        payload = {"type": document_type, "content": {"name": name, "data": base64.b64encode(data).decode("ascii")}}
        return self._call("POST", self._documents_path(sale_order_id), json=payload).body

    def list_sale_order_documents(self, sale_order_id: str) -> list[dict]:
        """The sale order's documents, ``[{id, type, content: {name}}]``: asked with
        ``Prefer: return=minimal``, as public clients do (a full answer is read the same way)."""
        reply = self._call("GET", self._documents_path(sale_order_id), headers={"Prefer": "return=minimal"})
        return reply.body if isinstance(reply.body, list) else reply.field("content")

    def download_sale_order_document(self, sale_order_id: str, document_id: str) -> bytes:
        """The file of one of the sale order's documents."""
        path = f"{self._documents_path(sale_order_id)}/{quote(document_id, safe='')}/download"
        return self._call("GET", path, raw=True).body

    def _documents_path(self, sale_order_id: str) -> str:
        return f"{self._tenant_path}/outbound-orders/{quote(sale_order_id, safe='')}/documents"

    # Consignments

    def find_consignment_for_sale_order(self, sale_order_id: str) -> dict | None:
        """The consignment CartonCloud's TMS generated from a sale order, if any."""
        condition = conditions.text_equals(conditions.GENERATED_FROM_TASK, sale_order_id)
        items = self._search("consignments", condition, page=1, size=1).items
        return items[0] if items else None

    def update_consignment_tracking(
        self,
        consignment_id: str,
        *,
        tracking_number: str | None,
        carrier_name: str | None,
        tracking_url: str | None = None,
    ) -> dict:
        """Write tracking onto a consignment; returns the consignment as CartonCloud then holds it.

        The PUT replaces the whole entity, guarded by ``If-Match``: when someone changed it in the
        meantime (409/412) it is read again and the change reapplied, a bounded number of times.
        """
        path = f"{self._tenant_path}/consignments/{quote(consignment_id, safe='')}"
        attempt = 1
        while True:
            reply = self._call("GET", path)
            current = _entity(reply)
            wanted = with_tracking(current, tracking_number, carrier_name, tracking_url)
            if wanted == current:
                return current  # already written: a repeated writeback changes nothing
            try:
                return self._call("PUT", path, json=wanted, headers={"If-Match": _version(reply)}).body or wanted
            except UpstreamConflict:
                if attempt >= MAX_CONFLICT_ATTEMPTS:
                    raise
                log.info("consignment %s changed while writing tracking; reading it again", consignment_id)
                attempt += 1

    # Plumbing

    def _search(self, resource: str, condition: dict, page: int, size: int) -> SearchPage:
        top = condition if conditions.is_group(condition) else conditions.all_of(condition)
        reply = self._call(
            "POST",
            f"{self._tenant_path}/{resource}/search",
            params={"page": page, "size": size},
            json={"condition": top},
            safe=True,  # a search changes nothing
        )
        items = reply.body if isinstance(reply.body, list) else reply.field("content")
        return SearchPage(
            items=items,
            page=page,
            total_pages=_int_header(reply, "Total-Pages", 1),
            total_elements=_int_header(reply, "Total-Elements", len(items)),
        )

    def _call(self, method: str, path: str, *, headers: dict | None = None, **kwargs: Any) -> Reply:
        """Send with the cached token; on a 401, fetch a new token and try once more."""
        token = self._tokens.get()
        try:
            return self._send_with_token(token, method, path, headers, **kwargs)
        except UpstreamAuthError as error:
            if error.http_status != 401:
                raise
            self._tokens.invalidate(token)
        return self._send_with_token(self._tokens.get(), method, path, headers, **kwargs)

    def _send_with_token(self, token: str, method: str, path: str, headers: dict | None, **kwargs: Any) -> Reply:
        headers = {**API_VERSION, "Authorization": f"Bearer {token}", **(headers or {})}
        return self._transport.request(method, path, headers=headers, **kwargs)

    def _fetch_token(self) -> tuple[str, float]:
        reply = self._transport.request(
            "POST",
            "/uaa/oauth/token",
            data={"grant_type": "client_credentials"},
            headers=API_VERSION,
            auth=self._credentials,
            safe=True,  # asking for a token again only gets another token
        )
        token = reply.field("access_token")
        if not isinstance(token, str) or not token:
            raise reply.bad_response("the token answer has no usable access_token")
        try:
            expires_in = float(reply.body.get("expires_in") or DEFAULT_TOKEN_LIFETIME)
        except (TypeError, ValueError):
            expires_in = DEFAULT_TOKEN_LIFETIME
        return token, expires_in


def with_tracking(
    consignment: dict, tracking_number: str | None, carrier_name: str | None, tracking_url: str | None
) -> dict:
    """A copy of ``consignment`` carrying the tracking number, carrier and URL (None: cleared)."""
    updated = copy.deepcopy(consignment)
    # CartonCloud sends absent optional objects as null.
    references = updated["references"] = updated.get("references") or {}
    details = updated["details"] = updated.get("details") or {}
    tracking = details["tracking"] = details.get("tracking") or {}
    references["tracking"] = tracking_number
    # The carrier's field name is not confirmed: write the one the entity already uses.
    tracking["company" if "company" in tracking else "companyName"] = carrier_name
    if tracking_url is not None:
        tracking["url"] = tracking_url
    return updated


def _entity(reply: Reply) -> dict:
    if not isinstance(reply.body, dict):
        raise reply.bad_response("expected an entity object")
    return reply.body


def _version(reply: Reply) -> str:
    version = reply.body.get("version")
    if version is None:
        version = reply.headers.get("ETag")
    if version is None:
        raise reply.bad_response("the consignment has no version to guard the update with")
    return str(version)


def _int_header(reply: Reply, name: str, default: int) -> int:
    try:
        return int(reply.headers.get(name, default))
    except ValueError:
        return default
