"""Helpers shared by the simulator tests."""

import base64
import io

from pypdf import PdfReader

from server.sandbox import credentials


def basic_auth(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def issue_token(client) -> str:
    """A CartonCloud access token from the sandbox behind `client` (a Flask test client)."""
    response = client.post(
        "/cartoncloud/uaa/oauth/token",
        data={"grant_type": "client_credentials"},
        headers={
            "Accept-Version": "1",
            "Authorization": basic_auth(credentials.CARTONCLOUD_CLIENT_ID, credentials.CARTONCLOUD_CLIENT_SECRET),
        },
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json["access_token"]


def sale_order_by_reference(state, reference: str) -> dict:
    return next(o for o in state.sale_orders() if o["references"]["customer"] == reference)


AU_DESTINATION = {
    "name": "Olivia Bennett",
    "street": "12 Eagle Street",
    "suburb": "Brisbane City",
    "state": "QLD",
    "post_code": "4000",
    "country": "Australia",
}


def new_order(number: str = "SO-90001", **fields) -> dict:
    """A Starshipit order body that can be printed."""
    return {"order": {"order_number": number, "destination": dict(AU_DESTINATION), **fields}}


def pdf_text(label_base64: str) -> str:
    """All text of a base64 PDF, read with pypdf in strict mode (a malformed file fails)."""
    reader = PdfReader(io.BytesIO(base64.b64decode(label_base64)), strict=True)
    return "\n".join(page.extract_text() for page in reader.pages)


def assert_order_not_found(response, status: int = 200) -> None:
    """Starshipit's answer for an unknown order: `status` (200 by default, 404 as a sandbox
    option), `success: false`, "General Exception" / "Unable to find order number: N"."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.json["success"] is False
    (error,) = response.json["errors"]
    assert error["message"] == "General Exception" and error["details"].startswith("Unable to find order number: ")
