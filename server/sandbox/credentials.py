"""Demo credentials the simulators accept (and nothing else, unless SANDBOX_STARSHIPIT_ACCOUNTS
replaces the Starshipit accounts).

They are not secrets: they only open the in-memory simulators, and `labelbridge demo` prints
them so a user can paste them into the settings.
"""

STARSHIPIT_API_KEY = "demo-starshipit-api-key-4f9c2a"
STARSHIPIT_SUBSCRIPTION_KEY = "demo-subscription-key-7d41e0"

# Two more Starshipit accounts (accounts.py): another customer of the 3PL, and one that has not
# set up a courier yet.
STARSHIPIT_SECOND_API_KEY = "second-starshipit-api-key-b83e51"
STARSHIPIT_SECOND_SUBSCRIPTION_KEY = "second-subscription-key-0c96fa"
STARSHIPIT_NO_COURIERS_API_KEY = "no-couriers-starshipit-api-key-5a7d19"
STARSHIPIT_NO_COURIERS_SUBSCRIPTION_KEY = "no-couriers-subscription-key-e2f4b7"
# An account whose print setting is ZPL (a thermal printer at 203 dpi).
STARSHIPIT_ZPL_API_KEY = "zpl-starshipit-api-key-61c0d4"
STARSHIPIT_ZPL_SUBSCRIPTION_KEY = "zpl-subscription-key-9a3e27"

CARTONCLOUD_CLIENT_ID = "demo-cartoncloud-client"
CARTONCLOUD_CLIENT_SECRET = "demo-cartoncloud-secret-93b2c8"
CARTONCLOUD_TENANT_ID = "3f6c2b1e-8a4d-4f0e-9c7a-2d5b8e1f4a60"
TENANT_SLUG = "demo-warehouse"
TENANT_NAME = "Demo Warehouse Pty Ltd"

# The API client "user" behind the client id: what GET /uaa/userinfo returns.
CARTONCLOUD_USER_ID = "a1d3c5e7-0b2f-4c6e-8d1a-9f7e5c3b1a20"
CARTONCLOUD_USER_NAME = "labelbridge demo API client"
CARTONCLOUD_USER_EMAIL = "api-client@demo-warehouse.example"


def as_settings() -> dict[str, str]:
    """The credentials keyed like labelbridge's own settings (lower-cased)."""
    return {
        "starshipit_api_key": STARSHIPIT_API_KEY,
        "starshipit_subscription_key": STARSHIPIT_SUBSCRIPTION_KEY,
        "cartoncloud_client_id": CARTONCLOUD_CLIENT_ID,
        "cartoncloud_client_secret": CARTONCLOUD_CLIENT_SECRET,
        "cartoncloud_tenant_id": CARTONCLOUD_TENANT_ID,
    }
