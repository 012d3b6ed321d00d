"""The simulated Starshipit accounts: a 3PL ships for many customers, each with its own account.

An account is (name, API key, subscription key, has_couriers, label_format). `label_format` is the
account's print setting: "pdf" (4×6 PDF, the default) or "zpl" (ZPL for a 203 dpi printer). The `StarShipIT-Api-Key` picks
the account, whose orders nobody else sees; the `Ocp-Apim-Subscription-Key` picks the rate-limit
bucket. Starshipit is not known to tie the two together, so the simulator accepts any account's
subscription key with any account's API key (two accounts may also share a subscription key).

Defaults: "demo" and "second" (with couriers), "no-couriers" and "zpl" (keys in credentials.py).
`SANDBOX_STARSHIPIT_ACCOUNTS` replaces them with a list of
`{"name", "api_key", "subscription_key", "has_couriers"?: true, "label_format"?: "pdf"}`; the first is the one
in-process callers get when they name none.
"""

import hmac
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from server.sandbox import credentials

LABEL_FORMATS = ("pdf", "zpl")
# The sender address of every simulated account (Starshipit's Settings > Sender details): where an
# order without `sender_details` ships from, and so where its return goes.
SENDER_ADDRESS = {
    "name": "Demo Warehouse",
    "company": "Demo Warehouse Pty Ltd",
    "phone": "0732600000",
    "street": "1 Dock Road",
    "suburb": "Eagle Farm",
    "city": "Brisbane",
    "state": "QLD",
    "post_code": "4009",
    "country": "Australia",
}


@dataclass(frozen=True)
class StarshipitAccount:
    name: str
    api_key: str
    subscription_key: str
    has_couriers: bool = True
    label_format: str = "pdf"

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


DEFAULT_ACCOUNTS = (
    StarshipitAccount("demo", credentials.STARSHIPIT_API_KEY, credentials.STARSHIPIT_SUBSCRIPTION_KEY),
    StarshipitAccount("second", credentials.STARSHIPIT_SECOND_API_KEY, credentials.STARSHIPIT_SECOND_SUBSCRIPTION_KEY),
    StarshipitAccount(
        "no-couriers",
        credentials.STARSHIPIT_NO_COURIERS_API_KEY,
        credentials.STARSHIPIT_NO_COURIERS_SUBSCRIPTION_KEY,
        has_couriers=False,
    ),
    StarshipitAccount(
        "zpl", credentials.STARSHIPIT_ZPL_API_KEY, credentials.STARSHIPIT_ZPL_SUBSCRIPTION_KEY, label_format="zpl"
    ),
)


def parse_accounts(raw: Any) -> tuple[StarshipitAccount, ...]:
    """Accounts from the setting's JSON; ValueError naming what is wrong."""
    if not isinstance(raw, (list, tuple)) or not raw:
        raise ValueError("SANDBOX_STARSHIPIT_ACCOUNTS must be a non-empty list of accounts")
    accounts = tuple(_parse_account(entry, index) for index, entry in enumerate(raw))
    for attribute in ("name", "api_key"):
        values = [getattr(account, attribute) for account in accounts]
        if len(set(values)) != len(values):
            raise ValueError(f"SANDBOX_STARSHIPIT_ACCOUNTS: two accounts have the same {attribute}")
    return accounts


def _parse_account(entry: Any, index: int) -> StarshipitAccount:
    where = f"SANDBOX_STARSHIPIT_ACCOUNTS[{index}]"
    if not isinstance(entry, dict):
        raise ValueError(f"{where} must be an object")
    unknown = set(entry) - set(StarshipitAccount.__dataclass_fields__)
    if unknown:
        raise ValueError(f"{where}: unknown fields {', '.join(sorted(unknown))}")
    for key in ("name", "api_key", "subscription_key"):
        value = entry.get(key)
        # Keys travel in HTTP headers, which carry Latin-1 at most; ASCII keeps them comparable.
        if not isinstance(value, str) or not value.strip() or not value.isascii():
            raise ValueError(f"{where}.{key} must be a non-empty ASCII string")
    if not isinstance(entry.get("has_couriers", True), bool):
        raise ValueError(f"{where}.has_couriers must be true or false")
    if entry.get("label_format", "pdf") not in LABEL_FORMATS:
        raise ValueError(f"{where}.label_format must be one of {', '.join(LABEL_FORMATS)}")
    return StarshipitAccount(**entry)


class StarshipitAccounts:
    """The configured accounts, found by name or by the keys a request carries."""

    def __init__(self, accounts: tuple[StarshipitAccount, ...]):
        self._accounts = accounts

    def __iter__(self) -> Iterator[StarshipitAccount]:
        return iter(self._accounts)

    @property
    def first(self) -> StarshipitAccount:
        return self._accounts[0]

    def named(self, name: str) -> StarshipitAccount | None:
        return next((account for account in self._accounts if account.name == name), None)

    def by_api_key(self, api_key: str | None) -> StarshipitAccount | None:
        return next((a for a in self._accounts if _same(api_key, a.api_key)), None)

    def knows_subscription_key(self, subscription_key: str | None) -> bool:
        return any(_same(subscription_key, a.subscription_key) for a in self._accounts)


def _same(sent: str | None, expected: str) -> bool:
    # Bytes, because compare_digest refuses non-ASCII str and a header may carry Latin-1.
    return sent is not None and hmac.compare_digest(sent.encode("utf-8"), expected.encode("utf-8"))
