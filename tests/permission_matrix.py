"""The permission matrix's table: every URL of the project × every role → the status each must get.

`MATRIX` has one entry per URL name (namespaced names as "app:name"); `tests/test_permission_matrix.py`
walks the project's URL resolver, so a view added without a row fails. To add your view: append
an entry here, e.g.

    "reports:city": [Row(kwargs=city_round, expect=READ)],

`kwargs` and `data` are functions of the `World` (Milan's people and objects, the `world` fixture
of tests/conftest.py); `setup` runs before the request (e.g. submit a sheet before validating it).
Expectations are status codes, or LOGIN for the redirect to the sign-in page. Roles: anonymous,
Milan's officer and coordinator, the officer and coordinator of another city (Turin), and an admin
(staff). An allowed POST must change the database and a refused one leave it exactly as it was, so
each POST row's data makes a real change (its `setup` prepares what the change needs).

The security tests (tests/test_security_*.py) fill every URL from the same rows.
"""

from dataclasses import dataclass
from collections.abc import Callable

from django.urls import URLPattern, URLResolver, get_resolver

from assessments import workflow
from assessments.cells import CellEdit, save_cells
from matching.matches import suggestions
from assessments.models import Answer, Checklist, CityReport, Respondent, Round, Sheet, Topic
from reports.editing import ReportEdit, content, fingerprint, save_report
from reports.forms import editor_forms
from reports.history import report_history
from stakeholders.models import Organisation
from tests.cohort import build_cohort

ROLES = ("anonymous", "officer", "other_officer", "coordinator", "other_coordinator", "admin")
LOGIN = "login"

# Not the application's pages: Django's admin, sign-in and language views, static files.
EXCLUDED_PREFIXES = ("admin/", "accounts/", "i18n/", "static/")

# URLs of work in progress by other engineers, who add their rows to MATRIX: move each name
# from here into MATRIX with its expectations. A name here never excuses a missing row silently:
# it is listed on purpose and reported in the README of the matrix (this docstring).
AWAITING_ROWS = frozenset()


def expect(*, anonymous=LOGIN, officer, other_officer=403, coordinator, other_coordinator=403, admin):
    return {
        "anonymous": anonymous,
        "officer": officer,
        "other_officer": other_officer,
        "coordinator": coordinator,
        "other_coordinator": other_coordinator,
        "admin": admin,
    }


# The usual ladders.
READ = expect(officer=200, coordinator=200, admin=200)  # a page of the city's people
EDIT_PAGE = expect(officer=200, coordinator=403, admin=200)  # a page for the city's editors
EDIT_POST = expect(officer=302, coordinator=403, admin=302)  # a change by an editor, then redirect
STAFF_POST = expect(officer=403, coordinator=403, admin=302)  # a change only staff may make
EVERYONE = expect(anonymous=200, officer=200, other_officer=200, coordinator=200, other_coordinator=200, admin=200)
SIGNED_IN = expect(officer=200, other_officer=200, coordinator=200, other_coordinator=200, admin=200)
RATE_POST = expect(officer=302, coordinator=302, admin=302)  # each of the city's people rates for themselves


@dataclass
class World:
    users: dict
    milan: object
    sheet: Sheet
    respondent: object
    statement: object
    answer: Answer


@dataclass
class Row:
    expect: dict
    method: str = "GET"
    kwargs: Callable = lambda w: {}
    data: Callable | None = None
    json: bool = False
    setup: Callable | None = None


def sheet_pk(w):
    return {"sheet": w.sheet.pk}


def respondent_pk(w):
    return {"sheet": w.sheet.pk, "respondent": w.respondent.pk}


def city_round(w):
    return {"city": "milan", "round": "2018"}


def self_assessment(w):
    return {"module": "6", "city": "milan", "round": "2018"}


def new_round(w):
    Round.objects.create(name="2031")


def submitted(w):
    workflow.transition(w.sheet, w.users["officer"], workflow.Action.SUBMIT)


def validated(w):
    submitted(w)
    workflow.transition(w.sheet, w.users["admin"], workflow.Action.VALIDATE)


def second_respondent(w):
    """A second column, which can move left (the first cannot)."""
    organisation = Organisation.objects.create(
        city=w.milan, name="Second org", stakeholder_type=w.sheet.checklist.stakeholder_type
    )
    w.respondent = Respondent.objects.create(sheet=w.sheet, organisation=organisation, position=2)


def partner_city(w):
    """A published city with random answers in 2018, from which Milan has something to learn."""
    build_cohort(1, round="2018", prefix="partner")


def first_suggestion(w):
    """The first suggestion Milan's officer sees (there is one after `partner_city`); without one,
    a suggestion that does not apply, for the tests that post without the setup."""
    found = suggestions(w.milan, Round.objects.get(name="2018"), w.users["officer"])
    if not found:
        return {"partner": "turin", "topic": "networking"}
    return {"partner": found[0].partner.slug, "topic": found[0].topic_slug}


