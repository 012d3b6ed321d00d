"""The connection test: is every upstream reachable with the configured credentials, and can each
Starshipit account actually book a courier? Each check answers in plain words."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .clients import Upstreams
from .failures import Failure
from .http.errors import UpstreamAuthError, UpstreamError, credentials_refused

# A parcel any courier account would quote for: 1 kg to a Brisbane street address.
SAMPLE_DESTINATION = {
    "street": "1 George Street",
    "suburb": "Brisbane City",
    "city": "Brisbane",
    "state": "QLD",
    "post_code": "4000",
    "country_code": "AU",
}
SAMPLE_PACKAGES = [{"weight": 1.0, "length": 0.3, "width": 0.2, "height": 0.1}]


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    message: str


def _failed(name: str, error: Exception, what: str) -> Check:
    if isinstance(error, UpstreamAuthError):
        return Check(name, False, f"{credentials_refused(error)}: check them in the settings.")
    if isinstance(error, Failure):
        return Check(name, False, error.message)
    return Check(name, False, f"{what} could not be reached or answered with an error: {error}")


def check_cartoncloud(upstreams: Upstreams) -> Check:
    name = "CartonCloud"
    try:
        credentials = upstreams.cartoncloud_credentials()
        tenants = upstreams.cartoncloud().userinfo().get("tenants") or []
    except (UpstreamError, Failure) as error:
        return _failed(name, error, "CartonCloud")
    if not any(tenant.get("id") == credentials.tenant_id for tenant in tenants):
        return Check(name, False, f"Signed in, but this API client has no access to tenant {credentials.tenant_id}.")
    return Check(name, True, f"Signed in to CartonCloud; tenant {credentials.tenant_id} is reachable.")


def check_starshipit_accounts(upstreams: Upstreams) -> list[Check]:
    try:
        accounts = upstreams.accounts().starshipit_accounts()
    except Failure as error:
        return [Check("Starshipit", False, error.message)]
    if not accounts:
        return [Check("Starshipit", False, "No Starshipit account is configured.")]
    checks = []
    for account in accounts:
        name = f"Starshipit account '{account.name}'"
        try:
            services = upstreams.starshipit(account).delivery_services(SAMPLE_DESTINATION, SAMPLE_PACKAGES)
        except UpstreamError as error:
            checks.append(_failed(name, error, "Starshipit"))
            continue
        if not services:
            checks.append(Check(name, False, "The keys work, but no courier is set up in this Starshipit account."))
        else:
            carriers = sorted({s.get("carrier_name") or s.get("carrier") or "?" for s in services})
            checks.append(Check(name, True, f"The keys work; couriers set up: {', '.join(carriers)}."))
    return checks


def run(upstreams: Upstreams) -> dict:
    checks = [check_cartoncloud(upstreams), *check_starshipit_accounts(upstreams)]
    return {"ok": all(check.ok for check in checks), "checks": [asdict(check) for check in checks]}
