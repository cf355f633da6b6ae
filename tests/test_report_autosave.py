"""The report editor's autosave endpoint: the whole form in, JSON out, with the same per-part
merge as the Save button."""

import pytest

from tests.report_posts import AUTOSAVE, EDIT as URL, load, report


def test_autosave_saves_and_returns_what_the_page_now_shows_as_seen(officer_client, officer):
    fields = load(officer_client)
    fields["national_context"] = "Typed and autosaved."
    response = officer_client.post(AUTOSAVE, fields)
    assert response.status_code == 200
    body = response.json()
    assert body["saved"] == ["National context"]
    assert report().national_context == "Typed and autosaved." and report().updated_by == officer
    # The page takes the new "seen" values; its next save of the same text is no conflict.
    fields.update(body["seen"])
    fields["national_context"] = "Typed further."
    assert officer_client.post(AUTOSAVE, fields).status_code == 200
    assert report().national_context == "Typed further."


def test_autosaving_an_unchanged_form_writes_nothing(officer_client):
    version = report().version
    response = officer_client.post(AUTOSAVE, load(officer_client))
    assert response.status_code == 200 and response.json()["saved"] == []
    assert report().version == version


def test_autosave_after_somebody_else_changed_the_same_text_is_a_conflict(officer_client, colleague_client):
    olgas, paolas = load(officer_client), load(colleague_client)
    paolas["national_context"] = "Paola's."
    assert colleague_client.post(AUTOSAVE, paolas).status_code == 200
    olgas["national_context"] = "Olga's."
    olgas["city_observations"] = "Olga's observations."
    response = officer_client.post(AUTOSAVE, olgas)
    assert response.status_code == 409
    body = response.json()
    assert body["error"] == "conflict" and body["parts"] == ["National context"]
    assert "paola also changed National context" in body["message"]
    assert (report().national_context, report().city_observations != "Olga's observations.") == ("Paola's.", True)


def test_autosave_keeps_what_somebody_else_changed_in_a_part_i_did_not_touch(officer_client, colleague_client):
    olgas, paolas = load(officer_client), load(colleague_client)
    paolas["city_observations"] = "Paola's."
    colleague_client.post(AUTOSAVE, paolas)
    olgas["national_context"] = "Olga's."
    body = officer_client.post(AUTOSAVE, olgas).json()
    assert body["kept_theirs"] == ["City-level observations"]
    assert "seen_city_observations" not in body["seen"]  # the page still shows the old text
    assert (report().national_context, report().city_observations) == ("Olga's.", "Paola's.")


@pytest.mark.parametrize(
    "field,value",
    [
        ("share-0-topics", []),
        ("national_context", "x" * 50001),
        ("seen_national_context", "tampered"),
    ],
)
def test_bad_autosave_is_refused_with_a_message_and_changes_nothing(officer_client, field, value):
    fields = load(officer_client)
    fields[field] = value
    version = report().version
    response = officer_client.post(AUTOSAVE, fields)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid" and body["message"] and body["errors"][0]["anchor"]
    assert report().version == version


def test_autosave_needs_a_post(officer_client):
    assert officer_client.get(AUTOSAVE).status_code == 405


def test_a_conflict_with_myself_in_another_window_says_so(officer_client):
    first_window, second_window = load(officer_client), load(officer_client)
    second_window["national_context"] = "From the second window."
    assert officer_client.post(AUTOSAVE, second_window).status_code == 200
    first_window["national_context"] = "From the first window."
    response = officer_client.post(AUTOSAVE, first_window)
    assert response.status_code == 409
    assert "Not saved: you (in another window) also changed National context" in response.json()["message"]
    page = officer_client.post(URL, first_window).content.decode()
    assert "Not saved yet: you (in another window) changed the same parts" in page
