import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _is_trusted_proxy(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return any(address in network for network in settings.TRUSTED_PROXIES)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, for the login lockout and the rate limits.

    The peer (REMOTE_ADDR) is the client, unless it is one of our own reverse
    proxies (settings.TRUSTED_PROXIES). Then each proxy has appended the peer it
    saw to X-Forwarded-For, so reading from the right, past our own proxies,
    the first other address is the client; everything to its left was written
    by the client and can be anything. A client that reaches gunicorn directly
    is not a trusted proxy, so its X-Forwarded-For is ignored. A unix socket
    (empty REMOTE_ADDR) is only reachable from this machine: the local proxy.
    """
    remote = request.META.get("REMOTE_ADDR") or ""
    if remote:
        try:
            if not _is_trusted_proxy(ipaddress.ip_address(remote)):
                return remote
        except ValueError:
            return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    for hop in reversed(hops):
        try:
            address = ipaddress.ip_address(hop)
        except ValueError:
            # Not what a proxy of ours writes: nothing from here leftwards is trustworthy.
            break
        if not _is_trusted_proxy(address):
            return str(address)
    return remote or None
