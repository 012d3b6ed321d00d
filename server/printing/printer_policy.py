"""Where labelbridge may send a print job, so a printer entry cannot be used to scan the network:
the printing ports only (raw 9100, LPD 515, IPP 631) unless LABELBRIDGE_PRINTER_ALLOW_ANY_PORT=true,
and never a loopback, link-local or cloud-metadata address, checked on the addresses a host name
resolves to (the connection goes to the address checked, not to a second lookup).
LABELBRIDGE_PRINTER_ALLOW_LOOPBACK=true lets a printer simulator on this machine through (tests)."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

PRINTING_PORTS = (9100, 515, 631)
# Cloud metadata and host services that are not link-local: AWS (IPv6), Alibaba, Azure.
METADATA_ADDRESSES = {ipaddress.ip_address(a) for a in ("fd00:ec2::254", "100.100.100.200", "168.63.129.16")}


class PrinterAddressRefused(ValueError):
    """The printer's port or address is not one labelbridge sends print jobs to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class PrinterPolicy:
    allow_any_port: bool = False
    allow_loopback: bool = False

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> PrinterPolicy:
        return cls(bool(config.get("PRINTER_ALLOW_ANY_PORT")), bool(config.get("PRINTER_ALLOW_LOOPBACK")))

    def check_port(self, port: int) -> None:
        if not self.allow_any_port and port not in PRINTING_PORTS:
            raise PrinterAddressRefused(
                "port",
                "A printer port is 9100 (raw), 515 (LPD) or 631 (IPP); set "
                "LABELBRIDGE_PRINTER_ALLOW_ANY_PORT=true for another.",
            )

    def check_address(self, address: str) -> None:
        """Raises for an IP address labelbridge never sends to; a host name passes (it is checked
        once resolved, by ``resolve``)."""
        try:
            ip = ipaddress.ip_address(address.split("%")[0])
        except ValueError:
            return
        ip = getattr(ip, "ipv4_mapped", None) or ip
        if ip.is_loopback and self.allow_loopback:
            return
        if ip.is_loopback or ip.is_link_local or ip.is_unspecified or ip.is_multicast or ip in METADATA_ADDRESSES:
            raise PrinterAddressRefused(
                "host", "labelbridge does not send print jobs to loopback, link-local or cloud metadata addresses."
            )

    def resolve(self, host: str, port: int) -> tuple:
        """The first address ``host`` resolves to that may be used, as for socket.connect. Raises
        PrinterAddressRefused, or OSError when the name does not resolve."""
        self.check_port(port)
        candidates = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        for _family, _type, _proto, _name, address in candidates:
            try:
                self.check_address(address[0])
            except PrinterAddressRefused:
                continue
            return address
        self.check_address(candidates[0][4][0])  # raises: every address was refused
        raise PrinterAddressRefused("host", "The printer's host name resolves to no usable address.")
