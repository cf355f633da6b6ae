"""A city over two rounds: changes per statement and level, and starting a new round from a copy."""

import pytest
from django.urls import reverse

from assessments.models import Answer, Respondent, Round, Sheet, Statement
from matching.over_time import NewRoundError, round_changes, start_new_round
from stakeholders.models import Assignment
from tests.factories import answer, make_checklist, make_city, make_sheet, make_user


def fill(sheet, rows):
    for (level, position), values in rows.items():
        for column, value in enumerate(values):
            answer(sheet, level, position, column, value)


@pytest.fixture
def two_rounds(reference_data):
    alpha = make_city("alpha")
    municipality = make_checklist("municipality", version="r")
    fill(
        make_sheet(alpha, municipality, respondents=("City hall", "District"), round="2030"),
        {
            (1, 1): ["no", "no"],
            (1, 2): ["yes", ""],
            (2, 1): ["yes", "no"],
            (2, 2): ["nd", "nd"],
            (3, 1): ["yes", "yes"],
        },
    )
    fill(
        make_sheet(alpha, municipality, respondents=("City hall", "District"), round="2031"),
        {
            (1, 1): ["yes", "yes"],
            (1, 2): ["no", "no"],
            (2, 1): ["yes", "yes"],
            (2, 2): ["yes", ""],
            (3, 1): ["yes", ""],
            (3, 2): ["nd", ""],
        },
    )
    old_chamber, new_chamber = make_checklist("chamber", version="r1"), make_checklist("chamber", version="r2")
    changed = Statement.objects.get(level__checklist=new_chamber, level__number=1, position=2)
    changed.text = "A statement new in version r2"
    changed.save()
    fill(make_sheet(alpha, old_chamber, respondents=("Chamber",), round="2030"), {(1, 1): ["no"], (1, 2): ["no"]})
    fill(make_sheet(alpha, new_chamber, respondents=("Chamber",), round="2031"), {(1, 1): ["yes"], (1, 2): ["yes"]})
    fill(
        make_sheet(
            alpha, make_checklist("business_organisation", version="r"), respondents=("Business",), round="2031"
        ),
        {(1, 1): ["yes"]},
    )
    return alpha, Round.objects.get(name="2030"), Round.objects.get(name="2031")


def by_type(data):
    return {block["stakeholder_type"].slug: block for block in data["types"]}


def test_changes_per_statement(two_rounds):
    alpha, before, after = two_rounds
    municipality = by_type(round_changes(alpha, before, after))["municipality"]
    assert [(r.statement.text, r.before, r.after, r.change) for r in municipality["rows"]] == [
        ("Statement 1.1", "no", "yes", "improved"),
        ("Statement 1.2", "yes", "no", "declined"),
        ("Statement 2.1", "partly", "yes", "improved"),
        ("Statement 2.2", "nd", "yes", "new"),  # no data then, an answer now
        ("Statement 3.1", "yes", "yes", "unchanged"),
        ("Statement 3.2", "", "nd", "no data"),
    ]
    assert municipality["totals"] == {"improved": 2, "declined": 1, "unchanged": 1, "new": 1, "no data": 1}


def test_change_in_share_of_yes_per_level(two_rounds):
    alpha, before, after = two_rounds
    levels = by_type(round_changes(alpha, before, after))["municipality"]["levels"]
    assert [(lv["before"], lv["after"], lv["change"]) for lv in levels] == [
        (0.5, 0.5, 0),
        (0.0, 1.0, 100),
        (1.0, 0.5, -50),
    ]


def test_statements_are_matched_across_checklist_versions_by_level_and_text(two_rounds):
    alpha, before, after = two_rounds
    types = by_type(round_changes(alpha, before, after))
    chamber = types["chamber"]
    assert (chamber["before_version"], chamber["after_version"]) == ("r1", "r2")
    assert [(r.statement.text, r.before, r.change) for r in chamber["rows"][:2]] == [
        ("Statement 1.1", "no", "improved"),
        ("A statement new in version r2", None, "new"),
    ]
    assert {r.change for r in types["business_organisation"]["rows"]} == {"new"}
    assert types["business_organisation"]["levels"][0]["before"] is None


