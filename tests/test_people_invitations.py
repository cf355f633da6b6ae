"""Staff invite people by e-mail; the invited person chooses a password through a single-use link
that expires; bad input and bad links are refused with a clear message and change nothing."""

import re
import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from people import throttle
from people.models import Invitation, Profile
from people.tokens import SALT, make_token
from stakeholders.models import Assignment
from tests.people_helpers import free_port, invite_officer, link_in

User = get_user_model()
PASSWORD = "a-Long-enough-passw0rd"


@pytest.fixture
def staff_client(admin_user):
    """Staff's own browser, beside `client`, the invited person's."""
    staff = Client()
    staff.force_login(admin_user)
    return staff


def invite_form(client, **fields):
    data = {"email": "anna@example.org", "role": "officer", "language": "it", **fields}
    return client.post(reverse("people:invite"), data, follow=True)


def accept(client, link, password=PASSWORD):
    """Follow the e-mail's link and, if it leads to the form, choose `password`."""
    page = client.get(link, follow=True)
    if page.status_code != 200:
        return page
    return client.post(reverse("people:accept"), {"new_password1": password, "new_password2": password})


def test_staff_invite_an_officer_and_the_invitation_is_e_mailed(staff_client, milan, turin, mailoutbox):
    response = invite_form(staff_client, cities=[milan.pk, turin.pk])
    assert "Invitation sent to anna@example.org." in response.content.decode()
    invitation = Invitation.objects.get()
    assert (invitation.role, invitation.language, set(invitation.cities.all())) == ("officer", "it", {milan, turin})
    assert not User.objects.filter(email="anna@example.org").exists()
    [message] = mailoutbox
    assert message.to == ["anna@example.org"]
    assert link_in(message.body).startswith("/people/join/")
    html = message.alternatives[0][0]
    assert 'lang="it"' in html and "Milan" in html and "Turin" in html


def test_the_person_chooses_a_password_and_becomes_officer_of_the_cities(client, admin_user, milan, mailoutbox):
    invitation = invite_officer("Anna@Example.org", milan, admin_user, language="de")
    response = accept(client, link_in(mailoutbox[0].body))
    assert response.status_code == 302 and response["Location"] == reverse("home")
    user = User.objects.get(username="anna@example.org")
    assert user.check_password(PASSWORD) and user.email == "anna@example.org"
    assert list(Assignment.objects.filter(user=user).values_list("city__slug", "role")) == [("milan", "officer")]
    assert Profile.objects.get(user=user).language == "de"
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED and invitation.user == user
    assert "Milan" in client.get(reverse("home")).content.decode()


def test_the_acceptance_page_does_not_show_the_token_in_its_address(client, admin_user, milan, mailoutbox):
    invite_officer("anna@example.org", milan, admin_user)
    response = client.get(link_in(mailoutbox[0].body))
    assert response["Location"] == reverse("people:accept")
    page = client.get(response["Location"]).content.decode()
    assert "anna@example.org" in page and "New password" in page


def test_a_weak_password_is_refused_and_nothing_is_created(client, admin_user, milan, mailoutbox):
    invite_officer("anna@example.org", milan, admin_user)
    response = accept(client, link_in(mailoutbox[0].body), password="12345678")
    assert response.status_code == 200 and "This password is too common." in response.content.decode()
    assert not User.objects.filter(username="anna@example.org").exists()


def test_a_used_link_no_longer_works(client, admin_user, milan, mailoutbox):
    invite_officer("anna@example.org", milan, admin_user)
    link = link_in(mailoutbox[0].body)
    accept(client, link)
    client.logout()
    response = accept(client, link, password="another-Passw0rd-entirely")
    assert response.status_code == 400 and "This link cannot be used" in response.content.decode()
    assert User.objects.get(username="anna@example.org").check_password(PASSWORD)


def test_a_link_opened_before_another_tab_accepted_cannot_accept_twice(client, admin_user, milan, mailoutbox):
    invite_officer("anna@example.org", milan, admin_user)
    link = link_in(mailoutbox[0].body)
    client.get(link)  # the first tab keeps the invitation in the session
    other = Client()
    accept(other, link)
    response = client.post(
        reverse("people:accept"), {"new_password1": "x-Other-passw0rd", "new_password2": "x-Other-passw0rd"}
    )
    assert response.status_code == 400
    assert User.objects.filter(username="anna@example.org").count() == 1


