"""The home page per role: cities and rounds, each sheet's state and progress, what to do first."""

import re

import pytest
from django.urls import reverse

from assessments import workflow
from assessments.cells import CellEdit, save_cells
from assessments.models import Answer, CityReport, Sheet
from tests.factories import make_checklist, make_sheet


def home(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def todos(html):
    section = html.split('id="todo-heading"')[1].split("</section>")[0]
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item)).strip()
        for item in re.findall(r'<li class="list-group-item">(.*?)</li>', section, re.S)
    ]


@pytest.fixture
def municipality(milan):
    return Sheet.objects.get(city=milan, checklist__stakeholder_type__slug="municipality")


def test_home_needs_sign_in(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_officer_sees_milans_sheets_with_status_last_change_and_progress(client, officer, municipality):
    key = (
        Answer.objects.filter(respondent__sheet=municipality).first().statement_id,
        municipality.respondents.get().pk,
    )
    answer = Answer.objects.get(statement_id=key[0], respondent_id=key[1])
    save_cells(municipality, officer, [CellEdit(key[0], key[1], "", answer.note, answer.version)])
    html = home(client, officer)
    assert "Milan" in html and "2018" in html and "Your role: benchmarking officer" in html
    for name in ("Municipality", "Chamber of Commerce", "Business organisations", "Immigrant business organisations"):
        assert f">{name}</a>" in html
    assert "28 / 29 answers" in html and "L1 5/6 · L2 14/14 · L3 9/9" in html
    row = html.split(f'<th scope="row"><a href="/sheets/{municipality.pk}/">')[1].split("</tr>")[0]
    assert "olga" in row and "Draft" in row
    assert reverse("reports:edit", args=["milan", "2018"]) in html


def test_officer_is_told_what_to_do_first(client, officer, admin_user, municipality, milan):
    chamber = Sheet.objects.get(city=milan, checklist__stakeholder_type__slug="chamber")
    workflow.transition(chamber, officer, workflow.Action.SUBMIT)
    workflow.transition(chamber, admin_user, workflow.Action.RETURN, comment="Add the source of 2.1.")
    key = Answer.objects.filter(respondent__sheet=municipality).values_list("statement_id", "respondent_id").first()
    Answer.objects.filter(statement_id=key[0], respondent_id=key[1]).update(value="")
    items = todos(home(client, officer))
    assert items[0].startswith("Chamber of Commerce: Returned for changes")
    assert "Add the source of 2.1." in items[0]
    assert any(i.startswith("Business organisations: Ready to submit") for i in items)
    assert any("Municipality: Fill in (1 of 29 answers still open)" in i for i in items)


def test_officer_is_asked_to_write_a_missing_report(client, officer, milan):
    CityReport.objects.filter(city=milan).update(national_context="", city_observations="")
    assert any("City report: Write the city report" in i for i in todos(home(client, officer)))


def test_admin_sees_every_city_and_the_sheets_awaiting_validation(client, officer, admin_user, municipality, turin):
    make_sheet(turin, make_checklist(version="t"), round="2018")
    workflow.transition(municipality, officer, workflow.Action.SUBMIT)
    html = home(client, admin_user)
    assert "Turin" in html and "Milan" in html
    assert todos(html) == ["Municipality: Validate or return (Submitted for validation)"]


def test_coordinator_reads_without_actions_or_edit_links(client, coordinator):
    html = home(client, coordinator)
    assert "Your role: city coordinator" in html
    assert "Nothing needs your action right now." in html
    assert reverse("reports:edit", args=["milan", "2018"]) not in html


def test_people_of_another_city_see_nothing_of_milan(client, other_officer, other_coordinator):
    for user in (other_officer, other_coordinator):
        html = home(client, user)
        assert "Milan" not in html
        assert "No city is assigned to you yet." in html
