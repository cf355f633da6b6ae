"""Staff run a round in the app: create it, add and remove cities, close and reopen it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import workflow
from assessments.cells import CellEdit, SheetLocked, save_cells
from assessments.columns import add_respondent
from reports.editing import ReportEdit, fingerprint, save_report
from assessments.models import (
    Answer,
    Checklist,
    CityReport,
    Respondent,
    Round,
    RoundClosed,
    Sheet,
    Statement,
)
from rounds.models import ArchivedBenchmarking
from stakeholders.models import Assignment, City, Organisation, StakeholderType
from tests.factories import make_city, make_user

DATES = {"starts_on": "2026-01-10", "due_on": "2026-03-31", "publishes_on": "2026-06-30"}


def round_post(name="2026", **changes):
    data = {"name": name, **DATES}
    for stype in StakeholderType.objects.all():
        data[f"checklist_{stype.slug}"] = Checklist.objects.get(stakeholder_type=stype, version="1").pk
    data.update(changes)
    return data


@pytest.fixture
def round_2026(reference_data):
    round = Round.objects.create(name="2026", starts_on=datetime.date(2026, 1, 10), due_on=datetime.date(2026, 3, 31))
    round.checklists.set(Checklist.objects.filter(version="1"))
    return round


def fill_first_answer(sheet, user, value="yes", note=""):
    respondent = sheet.respondents.get()
    statement = Statement.objects.filter(level__checklist=sheet.checklist).order_by("level__number", "position").first()
    sheet.refresh_from_db()
    return save_cells(sheet, user, [CellEdit(statement.pk, respondent.pk, value, note, 0)])


# --- creating a round ---------------------------------------------------------------------------


def test_staff_create_a_round_with_one_checklist_per_stakeholder_type(staff_client):
    response = staff_client.post(reverse("rounds:create"), round_post())
    assert response.status_code == 302
    round = Round.objects.get(name="2026")
    assert round.due_on == datetime.date(2026, 3, 31)
    assert sorted(round.checklists.values_list("stakeholder_type__slug", flat=True)) == sorted(
        StakeholderType.objects.values_list("slug", flat=True)
    )


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"due_on": "2025-12-31"}, "The due date cannot come before the opening date."),
        ({"publishes_on": "2026-02-01"}, "The publication date cannot come before the due date."),
        ({"due_on": "31/31/2026"}, "Enter a valid date."),
        ({"name": "2018"}, "Round with this Name already exists."),
        ({"name": "20/26"}, "no “/”"),
        ({"name": "new"}, "no “/”"),
    ],
)
def test_bad_round_input_gets_a_message_and_creates_nothing(staff_client, milan, changes, message):
    before = Round.objects.count()
    response = staff_client.post(reverse("rounds:create"), round_post(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Round.objects.count() == before


def test_a_checklist_of_another_stakeholder_type_is_refused(staff_client, reference_data):
    chamber = Checklist.objects.get(stakeholder_type__slug="chamber")
    response = staff_client.post(reverse("rounds:create"), round_post(checklist_municipality=chamber.pk))
    assert response.status_code == 400
    assert not Round.objects.filter(name="2026").exists()


# --- adding cities ------------------------------------------------------------------------------


def test_adding_a_city_creates_its_four_sheets_one_column_each_and_its_empty_report(round_2026, admin_user):
    turin = make_city("turin")
    chamber = Organisation.objects.create(
        city=turin, name="Camera di commercio di Torino", stakeholder_type=StakeholderType.objects.get(slug="chamber")
    )
    sheets = round_2026.add_city(turin, admin_user)
    assert [s.checklist.stakeholder_type.slug for s in sheets] == [
        "municipality",
        "chamber",
        "business_organisation",
        "immigrant_business_organisation",
    ]
    columns = {
        r.sheet.checklist.stakeholder_type.slug: r.organisation for r in Respondent.objects.filter(sheet__in=sheets)
    }
    assert len(columns) == 4 and columns["chamber"] == chamber
    assert columns["municipality"].name == "Municipality of Turin"
    assert all(s.status == "draft" and s.is_editable for s in sheets)
    report = CityReport.objects.get(city=turin, round=round_2026)
    assert (report.national_context, report.city_observations, report.conclusions.count()) == ("", "", 0)
    assert Sheet.history.filter(city_id=turin.pk, history_user=admin_user).count() == 4


def test_staff_add_a_new_city_by_name_and_country(staff_client, round_2026):
    response = staff_client.post(reverse("rounds:add_city", args=["2026"]), {"name": "Turin", "country": "Italy"})
    assert response.status_code == 302
    turin = City.objects.get(slug="turin")
    assert turin.country == "Italy"
    assert Sheet.objects.filter(city=turin, round=round_2026).count() == 4
    page = staff_client.get(response["Location"]).content.decode()
    assert "Added Turin to round 2026" in page


def test_staff_add_an_existing_city(staff_client, round_2026, milan):
    staff_client.post(reverse("rounds:add_city", args=["2026"]), {"city": milan.pk})
    assert Sheet.objects.filter(city=milan, round=round_2026).count() == 4
    assert Sheet.objects.filter(city=milan).count() == 8  # 2018's sheets are untouched


@pytest.mark.parametrize(
    "data,message",
    [
        ({}, "Choose an existing city, or give a new city’s name and country."),
        ({"name": "Turin"}, "Give the new city’s country."),
        ({"name": "Milan", "country": "Italy"}, "Milan is already in round 2026."),
        ({"name": "!!!", "country": "Italy"}, "at least one letter or digit"),
        ({"city": "999999"}, "Select a valid choice."),
    ],
)
def test_bad_city_input_gets_a_message_and_changes_nothing(staff_client, round_2026, milan, data, message):
    round_2026.add_city(milan, None)
    counts = (City.objects.count(), Sheet.objects.count(), Organisation.objects.count())
    response = staff_client.post(reverse("rounds:add_city", args=["2026"]), data, follow=True)
    assert message in response.content.decode()
    assert (City.objects.count(), Sheet.objects.count(), Organisation.objects.count()) == counts


def test_a_city_already_in_the_round_is_refused_with_a_clear_message(staff_client, round_2026, milan):
    round_2026.add_city(milan, None)
    response = staff_client.post(reverse("rounds:add_city", args=["2026"]), {"city": milan.pk}, follow=True)
    assert "Milan is already in round 2026." in response.content.decode()
    assert Sheet.objects.filter(city=milan, round=round_2026).count() == 4
    with pytest.raises(ValidationError):
        round_2026.add_city(milan, None)


def test_a_round_without_checklists_cannot_take_cities(reference_data):
    with pytest.raises(ValidationError, match="has no checklists"):
        Round.objects.create(name="2040").add_city(make_city("turin"), None)


# --- removing cities ----------------------------------------------------------------------------


def test_a_city_with_empty_sheets_is_removed_without_confirmation(staff_client, round_2026):
    turin = make_city("turin")
    round_2026.add_city(turin, None)
    response = staff_client.post(reverse("rounds:remove_city", args=["2026", "turin"]))
    assert response.status_code == 302
    assert not Sheet.objects.filter(city=turin).exists()
    assert not ArchivedBenchmarking.objects.exists()


def test_removing_a_city_with_answers_needs_a_confirmation_that_says_what_is_archived(
    staff_client, round_2026, admin_user
):
    turin = make_city("turin")
    round_2026.add_city(turin, admin_user)
    fill_first_answer(Sheet.objects.filter(city=turin).first(), admin_user, "no", "Only on paper.")
    url = reverse("rounds:remove_city", args=["2026", "turin"])
    page = staff_client.get(url).content.decode()
    assert "1 answer" in page and "1 annotation" in page and "archives what is written" in page
    refused = staff_client.post(url)
    assert refused.status_code == 400
    assert Sheet.objects.filter(city=turin).count() == 4
    staff_client.post(url, {"confirm": "on"})
    assert not Sheet.objects.filter(city=turin, round=round_2026).exists()
    archive = ArchivedBenchmarking.objects.get(city=turin, round=round_2026)
    assert archive.contents["answers"] == 1 and archive.archived_by == admin_user
    kept = [
        a
        for s in archive.document["sheets"]
        for lv in s["levels"]
        for i in lv["items"]
        for a in i["answers"]
        if a["value"]
    ]
    assert kept == [{"value": "no", "note": "Only on paper."}]


# --- closing and reopening ----------------------------------------------------------------------


@pytest.fixture
def closed_turin(round_2026, admin_user):
    turin = make_city("turin")
    round_2026.add_city(turin, admin_user)
    officer = make_user("tina", city=turin, role=Assignment.Role.OFFICER)
    round_2026.close(admin_user)
    return turin, officer


def test_a_closed_rounds_sheets_are_read_only_on_every_write_path(closed_turin, round_2026):
    turin, officer = closed_turin
    sheet = Sheet.objects.select_related("round").filter(city=turin).first()
    assert not sheet.is_editable
    result = fill_first_answer(sheet, officer)
    assert result.locked and not Answer.objects.filter(respondent__sheet=sheet).exists()
    with pytest.raises(SheetLocked, match="Round 2026 is closed"):
        add_respondent(sheet, officer, name="Another", note="")
    with pytest.raises(workflow.TransitionError, match="closed"):
        workflow.transition(sheet, officer, workflow.Action.SUBMIT)
    with pytest.raises(RoundClosed):
        save_report(turin, round_2026, officer, ReportEdit(texts={"national_context": ("Text", fingerprint(""))}))


def test_a_sheet_opened_before_the_round_closed_cannot_be_saved_after(round_2026, admin_user):
    turin = make_city("turin")
    round_2026.add_city(turin, admin_user)
    sheet = Sheet.objects.select_related("round").filter(city=turin).first()  # opened while open
    Round.objects.get(pk=round_2026.pk).close(admin_user)
    assert fill_first_answer(sheet, admin_user).locked


def test_the_editor_of_a_closed_round_shows_no_form(client, closed_turin):
    turin, officer = closed_turin
    client.force_login(officer)
    sheet = Sheet.objects.filter(city=turin).first()
    page = client.get(reverse("sheets:edit", args=[sheet.pk])).content.decode()
    assert 'id="sheet-form"' not in page
    Round.objects.filter(name="2026").update(closed=False)
    assert 'id="sheet-form"' in client.get(reverse("sheets:edit", args=[sheet.pk])).content.decode()
    Round.objects.filter(name="2026").update(closed=True)
    response = client.post(
        reverse("reports:edit", args=["turin", "2026"]),
        {"version": 1, "national_context": "x", "city_observations": ""},
        follow=True,
    )
    assert "Round 2026 is closed" in response.content.decode()
    assert CityReport.objects.get(city=turin).national_context == ""


def test_staff_close_and_reopen_a_round(staff_client, closed_turin, round_2026, admin_user):
    turin, officer = closed_turin
    staff_client.post(reverse("rounds:reopen", args=["2026"]))
    round_2026.refresh_from_db()
    assert not round_2026.closed
    sheet = Sheet.objects.select_related("round").filter(city=turin).first()
    assert not fill_first_answer(sheet, officer).locked
    staff_client.post(reverse("rounds:close", args=["2026"]))
    round_2026.refresh_from_db()
    assert round_2026.closed
    assert [h.closed for h in round_2026.history.order_by("history_id")][-3:] == [True, False, True]


def test_a_closed_round_takes_no_cities_and_loses_none(staff_client, closed_turin, round_2026):
    staff_client.post(reverse("rounds:add_city", args=["2026"]), {"name": "Genoa", "country": "Italy"})
    assert not Sheet.objects.filter(city__slug="genoa").exists()
    staff_client.post(reverse("rounds:remove_city", args=["2026", "turin"]), {"confirm": "on"})
    assert Sheet.objects.filter(city__slug="turin").count() == 4


def test_an_import_into_a_closed_round_is_refused_and_changes_nothing(milan, admin_user):
    from assessments.exchange import ExchangeError, export_city, import_city

    document = export_city(milan)
    document["report"]["national_context"] = "Changed."
    Round.objects.get(name="2018").close(admin_user)
    with pytest.raises(ExchangeError, match="2018 is closed"):
        import_city(document, admin_user)
    assert CityReport.objects.get(city=milan).national_context != "Changed."


def test_the_admin_shows_a_closed_rounds_answers_read_only(client, milan, admin_user):
    admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    answer = Answer.objects.filter(respondent__sheet__city=milan).first()
    url = reverse("admin:assessments_answer_change", args=[answer.pk])
    Round.objects.get(name="2018").close(admin_user)
    response = client.post(
        url,
        {
            "respondent": answer.respondent_id,
            "statement": answer.statement_id,
            "value": "no" if answer.value == "yes" else "yes",
            "note": "",
        },
    )
    assert response.status_code == 403
    answer.refresh_from_db()
    assert answer.version == 1
    assert client.get(url).status_code == 200  # still readable


def test_the_checklist_version_cannot_change_once_cities_answer_it(staff_client, round_2026, admin_user):
    round_2026.add_city(make_city("turin"), admin_user)
    other = Checklist.objects.create(
        stakeholder_type=StakeholderType.objects.get(slug="chamber"), version="2", outcome="New."
    )
    response = staff_client.post(reverse("rounds:edit", args=["2026"]), round_post(checklist_chamber=other.pk))
    assert response.status_code == 400
    assert "cannot change now" in response.content.decode()
    assert round_2026.checklist_of_type()[other.stakeholder_type_id].version == "1"
    moved = staff_client.post(reverse("rounds:edit", args=["2026"]), round_post(due_on="2026-04-30"))
    assert moved.status_code == 302
    round_2026.refresh_from_db()
    assert round_2026.due_on == datetime.date(2026, 4, 30)


def test_no_city_starts_a_new_round_in_a_closed_round(milan, admin_user):
    from matching.over_time import NewRoundError, start_new_round

    closed = Round.objects.create(name="2027", closed=True)
    with pytest.raises(NewRoundError, match="2027 is closed"):
        start_new_round(milan, Round.objects.get(name="2018"), closed, False, admin_user)
    assert not Sheet.objects.filter(round=closed).exists()
