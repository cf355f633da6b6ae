"""Topic matching: the round's grid, a city's partners and the matches shown in the city report."""

import pytest
from django.urls import reverse

from matching.matches import city_partners, conclusion_matches
from assessments.models import CityReport, Conclusion, Round, Topic
from stakeholders.models import Assignment
from tests.cohort import queries_with_5_and_200_cities
from tests.factories import make_city, make_user


def make_report(city, round, *, published=False, share=(), look_at=()):
    report = CityReport.objects.create(city=city, round=round, published=published)
    for kind, items in (("share", share), ("look_at", look_at)):
        for position, (text, topics) in enumerate(items, start=1):
            conclusion = Conclusion.objects.create(report=report, kind=kind, position=position, text=text)
            conclusion.topics.set(Topic.objects.filter(slug__in=topics))
    return report


@pytest.fixture
def cities(reference_data):
    """Four cities of round 2030; Gamma's report is not published."""
    round = Round.objects.create(name="2030")
    alpha, beta, gamma, delta = (make_city(slug) for slug in ("alpha", "beta", "gamma", "delta"))
    make_report(
        alpha,
        round,
        published=True,
        share=[("A-finance", ["access-to-finance"])],
        look_at=[("A-data", ["data-monitoring-evaluation"]), ("A-net", ["networking", "training-mentoring"])],
    )
    make_report(
        beta,
        round,
        published=True,
        share=[("B-data", ["data-monitoring-evaluation"]), ("B-mentor", ["training-mentoring", "networking"])],
        look_at=[("B-fin", ["access-to-finance"])],
    )
    make_report(gamma, round, share=[("G-net", ["networking"])], look_at=[("G-proc", ["inclusive-procurement"])])
    make_report(delta, round, published=True, share=[("D-proc", ["inclusive-procurement"])])
    return round, alpha, beta, gamma, delta


def partners_of(city, round, user):
    return {
        m.conclusion.text: ([p.city_name + ": " + p.text for p in m.partners], m.hidden)
        for m in city_partners(city, round, user)
    }


def test_partners_are_the_cities_sharing_what_a_city_looks_at_and_the_reverse(cities, admin_user):
    round, alpha, beta, gamma, delta = cities
    assert partners_of(alpha, round, admin_user) == {
        "A-finance": (["Beta: B-fin"], 0),
        "A-data": (["Beta: B-data"], 0),
        "A-net": (["Beta: B-mentor", "Gamma: G-net"], 0),  # two topics in common before one
    }
    assert partners_of(gamma, round, admin_user) == {
        "G-net": (["Alpha: A-net"], 0),
        "G-proc": (["Delta: D-proc"], 0),
    }
    assert partners_of(delta, round, admin_user) == {"D-proc": (["Gamma: G-proc"], 0)}


def test_unpublished_city_is_counted_not_named_for_other_cities_people(cities):
    round, alpha, beta, gamma, delta = cities
    officer = make_user("alpha-officer", city=alpha, role=Assignment.Role.OFFICER)
    assert partners_of(alpha, round, officer)["A-net"] == (["Beta: B-mentor"], 1)


def test_partners_follow_a_new_conclusion_and_a_publication_at_once(cities):
    round, alpha, beta, gamma, delta = cities
    officer = make_user("alpha-officer", city=alpha, role=Assignment.Role.OFFICER)
    assert partners_of(alpha, round, officer)["A-finance"] == (["Beta: B-fin"], 0)
    report = CityReport.objects.get(city=delta, round=round)
    conclusion = Conclusion.objects.create(report=report, kind="look_at", position=1, text="D-fin")
    conclusion.topics.set(Topic.objects.filter(slug="access-to-finance"))
    assert partners_of(alpha, round, officer)["A-finance"] == (["Beta: B-fin", "Delta: D-fin"], 0)
    CityReport.objects.filter(city=gamma, round=round).update(published=True)
    assert partners_of(alpha, round, officer)["A-net"] == (["Beta: B-mentor", "Gamma: G-net"], 0)


