"""operations.security.client_ip: whose address the lockout and the rate limits count."""

import ipaddress

import pytest
from django.test import RequestFactory

from operations.security import client_ip


def _request(remote: str, forwarded: str | None = None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.fixture(autouse=True)
def _proxies(settings):
    settings.TRUSTED_PROXIES = [
        ipaddress.ip_network("127.0.0.1/32"),
        ipaddress.ip_network("10.0.0.0/8"),
        ipaddress.ip_network("::1/128"),
    ]


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        # Behind our proxy: the address it appended, not what the client wrote to its left.
        ("127.0.0.1", "198.51.100.1, 203.0.113.7", "203.0.113.7"),
        # A chain of our own proxies (load balancer, then nginx): past them all.
        ("127.0.0.1", "198.51.100.1, 203.0.113.7, 10.1.2.3", "203.0.113.7"),
        ("127.0.0.1", "2001:db8::7", "2001:db8::7"),
        # Not from a proxy of ours: the header is ignored.
        ("198.51.100.23", "203.0.113.7", "198.51.100.23"),
        ("2001:db8::99", "203.0.113.7", "2001:db8::99"),
        # Our proxy with no header, or only our own hops: the nearest we know.
        ("127.0.0.1", None, "127.0.0.1"),
        ("127.0.0.1", "10.9.9.9", "127.0.0.1"),
        # Garbage where our proxy would have written an address: trust nothing in it.
        ("127.0.0.1", "203.0.113.7, niet-een-adres", "127.0.0.1"),
        ("127.0.0.1", "203.0.113.7\\x00", "127.0.0.1"),
        ("127.0.0.1", "203.0.113.7:4711", "127.0.0.1"),
        # A unix socket: only this machine's proxy can connect.
        ("", "203.0.113.7", "203.0.113.7"),
    ],
)
def test_client_ip_trusts_forwarded_for_only_from_our_proxies(remote, forwarded, expected):
    assert client_ip(_request(remote, forwarded)) == expected
