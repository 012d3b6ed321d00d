"""The courier accounts of the simulated Starshipit account, their services and prices.

Defaults when an order names no carrier: Australia Post Parcel Post inside Australia, the
Plain Label carrier (Starshipit's "test without booking" carrier) everywhere else.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Service:
    code: str
    name: str
    base_price: float
    price_per_kg: float
    domestic: bool


@dataclass(frozen=True)
class Carrier:
    code: str
    name: str
    services: tuple[Service, ...]
    tracking_format: str
    tracking_url: str | None

    def tracking_number(self, serial: int) -> str:
        return self.tracking_format.format(serial=serial)

    def tracking_link(self, tracking_number: str) -> str | None:
        return self.tracking_url.format(tracking_number) if self.tracking_url else None

    def service(self, code: str | None, *, domestic: bool | None = None) -> Service | None:
        """The service `code` (or the first one) usable for a domestic or international parcel.

        `domestic=None` looks `code` up among all services.
        """
        usable = [s for s in self.services if domestic is None or s.domestic == domestic]
        if code is None:
            return usable[0] if usable else None
        return next((s for s in usable if s.code.lower() == code.lower()), None)


CARRIERS = {
    carrier.code: carrier
    for carrier in (
        Carrier(
            "AusPost",
            "Australia Post",
            (
                Service("7E55", "Parcel Post", 9.95, 2.50, True),
                Service("7J55", "Express Post", 13.95, 3.80, True),
                Service("PTI8", "International Standard", 24.50, 9.00, False),
                Service("ECM8", "International Express", 45.00, 14.00, False),
            ),
            "33LB{serial:08d}",
            "https://auspost.com.au/mypost/track/details/{}",
        ),
        Carrier(
            "StarTrack",
            "StarTrack",
            (
                Service("EXP", "Road Express", 11.50, 1.90, True),
                Service("PRM", "Premium", 19.90, 3.20, True),
            ),
            "LBZ{serial:08d}",
            "https://startrack.com.au/track/details/{}",
        ),
        Carrier(
            "PlainLabel",
            "Plain Label",
            (
                Service("PL", "Plain Label", 0.0, 0.0, True),
                Service("PLI", "Plain Label International", 0.0, 0.0, False),
            ),
            "PL{serial:010d}",
            None,
        ),
    )
}


def find_carrier(name: str) -> Carrier | None:
    """A carrier by its code or display name, case-insensitively."""
    wanted = name.strip().lower()
    return next((c for c in CARRIERS.values() if wanted in (c.code.lower(), c.name.lower())), None)


def offering(service_code: str, domestic: bool) -> Carrier | None:
    """The carrier with a service of this code for a domestic or international parcel."""
    return next((c for c in CARRIERS.values() if c.service(service_code, domestic=domestic) is not None), None)


def default_carrier(country_iso2: str) -> Carrier:
    return CARRIERS["AusPost" if country_iso2 == "AU" else "PlainLabel"]


def price(service: Service, weight_kg: float) -> float:
    return round(service.base_price + service.price_per_kg * max(weight_kg, 0.0), 2)