def test_rounds_page_has_chart_and_table(client, two_rounds):
    alpha, before, after = two_rounds
    client.force_login(make_user("alpha-coordinator", city=alpha, role=Assignment.Role.COORDINATOR))
    response = client.get(reverse("matching:rounds", args=["alpha", "2030", "2031"]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "<svg" in content
    assert "Municipality, level 2: 2030 0 % → 2031 100 % (+100 points)." in content
    assert "A statement new in version r2" in content


def test_rounds_page_is_refused_to_other_cities(client, two_rounds, other_officer):
    client.force_login(other_officer)
    assert client.get(reverse("matching:rounds", args=["alpha", "2030", "2031"])).status_code == 403


def test_new_round_copies_sheets_respondents_and_answers(two_rounds):
    alpha, before, _ = two_rounds
    officer = make_user("alpha-officer", city=alpha, role=Assignment.Role.OFFICER)
    Respondent.objects.filter(sheet__city=alpha, sheet__round=before, position=1).update(note="Header note")
    target = Round.objects.create(name="2032")
    sheets = start_new_round(alpha, before, target, True, officer)
    old = Sheet.objects.filter(city=alpha, round=before)
    assert sorted(s.checklist_id for s in sheets) == sorted(old.values_list("checklist_id", flat=True))
    assert all(s.status == Sheet.Status.DRAFT and s.updated_by == officer for s in sheets)

    def snapshot(round):
        # A blank answer without an annotation is the same as no answer: it is not copied.
        return sorted(
            Answer.objects.filter(respondent__sheet__city=alpha, respondent__sheet__round=round)
            .exclude(value="", note="")
            .values_list(
                "respondent__sheet__checklist_id",
                "respondent__organisation__name",
                "respondent__position",
                "respondent__note",
                "statement_id",
                "value",
                "note",
            )
        )

    assert snapshot(target) == snapshot(before)
    copied = Answer.objects.filter(respondent__sheet__round=target).first()
    assert copied.history.get().history_user == officer
    assert sheets[0].history.get().history_user == officer


def test_new_round_with_blank_answers(two_rounds, admin_user):
    alpha, before, _ = two_rounds
    target = Round.objects.create(name="2032")
    sheets = start_new_round(alpha, before, target, False, admin_user)
    assert len(sheets) == 2
    assert Respondent.objects.filter(sheet__round=target).count() == 3
    assert not Answer.objects.filter(respondent__sheet__round=target).exists()


def test_new_round_refuses_a_round_that_already_has_sheets(two_rounds, admin_user):
    alpha, before, after = two_rounds
    count = Sheet.objects.count()
    with pytest.raises(NewRoundError, match="already has sheets in round 2031"):
        start_new_round(alpha, before, after, True, admin_user)
    with pytest.raises(NewRoundError, match="other than"):
        start_new_round(alpha, before, before, True, admin_user)
    assert Sheet.objects.count() == count


def test_officer_starts_a_new_round_from_the_page(client, two_rounds):
    alpha, before, _ = two_rounds
    Round.objects.create(name="2032")
    client.force_login(make_user("alpha-officer", city=alpha, role=Assignment.Role.OFFICER))
    url = reverse("matching:new_round", args=["alpha", "2031"])
    page = client.get(url)
    assert page.status_code == 200
    assert [label for _, label in page.context["form"].fields["to_round"].choices] == ["2032", "2018"]
    response = client.post(url, {"to_round": "2032", "copy_answers": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse("matching:rounds", args=["alpha", "2031", "2032"])
    assert Sheet.objects.filter(city=alpha, round__name="2032").count() == 3
    assert (
        Answer.objects.filter(respondent__sheet__round__name="2032").count()
        == Answer.objects.filter(respondent__sheet__round__name="2031").exclude(value="", note="").count()
    )


def test_new_round_with_a_round_that_is_not_offered_changes_nothing(client, two_rounds):
    alpha, *_ = two_rounds
    client.force_login(make_user("alpha-officer", city=alpha, role=Assignment.Role.OFFICER))
    response = client.post(reverse("matching:new_round", args=["alpha", "2031"]), {"to_round": "2030"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert Sheet.objects.filter(city=alpha).count() == 5


def test_coordinator_and_other_cities_cannot_start_a_new_round(client, two_rounds, other_officer):
    alpha, *_ = two_rounds
    Round.objects.create(name="2032")
    url = reverse("matching:new_round", args=["alpha", "2031"])
    for user in (make_user("alpha-coordinator", city=alpha, role=Assignment.Role.COORDINATOR), other_officer):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"to_round": "2032"}).status_code == 403
    assert not Sheet.objects.filter(round__name="2032").exists()
