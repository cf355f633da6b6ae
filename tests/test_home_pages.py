"""An admin of many cities gets the home page in pages; what needs action is found on every page."""

import re

from django.urls import reverse

from assessments.models import Sheet
from tests.cohort import queries_with_5_and_200_cities
from tests.factories import make_checklist, make_city, make_sheet


def many_cities(count):
    checklist = make_checklist(version="paging", statements_per_level=(1, 1, 1))
    cities = [make_city(f"city-{i:03d}", name=f"City {i:03d}") for i in range(count)]
    return [make_sheet(city, checklist) for city in cities]


def test_admin_home_lists_twenty_cities_a_page(client, admin_user):
    many_cities(25)
    client.force_login(admin_user)
    first = client.get(reverse("home")).content.decode()
    assert "City 000" in first and "City 018" in first and "City 024" not in first
    assert "Page 1 of 2" in first
    second = client.get(reverse("home"), {"page": 2}).content.decode()
    assert "City 024" in second and "City 000" not in second


def test_a_submitted_sheet_on_a_later_page_is_still_asked_for_on_the_first(client, admin_user):
    sheets = many_cities(25)
    Sheet.objects.filter(pk=sheets[-1].pk).update(status=Sheet.Status.SUBMITTED)
    client.force_login(admin_user)
    html = client.get(reverse("home")).content.decode()
    assert "City 024" in html.split('id="todo-heading"')[1].split("</section>")[0]


def test_a_page_number_out_of_range_shows_the_last_page(client, admin_user):
    many_cities(25)
    client.force_login(admin_user)
    assert "City 024" in client.get(reverse("home"), {"page": 99}).content.decode()
    assert client.get(reverse("home"), {"page": "x"}).status_code == 200


def test_admin_home_queries_do_not_grow_with_the_cities(client, admin_user, django_assert_max_num_queries):
    many_cities(60)
    client.force_login(admin_user)
    with django_assert_max_num_queries(14):
        client.get(reverse("home"))


def test_admin_home_needs_as_many_queries_for_two_hundred_cities_as_for_five(
    client, reference_data, admin_user, django_assert_num_queries
):
    client.force_login(admin_user)
    _, many = queries_with_5_and_200_cities(client, reverse("home"), django_assert_num_queries)
    assert "Page 1 of 11" in many.content.decode()


def test_page_two_begins_with_the_twenty_first_city_and_round(client, admin_user):
    many_cities(45)
    client.force_login(admin_user)
    second = client.get(reverse("home"), {"page": 2}).content.decode()
    assert "Page 2 of 3" in second
    headings = re.findall(r'<h2 class="h4 card-title"[^>]*>([^<]+?) <span', second)
    assert headings == [f"City {i:03d}" for i in range(20, 40)]