def changed_answer(w):
    """A recorded change to restore."""
    save_cells(w.sheet, w.users["officer"], [CellEdit(w.statement.pk, w.respondent.pk, "nd", "", w.answer.version)])
    w.answer.refresh_from_db()


def restore_record(w):
    record = Answer.history.filter(id=w.answer.pk).order_by("-history_id").first()
    return {"sheet": w.sheet.pk, "record": record.history_id}


def restore_data(w):
    return {"parts": ["value"], "version": w.answer.version}


def full_save(w):
    w.answer.refresh_from_db()
    prefix = f"cell-{w.statement.pk}-{w.respondent.pk}"
    return {
        "version": w.sheet.version,
        f"{prefix}-value": "nd",
        f"{prefix}-note": "",
        f"{prefix}-version": w.answer.version,
    }


def autosave(w):
    return {
        "statement": w.statement.pk,
        "respondent": w.respondent.pk,
        "value": "nd",
        "note": "",
        "version": w.answer.version,
    }


def version(w):
    w.sheet.refresh_from_db()
    return {"version": w.sheet.version, "comment": "Please check 1.2."}


def invitation(w):
    """An open invitation to Milan, made by staff."""
    from people.invitations import invite

    invite(email="newcomer@example.org", role="officer", cities=[w.milan], language="en", by=w.users["admin"])


def invitation_pk(w):
    from people.models import Invitation

    return {"invitation": Invitation.objects.get(email="newcomer@example.org").pk}


def invited_account(w):
    """An account created by accepting an invitation."""
    from people.invitations import accept
    from people.models import Invitation

    invitation(w)
    accept(Invitation.objects.get(email="newcomer@example.org"), "a-Long-enough-passw0rd")


def invited_account_pk(w):
    from django.contrib.auth import get_user_model

    return {"account": get_user_model().objects.get(username="newcomer@example.org").pk}


STAFF_PAGE = expect(officer=403, coordinator=403, admin=200)  # a page only staff may see
BAD_LINK = expect(anonymous=400, officer=400, other_officer=400, coordinator=400, other_coordinator=400, admin=400)
LINK = expect(anonymous=302, officer=302, other_officer=302, coordinator=302, other_coordinator=302, admin=302)


def milan_report():
    return CityReport.objects.get(city__slug="milan", round__name="2018")


def report_fields(w):
    """What the report editor posts, with a changed national context."""
    form, lists = editor_forms(milan_report())
    data = {**form.initial, "national_context": "Changed by the matrix."}
    for kind, formset in lists.items():
        data.update({f"{kind}-{key}": value for key, value in formset.management_form.initial.items()})
        data[formset.seen_order_name()] = formset.seen_order_value
        for f in formset.forms:
            data.update({f.add_prefix(key): value for key, value in f.initial.items()})
    return data


def first_conclusion(w):
    conclusion = milan_report().conclusions.order_by("kind", "position").first()
    return {"city": "milan", "round": "2018", "conclusion": conclusion.pk}


def conclusion_seen(w):
    conclusion = milan_report().conclusions.prefetch_related("topics").get(pk=first_conclusion(w)["conclusion"])
    return {"seen": fingerprint(content(conclusion))}


def changed_report(officer):
    """A recorded change of Milan's national context (the text kept, with more at its end), to restore."""
    report = milan_report()
    text = report.national_context
    save_report(
        report.city,
        report.round,
        officer,
        ReportEdit(texts={"national_context": (f"{text} (changed)", fingerprint(text))}),
    )


def restore_kwargs(w):
    """The latest recorded change of Milan's national context (the world has one)."""
    change = next(c for c in report_history(milan_report()) if c.part == "national_context")
    return {"city": "milan", "round": "2018", "part": "national_context", "record": change.record_id}


def round_2018(w):
    return {"round": "2018"}


def round_checklists(w):
    Round.objects.get(name="2018").checklists.set(Checklist.objects.filter(version="1"))


def round_post(w):
    data = {"name": "2031", "starts_on": "2031-01-01", "due_on": "2031-03-01", "publishes_on": "2031-06-01"}
    data.update({f"checklist_{c.stakeholder_type.slug}": c.pk for c in Checklist.objects.filter(version="1")})
    return data


