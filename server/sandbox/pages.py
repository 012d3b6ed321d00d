"""Look-alike CartonCloud web pages for the extension to run on (server-rendered, no script
except the `?spa=1` imitation of a single-page app).

- GET /app/{tenantSlug}/SaleOrders                      list of sale orders
- GET /app/{tenantSlug}/SaleOrders/view/{numericId}     the View Sale Order page
- GET /app/{tenantSlug}/outbound-orders/{uuid}[/...]    the same page under the newer URL form
"""

from flask import Blueprint, redirect, render_template, request, url_for

from server.sandbox.timeutil import parse_timestamp

from server.sandbox import credentials
from server.sandbox.errors import CartonCloudError
from server.sandbox.gateway import sandbox_state
from server.sandbox.sale_orders import STATUS_LABELS

blueprint = Blueprint("pages", __name__)

NEIGHBOURS = 3  # other orders linked from a page in SPA mode


@blueprint.context_processor
def tenant() -> dict:
    return {"tenant_slug": credentials.TENANT_SLUG, "tenant_name": credentials.TENANT_NAME}


@blueprint.app_template_filter("local_time")
def local_time(timestamp: str) -> str:
    """"2025-06-20T10:00:00+10:00" as the app shows it: "20/06/2025 10:00"."""
    return parse_timestamp(timestamp).strftime("%d/%m/%Y %H:%M")


@blueprint.get("/")
@blueprint.get("/app/")
def home():
    return redirect(url_for("pages.sale_orders", tenant_slug=credentials.TENANT_SLUG))


@blueprint.get("/app/<tenant_slug>/SaleOrders")
def sale_orders(tenant_slug: str):
    if tenant_slug != credentials.TENANT_SLUG:
        return _not_found(f"No tenant '{tenant_slug}'.")
    return render_template(
        "sale_orders.html", orders=sandbox_state().cartoncloud.sale_orders(), status_labels=STATUS_LABELS
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
