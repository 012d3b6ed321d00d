"""Deterministic seed sale orders for the demo tenant.

The first is the demo's showcase (SO-10045 / 787061, PACKED, Brisbane). Then one order for each
case the rest of labelbridge must handle — other states and countries, non-ASCII names, a
missing phone, no street, an address line over 100 characters, every status — and generated
Australian orders up to `SEED_COUNT`. Times are relative to an anchor (normally "now") so the
orders fall inside the polling windows whenever the sandbox starts.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from server.sandbox import catalog

SEED_COUNT = 60
FIRST_NUMERIC_ID = 787061
FIRST_REFERENCE_NUMBER = 10045


@dataclass(frozen=True)
class SeedOrder:
    partial: dict
    created: datetime
    history: tuple[tuple[str, int], ...]  # (status, minutes after `created`)


_PATHS = {
    "DRAFT": (),
    "AWAITING_STOCK": (("AWAITING_STOCK", 4),),
    "AWAITING_PICK_AND_PACK": (("AWAITING_PICK_AND_PACK", 4),),
    "PACKING_IN_PROGRESS": (("AWAITING_PICK_AND_PACK", 4), ("PACKING_IN_PROGRESS", 55)),
    "PICKED": (("AWAITING_PICK_AND_PACK", 4), ("PICKED", 50)),
    "PACKED": (("AWAITING_PICK_AND_PACK", 4), ("PICKED", 50), ("PACKED", 75)),
    "DISPATCHED": (("AWAITING_PICK_AND_PACK", 4), ("PICKED", 50), ("PACKED", 75), ("DISPATCHED", 190)),
    # Tenants with the Packed status turned off: straight from pick & pack to dispatched.
    "DISPATCHED_UNPACKED": (("AWAITING_PICK_AND_PACK", 4), ("DISPATCHED", 120)),
    "REJECTED": (("REJECTED", 12),),
}


def _address(
    contact,
    address1,
    suburb,
    city,
    state,
    postcode,
    country,
    phone,
    *,
    company=None,
    address2=None,
    email=None,
    state_name=None,
) -> dict:
    return {
        "companyName": company,
        "contactName": contact,
        "address1": address1,
        "address2": address2,
        "suburb": suburb,
        "city": city,
        "state": {"code": state, "name": state_name} if state else None,
        "postcode": postcode,
        "country": {"iso2Code": country},
        "phone": phone,
        "email": email,
    }


def _order(
    number: int,
    address: dict,
    items: list[tuple[str, int]],
    *,
    customer: int = 0,
    service: str = "Standard",
    instructions: str | None = None,
    urgent: bool = False,
) -> dict:
    lines = [
        {"details": {"product": {"references": {"code": code}}}, "measures": {"quantity": quantity}}
        for code, quantity in items
    ]
    total = sum(catalog.PRODUCTS[code].price * quantity for code, quantity in items)
    return {
        "references": {"customer": f"SO-{number}"},
        "customer": {"id": catalog.CUSTOMERS[customer]["id"]},
        "warehouse": {"id": catalog.WAREHOUSES[0]["id"]},
        "details": {
            "urgent": urgent,
            "deliver": {
                "address": address,
                "method": {"type": "SHIPPING", "requestedService": service},
                "instructions": instructions,
            },
            "invoiceValue": {"amount": round(total, 2), "currency": "AUD"},
        },
        "items": lines,
    }


LONG_ADDRESS_LINE = (
    "Unit 14B, Building C, The Riverside Commercial and Residential Precinct, "
    "1024-1030 Great Eastern Highway Service Road"
)

# (final path, order) — the cases labelbridge must handle, in numericId order.
_SPECIAL = (
    (
        "PACKED",
        _order(
            10045,
            _address(
                "Olivia Bennett",
                "12 Eagle Street",
                "Brisbane City",
                "Brisbane",
                "QLD",
                "4000",
                "AU",
                "07 3123 4567",
                company="Bennett & Co",
                address2="Suite 4",
                email="olivia@bennett.example",
            ),
            [("TENT-2P", 1), ("BOTTLE-750", 2)],
            service="Express",
            instructions="Leave at reception",
        ),
    ),
    (
        "AWAITING_PICK_AND_PACK",
        _order(
            10046,
            _address(
                "Liam Nguyen",
                "45 Crown Street",
                "Surry Hills",
                "Sydney",
                "NSW",
                "2010",
                "AU",
                "0412 345 678",
                email="liam.nguyen@example.com",
            ),
            [("HEADLAMP", 1)],
        ),
    ),
    (
        "DISPATCHED",
        _order(
            10047,
            _address(
                "Charlotte Wilson", "210 Brunswick Street", "Fitzroy", "Melbourne", "VIC", "3065", "AU", "03 9417 0000"
            ),
            [("THROW-WOOL", 1), ("CANDLE-EUC", 3)],
            customer=1,
        ),
    ),
    (
        "PACKED",
        _order(
            10048,
            _address(
                "Zoë Müller",
                "Torstraße 125",
                "Mitte",
                "Berlin",
                "BE",
                "10119",
                "DE",
                "+49 30 1234567",
                state_name="Berlin",
                email="zoe.mueller@example.de",
            ),
            [("VASE-STONE", 1)],
            customer=1,
            service="International",
        ),
    ),
    (
        "PACKED",
        _order(
            10049,
            _address(
                "José Ñúñez", "1200 Sunset Blvd", "Echo Park", "Los Angeles", "CA", "90026", "US", "+1 213 555 0142"
            ),
            [("BOTTLE-750", 1), ("MUG-ENAMEL", 2)],
            service="International",
        ),
    ),
    (
        "PACKED",
        _order(
            10050,
            _address(
                "渡辺 健",
                "1-2-3 Jingumae",
                "Shibuya",
                "Tokyo",
                "13",
                "150-0001",
                "JP",
                "+81 3 1234 5678",
                company="Watanabe Shoten",
                state_name="Tokyo",
            ),
            [("PLUSH-KOALA", 4)],
            customer=2,
            service="International",
        ),
    ),
    (
        "PACKED",
        _order(
            10051,
            _address("Aroha Ngata", "18 Ponsonby Road", "Ponsonby", "Auckland", None, "1011", "NZ", "+64 9 123 4567"),
            [("BLOCKS-40", 1), ("ROMPER-0-3", 2)],
            customer=2,
            service="International",
        ),
    ),
    (
        "DISPATCHED_UNPACKED",
        _order(
            10052,
            _address(
                "Oliver Hughes", "221 Baker Street", "Marylebone", "London", None, "NW1 6XE", "GB", "+44 20 7946 0958"
            ),
            [("HEADLAMP", 2)],
            service="International",
        ),
    ),
    (
        "PACKED",
        _order(
            10053,
            _address("Mia Thompson", "8 Marine Terrace", "Fremantle", "Perth", "WA", "6160", "AU", None),
            [("MUG-ENAMEL", 4)],
            customer=1,
        ),
    ),
    (
        "PACKED",
        _order(
            10054,
            _address("Noah Davies", None, "Hobart", "Hobart", "TAS", "7000", "AU", "03 6231 0000"),
            [("CANDLE-EUC", 1)],
            customer=1,
        ),
    ),
    (
        "PACKED",
        _order(
            10055,
            _address("Ava Robinson", LONG_ADDRESS_LINE, "Rivervale", "Perth", "WA", "6103", "AU", "08 9361 0000"),
            [("TENT-2P", 1)],
        ),
    ),
    (
        "DRAFT",
        _order(
            10056,
            _address("Jack Walker", "77 Rundle Mall", "Adelaide", "Adelaide", "SA", "5000", "AU", "08 8212 0000"),
            [("HEADLAMP", 1)],
        ),
    ),
    (
        "REJECTED",
        _order(
            10057,
            _address("Isla Martin", "5 Lonsdale Street", "Braddon", "Canberra", "ACT", "2612", "AU", "02 6247 0000"),
            [("THROW-WOOL", 1)],
            customer=1,
        ),
    ),
    (
        "PACKED",
        _order(
            10058,
            _address(
                "Ethan Clarke",
                "9 Mitchell Street",
                "Darwin City",
                "Darwin",
                "NT",
                "0800",
                "AU",
                "08 8981 0000",
                company="Top End Early Learning",
            ),
            [("BLOCKS-40", 2), ("ROMPER-0-3", 3), ("PLUSH-KOALA", 5), ("MUG-ENAMEL", 1), ("BOTTLE-750", 1)],
            customer=2,
            service="Express",
            urgent=True,
        ),
    ),
    (
        "AWAITING_STOCK",
        _order(
            10059,
            _address(
                "Sophie Taylor", "100 Moorabool Street", "Geelong", "Geelong", "VIC", "3220", "AU", "03 5222 0000"
            ),
            [("TENT-2P", 2)],
        ),
    ),
    (
        "PACKING_IN_PROGRESS",
        _order(
            10060,
            _address("Lucas Harris", "30 Hunter Street", "Newcastle", "Newcastle", "NSW", "2300", "AU", "02 4929 0000"),
            [("BOTTLE-750", 3)],
        ),
    ),
    (
        "PICKED",
        _order(
            10061,
            _address(
                "Grace Lee", "2 Flinders Street", "Townsville City", "Townsville", "QLD", "4810", "AU", "07 4721 0000"
            ),
            [("HEADLAMP", 1), ("MUG-ENAMEL", 1)],
        ),
    ),
)

_AU_PLACES = (
    ("Fortitude Valley", "Brisbane", "QLD", "4006"),
    ("Southport", "Gold Coast", "QLD", "4215"),
    ("Cairns City", "Cairns", "QLD", "4870"),
    ("Newtown", "Sydney", "NSW", "2042"),
    ("Wollongong", "Wollongong", "NSW", "2500"),
    ("Parramatta", "Sydney", "NSW", "2150"),
    ("Richmond", "Melbourne", "VIC", "3121"),
    ("Ballarat Central", "Ballarat", "VIC", "3350"),
    ("Subiaco", "Perth", "WA", "6008"),
    ("Norwood", "Adelaide", "SA", "5067"),
    ("Launceston", "Launceston", "TAS", "7250"),
    ("Kingston", "Canberra", "ACT", "2604"),
    ("Alice Springs", "Alice Springs", "NT", "0870"),
)
_STREETS = (
    "George Street",
    "King Street",
    "High Street",
    "Beach Road",
    "Station Street",
    "Church Street",
    "Park Avenue",
    "Victoria Road",
    "Albert Street",
    "Ocean Parade",
)
_FIRST = (
    "Amelia",
    "Henry",
    "Chloe",
    "William",
    "Ruby",
    "Thomas",
    "Siobhán",
    "Mateo",
    "Priya",
    "Kai",
    "Harper",
    "Leo",
    "Ella",
    "Arjun",
    "Matilda",
    "Finn",
)
_LAST = (
    "Smith",
    "Jones",
    "Brown",
    "O'Brien",
    "Patel",
    "Kelly",
    "Chen",
    "Murphy",
    "Russo",
    "Singh",
    "Campbell",
    "Anderson",
    "Tran",
    "Mitchell",
)
_FILLER_PATHS = (
    ("PACKED", 35),
    ("DISPATCHED", 20),
    ("DISPATCHED_UNPACKED", 5),
    ("AWAITING_PICK_AND_PACK", 20),
    ("PICKED", 6),
    ("AWAITING_STOCK", 4),
    ("DRAFT", 5),
    ("REJECTED", 5),
)


def _filler(rng: random.Random, number: int) -> tuple[str, dict]:
    suburb, city, state, postcode = rng.choice(_AU_PLACES)
    name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
    address = _address(
        name,
        f"{rng.randint(1, 250)} {rng.choice(_STREETS)}",
        suburb,
        city,
        state,
        postcode,
        "AU",
        f"04{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)}",
        company=rng.choice((None, None, "Harbour Cafe", "Northside Physio", "Wattle Studio")),
        address2=rng.choice((None, None, None, f"Unit {rng.randint(1, 40)}")),
        email=f"{name.split()[0].lower()}.{number}@example.com",
    )
    codes = rng.sample(sorted(catalog.PRODUCTS), rng.randint(1, 4))
    items = [(code, rng.randint(1, 3)) for code in codes]
    path = rng.choices([p for p, _ in _FILLER_PATHS], weights=[w for _, w in _FILLER_PATHS])[0]
    order = _order(
        number,
        address,
        items,
        customer=rng.randrange(len(catalog.CUSTOMERS)),
        service=rng.choice(("Standard", "Standard", "Express")),
    )
    return path, order


def seed_orders(anchor: datetime) -> list[SeedOrder]:
    """`SEED_COUNT` orders in numericId order, the oldest created two days before `anchor`."""
    rng = random.Random(FIRST_NUMERIC_ID)
    cases = list(_SPECIAL)
    while len(cases) < SEED_COUNT:
        cases.append(_filler(rng, FIRST_REFERENCE_NUMBER + len(cases)))
    start = anchor - timedelta(hours=48)
    seeds = []
    for index, (path, partial) in enumerate(cases):
        created = start + timedelta(minutes=40 * index)
        history = _PATHS[path]
        if index == 0:
            # The showcase was packed an hour ago, so it is fresh in every "modified since" window.
            history = (("AWAITING_PICK_AND_PACK", 10), ("PICKED", 46 * 60), ("PACKED", 47 * 60))
        seeds.append(SeedOrder(partial, created, history))
    return seeds
