"""Suggestions from the sheets: who answers yes where a city answers no or no data."""

import pytest
from django.urls import reverse

from matching.matches import suggestions
from assessments.models import CityReport, Conclusion, Round, Statement, Topic
from stakeholders.models import Assignment
from tests.cohort import queries_with_5_and_200_cities
from tests.factories import answer, make_checklist, make_city, make_sheet, make_user
from tests.sheet_posts import cell, load_editor, set_cell

TOPICS = {
    (1, 1): ["networking"],
    (1, 2): ["networking", "access-to-finance"],
    (2, 1): ["networking"],
    (3, 1): ["access-to-finance"],
}


def fill(sheet, answers):
    for (level, position), values in answers.items():
        for column, value in enumerate(values if isinstance(values, tuple) else (values,)):
            note = ""
            if isinstance(value, list):
                value, note = value
            answer(sheet, level, position, column, value, note)


@pytest.fixture
def world(reference_data):
    checklist = make_checklist(version="t")
    for (level, position), slugs in TOPICS.items():
        Statement.objects.get(level__checklist=checklist, level__number=level, position=position).topics.set(
            Topic.objects.filter(slug__in=slugs)
        )
    round = Round.objects.create(name="2030")
    alpha, beta, gamma, hidden, delta = (make_city(s) for s in ("alpha", "beta", "gamma", "hidden", "delta"))
    fill(make_sheet(alpha, checklist), {(1, 1): "no", (1, 2): "nd", (2, 1): "no", (2, 2): "yes", (3, 1): "no"})
    fill(
        make_sheet(beta, checklist),
        {(1, 1): "yes", (1, 2): ["yes", "Beta note on 1.2"], (2, 1): "yes", (3, 1): "yes", (3, 2): "yes"},
    )
    fill(
        make_sheet(gamma, checklist, respondents=("G1", "G2")),
        {(1, 1): ("yes", "no"), (2, 1): ("yes", "nd"), (3, 1): ("yes", "yes"), (3, 2): ("yes", "yes")},
    )
    fill(make_sheet(hidden, checklist), {(1, 1): ["yes", "SECRET hidden note"]})
    # Another version of the checklist: other statements, never compared.
    fill(make_sheet(delta, make_checklist(version="t2")), {(1, 1): "yes", (2, 1): "yes", (3, 1): "yes"})
    for city in (beta, gamma, delta):
        CityReport.objects.create(city=city, round=round, published=True)
    CityReport.objects.create(city=hidden, round=round, published=False)
    officer = make_user("alpha-officer", city=alpha, role=Assignment.Role.OFFICER)
    return round, alpha, officer


def summary(items):
    return [
        (
            s.partner.name,
            s.topic.slug if s.topic else None,
            [(o.statement.level.number, o.statement.position, o.own) for o in s.opportunities],
        )
        for s in items
    ]


def test_suggestions_are_grouped_by_partner_and_topic_and_ranked(world):
    round, alpha, officer = world
    assert summary(suggestions(alpha, round, officer)) == [
        ("Beta", "networking", [(1, 1, "no"), (1, 2, "nd"), (2, 1, "no")]),
        ("Beta", "access-to-finance", [(1, 2, "nd"), (3, 1, "no")]),
        ("Gamma", "networking", [(2, 1, "no")]),  # yes + no data is yes; yes + no (1.1) is only partly
        ("Gamma", "access-to-finance", [(3, 1, "no")]),  # same size, higher level: after
    ]


def test_staff_see_suggestions_from_unpublished_cities_too(world, admin_user):
    round, alpha, _ = world
    ranked = summary(suggestions(alpha, round, admin_user))
    assert ("Hidden", "networking", [(1, 1, "no")]) in ranked
    assert ranked.index(("Hidden", "networking", [(1, 1, "no")])) == 2  # one statement, but level 1