MATRIX = {
    "healthz": [Row(expect=EVERYONE)],
    "home": [Row(expect=SIGNED_IN)],
    "sheets:edit": [
        Row(kwargs=sheet_pk, expect=READ),
        Row(method="POST", kwargs=sheet_pk, data=full_save, expect=EDIT_POST),
    ],
    "sheets:answer": [
        Row(
            method="POST",
            kwargs=sheet_pk,
            data=autosave,
            json=True,
            expect=expect(officer=200, coordinator=403, admin=200),
        ),
    ],
    "sheets:submit": [
        Row(kwargs=sheet_pk, expect=EDIT_PAGE),
        Row(method="POST", kwargs=sheet_pk, data=version, expect=EDIT_POST),
    ],
    "sheets:validate": [Row(method="POST", kwargs=sheet_pk, data=version, setup=submitted, expect=STAFF_POST)],
    "sheets:return": [Row(method="POST", kwargs=sheet_pk, data=version, setup=submitted, expect=STAFF_POST)],
    "sheets:reopen": [Row(method="POST", kwargs=sheet_pk, data=version, setup=validated, expect=STAFF_POST)],
    "sheets:history": [Row(kwargs=sheet_pk, expect=READ)],
    "sheets:restore": [
        Row(kwargs=restore_record, setup=changed_answer, expect=EDIT_PAGE),
        Row(method="POST", kwargs=restore_record, data=restore_data, setup=changed_answer, expect=EDIT_POST),
    ],
    "sheets:respondents": [
        Row(kwargs=sheet_pk, expect=EDIT_PAGE),
        Row(method="POST", kwargs=sheet_pk, data=lambda w: {"add-name": "New org", "add-note": ""}, expect=EDIT_POST),
    ],
    "sheets:respondent_edit": [
        Row(kwargs=respondent_pk, expect=EDIT_PAGE),
        Row(
            method="POST",
            kwargs=respondent_pk,
            expect=EDIT_POST,
            data=lambda w: {
                "name": "Comune di Milano",
                "note": "",
                "was_name": w.respondent.name,
                "was_note": w.respondent.note,
            },
        ),
    ],
    "sheets:respondent_move": [
        Row(
            method="POST",
            kwargs=respondent_pk,
            data=lambda w: {"direction": "left"},
            setup=second_respondent,
            expect=EDIT_POST,
        )
    ],
    "sheets:respondent_remove": [
        Row(kwargs=respondent_pk, expect=EDIT_PAGE),
        Row(
            method="POST",
            kwargs=respondent_pk,
            data=lambda w: {"version": w.sheet.version, "confirm": "on"},
            expect=EDIT_POST,
        ),
    ],
    "reports:edit": [
        Row(kwargs=city_round, expect=EDIT_PAGE),
        Row(method="POST", kwargs=city_round, data=report_fields, expect=EDIT_POST),
    ],
    "reports:autosave": [
        Row(
            method="POST", kwargs=city_round, data=report_fields, expect=expect(officer=200, coordinator=403, admin=200)
        ),
    ],
    "reports:conclusion_add": [
        Row(kwargs=lambda w: {**city_round(w), "kind": "share"}, expect=EDIT_PAGE),
        Row(
            method="POST",
            kwargs=lambda w: {**city_round(w), "kind": "share"},
            expect=EDIT_POST,
            data=lambda w: {"text": "Added by the matrix.", "topics": [Topic.objects.get(slug="networking").pk]},
        ),
    ],
    "reports:conclusion_remove": [
        Row(kwargs=first_conclusion, expect=EDIT_PAGE),
        Row(method="POST", kwargs=first_conclusion, data=conclusion_seen, expect=EDIT_POST),
    ],
    "reports:history": [Row(kwargs=city_round, expect=READ)],
    "reports:restore": [
        Row(kwargs=restore_kwargs, expect=EDIT_PAGE),
        Row(
            method="POST",
            kwargs=restore_kwargs,
            expect=EDIT_POST,
            data=lambda w: {"seen": fingerprint(milan_report().national_context)},
        ),
    ],
    "reports:city": [Row(kwargs=city_round, expect=READ)],
    "reports:city_pdf": [Row(kwargs=city_round, expect=READ)],
    "reports:answers_csv": [Row(kwargs=city_round, expect=READ)],
    "reports:answers_xlsx": [Row(kwargs=city_round, expect=READ)],
    "reports:exchange_json": [Row(kwargs=city_round, expect=READ)],
    "reports:sheet": [Row(kwargs=sheet_pk, expect=READ)],
    "reports:sheet_pdf": [Row(kwargs=sheet_pk, expect=READ)],
    # The OECD guidance and the self-assessment (issue 6).
    "guidance:index": [Row(expect=SIGNED_IN)],
    "guidance:search": [Row(data=lambda w: {"q": "online platforms"}, expect=SIGNED_IN)],
    "guidance:module": [Row(kwargs=lambda w: {"module": "6"}, expect=SIGNED_IN)],
    "guidance:statement": [Row(kwargs=lambda w: {"module": "6", "number": "6.1"}, expect=SIGNED_IN)],
    "guidance:rate": [
        Row(kwargs=self_assessment, expect=READ),
        Row(
            method="POST",
            kwargs=self_assessment,
            data=lambda w: {"version": 0, "score_6.1": "7", "seen_6.1": ""},
            expect=RATE_POST,
        ),
    ],
    "guidance:results": [Row(kwargs=self_assessment, expect=READ)],
    "guidance:results_pdf": [Row(kwargs=self_assessment, expect=READ)],
    # Matching and comparing cities (issue 5).
    "matching:round": [Row(kwargs=lambda w: {"round": "2018"}, expect=SIGNED_IN)],
    "matching:partners": [Row(kwargs=city_round, expect=READ)],
    "matching:suggestions": [Row(kwargs=city_round, expect=READ)],
    "matching:suggestion_add": [
        Row(method="POST", kwargs=city_round, data=first_suggestion, setup=partner_city, expect=EDIT_POST),
    ],
    "matching:comparison": [Row(kwargs=city_round, expect=READ)],
    "matching:comparison_pdf": [Row(kwargs=city_round, expect=READ)],
    "matching:new_round": [
        Row(kwargs=city_round, expect=EDIT_PAGE),
        Row(method="POST", kwargs=city_round, data=lambda w: {"to_round": "2031"}, setup=new_round, expect=EDIT_POST),
    ],
    "matching:rounds": [Row(kwargs=lambda w: {"city": "milan", "before": "2018", "after": "2018"}, expect=READ)],
    # People and their invitations: staff only; the invitation's link for anyone holding it.
    "people:index": [Row(expect=STAFF_PAGE)],
    "people:invite": [
        Row(expect=STAFF_PAGE),
        Row(
            method="POST",
            data=lambda w: {"email": "new@example.org", "role": "officer", "language": "en", "cities": [w.milan.pk]},
            expect=STAFF_POST,
        ),
    ],
    "people:resend": [Row(method="POST", kwargs=invitation_pk, setup=invitation, expect=STAFF_POST)],
    "people:revoke": [Row(method="POST", kwargs=invitation_pk, setup=invitation, expect=STAFF_POST)],
    "people:set_active": [
        Row(
            method="POST",
            kwargs=invited_account_pk,
            setup=invited_account,
            data=lambda w: {"active": "0"},
            expect=STAFF_POST,
        ),
    ],
    # The link keeps its token in the session and redirects to the page that checks it.
    "people:accept_link": [Row(kwargs=lambda w: {"token": "not-a-token"}, expect=LINK)],
    "people:accept": [Row(expect=BAD_LINK)],
    "people:profile": [
        Row(expect=SIGNED_IN),
        Row(
            method="POST",
            data=lambda w: {"language": "it"},
            expect=expect(officer=302, other_officer=302, coordinator=302, other_coordinator=302, admin=302),
        ),
    ],
    # Running rounds: programme staff only.
    "rounds:list": [Row(expect=STAFF_PAGE)],
    "rounds:create": [Row(expect=STAFF_PAGE), Row(method="POST", data=round_post, expect=STAFF_POST)],
    "rounds:dashboard": [Row(kwargs=round_2018, expect=STAFF_PAGE)],
    "rounds:dashboard_csv": [Row(kwargs=round_2018, expect=STAFF_PAGE)],
    "rounds:edit": [Row(kwargs=round_2018, expect=STAFF_PAGE)],
    "rounds:add_city": [
        Row(
            method="POST",
            kwargs=round_2018,
            setup=round_checklists,
            data=lambda w: {"name": "Genoa", "country": "Italy"},
            expect=STAFF_POST,
        )
    ],
    "rounds:remove_city": [
        Row(kwargs=lambda w: {"round": "2018", "city": "milan"}, expect=STAFF_PAGE),
        Row(
            method="POST",
            kwargs=lambda w: {"round": "2018", "city": "milan"},
            data=lambda w: {"confirm": "on"},
            expect=STAFF_POST,
        ),
    ],
    "rounds:close": [Row(method="POST", kwargs=round_2018, expect=STAFF_POST)],
    "rounds:reopen": [Row(method="POST", kwargs=round_2018, expect=STAFF_POST)],
}


def project_urls():
    """(url name, route) of every URL pattern of the project, outside EXCLUDED_PREFIXES."""

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace if not namespace else f"{namespace}:{pattern.namespace}"
                yield from walk(pattern.url_patterns, route, inner if pattern.namespace else namespace)
            elif isinstance(pattern, URLPattern):
                name = pattern.name or f"<unnamed {route}>"
                yield (f"{namespace}:{name}" if namespace else name), route

    return [
        (name, route)
        for name, route in walk(get_resolver().url_patterns, "", None)
        if not route.startswith(EXCLUDED_PREFIXES)
    ]
