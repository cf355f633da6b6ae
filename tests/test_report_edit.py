"""Editing a city report: the texts and the conclusions with their topics, the error summary,
adding and removing a conclusion, and the per-part merge of concurrent edits."""

import pytest
from django.urls import reverse

from assessments.models import CityReport, Conclusion, Topic
from tests.report_posts import EDIT as URL, load, report
from tests.sheet_posts import form_fields


def conclusions(kind):
    return [
        (c.text, sorted(t.slug for t in c.topics.all()))
        for c in report().conclusions.filter(kind=kind).order_by("position").prefetch_related("topics")
    ]


def topic(slug):
    return str(Topic.objects.get(slug=slug).pk)


def remove_first_share(client):
    """Remove the first "may share" conclusion through its confirmation page; returns it."""
    first = report().conclusions.get(kind="share", position=1)
    url = reverse("reports:conclusion_remove", args=["milan", "2018", first.pk])
    assert client.post(url, form_fields(client.get(url).content.decode(), form_id="remove-form")).status_code == 302
    return first


def state():
    saved = report()
    return (
        saved.national_context,
        saved.city_observations,
        saved.version,
        conclusions("share"),
        conclusions("look_at"),
    )


def test_form_shows_the_texts_and_both_lists_with_compact_topic_pickers(officer_client):
    html = officer_client.get(URL).content.decode()
    assert report().national_context[:60] in html
    assert "Milan may share its experiences with regard to" in html and "Milan may look at" in html
    shares = report().conclusions.filter(kind="share").count()
    assert html.count('<details class="topic-picker"') == report().conclusions.count()
    assert html.count('name="share-') > shares and html.count('name="look_at-') > 0
    # The chosen topics show in the closed picker's one-line summary.
    assert '<span class="badge text-bg-light border">Access to finance</span>' in html


def test_no_empty_required_new_conclusion_block_is_shown(officer_client):
    html = officer_client.get(URL).content.decode()
    assert "New conclusion" not in html
    fields = load(officer_client)
    assert int(fields["share-TOTAL_FORMS"]) == report().conclusions.filter(kind="share").count()
    assert "Add a conclusion" in html


def test_unchanged_form_saves_nothing(officer_client):
    before = state()
    response = officer_client.post(URL, load(officer_client), follow=True)
    assert response.redirect_chain[-1][1] == 302
    assert "Nothing had changed" in response.content.decode()
    assert state() == before


def test_officer_edits_texts_and_conclusions_and_history_records_them(officer_client, officer):
    fields = load(officer_client)
    version = report().version
    fields["national_context"] = "A new national context."
    fields["share-0-text"] = "Its one-stop shop for new entrepreneurs."
    fields["share-0-topics"] = [topic("visibility-of-support"), topic("legal-regulatory-advice")]
    response = officer_client.post(URL, fields, follow=True)
    assert "Saved: National context; Conclusion 1 of" in response.content.decode()
    saved = report()
    assert (saved.national_context, saved.updated_by) == ("A new national context.", officer)
    assert saved.version == version + 1
    assert conclusions("share")[0] == (
        "Its one-stop shop for new entrepreneurs.",
        ["legal-regulatory-advice", "visibility-of-support"],
    )
    assert saved.history.latest("history_id").history_user == officer
    first = saved.conclusions.get(kind="share", position=1)
    latest = first.history.latest("history_id")
    assert latest.history_user == officer and latest.text == "Its one-stop shop for new entrepreneurs."


def test_conclusions_are_reordered_by_their_positions(officer_client):
    fields = load(officer_client)
    before = conclusions("share")
    fields["share-0-ORDER"], fields["share-1-ORDER"] = "2", "1"
    assert officer_client.post(URL, fields).status_code == 302
    assert conclusions("share")[:2] == [before[1], before[0]]


def test_after_saving_the_date_is_not_followed_by_a_double_full_stop(officer_client):
    fields = load(officer_client)
    fields["national_context"] = "Changed."
    html = officer_client.post(URL, fields, follow=True).content.decode()
    assert "Last changed on" in html and "by olga." in html
    assert ".." not in html.split("Last changed on", 1)[1].split("</p>", 1)[0]


# --- the error summary ---------------------------------------------------------------------------


def test_a_missing_topic_is_summarised_at_the_top_with_a_link_and_the_input_is_kept(officer_client):
    fields = load(officer_client)
    fields["national_context"] = "My unsaved context."
    fields["share-1-topics"] = []
    before = state()
    response = officer_client.post(URL, fields)
    html = response.content.decode()
    assert response.status_code == 400
    summary = html.index('id="error-summary"')
    assert summary < html.index('id="id_national_context"')
    assert 'href="#id_share-1-topics_0"' in html and "conclusion 2: Choose at least one topic." in html
    assert 'id="id_share-1-topics_0"' in html
    assert "My unsaved context." in html  # the person's input is still in the form
    assert html.count('<details class="topic-picker" open') == 1  # the picker with the error is open
    assert "<title>Error:" in html
    assert state() == before


