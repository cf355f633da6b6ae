"""The e-mails: through a real SMTP server, in each recipient's language, as text and HTML with
absolute links, sent after the change is committed; and the settings that keep them from a log."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.urls import reverse

from assessments import workflow
from assessments.models import CityReport, Sheet
from people.models import Profile
from stakeholders.models import Assignment
from tests.factories import make_user
from tests.people_helpers import free_port, link_in, smtp_server_fixture
from tests.security import payload

BASE = Path(__file__).resolve().parent.parent
PASSWORD = "a-Long-enough-passw0rd"


smtp_server = smtp_server_fixture


@pytest.fixture
def sheet(milan):
    return Sheet.objects.select_related("city", "round").get(
        city=milan, checklist__stakeholder_type__slug="municipality"
    )


def with_address(user, language=None):
    user.email = f"{user.username}@example.org"
    user.save()
    if language:
        Profile.objects.create(user=user, language=language)
    return user


def parts(message):
    return (message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content())


def test_an_invitation_goes_through_smtp_and_its_link_lets_the_person_in(smtp_server, admin_user, milan):
    staff = Client()
    staff.force_login(admin_user)
    response = staff.post(
        reverse("people:invite"),
        {
            "email": "anna@example.org",
            "role": "coordinator",
            "cities": [milan.pk],
            "language": "en",
        },
    )
    assert response.status_code == 302
    [(recipients, message)] = smtp_server.messages
    assert recipients == ["anna@example.org"] and message["To"] == "anna@example.org"
    assert message["From"] == "mega-benchmark@localhost"
    assert message["Subject"] == "You are invited to MEGA Benchmark"
    text, html = parts(message)
    assert "City coordinator" in text and "Milan (Italy)" in text
    assert "https://mega.example.org/people/join/" in text and 'href="https://mega.example.org/people/join/' in html

    person = Client()
    choose = person.get(link_in(text))
    accepted = person.post(choose["Location"], {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert accepted["Location"] == reverse("home")
    user = get_user_model().objects.get(username="anna@example.org")
    assert list(user.assignments.values_list("city__slug", "role")) == [("milan", "coordinator")]
    signed_in = Client().post(reverse("login"), {"username": "anna@example.org", "password": PASSWORD})
    assert signed_in.status_code == 302 and signed_in["Location"] == reverse("home")


def test_a_submitted_sheet_is_announced_to_the_reviewers_but_not_to_who_submitted_it(
    smtp_server, sheet, officer, admin_user, django_capture_on_commit_callbacks
):
    with_address(officer)
    with_address(admin_user)
    other_staff = with_address(make_user("vera", staff=True))
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(sheet, officer, workflow.Action.SUBMIT)
    assert sorted(r[0] for r, _ in smtp_server.messages) == [admin_user.email, other_staff.email]
    message = smtp_server.messages[0][1]
    assert message["Subject"] == "To review: Milan – Municipality"
    text, html = parts(message)
    assert "olga submitted “MEGA Milan’s assessment sheet – Municipality” (2018) for validation." in text
    assert f"https://mega.example.org/sheets/{sheet.pk}/" in text


def test_a_returned_sheet_tells_the_officers_the_comment_in_their_language(
    smtp_server, sheet, officer, admin_user, coordinator, django_capture_on_commit_callbacks
):
    with_address(officer, language="it")
    second = with_address(make_user("omar", city=sheet.city, role=Assignment.Role.OFFICER))
    with_address(coordinator)
    workflow.transition(sheet, officer, workflow.Action.SUBMIT)
    comment = payload("return-comment")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(sheet, admin_user, workflow.Action.RETURN, comment=comment)
    by_recipient = {r[0]: m for r, m in smtp_server.messages}
    assert set(by_recipient) == {officer.email, second.email}  # not the coordinator, not staff
    italian_text, italian_html = parts(by_recipient[officer.email])
    english_text, english_html = parts(by_recipient[second.email])
    assert "Scheda di valutazione MEGA di Milan – Comune" in italian_text and '<html lang="it">' in italian_html
    assert "MEGA Milan’s assessment sheet – Municipality" in english_text and '<html lang="en">' in english_html
    # The comment as typed in the text, escaped in the HTML.
    assert comment in english_text
    assert "<script>" not in english_html and "&lt;script&gt;alert(1)&lt;/script&gt;" in english_html


def test_a_validated_sheet_is_announced_to_the_officers(
    smtp_server, sheet, officer, admin_user, django_capture_on_commit_callbacks
):
    with_address(officer)
    workflow.transition(sheet, officer, workflow.Action.SUBMIT)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(sheet, admin_user, workflow.Action.VALIDATE)
    [(recipients, message)] = smtp_server.messages
    assert recipients == [officer.email] and message["Subject"] == "Validated: Milan – Municipality"
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(sheet, admin_user, workflow.Action.REOPEN)
    assert len(smtp_server.messages) == 1  # reopening tells nobody


def test_a_step_rolled_back_sends_nothing(sheet, officer, admin_user, mailoutbox, django_capture_on_commit_callbacks):
    with_address(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            workflow.transition(sheet, officer, workflow.Action.SUBMIT)
            raise RuntimeError("the rest of the request failed")
    assert not mailoutbox
    sheet.refresh_from_db()
    assert sheet.status == Sheet.Status.DRAFT


def test_a_mail_server_that_is_down_does_not_undo_the_step(
    client, settings, sheet, officer, admin_user, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    with_address(admin_user)
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("sheets:submit", args=[sheet.pk]), {"version": sheet.version})
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.status == Sheet.Status.SUBMITTED
    assert "Could not send the e-mail 'sheet_submitted' to boss@example.org" in caplog.text


def test_a_published_report_is_announced_to_the_coordinators_once(
    smtp_server, milan, officer, coordinator, admin_user, django_capture_on_commit_callbacks
):
    with_address(coordinator, language="de")
    with_address(officer)
    report = CityReport.objects.get(city=milan, round__name="2018")
    assert not report.published
    with django_capture_on_commit_callbacks(execute=True):
        report.national_context += " More."
        report.save()  # an edit of an unpublished report tells nobody
    assert not smtp_server.messages
    with django_capture_on_commit_callbacks(execute=True):
        report.published = True
        report.save()
    [(recipients, message)] = smtp_server.messages
    assert recipients == [coordinator.email]
    text, html = parts(message)
    assert "https://mega.example.org/cities/milan/2018/" in text and '<html lang="de">' in html
    with django_capture_on_commit_callbacks(execute=True):
        report.save()  # still published: no second e-mail
    assert len(smtp_server.messages) == 1


def test_publishing_through_the_admin_announces_it(
    client, milan, coordinator, admin_user, mailoutbox, django_capture_on_commit_callbacks
):
    with_address(coordinator)
    admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    report = CityReport.objects.get(city=milan, round__name="2018")
    url = reverse("admin:assessments_cityreport_change", args=[report.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update({"published": "on", "_save": "Save"})
    for formset in client.get(url).context["inline_admin_formsets"]:
        management = formset.formset.management_form
        # The conclusions are not posted: no inline form, nothing changed there.
        data.update({management.add_prefix(k): v for k, v in management.initial.items()})
        data.update({management.add_prefix("TOTAL_FORMS"): 0, management.add_prefix("INITIAL_FORMS"): 0})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [[coordinator.email]]


def run_manage(*args, **env):
    environment = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in {"DEBUG", "HTTPS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "EMAIL_BACKEND", "SITE_URL"}
        },
        "SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "mega.example.org",
        "DJANGO_SETTINGS_MODULE": "mega.settings",
        **env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE, env=environment, capture_output=True, text=True
    )


@pytest.mark.parametrize("backend", ["console", "locmem"])
def test_check_deploy_refuses_an_e_mail_backend_that_sends_nothing(backend):
    result = run_manage(
        "check", "--deploy", DEBUG="0", EMAIL_BACKEND=f"django.core.mail.backends.{backend}.EmailBackend"
    )
    assert result.returncode != 0 and "people.E001" in result.stderr


def test_without_debug_e_mail_goes_out_by_smtp_to_links_of_the_site():
    script = "from django.conf import settings; print(settings.EMAIL_BACKEND, settings.SITE_URL, settings.EMAIL_PORT)"
    result = run_manage(
        "shell", "--no-imports", "-c", script, DEBUG="0", EMAIL_HOST="smtp.example.org", EMAIL_PORT="587"
    )
    assert result.stdout.split() == ["django.core.mail.backends.smtp.EmailBackend", "https://mega.example.org", "587"]
    result = run_manage("shell", "--no-imports", "-c", script, DEBUG="1")
    assert result.stdout.split()[0] == "django.core.mail.backends.console.EmailBackend"


@pytest.mark.parametrize(
    "env,message",
    [
        ({"SITE_URL": "mega.example.org"}, "SITE_URL must be an address such as https://mega.example.org"),
        ({"SITE_URL": "", "ALLOWED_HOSTS": ".example.org"}, "SITE_URL must be set"),
        ({"EMAIL_PORT": "smtp"}, "EMAIL_PORT must be a whole number"),
        ({"EMAIL_USE_TLS": "maybe"}, "EMAIL_USE_TLS must be one of"),
        ({"REMINDER_DAYS": "7,soon"}, "REMINDER_DAYS must be whole numbers separated by commas"),
    ],
)
def test_settings_refuse_e_mail_values_they_do_not_understand(env, message):
    result = run_manage("check", DEBUG="0", **env)
    assert result.returncode != 0 and message in result.stderr
