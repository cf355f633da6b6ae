"""The history of a city report's texts and conclusions, and restoring from it."""

from django.urls import reverse

from assessments.changes import Reason, read_reason
from assessments.models import CityReport, Conclusion, Topic
from tests.report_posts import EDIT, HISTORY, load, report
from tests.sheet_posts import form_fields


def edit(client, **changes):
    fields = load(client)
    fields.update(changes)
    assert client.post(EDIT, fields).status_code == 302


def restore_url(part, record):
    return reverse("reports:restore", args=["milan", "2018", part, record])


def confirm(client, url):
    page = client.get(url)
    assert page.status_code == 200
    return page.content.decode(), form_fields(page.content.decode(), form_id="restore-form")


def test_history_lists_text_and_conclusion_changes_newest_first(officer_client):
    old_context = report().national_context
    edit(officer_client, national_context="A new context.")
    edit(officer_client, **{"share-0-text": "A changed conclusion."})
    html = officer_client.get(HISTORY).content.decode()
    assert html.index("Conclusion 1 of “May share its experiences with regard to” changed") < html.index(
        "National context"
    )
    assert "A new context." in html and old_context[:50] in html and "A changed conclusion." in html
    assert "Restore the “before”" in html


def test_restoring_a_text_asks_first_says_what_it_changes_and_is_recorded(officer_client, officer):
    old_context = report().national_context
    edit(officer_client, national_context="A new context.")
    record = CityReport.history.filter(id=report().pk).latest("history_id")
    html, fields = confirm(officer_client, restore_url("national_context", record.history_id))
    assert "A new context." in html and old_context[:50] in html and "After restoring" in html
    assert ".." not in html[html.index("<h1") : html.index("</form>")]  # no date before a full stop
    assert report().national_context == "A new context."  # asking changed nothing
    response = officer_client.post(restore_url("national_context", record.history_id), fields, follow=True)
    assert "Restored what it was before this change: National context." in response.content.decode()
    assert report().national_context == old_context
    latest = CityReport.history.filter(id=report().pk).latest("history_id")
    assert latest.history_user == officer
    # The reason is stored as data and written out in the reader's language and time zone.
    assert read_reason(latest.history_change_reason)["what"] == Reason.RESTORE
    assert "Restored what it was before the change of" in officer_client.get(HISTORY).content.decode()


def test_a_restore_of_something_changed_since_the_confirmation_is_refused(officer_client):
    edit(officer_client, national_context="A new context.")
    record = CityReport.history.filter(id=report().pk).latest("history_id")
    url = restore_url("national_context", record.history_id)
    _html, fields = confirm(officer_client, url)
    edit(officer_client, national_context="Changed again meanwhile.")
    response = officer_client.post(url, fields, follow=True)
    assert "Not restored: It changed after you opened the history." in response.content.decode()
    assert report().national_context == "Changed again meanwhile."


def test_restoring_a_conclusion_sets_back_its_text_and_topics_only(officer_client):
    first = report().conclusions.prefetch_related("topics").get(kind="share", position=1)
    before = (first.text, sorted(t.slug for t in first.topics.all()))
    networking = str(Topic.objects.get(slug="networking").pk)
    edit(officer_client, **{"share-0-text": "Rewritten.", "share-0-topics": [networking]})
    edit(officer_client, national_context="A later change elsewhere.")
    record = Conclusion.history.filter(id=first.pk).latest("history_id")
    url = restore_url("conclusion", record.history_id)
    _html, fields = confirm(officer_client, url)
    assert officer_client.post(url, fields).status_code == 302
    first.refresh_from_db()
    assert (first.text, sorted(t.slug for t in first.topics.all())) == before
    assert report().national_context == "A later change elsewhere."


def test_a_removed_conclusion_can_be_restored(officer_client):
    first = report().conclusions.get(kind="share", position=1)
    remove = reverse("reports:conclusion_remove", args=["milan", "2018", first.pk])
    officer_client.post(remove, form_fields(officer_client.get(remove).content.decode(), form_id="remove-form"))
    record = Conclusion.history.filter(id=first.pk, history_type="-").get()
    html, fields = confirm(officer_client, restore_url("conclusion", record.history_id))
    assert "restoring puts it back" in html
    assert officer_client.post(restore_url("conclusion", record.history_id), fields).status_code == 302
    assert report().conclusions.filter(pk=first.pk, text=first.text).exists()


def test_a_change_of_another_report_cannot_be_restored_here(officer_client, milan):
    from assessments.models import Round
    from tests.factories import make_checklist, make_sheet

    make_sheet(milan, make_checklist(version="r"), round="2030")
    other = CityReport.objects.create(city=milan, round=Round.objects.get(name="2030"), national_context="x")
    other.record_change(None)
    record = CityReport.history.filter(id=other.pk).latest("history_id")
    assert officer_client.get(restore_url("national_context", record.history_id)).status_code == 404
    assert officer_client.get(restore_url("nonsense", record.history_id)).status_code == 404


def test_coordinator_reads_the_history_but_may_not_restore(client, coordinator, colleague_client):
    edit(colleague_client, national_context="A new context.")
    client.force_login(coordinator)
    html = client.get(HISTORY).content.decode()
    assert "A new context." in html and "Restore the “before”" not in html
    record = CityReport.history.filter(id=report().pk).latest("history_id")
    assert client.post(restore_url("national_context", record.history_id), {"seen": "0" * 16}).status_code == 403
    assert report().national_context == "A new context."


def test_history_queries_do_not_grow_with_the_number_of_changes(officer_client):
    def queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert officer_client.get(HISTORY).status_code == 200
        return len(captured)

    edit(officer_client, national_context="One.")
    few = queries()
    for number in range(6):
        edit(officer_client, national_context=f"Change {number}.", **{"share-0-text": f"Conclusion {number}."})
    assert queries() == few


def test_conclusions_as_loaded_are_not_listed_as_changes(officer_client):
    html = officer_client.get(HISTORY).content.decode()
    assert "Conclusion added" not in html and "No change has been recorded yet." in html