def test_every_error_is_listed_with_a_link_to_its_field(officer_client):
    fields = load(officer_client)
    fields["city_observations"] = "x" * 50001
    fields["look_at-0-text"] = ""
    html = officer_client.post(URL, fields).content.decode()
    assert 'href="#id_city_observations"' in html
    assert 'href="#id_look_at-0-text"' in html and "Enter the text of the conclusion." in html


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("national_context", "x" * 50001, "Ensure this value has at most 50000 characters"),
        ("share-0-text", "x" * 2001, "Ensure this value has at most 2000 characters"),
        ("share-0-topics", ["999999"], "Select a valid choice"),
        ("seen_national_context", "not a fingerprint", "The form is damaged"),
        ("share-0-seen", "", "This field is required"),
        ("share-0-ORDER", "x", "Enter a whole number"),
        ("share-seen-order", "1,x", "The form is damaged"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(officer_client, field, value, message):
    fields = load(officer_client)
    fields[field] = value
    fields["national_context"] = fields["national_context"] if field == "national_context" else "Try to change."
    before = state()
    response = officer_client.post(URL, fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert state() == before


def test_a_conclusion_of_another_report_is_refused(officer_client, milan):
    from assessments.models import Round
    from tests.factories import make_checklist, make_sheet

    make_sheet(milan, make_checklist(version="r"), round="2030")
    other = CityReport.objects.create(city=milan, round=Round.objects.get(name="2030"))
    foreign = Conclusion.objects.create(report=other, kind="share", position=1, text="Foreign.")
    fields = load(officer_client)
    fields["share-0-id"] = str(foreign.pk)
    fields["share-0-text"] = "Hijack."
    before = state()
    response = officer_client.post(URL, fields)
    assert response.status_code == 400 and "not a conclusion of this report" in response.content.decode()
    assert state() == before and Conclusion.objects.get(pk=foreign.pk).text == "Foreign."


def test_text_is_escaped_on_the_form(officer_client):
    CityReport.objects.filter(pk=report().pk).update(city_observations="<b onmouseover=x>bold</b>")
    html = officer_client.get(URL).content.decode()
    assert "<b onmouseover" not in html and "&lt;b onmouseover=x&gt;" in html


# --- adding and removing a conclusion ------------------------------------------------------------


def test_adding_a_conclusion_is_a_page_of_its_own(officer_client, officer):
    url = reverse("reports:conclusion_add", args=["milan", "2018", "look_at"])
    html = officer_client.get(url).content.decode()
    assert '<details class="topic-picker" open' in html
    version = report().version
    response = officer_client.post(
        url, {"text": "A new idea.", "topics": [topic("networking"), topic("access-to-finance")]}
    )
    assert response.status_code == 302 and "#conclusion-" in response["Location"]
    assert conclusions("look_at")[-1] == ("A new idea.", ["access-to-finance", "networking"])
    added = report().conclusions.get(text="A new idea.")
    record = added.history.latest("history_id")
    assert record.history_user == officer and record.history_type == "+"
    assert (report().version, report().updated_by) == (version + 1, officer)


def test_adding_without_a_topic_is_summarised_and_adds_nothing(officer_client):
    url = reverse("reports:conclusion_add", args=["milan", "2018", "share"])
    before = state()
    response = officer_client.post(url, {"text": "Kept text.", "topics": []})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_topics_0"' in html and "Kept text." in html
    assert state() == before


def test_adding_to_a_list_that_does_not_exist_is_not_found(officer_client):
    assert officer_client.get(reverse("reports:conclusion_add", args=["milan", "2018", "nonsense"])).status_code == 404


def test_the_add_button_saves_the_form_first(officer_client):
    fields = load(officer_client)
    fields["national_context"] = "Saved on the way."
    fields["then"] = "add-share"
    response = officer_client.post(URL, fields)
    assert response["Location"] == reverse("reports:conclusion_add", args=["milan", "2018", "share"])
    assert report().national_context == "Saved on the way."


def test_removing_a_conclusion_asks_first_then_removes_it(officer_client, officer):
    first = report().conclusions.get(kind="share", position=1)
    fields = load(officer_client)
    fields["then"] = f"remove-{first.pk}"
    url = officer_client.post(URL, fields)["Location"]
    assert url == reverse("reports:conclusion_remove", args=["milan", "2018", first.pk])
    page = officer_client.get(url)
    assert first.text in page.content.decode() and "Remove this conclusion?" in page.content.decode()
    before = conclusions("share")
    assert conclusions("share") == before  # asking changed nothing
    response = officer_client.post(url, form_fields(page.content.decode(), form_id="remove-form"))
    assert response.status_code == 302
    assert conclusions("share") == before[1:]
    assert [c.position for c in report().conclusions.filter(kind="share").order_by("position")] == list(
        range(1, len(before))
    )
    assert Conclusion.history.filter(id=first.pk, history_type="-").get().history_user == officer


def test_removing_a_conclusion_changed_since_it_was_shown_is_refused(officer_client, colleague_client):
    first = report().conclusions.get(kind="share", position=1)
    url = reverse("reports:conclusion_remove", args=["milan", "2018", first.pk])
    confirm = form_fields(officer_client.get(url).content.decode(), form_id="remove-form")
    fields = load(colleague_client)
    fields["share-0-text"] = "Paola's rewrite."
    colleague_client.post(URL, fields)
    response = officer_client.post(url, confirm, follow=True)
    assert "Not removed: Somebody changed this conclusion" in response.content.decode()
    assert report().conclusions.filter(pk=first.pk, text="Paola's rewrite.").exists()


# --- concurrent edits: seen / mine / theirs, part by part ---------------------------------------


def test_two_officers_changing_the_same_text_get_a_choice_not_an_overwrite(officer_client, colleague_client):
    olgas, paolas = load(officer_client), load(colleague_client)
    paolas["city_observations"] = "Paola's observations."
    assert colleague_client.post(URL, paolas).status_code == 302
    olgas["city_observations"] = "Olga's observations."
    response = officer_client.post(URL, olgas)
    assert response.status_code == 409
    html = response.content.decode()
    assert "paola changed the same parts" in html
    assert "Paola&#x27;s observations." in html and "Olga&#x27;s observations." in html
    assert report().city_observations == "Paola's observations."
    resolution = form_fields(html, form_id="report-form")
    resolution["choice-city_observations"] = "mine"
    assert officer_client.post(URL, resolution).status_code == 302
    assert report().city_observations == "Olga's observations."


def test_keeping_theirs_keeps_their_text_and_saves_my_other_changes(officer_client, colleague_client):
    olgas, paolas = load(officer_client), load(colleague_client)
    paolas["city_observations"] = "Paola's observations."
    colleague_client.post(URL, paolas)
    olgas["city_observations"] = "Olga's observations."
    olgas["national_context"] = "Olga's context."
    resolution = form_fields(officer_client.post(URL, olgas).content.decode(), form_id="report-form")
    assert report().national_context != "Olga's context."  # nothing at all was written on the conflict
    resolution["choice-city_observations"] = "theirs"
    assert officer_client.post(URL, resolution).status_code == 302
    assert (report().city_observations, report().national_context) == ("Paola's observations.", "Olga's context.")


def test_a_part_left_without_a_choice_stays_unsaved(officer_client, colleague_client):
    olgas, paolas = load(officer_client), load(colleague_client)
    paolas["city_observations"] = "Paola's."
    colleague_client.post(URL, paolas)
    olgas["city_observations"] = "Olga's."
    resolution = form_fields(officer_client.post(URL, olgas).content.decode(), form_id="report-form")
    response = officer_client.post(URL, resolution)
    assert response.status_code == 409 and "Choose for each part" in response.content.decode()
    assert report().city_observations == "Paola's."


def test_changes_to_different_parts_are_merged_without_asking(officer_client, colleague_client):
    olgas, paolas = load(officer_client), load(colleague_client)
    paolas["city_observations"] = "Paola's observations."
    paolas["share-0-text"] = "Paola's conclusion."
    colleague_client.post(URL, paolas)
    olgas["national_context"] = "Olga's context."
    olgas["share-1-text"] = "Olga's conclusion."  # another conclusion of the same list
    response = officer_client.post(URL, olgas, follow=True)
    assert "kept as they left it: City-level observations; Conclusion 1" in response.content.decode()
    assert (report().city_observations, report().national_context) == ("Paola's observations.", "Olga's context.")
    assert [text for text, _ in conclusions("share")[:2]] == ["Paola's conclusion.", "Olga's conclusion."]


def test_the_same_conclusion_changed_by_both_asks(officer_client, colleague_client):
    olgas, paolas = load(officer_client), load(colleague_client)
    paolas["share-0-topics"] = [topic("networking")]
    colleague_client.post(URL, paolas)
    olgas["share-0-text"] = "Olga's conclusion."
    response = officer_client.post(URL, olgas)
    assert response.status_code == 409 and "Conclusion 1 of “May share its experiences" in response.content.decode()
    assert conclusions("share")[0][1] == ["networking"]


def test_a_conclusion_removed_meanwhile_that_i_changed_asks_and_can_be_brought_back(officer_client, colleague_client):
    olgas = load(officer_client)
    first = remove_first_share(colleague_client)
    olgas["share-0-text"] = "Olga still wants it."
    response = officer_client.post(URL, olgas)
    assert response.status_code == 409 and "(removed)" in response.content.decode()
    resolution = form_fields(response.content.decode(), form_id="report-form")
    resolution[f"choice-conclusion-{first.pk}"] = "mine"
    assert officer_client.post(URL, resolution).status_code == 302
    assert conclusions("share")[-1][0] == "Olga still wants it."
    assert report().conclusions.filter(pk=first.pk).exists()  # the same conclusion, its history continues


def test_a_conclusion_removed_meanwhile_that_i_did_not_change_stays_removed(officer_client, colleague_client):
    olgas = load(officer_client)
    first = remove_first_share(colleague_client)
    olgas["national_context"] = "Olga's context."
    assert officer_client.post(URL, olgas).status_code == 302
    assert not report().conclusions.filter(pk=first.pk).exists()
    assert report().national_context == "Olga's context."


def test_a_conclusion_added_meanwhile_survives_my_reordering(officer_client, colleague_client):
    olgas = load(officer_client)
    before = conclusions("share")
    colleague_client.post(
        reverse("reports:conclusion_add", args=["milan", "2018", "share"]),
        {"text": "Paola's addition.", "topics": [topic("networking")]},
    )
    olgas["share-0-ORDER"], olgas["share-1-ORDER"] = "2", "1"
    assert officer_client.post(URL, olgas).status_code == 302
    texts = [text for text, _ in conclusions("share")]
    assert texts[:2] == [before[1][0], before[0][0]] and texts[-1] == "Paola's addition."


def test_the_merge_reads_no_history(officer_client, colleague_client):
    """What the form saw decides, not the history: with the history gone, the merge is the same."""
    olgas, paolas = load(officer_client), load(colleague_client)
    paolas["city_observations"] = "Paola's."
    colleague_client.post(URL, paolas)
    CityReport.history.all().delete()
    Conclusion.history.all().delete()
    olgas["national_context"] = "Olga's."
    assert officer_client.post(URL, olgas).status_code == 302
    assert (report().city_observations, report().national_context) == ("Paola's.", "Olga's.")
    olgas["city_observations"] = "Olga's too."
    assert officer_client.post(URL, olgas).status_code == 409


def test_a_round_without_a_report_gets_one_on_first_save(client, officer, milan):
    from assessments.models import Round
    from tests.factories import make_checklist, make_sheet

    make_sheet(milan, make_checklist(version="r"), round="2030")
    client.force_login(officer)
    url = reverse("reports:edit", args=["milan", "2030"])
    html = client.get(url).content.decode()
    assert "No conclusions in this list yet." in html
    fields = form_fields(html, form_id="report-form")
    fields["national_context"] = "First words."
    assert client.post(url, fields).status_code == 302
    created = CityReport.objects.get(city=milan, round=Round.objects.get(name="2030"))
    assert (created.national_context, created.version, created.updated_by) == ("First words.", 1, officer)


def test_a_round_the_city_has_no_benchmarking_in_is_not_found(client, officer):
    client.force_login(officer)
    assert client.get(reverse("reports:edit", args=["milan", "1999"])).status_code in (403, 404)


def test_coordinator_cannot_edit_the_report(client, coordinator, officer):
    client.force_login(officer)
    fields = load(client)
    client.force_login(coordinator)
    fields["national_context"] = "Coordinator's text."
    before = state()
    assert client.post(URL, fields).status_code == 403
    assert client.post(reverse("reports:autosave", args=["milan", "2018"]), fields).status_code == 403
    assert (
        client.post(
            reverse("reports:conclusion_add", args=["milan", "2018", "share"]),
            {"text": "x", "topics": [topic("networking")]},
        ).status_code
        == 403
    )
    assert state() == before


def test_editor_queries_do_not_grow_with_the_number_of_conclusions(officer_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert officer_client.get(URL).status_code == 200
        return len(captured)

    def add(count):
        for number in range(count):
            officer_client.post(
                reverse("reports:conclusion_add", args=["milan", "2018", "share"]),
                {"text": f"More {number}.", "topics": [topic("networking")]},
            )
        officer_client.get(URL)  # shows (and so clears) the messages of the additions

    add(1)
    few = queries()
    add(5)
    assert queries() == few