def test_partners_page_shows_both_texts_and_hides_unpublished_texts(client, cities):
    round, alpha, *_ = cities
    client.force_login(make_user("alpha-coordinator", city=alpha, role=Assignment.Role.COORDINATOR))
    response = client.get(reverse("matching:partners", args=["alpha", "2030"]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "A-net" in content and "B-mentor" in content and "B-data" in content
    assert "Gamma" not in content and "G-net" not in content
    assert "1 other city whose report is not published also matches" in content


def test_report_shows_only_published_matches(cities):
    round, alpha, *_ = cities
    conclusions = list(Conclusion.objects.filter(report__city=alpha).prefetch_related("topics"))
    by_text = {c.text: c.pk for c in conclusions}
    matches = conclusion_matches(conclusions)
    assert [m["city"] for m in matches[by_text["A-net"]]] == ["Beta"]
    assert matches[by_text["A-net"]][0]["text"] == "B-mentor"
    assert matches[by_text["A-net"]][0]["url"] == reverse("reports:city", args=["beta", "2030"])
    assert [m["city"] for m in matches[by_text["A-finance"]]] == ["Beta"]


def test_matching_grid_lists_the_cities_a_user_may_see(client, cities, admin_user):
    round, alpha, *_ = cities
    url = reverse("matching:round", args=["2030"])
    client.force_login(make_user("alpha-officer", city=alpha, role=Assignment.Role.OFFICER))
    rows = [row["city"].name for row in client.get(url).context["rows"]]
    assert rows == ["Alpha", "Beta", "Delta"]
    client.force_login(admin_user)
    response = client.get(url)
    assert [row["city"].name for row in response.context["rows"]] == ["Alpha", "Beta", "Delta", "Gamma"]
    gamma = response.context["rows"][3]
    marks = {cell["topic"].slug: (cell["share"], cell["look_at"]) for cell in gamma["cells"]}
    assert marks["networking"] == (True, False)
    assert marks["inclusive-procurement"] == (False, True)
    assert marks["access-to-finance"] == (False, False)


def test_matching_grid_of_unknown_round_is_404(client, officer):
    client.force_login(officer)
    assert client.get(reverse("matching:round", args=["1999"])).status_code == 404


def test_matching_needs_sign_in(client, cities):
    response = client.get(reverse("matching:round", args=["2030"]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_partners_page_of_unpublished_city_is_refused_to_other_cities(client, cities, other_officer):
    client.force_login(other_officer)
    assert client.get(reverse("matching:partners", args=["gamma", "2030"])).status_code == 403
    assert client.get(reverse("matching:partners", args=["beta", "2030"])).status_code == 200


def test_milan_report_matches_a_published_city_sharing_what_milan_looks_at(milan):
    round = Round.objects.get(name="2018")
    make_report(
        make_city("lyon", country="France"),
        round,
        published=True,
        share=[("a knowledge base on migrant entrepreneurs", ["data-monitoring-evaluation"])],
    )
    conclusions = list(Conclusion.objects.filter(report__city=milan).prefetch_related("topics"))
    matches = conclusion_matches(conclusions)
    matched = {c.text: [m["city"] for m in matches[c.pk]] for c in conclusions}
    assert matched["cities that have developed a knowledge base for assessing and tracking needs"] == ["Lyon"]
    assert all(
        not cities
        for text, cities in matched.items()
        if text != "cities that have developed a knowledge base for assessing and tracking needs"
    )


@pytest.mark.parametrize("url_name, args", [("matching:round", ["2030"]), ("matching:partners", ["bulk-0000", "2030"])])
def test_matching_queries_do_not_grow_with_the_number_of_cities(
    client, reference_data, admin_user, django_assert_max_num_queries, url_name, args
):
    client.force_login(admin_user)
    queries_with_5_and_200_cities(client, reverse(url_name, args=args), django_assert_max_num_queries)


def test_city_report_page_shows_matched_published_cities_under_each_conclusion(client, milan, officer):
    round = Round.objects.get(name="2018")
    make_report(
        make_city("lyon", country="France"),
        round,
        published=True,
        share=[("a knowledge base on migrant entrepreneurs", ["data-monitoring-evaluation"])],
    )
    make_report(
        make_city("nice", country="France"),
        round,
        published=False,
        share=[("an unpublished knowledge base", ["data-monitoring-evaluation"])],
    )
    client.force_login(officer)
    content = client.get(reverse("reports:city", args=["milan", "2018"])).content.decode()
    assert "Lyon" in content and "a knowledge base on migrant entrepreneurs" in content
    assert "Nice" not in content and "unpublished knowledge base" not in content
