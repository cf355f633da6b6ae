"""`send_reminders`: N days before a round's due date each officer gets the list of their open
sheets; running it again sends nothing new."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command

from assessments.models import Round, Sheet
from people.models import ReminderSent
from tests.people_helpers import REMINDERS_DUE as DUE, link_in, people_fixture, round_2030_fixture

round_2030 = round_2030_fixture
people = people_fixture


def run(day):
    call_command("send_reminders", today=day.isoformat(), stdout=open("/dev/null", "w"))


def test_each_officer_gets_their_open_sheets_seven_days_before(round_2030, people, mailoutbox, settings):
    settings.SITE_URL = "https://mega.example.org"
    run(DUE - timedelta(days=7))
    by_recipient = {m.to[0]: m for m in mailoutbox}
    assert set(by_recipient) == {"olga@example.org", "tina@example.org"}  # officers with an address only
    olga = by_recipient["olga@example.org"]
    assert olga.subject == "Round 2030: sheets due on June 30, 2030"
    assert "in 7 days" in olga.body and "Milan – Municipality" in olga.body
    assert "Chamber" not in olga.body  # submitted: not open
    assert link_in(olga.body) == f"/sheets/{round_2030['milan', 'municipality'].pk}/"
    tina = by_recipient["tina@example.org"]
    assert "Turin – Camera di commercio" in tina.body and "Milan – Comune" in tina.body
    assert "30 Giugno 2030" in tina.body and '<html lang="it">' in tina.alternatives[0][0]


def test_running_it_twice_sends_nothing_new(round_2030, people, mailoutbox):
    run(DUE - timedelta(days=7))
    sent = len(mailoutbox)
    run(DUE - timedelta(days=7))
    run(DUE - timedelta(days=6))
    assert len(mailoutbox) == sent == 2
    assert ReminderSent.objects.count() == 2


def test_the_last_reminder_comes_the_day_before(round_2030, people, mailoutbox):
    run(DUE - timedelta(days=7))
    mailoutbox.clear()
    Sheet.objects.filter(pk=round_2030["milan", "municipality"].pk).update(status=Sheet.Status.VALIDATED)
    run(DUE - timedelta(days=1))
    assert [m.to for m in mailoutbox] == [["tina@example.org"]]  # olga has nothing open any more
    assert "Turin – Comune" in mailoutbox[0].body and "Milan –" not in mailoutbox[0].body
    run(DUE - timedelta(days=1))
    assert len(mailoutbox) == 1


def test_a_missed_day_is_caught_up_with_one_e_mail(round_2030, people, mailoutbox):
    run(DUE - timedelta(days=1))  # the cron did not run the week before
    assert len(mailoutbox) == 2
    run(DUE - timedelta(days=1))
    assert len(mailoutbox) == 2


def test_no_reminder_before_the_first_day_after_the_due_date_or_for_a_closed_round(round_2030, people, mailoutbox):
    run(DUE - timedelta(days=8))
    run(DUE + timedelta(days=1))
    Round.objects.filter(name="2030").update(closed=True)
    run(DUE - timedelta(days=1))
    assert not mailoutbox and not ReminderSent.objects.exists()


def test_a_refused_e_mail_records_nothing_so_the_next_run_sends_it(round_2030, people, mailoutbox, settings):
    from tests.people_helpers import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    with pytest.raises(CommandError, match="The reminders could not be sent: ConnectionRefusedError"):
        run(DUE - timedelta(days=7))
    assert not ReminderSent.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run(DUE - timedelta(days=7))
    assert len(mailoutbox) == 2


def test_a_bad_date_is_refused():
    with pytest.raises(CommandError, match="--today must be a date as YYYY-MM-DD"):
        call_command("send_reminders", today="30/06/2030")