def test_suggestions_page_shows_statements_and_published_annotations(client, world):
    round, alpha, officer = world
    client.force_login(officer)
    response = client.get(reverse("matching:suggestions", args=["alpha", "2030"]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Beta note on 1.2" in content
    assert "Statement 1.2" in content
    assert "Add to Alpha’s report as “may look at”" in content


def test_no_suggestion_leaks_an_unpublished_city(client, world):
    round, alpha, officer = world
    client.force_login(officer)
    content = client.get(reverse("matching:suggestions", args=["alpha", "2030"])).content.decode()
    assert "SECRET" not in content
    assert "Hidden" not in content
    response = client.post(
        reverse("matching:suggestion_add", args=["alpha", "2030"]),
        {"partner": "hidden", "topic": "networking"},
        follow=True,
    )
    assert "no longer applies" in response.content.decode()
    assert not Conclusion.objects.filter(report__city=alpha).exists()


def test_coordinator_sees_suggestions_but_cannot_add_them(client, world):
    round, alpha, _ = world
    coordinator = make_user("alpha-coordinator", city=alpha, role=Assignment.Role.COORDINATOR)
    client.force_login(coordinator)
    page = client.get(reverse("matching:suggestions", args=["alpha", "2030"]))
    assert page.status_code == 200 and "Add to Alpha" not in page.content.decode()
    response = client.post(
        reverse("matching:suggestion_add", args=["alpha", "2030"]), {"partner": "beta", "topic": "networking"}
    )
    assert response.status_code == 403
    assert not Conclusion.objects.filter(report__city=alpha).exists()


def test_other_cities_people_cannot_see_or_add_suggestions(client, world, other_officer):
    client.force_login(other_officer)
    assert client.get(reverse("matching:suggestions", args=["alpha", "2030"])).status_code == 403
    assert (
        client.post(
            reverse("matching:suggestion_add", args=["alpha", "2030"]), {"partner": "beta", "topic": "networking"}
        ).status_code
        == 403
    )


def test_officer_turns_a_suggestion_into_a_look_at_conclusion_recorded_in_history(client, world):
    round, alpha, officer = world
    client.force_login(officer)
    url = reverse("matching:suggestion_add", args=["alpha", "2030"])
    response = client.post(url, {"partner": "beta", "topic": "networking"})
    assert response.status_code == 302
    assert response["Location"] == reverse("matching:suggestions", args=["alpha", "2030"])
    conclusion = Conclusion.objects.get(report__city=alpha, report__round=round)
    assert conclusion.kind == Conclusion.Kind.LOOK_AT and conclusion.position == 1
    assert conclusion.text.startswith("Beta’s experience with regard to networking")
    assert [t.slug for t in conclusion.topics.all()] == ["networking"]
    records = list(conclusion.history.order_by("history_id"))
    assert records[0].history_type == "+"
    assert {r.history_user for r in records} == {officer}
    # The same suggestion twice adds nothing; another one comes after it.
    client.post(url, {"partner": "beta", "topic": "networking"})
    assert Conclusion.objects.filter(report__city=alpha).count() == 1
    client.post(url, {"partner": "gamma", "topic": "access-to-finance"})
    assert list(
        Conclusion.objects.filter(report__city=alpha).order_by("position").values_list("position", flat=True)
    ) == [1, 2]


def test_adding_a_suggestion_bumps_the_report_version(client, world):
    round, alpha, officer = world
    report = CityReport.objects.create(city=alpha, round=round)
    client.force_login(officer)
    client.post(reverse("matching:suggestion_add", args=["alpha", "2030"]), {"partner": "beta", "topic": "networking"})
    report.refresh_from_db()
    assert report.version == 2 and report.updated_by == officer


def test_suggestion_add_needs_post(client, world):
    round, alpha, officer = world
    client.force_login(officer)
    assert client.get(reverse("matching:suggestion_add", args=["alpha", "2030"])).status_code == 405


def test_suggestions_queries_do_not_grow_with_the_number_of_cities(
    client, reference_data, admin_user, django_assert_max_num_queries
):
    client.force_login(admin_user)
    few, _ = queries_with_5_and_200_cities(
        client, reverse("matching:suggestions", args=["bulk-0000", "2030"]), django_assert_max_num_queries
    )
    assert few.context["page"].paginator.count > 0


def test_suggestions_are_paged_in_rank_order(client, world, monkeypatch):
    from matching import views as views

    monkeypatch.setattr(views, "SUGGESTIONS_PAGE", 3)
    round, alpha, officer = world
    client.force_login(officer)
    url = reverse("matching:suggestions", args=["alpha", "2030"])
    first = client.get(url).context["page"]
    assert [(s.partner.name, s.topic.slug) for s in first] == [
        ("Beta", "networking"),
        ("Beta", "access-to-finance"),
        ("Gamma", "networking"),
    ]
    assert (first.paginator.count, first.paginator.num_pages, first.has_next()) == (4, 2, True)
    second = client.get(url, {"page": 2}).context["page"]
    assert [(s.partner.name, s.topic.slug) for s in second] == [("Gamma", "access-to-finance")]
    assert [o.notes for s in first for o in s.opportunities if o.statement.text == "Statement 1.2"][0] == [
        ("Org A", "Beta note on 1.2")
    ]
    beyond = client.get(url, {"page": 99}).context["page"]
    assert beyond.number == 2 and len(beyond.object_list) == 1
    assert client.get(url, {"page": "x"}).context["page"].number == 1


def test_suggestions_follow_an_answer_saved_in_the_editor_at_once(client, world):
    round, alpha, officer = world
    assert ("Beta", "access-to-finance", [(1, 2, "nd"), (3, 1, "no")]) in summary(suggestions(alpha, round, officer))
    client.force_login(officer)
    sheet = alpha.sheets.get(round=round)
    fields = set_cell(load_editor(client, sheet), cell(sheet, 3, 1), "yes")
    assert client.post(reverse("sheets:edit", args=[sheet.pk]), fields).status_code == 302
    ranked = summary(suggestions(alpha, round, officer))
    assert ("Beta", "access-to-finance", [(1, 2, "nd")]) in ranked
    assert ("Gamma", "access-to-finance", [(3, 1, "no")]) not in ranked


def test_while_others_edit_the_ranking_is_kept_but_the_citys_own_answers_show_at_once(client, world, settings):
    """Every save in the round changes it; ranking every city of the round on each request would
    stall a busy round, so a ranking is kept for COHORT_FIGURES_MAX_AGE seconds after other
    cities change. The city's own answers are never served old."""
    round, alpha, officer = world
    settings.COHORT_FIGURES_MAX_AGE = 60
    epsilon = make_city("epsilon")
    CityReport.objects.create(city=epsilon, round=round, published=True)
    assert "Epsilon" not in [partner for partner, *_ in summary(suggestions(alpha, round, officer))]
    sheet = alpha.sheets.get(round=round)
    fill(make_sheet(epsilon, sheet.checklist), {(1, 1): "yes", (3, 1): "yes"})
    assert "Epsilon" not in [partner for partner, *_ in summary(suggestions(alpha, round, officer))]

    client.force_login(officer)
    fields = set_cell(load_editor(client, sheet), cell(sheet, 3, 1), "yes")
    assert client.post(reverse("sheets:edit", args=[sheet.pk]), fields).status_code == 302
    ranked = summary(suggestions(alpha, round, officer))
    assert ("Beta", "access-to-finance", [(1, 2, "nd")]) in ranked
    assert ("Epsilon", "networking", [(1, 1, "no")]) in ranked


def test_without_tolerance_other_cities_answers_show_at_once(world, settings):
    round, alpha, officer = world
    settings.COHORT_FIGURES_MAX_AGE = 0
    suggestions(alpha, round, officer)
    epsilon = make_city("epsilon")
    CityReport.objects.create(city=epsilon, round=round, published=True)
    fill(make_sheet(epsilon, alpha.sheets.get(round=round).checklist), {(3, 1): "yes"})
    assert ("Epsilon", "access-to-finance", [(3, 1, "no")]) in summary(suggestions(alpha, round, officer))
