"""Rating module 6 for a city and round, and reading the group results: permissions and no lost edits."""

import pytest
from django.urls import reverse

from assessments.models import CityReport, Round
from guidance.models import GuidanceStatement, Rating, SelfAssessment
from tests.factories import make_user

pytestmark = pytest.mark.django_db

NUMBERS = ["6.1", "6.2", "6.3", "6.4", "6.5", "6.6"]


def rate_url(city="milan", round="2018"):
    return reverse("guidance:rate", args=["6", city, round])


def results_url(city="milan", round="2018"):
    return reverse("guidance:results", args=["6", city, round])


def page_form(client):
    """The form's fields as the rating page draws them (what a browser would send back unchanged)."""
    response = client.get(rate_url())
    assert response.status_code == 200
    form = response.context["form"]
    data = {"version": form.initial["version"]}
    for s in form.statements:
        data[form.score_name(s)] = form.initial[form.score_name(s)]
        data[form.seen_name(s)] = form.initial[form.seen_name(s)]
    return data


def post(client, data, **choices):
    data = dict(data)
    for number, choice in choices.items():
        data["score_" + number.replace("_", ".")] = choice
    return client.post(rate_url(), data)


def scores_of(user):
    assessment = SelfAssessment.objects.get(participant=user)
    return {r.statement.number: r.score for r in assessment.ratings.select_related("statement")}


# --- the permission ladder -------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client, milan):
    for url in (rate_url(), results_url()):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_people_of_another_city_may_neither_rate_nor_read(client, other_officer, other_coordinator):
    for user in (other_officer, other_coordinator):
        client.force_login(user)
        assert client.get(rate_url()).status_code == 403
        assert client.post(rate_url(), {"version": 0, "score_6.1": "5"}).status_code == 403
        assert client.get(results_url()).status_code == 403
    assert not Rating.objects.exists()


@pytest.mark.parametrize("who", ["officer", "coordinator", "admin_user"])
def test_officers_coordinators_and_staff_rate_for_themselves(client, request, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    response = post(client, page_form(client), **{"6_1": "7", "6_2": "na"})
    assert response.status_code == 302 and response["Location"] == results_url()
    assert scores_of(user) == {"6.1": 7, "6.2": None}
    assert client.get(results_url()).status_code == 200


def test_unknown_city_or_round_is_403_for_others_and_404_for_staff(client, officer, admin_user):
    client.force_login(officer)
    assert client.get(rate_url("nowhere")).status_code == 403
    assert client.get(results_url(round="1999")).status_code == 403
    client.force_login(admin_user)
    assert client.get(rate_url("nowhere")).status_code == 404


def test_a_published_round_has_results_readable_by_every_signed_in_user(client, milan, other_officer):
    CityReport.objects.filter(city=milan, round__name="2018").update(published=True)
    client.force_login(other_officer)
    assert client.get(results_url()).status_code == 200
    assert client.get(rate_url()).status_code == 403


def test_participants_rate_independently_and_both_are_counted(client, officer, coordinator):
    client.force_login(officer)
    post(client, page_form(client), **{"6_1": "4", "6_2": "na"})
    client.force_login(coordinator)
    form = page_form(client)
    assert form["score_6.1"] == ""  # the officer's ratings are not the coordinator's
    post(client, form, **{"6_1": "8", "6_2": "na"})
    response = client.get(results_url())
    data = response.context["data"]
    summaries = {row["statement"].number: row["summary"] for row in data["rows"]}
    assert data["participants"] == 2
    assert (summaries["6.1"].mean, summaries["6.1"].count) == (6, 2)
    assert summaries["6.2"].mean is None and summaries["6.2"].no_answer == 2
    html = response.content.decode()
    assert '<td class="text-end" data-mean>6.0</td>' in html
    assert '<td class="text-end" data-mean>–</td>' in html
    assert "<svg" in html


def test_a_score_outside_0_to_10_is_refused_and_changes_nothing(client, officer):
    client.force_login(officer)
    response = post(client, page_form(client), **{"6_1": "11"})
    assert response.status_code == 400
    assert not Rating.objects.exists()


def test_clearing_a_rating_deletes_it(client, officer):
    client.force_login(officer)
    post(client, page_form(client), **{"6_1": "3", "6_3": "5"})
    post(client, page_form(client), **{"6_1": ""})
    assert scores_of(officer) == {"6.3": 5}


# --- no lost edits ---------------------------------------------------------------------------


def test_stale_save_shows_conflict_with_both_values_and_overwrites_nothing(client, officer):
    client.force_login(officer)
    old_page = page_form(client)
    post(client, page_form(client), **{"6_1": "9"})  # another window saves 9
    response = post(client, old_page, **{"6_1": "2"})  # this window, drawn before, wants 2
    assert response.status_code == 409
    assert scores_of(officer) == {"6.1": 9}
    conflicts = response.context["conflicts"]
    assert [(c["statement"].number, c["mine"], c["theirs"]) for c in conflicts] == [("6.1", "2", "9")]
    html = response.content.decode()
    assert "Nothing was saved" in html and "<strong data-mine>2</strong>" in html
    assert "<strong data-theirs>9</strong>" in html


def test_saving_again_after_a_conflict_is_a_deliberate_choice(client, officer):
    client.force_login(officer)
    old_page = page_form(client)
    post(client, page_form(client), **{"6_1": "9"})
    response = post(client, old_page, **{"6_1": "2"})
    form = response.context["form"]
    again = {name: form.data[name] for name in form.data}
    assert again["score_6.1"] == "2" and again["seen_6.1"] == "9"
    assert client.post(rate_url(), again).status_code == 302
    assert scores_of(officer) == {"6.1": 2}


def test_stale_save_of_other_statements_keeps_both_changes(client, officer):
    client.force_login(officer)
    old_page = page_form(client)
    post(client, page_form(client), **{"6_1": "9"})
    response = post(client, old_page, **{"6_2": "4"})
    assert response.status_code == 302
    assert scores_of(officer) == {"6.1": 9, "6.2": 4}


def test_a_save_without_changes_writes_nothing(client, officer):
    client.force_login(officer)
    post(client, page_form(client), **{"6_1": "5"})
    version = SelfAssessment.objects.get(participant=officer).version
    post(client, page_form(client))
    assert SelfAssessment.objects.get(participant=officer).version == version


def test_each_save_is_in_the_history(client, officer):
    client.force_login(officer)
    post(client, page_form(client), **{"6_1": "5"})
    post(client, page_form(client), **{"6_1": "6"})
    rating = Rating.objects.get(assessment__participant=officer)
    assert [h.score for h in rating.history.order_by("history_date")] == [5, 6]
    assert rating.history.latest().history_user == officer


def test_an_assessment_imported_under_a_username_is_claimed_by_that_user(client, milan):
    assessment = SelfAssessment.objects.create(
        city=milan,
        round=Round.objects.get(name="2018"),
        module_id=GuidanceStatement.objects.get(number="6.1").module_id,
        participant_name="zoe",
        version=1,
    )
    Rating.objects.create(assessment=assessment, statement=GuidanceStatement.objects.get(number="6.1"), score=3)
    from stakeholders.models import Assignment

    zoe = make_user("zoe", city=milan, role=Assignment.Role.COORDINATOR)
    client.force_login(zoe)
    form = page_form(client)
    assert form["score_6.1"] == "3"
    post(client, form, **{"6_2": "1"})
    assessment.refresh_from_db()
    assert assessment.participant == zoe
    assert SelfAssessment.objects.count() == 1
