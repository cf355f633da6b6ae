"""Sign-in throttling behind reverse proxies, through the whole middleware stack.

Every request arrives from the proxy's address, as it does in production; the client is only
known from X-Forwarded-For, which each proxy appends to (nginx's `$proxy_add_x_forwarded_for`).
"""

import pytest
from django.urls import reverse

PROXY = "10.0.0.1"


def attempt(client, username, password, *, forwarded_for, proxy=PROXY):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


@pytest.fixture
def one_proxy(settings):
    settings.PROXY_COUNT = 1


def test_five_failures_behind_the_proxy_lock_that_client_not_everybody(client, one_proxy, officer, coordinator):
    for _ in range(5):
        attempt(client, "olga", "wrong", forwarded_for="203.0.113.7")
    assert attempt(client, "carlo", "pw-carlo", forwarded_for="203.0.113.7").status_code == 429
    assert attempt(client, "carlo", "pw-carlo", forwarded_for="198.51.100.9").status_code == 302


def test_the_locked_username_stays_locked_from_every_client(client, one_proxy, officer):
    for _ in range(5):
        attempt(client, "olga", "wrong", forwarded_for="203.0.113.7")
    assert attempt(client, "olga", "pw-olga", forwarded_for="198.51.100.9").status_code == 429


def test_addresses_the_client_sends_itself_are_not_trusted(client, one_proxy, officer, coordinator):
    """nginx appends the real client to whatever X-Forwarded-For the client sent: an attacker who
    invents a new address for each attempt is still counted under their own."""
    for n in range(5):
        attempt(client, f"user{n}", "wrong", forwarded_for=f"192.0.2.{n}, 203.0.113.7")
    assert attempt(client, "carlo", "pw-carlo", forwarded_for="192.0.2.99, 203.0.113.7").status_code == 429
    assert attempt(client, "carlo", "pw-carlo", forwarded_for="203.0.113.8").status_code == 302


def test_two_proxies_count_the_address_the_outer_one_saw(client, settings, officer, coordinator):
    settings.PROXY_COUNT = 2
    cdn = "198.18.0.1"
    for n in range(5):
        attempt(client, f"user{n}", "wrong", forwarded_for=f"192.0.2.{n}, 203.0.113.7, {cdn}")
    assert attempt(client, "carlo", "pw-carlo", forwarded_for=f"203.0.113.7, {cdn}").status_code == 429
    assert attempt(client, "carlo", "pw-carlo", forwarded_for=f"203.0.113.8, {cdn}").status_code == 302


def test_without_proxies_forwarded_for_is_ignored(client, settings, officer, coordinator):
    """A server reached directly must not let a client choose its address with a header."""
    settings.PROXY_COUNT = 0
    for n in range(5):
        attempt(client, f"user{n}", "wrong", forwarded_for=f"192.0.2.{n}", proxy="203.0.113.7")
    assert attempt(client, "carlo", "pw-carlo", forwarded_for="192.0.2.50", proxy="203.0.113.7").status_code == 429


@pytest.mark.parametrize("forwarded_for", ["", "not-an-address", "203.0.113.7\x00", "junk, " * 2000])
def test_a_bad_forwarded_header_is_counted_under_the_connecting_address(client, one_proxy, officer, forwarded_for):
    response = attempt(client, "olga", "wrong", forwarded_for=forwarded_for, proxy="203.0.113.9")
    assert response.status_code == 200
    for n in range(4):
        attempt(client, f"user{n}", "wrong", forwarded_for=forwarded_for, proxy="203.0.113.9")
    assert attempt(client, "x", "wrong", forwarded_for=forwarded_for, proxy="203.0.113.10").status_code == 200


@pytest.mark.parametrize("typed", ["OLGA", " olga", "Olga  ", "oLgA"])
def test_usernames_are_throttled_without_case_or_surrounding_spaces(client, one_proxy, officer, typed):
    for n in range(5):
        attempt(client, typed if n % 2 else "olga", "wrong", forwarded_for=f"203.0.113.{n + 1}")
    assert attempt(client, "olga", "pw-olga", forwarded_for="198.51.100.9").status_code == 429
