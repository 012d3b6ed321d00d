"""Which base URLs labelbridge may send upstream credentials to.

An admin who could point an account at a host of their own would have its stored secret sent
there (HTTP Basic on the next connection test). So: ``https://`` only, except on loopback (the
sandbox, on this machine); and only the hosts CartonCloud and Starshipit document unless
LABELBRIDGE_ALLOW_CUSTOM_UPSTREAMS=true (a proxy, a new region, a faithful simulator elsewhere).
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

DOCUMENTED_HOSTS = {
    "cartoncloud": ("api.cartoncloud.com", "api.na.cartoncloud.com"),
    "starshipit": ("api.starshipit.com",),
}
LOOPBACK_NAMES = ("localhost",)


def is_loopback(host: str) -> bool:
    if host.rstrip(".").lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_base_url(url: str, service: str, *, allow_custom: bool) -> str:
    """``url`` without a trailing slash; ValueError saying why it may not be used."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        raise ValueError("must be an http(s) URL with a host")
    if parts.username or parts.password:
        raise ValueError("must not hold a user name or password")
    if is_loopback(host):
        return url.rstrip("/")
    if parts.scheme != "https":
        raise ValueError("must start with https:// (plain http:// only on loopback, for the sandbox)")
    if not allow_custom and host.lower() not in DOCUMENTED_HOSTS[service]:
        raise ValueError(
            f"must be on {' or '.join(DOCUMENTED_HOSTS[service])}; set LABELBRIDGE_ALLOW_CUSTOM_UPSTREAMS=true "
            "to use another host"
        )
    return url.rstrip("/")
