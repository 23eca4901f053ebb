"""The client's address: REMOTE_ADDR, or X-Forwarded-For only as far as configured proxies vouch for it."""

from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, override_settings

from lianxin.core.clients import client_address

PROXY = "10.0.0.5"


def _request(remote: str | None, forwarded: str | None = None) -> object:
    meta: dict[str, Any] = {}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    request = RequestFactory().get("/", **meta)
    if remote is None:
        del request.META["REMOTE_ADDR"]
    else:
        request.META["REMOTE_ADDR"] = remote
    return request


@override_settings(LIANXIN_TRUSTED_PROXIES=[])
def test_without_trusted_proxies_the_forwarded_header_is_ignored() -> None:
    assert client_address(_request("198.51.100.7", "203.0.113.9")) == "198.51.100.7"


def test_no_proxy_is_trusted_by_default() -> None:
    from django.conf import settings

    assert settings.LIANXIN_TRUSTED_PROXIES == []
    assert client_address(_request("127.0.0.1", "203.0.113.9")) == "127.0.0.1"


@override_settings(LIANXIN_TRUSTED_PROXIES=[PROXY])
def test_behind_a_trusted_proxy_the_address_it_saw_is_the_client() -> None:
    assert client_address(_request(PROXY, "203.0.113.9")) == "203.0.113.9"


@override_settings(LIANXIN_TRUSTED_PROXIES=[PROXY])
def test_addresses_a_client_wrote_into_the_header_itself_are_not_believed() -> None:
    # The client sent "X-Forwarded-For: 1.1.1.1"; nginx appended the address it saw.
    assert client_address(_request(PROXY, "1.1.1.1, 203.0.113.9")) == "203.0.113.9"


@override_settings(LIANXIN_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_a_chain_of_trusted_proxies_is_walked_from_the_right() -> None:
    assert client_address(_request("10.1.2.3", "1.1.1.1, 203.0.113.9, 10.9.8.7")) == "203.0.113.9"


@override_settings(LIANXIN_TRUSTED_PROXIES=[PROXY])
def test_a_request_not_from_a_trusted_proxy_keeps_its_own_address() -> None:
    assert client_address(_request("198.51.100.7", "203.0.113.9")) == "198.51.100.7"


@override_settings(LIANXIN_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_when_every_forwarded_address_is_a_proxy_the_farthest_one_is_the_client() -> None:
    assert client_address(_request("10.0.0.1", "10.0.0.2, 10.0.0.3")) == "10.0.0.2"
    assert client_address(_request("10.0.0.1")) == "10.0.0.1"


@override_settings(LIANXIN_TRUSTED_PROXIES=[PROXY])
def test_garbage_in_the_header_stops_the_walk_at_the_last_address_vouched_for() -> None:
    assert client_address(_request(PROXY, "<script>")) == PROXY
    assert client_address(_request(PROXY, "203.0.113.9, not-an-address")) == PROXY


@override_settings(LIANXIN_TRUSTED_PROXIES=["::1", "fd00::/8"])
def test_ipv6_proxies_and_clients_are_understood() -> None:
    assert client_address(_request("::1", "2001:db8::1, fd00::2")) == "2001:db8::1"
    assert client_address(_request("::1", "[2001:db8::2]")) == "2001:db8::2"


@override_settings(LIANXIN_TRUSTED_PROXIES=[PROXY])
def test_an_ipv4_address_written_as_ipv6_is_the_same_client() -> None:
    assert client_address(_request("::ffff:10.0.0.5", "::ffff:203.0.113.9")) == "203.0.113.9"


def test_a_missing_or_broken_remote_address_is_no_address() -> None:
    assert client_address(_request(None)) is None
    assert client_address(_request("")) is None
    assert client_address(_request("unix:/run/gunicorn.sock")) is None
    assert client_address(None) is None


@override_settings(LIANXIN_TRUSTED_PROXIES=["10.0.0.300"])
def test_a_mistyped_proxy_setting_says_which_entry_is_wrong() -> None:
    with pytest.raises(ImproperlyConfigured, match=r"10\.0\.0\.300"):
        client_address(_request(PROXY, "203.0.113.9"))
