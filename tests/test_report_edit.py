"""Editing a city report: the texts, the two lists of conclusions with topics, and conflicts."""
import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import CityReport, Conclusion, Topic
from stakeholders.models import Assignment
from tests.factories import make_user
from tests.sheet_posts import form_fields

URL = reverse("report_edit", args=["milan", "2018"])


@pytest.fixture
def olga(officer):
    client = Client()
    client.force_login(officer)
    return client


@pytest.fixture
def paola(milan):
    client = Client()
    client.force_login(make_user("paola", city=milan, role=Assignment.Role.OFFICER))
    return client


def report():
    return CityReport.objects.get(city__slug="milan", round__name="2018")


def conclusions(kind):
    return [
        (c.text, sorted(t.slug for t in c.topics.all()))
        for c in report().conclusions.filter(kind=kind).order_by("position").prefetch_related("topics")
    ]


def load(client):
    response = client.get(URL)
    assert response.status_code == 200
    return form_fields(response.content.decode(), form_id="report-form")


def topic(slug):
    return str(Topic.objects.get(slug=slug).pk)


def test_form_shows_the_texts_and_both_lists_with_topics(olga):
    html = olga.get(URL).content.decode()
    assert report().national_context[:60] in html
    assert "Milan may share its experiences with regard to" in html and "Milan may look at" in html
    assert html.count('name="share-') > 0 and html.count('name="look_at-') > 0
    assert "Access to finance" in html or "access-to-finance" in html


def test_unchanged_form_saves_nothing(olga):
    before = (report().version, conclusions("share"), conclusions("look_at"))
    response = olga.post(URL, load(olga))
    assert response.status_code == 302
    assert (report().version, conclusions("share"), conclusions("look_at")) == before


def test_officer_edits_texts_and_conclusions_and_history_records_them(olga, officer):
    fields = load(olga)
    fields["national_context"] = "A new national context."
    fields["share-0-text"] = "Its one-stop shop for new entrepreneurs."
    fields["share-0-topics"] = [topic("visibility-of-support"), topic("legal-regulatory-advice")]
    share_count = int(fields["share-TOTAL_FORMS"])
    fields[f"share-{share_count - 1}-text"] = "A brand-new practice."
    fields[f"share-{share_count - 1}-topics"] = [topic("networking")]
    fields[f"share-{share_count - 1}-ORDER"] = str(share_count)
    fields["look_at-0-DELETE"] = "on"
    look_at_before = conclusions("look_at")
    response = olga.post(URL, fields)
    assert response.status_code == 302, response.content.decode()[:3000]
    saved = report()
    assert saved.national_context == "A new national context." and saved.updated_by == officer
    share = conclusions("share")
    assert share[0] == ("Its one-stop shop for new entrepreneurs.", ["legal-regulatory-advice", "visibility-of-support"])
    assert share[-1] == ("A brand-new practice.", ["networking"])
    assert conclusions("look_at") == look_at_before[1:]
    assert saved.history.latest("history_id").history_user == officer
    first = saved.conclusions.get(kind="share", position=1)
    assert first.history.latest("history_id").history_user == officer


def test_conclusions_are_reordered_by_their_numbers(olga):
    fields = load(olga)
    before = conclusions("share")
    fields["share-0-ORDER"], fields["share-1-ORDER"] = "2", "1"
    assert olga.post(URL, fields).status_code == 302
    assert conclusions("share")[:2] == [before[1], before[0]]


def test_a_conclusion_needs_a_topic(olga):
    fields = load(olga)
    fields["share-0-topics"] = []
    before = conclusions("share")
    response = olga.post(URL, fields)
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    assert conclusions("share") == before


