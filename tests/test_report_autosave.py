"""The report editor's autosave endpoint: the whole form in, JSON out, with the same per-part
merge as the Save button."""
import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import CityReport
from stakeholders.models import Assignment
from tests.conftest import make_user
from tests.sheet_posts import form_fields

URL = reverse("report_edit", args=["milan", "2018"])
AUTOSAVE = reverse("report_autosave", args=["milan", "2018"])


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


def load(client):
    return form_fields(client.get(URL).content.decode(), form_id="report-form")


def test_autosave_saves_and_returns_what_the_page_now_shows_as_seen(olga, officer):
    fields = load(olga)
    fields["national_context"] = "Typed and autosaved."
    response = olga.post(AUTOSAVE, fields)
    assert response.status_code == 200
    body = response.json()
    assert body["saved"] == ["National context"]
    assert report().national_context == "Typed and autosaved." and report().updated_by == officer
    # The page takes the new "seen" values; its next save of the same text is no conflict.
    fields.update(body["seen"])
    fields["national_context"] = "Typed further."
    assert olga.post(AUTOSAVE, fields).status_code == 200
    assert report().national_context == "Typed further."


def test_autosaving_an_unchanged_form_writes_nothing(olga):
    version = report().version
    response = olga.post(AUTOSAVE, load(olga))
    assert response.status_code == 200 and response.json()["saved"] == []
    assert report().version == version


def test_autosave_after_somebody_else_changed_the_same_text_is_a_conflict(olga, paola):
    olgas, paolas = load(olga), load(paola)
    paolas["national_context"] = "Paola's."
    assert paola.post(AUTOSAVE, paolas).status_code == 200
    olgas["national_context"] = "Olga's."
    olgas["city_observations"] = "Olga's observations."
    response = olga.post(AUTOSAVE, olgas)
    assert response.status_code == 409
    body = response.json()
    assert body["error"] == "conflict" and body["parts"] == ["National context"]
    assert "paola also changed National context" in body["message"]
    assert (report().national_context, report().city_observations != "Olga's observations.") == ("Paola's.", True)


def test_autosave_keeps_what_somebody_else_changed_in_a_part_i_did_not_touch(olga, paola):
    olgas, paolas = load(olga), load(paola)
    paolas["city_observations"] = "Paola's."
    paola.post(AUTOSAVE, paolas)
    olgas["national_context"] = "Olga's."
    body = olga.post(AUTOSAVE, olgas).json()
    assert body["kept_theirs"] == ["City-level observations"]
    assert "seen_city_observations" not in body["seen"]  # the page still shows the old text
    assert (report().national_context, report().city_observations) == ("Olga's.", "Paola's.")


@pytest.mark.parametrize("field,value", [
    ("share-0-topics", []),
    ("national_context", "x" * 50001),
    ("seen_national_context", "tampered"),
])
def test_bad_autosave_is_refused_with_a_message_and_changes_nothing(olga, field, value):
    fields = load(olga)
    fields[field] = value
    version = report().version
    response = olga.post(AUTOSAVE, fields)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid" and body["message"] and body["errors"][0]["anchor"]
    assert report().version == version


def test_autosave_needs_a_post(olga):
    assert olga.get(AUTOSAVE).status_code == 405


def test_a_conflict_with_myself_in_another_window_says_so(olga):
    first_window, second_window = load(olga), load(olga)
    second_window["national_context"] = "From the second window."
    assert olga.post(AUTOSAVE, second_window).status_code == 200
    first_window["national_context"] = "From the first window."
    response = olga.post(AUTOSAVE, first_window)
    assert response.status_code == 409
    assert "Not saved: you (in another window) also changed National context" in response.json()["message"]
    page = olga.post(URL, first_window).content.decode()
    assert "Not saved yet: you (in another window) changed the same parts" in page
