"""Signing in: required everywhere, throttled after failures, never redirected off the site."""

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.urls import reverse

from tests.factories import make_user


def sign_in(client, username, password, next_url=None, address="10.1.2.3"):
    data = {"username": username, "password": password}
    url = reverse("login") + (f"?next={next_url}" if next_url else "")
    if next_url:
        data["next"] = next_url
    return client.post(url, data, REMOTE_ADDR=address)


def test_home_requires_sign_in(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_right_password_signs_in(client, officer):
    response = sign_in(client, "olga", "pw-olga")
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_wrong_password_says_so_without_naming_which_part(client, officer):
    response = sign_in(client, "olga", "wrong")
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_five_failures_lock_the_username_even_with_the_right_password(client, officer):
    for _ in range(5):
        sign_in(client, "olga", "wrong", address="10.0.0.1")
    response = sign_in(client, "olga", "pw-olga", address="10.9.9.9")
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()


def test_five_failures_from_one_address_lock_that_address_for_every_username(client, officer, coordinator):
    for name in ["a", "b", "c", "d", "e"]:
        sign_in(client, name, "wrong", address="10.6.6.6")
    assert sign_in(client, "carlo", "pw-carlo", address="10.6.6.6").status_code == 429
    assert sign_in(client, "carlo", "pw-carlo", address="10.7.7.7").status_code == 302


def test_an_admin_can_unlock_a_locked_user(client, officer):
    for _ in range(5):
        sign_in(client, "olga", "wrong")
    assert AccessAttempt.objects.filter(username="olga").exists()
    call_command("axes_reset_username", "olga")
    assert sign_in(client, "olga", "pw-olga", address="10.8.8.8").status_code == 302


def test_access_attempts_are_in_the_admin(client, admin_user):
    admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 200


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/phish",
        "//evil.example/",
        "http:evil.example",
        "/\\evil.example",
        "javascript:alert(1)",
    ],
)
def test_next_never_leads_off_the_site(client, officer, target):
    response = sign_in(client, "olga", "pw-olga", next_url=target)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_next_within_the_site_is_followed(client, officer):
    response = sign_in(client, "olga", "pw-olga", next_url="/accounts/password_change/")
    assert response["Location"] == "/accounts/password_change/"


def test_sessions_expire(settings):
    assert settings.SESSION_COOKIE_AGE <= 60 * 60 * 12
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_weak_passwords_are_refused_on_change(client, db):
    user = make_user("pia")
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "pw-pia",
            "new_password1": "12345678",
            "new_password2": "12345678",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "This password is too common" in html or "entirely numeric" in html