@pytest.mark.parametrize("field,value,message", [
    ("national_context", "x" * 50001, "Ensure this value has at most 50000 characters"),
    ("share-0-text", "x" * 2001, "Ensure this value has at most 2000 characters"),
    ("share-0-topics", ["999999"], "Select a valid choice"),
    ("version", "abc", "Enter a whole number"),
])
def test_bad_input_is_refused_and_changes_nothing(olga, field, value, message):
    fields = load(olga)
    fields[field] = value
    before = (report().national_context, report().version, conclusions("share"))
    response = olga.post(URL, fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert (report().national_context, report().version, conclusions("share")) == before


def test_text_is_escaped_on_the_form(olga):
    CityReport.objects.filter(pk=report().pk).update(city_observations="<b onmouseover=x>bold</b>")
    html = olga.get(URL).content.decode()
    assert "<b onmouseover" not in html and "&lt;b onmouseover=x&gt;" in html


def test_two_officers_changing_the_same_text_get_a_choice_not_an_overwrite(olga, paola):
    olgas, paolas = load(olga), load(paola)
    paolas["city_observations"] = "Paola's observations."
    assert paola.post(URL, paolas).status_code == 302
    olgas["city_observations"] = "Olga's observations."
    response = olga.post(URL, olgas)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Paola&#x27;s observations." in html and "Olga&#x27;s observations." in html
    assert report().city_observations == "Paola's observations."
    resolution = form_fields(html, form_id="report-form")
    resolution["choice-city_observations"] = "mine"
    assert olga.post(URL, resolution).status_code == 302
    assert report().city_observations == "Olga's observations."


def test_keeping_theirs_keeps_their_text_and_saves_my_other_changes(olga, paola):
    olgas, paolas = load(olga), load(paola)
    paolas["city_observations"] = "Paola's observations."
    paola.post(URL, paolas)
    olgas["city_observations"] = "Olga's observations."
    olgas["national_context"] = "Olga's context."
    resolution = form_fields(olga.post(URL, olgas).content.decode(), form_id="report-form")
    resolution["choice-city_observations"] = "theirs"
    assert olga.post(URL, resolution).status_code == 302
    assert (report().city_observations, report().national_context) == ("Paola's observations.", "Olga's context.")


def test_a_part_left_without_a_choice_stays_unsaved(olga, paola):
    olgas, paolas = load(olga), load(paola)
    paolas["city_observations"] = "Paola's."
    paola.post(URL, paolas)
    olgas["city_observations"] = "Olga's."
    resolution = form_fields(olga.post(URL, olgas).content.decode(), form_id="report-form")
    response = olga.post(URL, resolution)
    assert response.status_code == 409 and "Choose for each part" in response.content.decode()
    assert report().city_observations == "Paola's."


def test_changes_to_different_parts_are_merged_without_asking(olga, paola):
    olgas, paolas = load(olga), load(paola)
    paolas["city_observations"] = "Paola's observations."
    paola.post(URL, paolas)
    olgas["national_context"] = "Olga's context."
    olgas["look_at-0-text"] = "Olga's conclusion."
    assert olga.post(URL, olgas).status_code == 302
    assert (report().city_observations, report().national_context) == ("Paola's observations.", "Olga's context.")
    assert conclusions("look_at")[0][0] == "Olga's conclusion."


def test_concurrent_changes_to_the_same_list_ask(olga, paola):
    olgas, paolas = load(olga), load(paola)
    paolas["share-0-text"] = "Paola's conclusion."
    paola.post(URL, paolas)
    olgas["share-1-text"] = "Olga's conclusion."
    response = olga.post(URL, olgas)
    assert response.status_code == 409 and "May share its experiences" in response.content.decode()


def test_a_round_without_a_report_gets_one_on_first_save(client, officer, milan):
    from assessments.models import Round, Sheet
    from tests.factories import make_checklist, make_sheet

    make_sheet(milan, make_checklist(version="r"), round_name="2030")
    client.force_login(officer)
    url = reverse("report_edit", args=["milan", "2030"])
    fields = form_fields(client.get(url).content.decode(), form_id="report-form")
    assert fields["version"] == "0"
    fields["national_context"] = "First words."
    assert client.post(url, fields).status_code == 302
    created = CityReport.objects.get(city=milan, round=Round.objects.get(name="2030"))
    assert (created.national_context, created.version, created.updated_by) == ("First words.", 1, officer)
    assert Sheet.objects.filter(city=milan, round__name="2030").exists()


def test_a_round_the_city_has_no_benchmarking_in_is_not_found(client, officer):
    client.force_login(officer)
    assert client.get(reverse("report_edit", args=["milan", "1999"])).status_code in (403, 404)


def test_coordinator_cannot_edit_the_report(client, coordinator, officer):
    client.force_login(officer)
    fields = load(client)
    client.force_login(coordinator)
    fields["national_context"] = "Coordinator's text."
    assert client.post(URL, fields).status_code == 403
    assert report().national_context != "Coordinator's text."
    assert Conclusion.objects.exists()
