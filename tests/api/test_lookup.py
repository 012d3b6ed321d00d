"""GET /api/v1/orders/lookup: the button's state when a page opens."""


def test_unknown_to_labelbridge_is_resolved_from_cartoncloud(client, auth):
    response = client.get("/api/v1/orders/lookup?numeric_id=787061", headers=auth)
    assert response.status_code == 200
    body = response.get_json()
    assert body["state"] == "new"
    assert body["sale_order"]["customer_reference"] == "SO-10045"
    assert body["label"] is None and body["starshipit_order"] is None and body["tracking_numbers"] == []
    assert body["writeback"] is None and body["last_error"] is None


def test_known_order_is_answered_without_any_upstream_call(client, auth, print_label, control):
    printed = print_label(numeric_id="787061").get_json()
    calls = (control.counters("starshipit"), control.counters("cartoncloud"))
    for query in ("numeric_id=787061", "customer_reference=SO-10045", f"id={printed['sale_order']['id']}"):
        body = client.get(f"/api/v1/orders/lookup?{query}", headers=auth).get_json()
        assert body["state"] == "labelled"
        assert body["tracking_numbers"] == printed["tracking_numbers"]
        assert body["label"]["id"] == printed["label"]["id"]
        assert body["starshipit_order"] == printed["starshipit_order"]
        assert body["writeback"] == "queued"
    assert (control.counters("starshipit"), control.counters("cartoncloud")) == calls


def test_unknown_sale_order_is_404(client, auth):
    response = client.get("/api/v1/orders/lookup?customer_reference=NOPE-1", headers=auth)
    assert response.status_code == 404
    assert (
        response.get_json()["message"] == "The sale order with customer reference NOPE-1 was not found in CartonCloud."
    )


def test_query_needs_exactly_one_identifier(client, auth):
    response = client.get("/api/v1/orders/lookup?numeric_id=1&customer_reference=SO-1", headers=auth)
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"_schema": ["Give exactly one of id, numeric_id, customer_reference."]}
