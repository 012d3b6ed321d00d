"""Look-alike CartonCloud web pages for the extension to run on (server-rendered, no script
except the list's "select all" and the `?spa=1` imitation of a single-page app).

- GET /app/{tenantSlug}/SaleOrders[?page=N]            list of sale orders, 100 to a page, a checkbox
                                                        per row and "select all" in the header (its script)
- GET /app/{tenantSlug}/SaleOrders/view/{numericId}     the View Sale Order page
- GET /app/{tenantSlug}/outbound-orders/{uuid}[/...]    the same page under the newer URL form
"""

from flask import Blueprint, redirect, render_template, request, url_for

from server.sandbox import credentials
from server.sandbox.errors import CartonCloudError
from server.sandbox.gateway import sandbox_state
from server.sandbox.sale_orders import STATUS_LABELS
from server.sandbox.timeutil import parse_timestamp

blueprint = Blueprint("pages", __name__)

NEIGHBOURS = 3  # other orders linked from a page in SPA mode
PAGE_SIZE = 100  # orders on a page of the list: as many as one batch print takes


@blueprint.context_processor
def tenant() -> dict:
    return {"tenant_slug": credentials.TENANT_SLUG, "tenant_name": credentials.TENANT_NAME}


@blueprint.app_template_filter("local_time")
def local_time(timestamp: str) -> str:
    """ "2025-06-20T10:00:00+10:00" as the app shows it: "20/06/2025 10:00"."""
    return parse_timestamp(timestamp).strftime("%d/%m/%Y %H:%M")


@blueprint.get("/")
@blueprint.get("/app/")
def home():
    return redirect(url_for("pages.sale_orders", tenant_slug=credentials.TENANT_SLUG))


@blueprint.get("/app/<tenant_slug>/SaleOrders")
def sale_orders(tenant_slug: str):
    if tenant_slug != credentials.TENANT_SLUG:
        return _not_found(f"No tenant '{tenant_slug}'.")
    orders = sandbox_state().cartoncloud.sale_orders()
    pages = max(1, -(-len(orders) // PAGE_SIZE))
    page = min(max(request.args.get("page", 1, type=int), 1), pages)
    start = (page - 1) * PAGE_SIZE
    shown = orders[start : start + PAGE_SIZE]
    return render_template(
        "sale_orders.html",
        orders=shown,
        status_labels=STATUS_LABELS,
        total=len(orders),
        first=start + 1 if shown else 0,
        last=start + len(shown),
        previous_page=page - 1 if page > 1 else None,
        next_page=page + 1 if page < pages else None,
    )


@blueprint.get("/app/<tenant_slug>/SaleOrders/view/<numeric_id>")
def sale_order(tenant_slug: str, numeric_id: str):
    return _sale_order_page(tenant_slug, numeric_id, by="numericId")


@blueprint.get("/app/<tenant_slug>/outbound-orders/<order_id>")
@blueprint.get("/app/<tenant_slug>/outbound-orders/<order_id>/<path:section>")
def outbound_order(tenant_slug: str, order_id: str, section: str = ""):
    return _sale_order_page(tenant_slug, order_id, by="id")


def _sale_order_page(tenant_slug: str, key: str, *, by: str):
    if tenant_slug != credentials.TENANT_SLUG:
        return _not_found(f"No tenant '{tenant_slug}'.")
    store = sandbox_state().cartoncloud
    try:
        order = store.sale_order(key)
    except CartonCloudError:
        order = None
    found_by = order and (order["id"] if by == "id" else order["references"]["numericId"])
    if found_by != key:
        return _not_found(f"Sale order {key} does not exist.")
    spa = request.args.get("spa") == "1"
    neighbours = []
    if spa:
        others = [o for o in store.sale_orders() if o["id"] != order["id"]]
        neighbours = others[:NEIGHBOURS]
    return render_template(
        "sale_order.html",
        order=order,
        status_label=STATUS_LABELS[order["status"]],
        address_lines=_address_lines(order["details"]["deliver"]["address"]),
        spa=spa,
        neighbours=neighbours,
    )


def _address_lines(address: dict) -> list[str]:
    locality = " ".join(
        part for part in (address["suburb"], (address["state"] or {}).get("code"), address["postcode"]) if part
    )
    lines = [
        address["contactName"],
        address["companyName"],
        address["address1"],
        address["address2"],
        locality,
        address["city"] if address["city"] != address["suburb"] else None,
        (address["country"] or {}).get("name"),
        f"Phone: {address['phone']}" if address["phone"] else None,
        f"Email: {address['email']}" if address["email"] else None,
    ]
    return [line for line in lines if line]


def _not_found(message: str):
    return render_template("not_found.html", message=message), 404
