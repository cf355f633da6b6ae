"""Sign-in, sign-out, password change and reset: Django's views with the site's templates."""

import re

from django.urls import reverse


def test_sign_in_page_uses_the_site_layout(client, db):
    html = client.get(reverse("login")).content.decode()
    assert "MEGA Benchmark" in html and "vendor/bootstrap/bootstrap.min.css" in html
    assert 'name="username"' in html and "Forgot your password?" in html
    # Nothing from another site (a CDN): no script, style or link points off this one. (Looking for
    # "cdn" anywhere failed whenever the random CSRF token happened to contain it.)
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html)


def test_signing_in_leads_home_and_signing_out_needs_post(client, officer):
    response = client.post(reverse("login"), {"username": "olga", "password": "pw-olga"})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_a_wrong_password_is_refused_with_a_message(client, officer):
    response = client.post(reverse("login"), {"username": "olga", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_password_change(client, officer):
    client.force_login(officer)
    page = client.get(reverse("password_change")).content.decode()
    assert "Change your password" in page and 'name="new_password2"' in page
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "pw-olga",
            "new_password1": "a-long-new-secret-42",
            "new_password2": "a-long-new-secret-42",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("password_change_done")
    assert "Your password has been changed." in client.get(response["Location"]).content.decode()
    officer.refresh_from_db()
    assert officer.check_password("a-long-new-secret-42")


def test_password_change_needs_sign_in(client, db):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_password_reset_by_email(client, officer, mailoutbox):
    officer.email = "olga@example.org"
    officer.save(update_fields=["email"])
    assert "Reset your password" in client.get(reverse("password_reset")).content.decode()
    response = client.post(reverse("password_reset"), {"email": "olga@example.org"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert "Check your e-mail" in client.get(response["Location"]).content.decode()
    assert len(mailoutbox) == 1 and mailoutbox[0].subject == "MEGA Benchmark: reset your password"
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mailoutbox[0].body)[1]
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0],
        {
            "new_password1": "another-long-secret-7",
            "new_password2": "another-long-secret-7",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_complete")
    assert "Your new password is set." in client.get(response["Location"]).content.decode()


def test_an_invalid_reset_link_says_so(client, db):
    html = client.get(reverse("password_reset_confirm", args=["xx", "bad-token"])).content.decode()
    assert "This link is not valid any more" in html
