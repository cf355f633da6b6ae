"""A large confirmed spreadsheet import of the admin runs on a task worker, not in the request: the
staff member is told so, nothing changes until the worker has run, and then the import is the same
as one made in the request (recorded changes by that staff member, the admin log), with its result
e-mailed to them."""

from django.contrib.admin.models import LogEntry
from django_tasks_db.models import DBTaskResult

from assessments.models import Answer
from tests.admin_imports import ANSWER_HEADER, CSV_FORMAT, confirm, csv_file, preview
from tests.people_helpers import smtp_server_fixture
from tests.task_queue import run_worker, task_queue_fixture

queued = task_queue_fixture
smtp_server = smtp_server_fixture

ROWS = [
    ["milan", "2018", "chamber", "1", 3, 1, "CCI", "yes", "Now tracked."],
    ["milan", "2018", "chamber", "1", 1, 2, "CCI", "nd", "Asked again."],
]


def answer(level, position):
    return Answer.objects.get(
        respondent__sheet__city__slug="milan",
        respondent__organisation__name="CCI",
        statement__level__number=level,
        statement__position=position,
    )


def test_a_large_import_is_queued_then_imported_by_the_worker_and_its_result_e_mailed(
    superuser_client, milan, admin_user, settings, queued, smtp_server
):
    settings.IMPORT_TASK_ROWS = 1
    admin_user.email = "boss@example.org"
    admin_user.save()
    before = {key: answer(*key) for key in [(3, 1), (1, 2)]}
    upload = csv_file(ROWS, header=ANSWER_HEADER, name="answers.csv")
    page = confirm(superuser_client, "answer", preview(superuser_client, "answer", upload, CSV_FORMAT))
    text = page.content.decode()
    assert "The file answers.csv (2 rows) is being imported by a task worker" in text
    assert "You will get an e-mail with the result." in text
    assert [answer(*key).version for key in before] == [a.version for a in before.values()]  # nothing yet
    assert DBTaskResult.objects.get().task_path == "mega.import_jobs.run_import"

    run_worker()
    for (level, position), row in zip(before, ROWS):
        now = answer(level, position)
        assert (now.value, now.note, now.updated_by) == (row[7], row[8], admin_user)
        assert now.version == before[(level, position)].version + 1
    assert LogEntry.objects.filter(user=admin_user).count() == 2
    [(recipients, message)] = smtp_server.messages
    assert recipients == ["boss@example.org"] and message["Subject"] == "Import of answers.csv: done"
    body = message.get_body(("plain",)).get_content()
    assert "The import of answers.csv (2 rows) into the answers is done: 0 new, 2 updated" in " ".join(body.split())
    assert "https://mega.example.org/admin/assessments/answer/" in body


def test_a_small_import_still_runs_in_the_request(superuser_client, milan, settings, queued):
    settings.IMPORT_TASK_ROWS = 2
    upload = csv_file(ROWS, header=ANSWER_HEADER, name="answers.csv")
    page = confirm(superuser_client, "answer", preview(superuser_client, "answer", upload, CSV_FORMAT))
    assert "Import finished" in page.content.decode()
    assert answer(3, 1).note == "Now tracked." and not DBTaskResult.objects.exists()


def test_an_import_that_fails_on_the_worker_imports_nothing_and_says_why(
    superuser_client, milan, admin_user, settings, queued, smtp_server
):
    settings.IMPORT_TASK_ROWS = 1
    admin_user.email = "boss@example.org"
    admin_user.save()
    upload = csv_file(ROWS, header=ANSWER_HEADER, name="answers.csv")
    response = preview(superuser_client, "answer", upload, CSV_FORMAT)
    confirm(superuser_client, "answer", response)
    # Between the confirmation and the job, the respondent's column is removed.
    Answer.objects.filter(respondent__organisation__name="CCI").delete()
    milan.sheets.get(checklist__stakeholder_type__slug="chamber").respondents.filter(organisation__name="CCI").delete()
    run_worker()
    [(_, message)] = smtp_server.messages
    assert message["Subject"] == "Import of answers.csv: nothing imported"
    assert "nothing was imported" in message.get_body(("plain",)).get_content()
    assert not Answer.objects.filter(respondent__organisation__name="CCI").exists()