def test_an_expired_link_is_refused(client, admin_user, milan):
    invitation = invite_officer("anna@example.org", milan, admin_user)

    class EightDaysAgo(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time() - 8 * 24 * 3600))

    old_token = EightDaysAgo(salt=SALT).sign_object([invitation.pk, invitation.nonce])
    response = accept(client, reverse("people:accept_link", args=[old_token]))
    assert response.status_code == 400
    # The same invitation with a fresh timestamp works: only the age was wrong.
    assert accept(client, reverse("people:accept_link", args=[make_token(invitation)])).status_code == 302


@pytest.mark.parametrize(
    "token",
    [
        "forged",
        "WzEsImFiYyJd:1vTgs5:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "%00",
        "a" * 500,
    ],
)
def test_a_forged_link_is_refused(client, admin_user, milan, token):
    invite_officer("anna@example.org", milan, admin_user)
    response = client.get(reverse("people:accept_link", args=[token]), follow=True)
    assert response.status_code == 400 and "This link cannot be used" in response.content.decode()


def test_a_token_signed_for_another_purpose_is_refused(client, admin_user, milan):
    invitation = invite_officer("anna@example.org", milan, admin_user)
    token = signing.dumps([invitation.pk, invitation.nonce])  # right content, wrong salt
    assert client.get(reverse("people:accept_link", args=[token]), follow=True).status_code == 400


def test_sending_again_retires_the_earlier_link(staff_client, client, admin_user, milan, mailoutbox):
    invitation = invite_officer("anna@example.org", milan, admin_user)
    staff_client.post(reverse("people:resend", args=[invitation.pk]))
    first, second = (link_in(m.body) for m in mailoutbox)
    assert accept(Client(), first).status_code == 400
    assert accept(Client(), second).status_code == 302


def test_a_revoked_invitation_cannot_be_accepted(staff_client, admin_user, milan, mailoutbox):
    invitation = invite_officer("anna@example.org", milan, admin_user)
    response = staff_client.post(reverse("people:revoke", args=[invitation.pk]), follow=True)
    assert "was revoked" in response.content.decode()
    assert accept(Client(), link_in(mailoutbox[0].body)).status_code == 400
    # A revoked invitation can be neither revoked nor sent again.
    assert staff_client.post(reverse("people:resend", args=[invitation.pk])).status_code == 403


def test_bad_links_are_throttled_per_address(client, admin_user, milan):
    invitation = invite_officer("anna@example.org", milan, admin_user)
    for attempt in range(throttle.LIMIT):
        assert client.get(reverse("people:accept_link", args=[f"guess-{attempt}"]), follow=True).status_code == 400
    response = client.get(reverse("people:accept_link", args=[make_token(invitation)]), follow=True)
    assert response.status_code == 429 and "Too many attempts" in response.content.decode()
    # Another address is not affected.
    other = Client(REMOTE_ADDR="10.1.2.3").get(
        reverse("people:accept_link", args=[make_token(invitation)]), follow=True
    )
    assert other.status_code == 200 and "Choose a password to finish." in other.content.decode()


def test_inviting_an_address_that_has_an_account_changes_nothing(staff_client, officer, milan, mailoutbox):
    officer.email = "olga@example.org"
    officer.save()
    response = invite_form(staff_client, email="OLGA@example.org", cities=[milan.pk])
    assert "An account with this address already exists." in response.content.decode()
    assert not Invitation.objects.exists() and not mailoutbox


def test_inviting_an_address_already_invited_changes_nothing(staff_client, admin_user, milan, mailoutbox):
    invite_officer("anna@example.org", milan, admin_user)
    response = invite_form(staff_client, email=" Anna@example.org ", cities=[milan.pk])
    assert "This address has already been invited." in response.content.decode()
    assert Invitation.objects.count() == 1 and len(mailoutbox) == 1


@pytest.mark.parametrize(
    "email", ["not-an-address", "anna@", "anna example@example.org", "a" * 140 + "@example.org", ""]
)
def test_a_malformed_address_is_refused(staff_client, milan, mailoutbox, email):
    response = invite_form(staff_client, email=email, cities=[milan.pk])
    html = response.content.decode()
    assert response.status_code == 200 and "invalid-feedback" in html
    assert not Invitation.objects.exists() and not mailoutbox


def test_an_invitation_needs_a_city_and_a_valid_role(staff_client, milan):
    html = invite_form(staff_client, role="admin", cities=[]).content.decode()
    assert "Choose at least one city." in html and "Select a valid choice." in html
    assert not Invitation.objects.exists()


