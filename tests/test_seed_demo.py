"""`seed_demo` loads everything once and is harmless to run again."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests.dumps import database_dump


def seed(settings, debug=True):
    settings.DEBUG = debug
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_creates_one_demo_user_per_role(milan, settings):
    output = seed(settings)
    User = get_user_model()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and admin.check_password("admin-demo")
    officer = User.objects.get(username="officer")
    assert officer.check_password("officer-demo") and not officer.is_staff
    assert [(a.city.slug, a.role) for a in officer.assignments.all()] == [("milan", "officer")]
    coordinator = User.objects.get(username="coordinator")
    assert [(a.city.slug, a.role) for a in coordinator.assignments.all()] == [("milan", "coordinator")]
    assert "'officer' / 'officer-demo'" in output


def test_seed_demo_twice_changes_nothing_the_second_time(milan, settings):
    seed(settings)
    users = list(get_user_model().objects.values_list("username", "password").order_by("username"))
    before = database_dump()
    output = seed(settings)
    assert database_dump() == before
    assert list(get_user_model().objects.values_list("username", "password").order_by("username")) == users
    assert "unchanged since they were loaded, skipped" in output


def test_seed_demo_keeps_a_changed_demo_password(milan, settings):
    seed(settings)
    officer = get_user_model().objects.get(username="officer")
    officer.set_password("a-better-password")
    officer.save()
    seed(settings)
    officer.refresh_from_db()
    assert officer.check_password("a-better-password")


def test_seed_demo_keeps_what_was_changed_since_the_fixtures_were_loaded(milan, officer, admin_user, settings):
    """Run again with fixture files changed since they were loaded (a release), it adds nothing over
    the database's own rows: an answer typed in the editor and a statement corrected in the admin
    stay as they are."""
    from assessments.cells import CellEdit, save_cells
    from assessments.models import Answer, LoadedFixture, Statement

    answer = Answer.objects.filter(respondent__sheet__city=milan, value="yes").order_by("pk").first()
    save_cells(
        answer.respondent.sheet,
        officer,
        [CellEdit(answer.statement_id, answer.respondent_id, "no", "Checked again in 2026.", answer.version)],
    )
    statement = Statement.objects.order_by("pk").first()
    statement.text = "Corrected by the programme staff."
    statement.save()
    LoadedFixture.objects.update(digest="changed")
    output = seed(settings)
    answer.refresh_from_db()
    statement.refresh_from_db()
    assert (answer.value, answer.note) == ("no", "Checked again in 2026.")
    assert statement.text == "Corrected by the programme staff."
    assert "0 objects added" in output


def test_what_was_deleted_stays_deleted_until_its_fixture_file_changes(milan, settings):
    """Staff deleted a conclusion of Milan's report: each run leaves it deleted while the fixture
    is the one loaded; a release that changes the fixture's file adds what the database lacks."""
    from assessments.models import Conclusion, LoadedFixture

    conclusion = Conclusion.objects.filter(report__city=milan).order_by("pk").first()
    text, topics = conclusion.text, set(conclusion.topics.values_list("slug", flat=True))
    conclusion.delete()
    output = seed(settings)
    assert not Conclusion.objects.filter(report__city=milan, text=text).exists()
    skipped = next(line for line in output.splitlines() if "unchanged since they were loaded" in line)
    assert "milan-2018" in skipped

    LoadedFixture.objects.filter(name="milan-2018").update(digest="an earlier file")
    output = seed(settings)
    back = Conclusion.objects.get(report__city=milan, text=text)
    assert set(back.topics.values_list("slug", flat=True)) == topics
    assert "fixtures milan-2018: 1 objects added" in output
    assert LoadedFixture.objects.get(name="milan-2018").digest != "an earlier file"


def test_seed_demo_creates_no_users_when_debug_is_off(milan, settings):
    output = seed(settings, debug=False)
    assert not get_user_model().objects.filter(username__in=["admin", "officer", "coordinator"]).exists()
    assert "no demo users" in output


@pytest.mark.django_db(transaction=True)
def test_seed_demo_fills_an_empty_database(settings):
    from assessments.models import LoadedFixture, Sheet
    from stakeholders.models import City

    City.objects.all().delete()
    LoadedFixture.objects.all().delete()
    assert not Sheet.objects.exists()
    seed(settings)
    assert Sheet.objects.filter(city__slug="milan").count() == 4
