"""Malformed sale orders produce issues, never a crash."""

import pytest

from server.mapping import MappingIssue, UnshippableOrder, blocking_issues, build_starshipit_order

from .orders import MISSING, codes, load_order

GARBAGE = [None, "", "text", 0, 12.5, True, [], ["a"], {}]

MALFORMED = [
    *GARBAGE,
    {"references": None, "details": None, "items": None, "timestamps": None},
    {"references": "SO-1", "details": "see attached", "items": "none", "status": ["PACKED"]},
    {"details": {"deliver": None}},
    {"details": {"deliver": {"address": "1 Main Street, Springfield"}}},
    {"details": {"deliver": {"address": {"country": "AU"}}}},
]

# Garbage in every position of an otherwise shippable order.
PATHS = [
    "status",
    "references",
    "references.numericId",
    "details",
    "details.deliver",
    "details.deliver.address",
    "details.deliver.address.contactName",
    "details.deliver.address.address1",
    "details.deliver.address.address2",
    "details.deliver.address.state",
    "details.deliver.address.postcode",
    "details.deliver.address.country",
    "details.deliver.address.country.iso2Code",
    "details.deliver.address.country.name",
    "details.deliver.address.phone",
    "details.deliver.method",
    "details.deliver.method.requestedService",
    "details.deliver.instructions",
    "details.invoiceValue",
    "details.invoiceValue.currency",
    "items",
    "items.0",
    "items.0.details",
    "items.0.details.product",
    "items.0.details.product.references",
    "items.0.measures",
    "items.0.properties",
    "timestamps",
    "timestamps.created",
    "timestamps.created.time",
]


def mapped_or_refused(sale_order: object) -> list[MappingIssue]:
    """The blocking issues if refused, else the warnings; any other exception fails the test."""
    blocking = blocking_issues(sale_order)
    if blocking:
        with pytest.raises(UnshippableOrder) as raised:
            build_starshipit_order(sale_order)
        assert list(raised.value.issues) == blocking
        return blocking
    _, warnings = build_starshipit_order(sale_order)
    return warnings


@pytest.mark.parametrize("sale_order", MALFORMED)
def test_malformed_order_is_refused_with_reasons(sale_order):
    with pytest.raises(UnshippableOrder) as raised:
        build_starshipit_order(sale_order)

    assert all(issue.message for issue in raised.value.issues)


@pytest.mark.parametrize("value", [*GARBAGE, pytest.param(MISSING, id="missing")])
@pytest.mark.parametrize("path", PATHS)
def test_garbage_anywhere_gives_issues_not_exceptions(path, value):
    issues = mapped_or_refused(load_order("au_full", {path: value}))

    assert all(isinstance(issue, MappingIssue) and issue.message for issue in issues)


@pytest.mark.parametrize("sale_order", [None, "text", 7, ["a"]])
def test_non_object_is_one_plain_issue(sale_order):
    with pytest.raises(UnshippableOrder) as raised:
        build_starshipit_order(sale_order)

    assert codes(list(raised.value.issues)) == [("", "not_an_object")]