def test_an_unreachable_mail_server_records_no_invitation(staff_client, milan, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    response = invite_form(staff_client, cities=[milan.pk])
    assert "The e-mail could not be sent, so nobody was invited." in response.content.decode()
    assert not Invitation.objects.exists()


def test_the_people_page_shows_who_was_invited_and_who_accepted(staff_client, client, admin_user, milan, mailoutbox):
    invite_officer("anna@example.org", milan, admin_user)
    accepted = invite_officer("bruno@example.org", milan, admin_user)
    expired = invite_officer("carla@example.org", milan, admin_user)
    Invitation.objects.filter(pk=expired.pk).update(sent_at=timezone.now() - timedelta(days=8))
    accept(client, link_in(mailoutbox[1].body))
    html = staff_client.get(reverse("people:index")).content.decode()
    assert html.count("Send again") == 2 and html.count("Revoke") == 2 and html.count("Deactivate") == 1
    assert "Link expired" in html and "Accepted" in html and "Invited" in html
    accepted.refresh_from_db()
    assert accepted.user.username == "bruno@example.org"


def test_staff_deactivate_and_activate_an_invited_account(staff_client, client, admin_user, milan, mailoutbox):
    invite_officer("anna@example.org", milan, admin_user)
    accept(client, link_in(mailoutbox[0].body))
    user = User.objects.get(username="anna@example.org")
    response = staff_client.post(reverse("people:set_active", args=[user.pk]), {"active": "0"}, follow=True)
    assert "anna@example.org can no longer sign in." in response.content.decode()
    user.refresh_from_db()
    assert not user.is_active
    assert client.get(reverse("home")).status_code == 302  # signed out for good
    staff_client.post(reverse("people:set_active", args=[user.pk]), {"active": "1"})
    user.refresh_from_db()
    assert user.is_active


def test_staff_cannot_deactivate_an_account_that_was_not_invited_here(staff_client, admin_user, officer):
    assert staff_client.post(reverse("people:set_active", args=[officer.pk]), {"active": "0"}).status_code == 404
    assert staff_client.post(reverse("people:set_active", args=[admin_user.pk]), {"active": "0"}).status_code == 404


def test_the_people_page_makes_the_same_queries_for_3_and_30_invitations(staff_client, admin_user, milan, turin):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(reverse("people:index")).status_code == 200
        return len(queries)

    for i in range(3):
        invite_officer(f"p{i}@example.org", milan, admin_user)
    few = count()
    for i in range(3, 30):
        invitation = invite_officer(f"p{i}@example.org", turin, admin_user)
        invitation.cities.add(milan)
    assert count() == few


def test_the_acceptance_pages_name_no_account(client, admin_user, officer, milan):
    """A bad link gets the same page whether or not its address, or any account, exists."""

    def page(url):
        return re.search(r"<main.*</main>", client.get(url, follow=True).content.decode(), re.S)[0]

    pages = {page(reverse("people:accept_link", args=[token])) for token in ["x", "y:z", "olga"]}
    pages.add(page(reverse("people:accept")))
    assert len(pages) == 1 and "olga" not in pages.pop()


def test_a_person_chooses_the_language_of_their_e_mails(client, officer):
    client.force_login(officer)
    assert "Language of e-mails" in client.get(reverse("people:profile")).content.decode()
    response = client.post(reverse("people:profile"), {"language": "fr"}, follow=True)
    assert "Saved: e-mails will be written in Français." in response.content.decode()
    assert Profile.objects.get(user=officer).language == "fr"
    response = client.post(reverse("people:profile"), {"language": "xx"})
    assert response.status_code == 200 and Profile.objects.get(user=officer).language == "fr"


def test_no_invitation_token_reaches_the_log(client, admin_user, milan, caplog):
    """Django logs every 4xx answer with its path: the link's token must never be in that path."""
    invitation = invite_officer("anna@example.org", milan, admin_user)
    token = make_token(invitation)
    for attempt in range(throttle.LIMIT):
        client.get(reverse("people:accept_link", args=[f"{token}{attempt}"]), follow=True)
    assert client.get(reverse("people:accept_link", args=[token]), follow=True).status_code == 429
    assert "Bad Request: /people/join/" in caplog.text and "Too Many Requests: /people/join/" in caplog.text
    assert token not in caplog.text


def test_city_names_are_shown_as_text_on_the_people_and_acceptance_pages(
    staff_client, client, admin_user, milan, mailoutbox
):
    from tests.security import payload, read_page

    milan.name = payload("city", 120)
    milan.save()
    invite_officer("anna@example.org", milan, admin_user)
    for response in (staff_client.get(reverse("people:index")), client.get(link_in(mailoutbox[0].body), follow=True)):
        problems, text = read_page(response.content.decode())
        assert not problems and milan.name in text
    problems, text = read_page(mailoutbox[0].alternatives[0][0])
    assert not problems and milan.name in text
