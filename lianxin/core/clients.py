"""The network address of the client behind a request: the one place an address is read.

Behind nginx every request arrives from the proxy, so REMOTE_ADDR alone would make the whole
city one visitor. X-Forwarded-For is believed only as far as LIANXIN_TRUSTED_PROXIES vouch for
it: when REMOTE_ADDR is a trusted proxy, the header is read from the right (each proxy appends
the address it saw) and the first address that is not a trusted proxy is the client. Whatever
the client wrote into the header itself lies to the left of that and is never read.
"""

import ipaddress
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _parse(text: str) -> Address | None:
    text = text.strip().removeprefix("[").removesuffix("]")
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def trusted_proxies() -> list[Network]:
    """LIANXIN_TRUSTED_PROXIES as networks; a single address is a network of one."""
    networks = []
    for entry in getattr(settings, "LIANXIN_TRUSTED_PROXIES", []):
        try:
            networks.append(ipaddress.ip_network(str(entry).strip(), strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"LIANXIN_TRUSTED_PROXIES: {entry!r} is not an IP address or network (CIDR)."
            ) from exc
    return networks


def _trusted(address: Address, proxies: Iterable[Network]) -> bool:
    return any(address.version == network.version and address in network for network in proxies)


def client_address(request: Any) -> str | None:
    """The client's address as text, or None when the request names none that can be read."""
    if request is None:
        return None
    nearest = _parse(str(request.META.get("REMOTE_ADDR") or ""))
    if nearest is None:
        return None
    proxies = trusted_proxies()
    if not _trusted(nearest, proxies):
        return str(nearest)
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR") or "")
    for hop in reversed([part for part in forwarded.split(",") if part.strip()]):
        address = _parse(hop)
        if address is None:
            # A trusted proxy never writes this; stop at the last address one vouched for.
            break
        nearest = address
        if not _trusted(address, proxies):
            break
    return str(nearest)
