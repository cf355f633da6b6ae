"""The officer's and coordinator's home across rounds: the current round first, closed rounds
read-only, and what needs action grouped by city and round."""

import datetime
import re

import pytest
from django.urls import reverse

from assessments.models import Checklist, Round
from stakeholders.models import Assignment
from tests.factories import make_city


@pytest.fixture
def two_rounds(milan, officer, admin_user):
    """Milan's 2018 round is closed; round 2026 is open, with Milan and Turin."""
    round_2018 = Round.objects.get(name="2018")
    round_2018.close(admin_user)
    round_2026 = Round.objects.create(name="2026", starts_on=datetime.date(2026, 1, 10))
    round_2026.checklists.set(Checklist.objects.filter(version="1"))
    turin = make_city("turin")
    round_2026.add_city(milan, admin_user)
    round_2026.add_city(turin, admin_user)
    Assignment.objects.create(user=officer, city=turin, role=Assignment.Role.OFFICER)
    return round_2018, round_2026


def page(client, user):
    client.force_login(user)
    return client.get(reverse("home")).content.decode()


def headings(html):
    return [
        re.sub(r"<[^>]+>|\s+", " ", h).split()
        for h in re.findall(r'<h2 class="h4 card-title"[^>]*>(.*?)</h2>', html, re.S)
    ]


def test_the_current_round_comes_first_and_a_closed_round_is_read_only(client, officer, two_rounds):
    html = page(client, officer)
    assert headings(html) == [["Milan", "2026"], ["Turin", "2026"], ["Milan", "2018", "closed:", "read-only"]]
    assert reverse("reports:edit", args=["milan", "2026"]) in html
    assert reverse("reports:edit", args=["milan", "2018"]) not in html


def test_what_needs_action_is_grouped_by_city_and_round_and_skips_closed_rounds(client, officer, two_rounds):
    html = page(client, officer)
    section = html.split('id="todo-heading"')[1].split("</section>")[0]
    groups = [re.sub(r"<[^>]+>|\s+", " ", h).split() for h in re.findall(r"<h3[^>]*>(.*?)</h3>", section, re.S)]
    assert groups == [["Milan", "2026"], ["Turin", "2026"]]
    turin = section.split("<h3")[2]
    assert turin.count('<li class="list-group-item">') == 5  # four sheets to fill in and the report
    assert "2018" not in section


def test_a_coordinator_sees_both_rounds_and_has_nothing_to_do(client, coordinator, two_rounds):
    html = page(client, coordinator)
    assert headings(html) == [["Milan", "2026"], ["Milan", "2018", "closed:", "read-only"]]
    assert "Nothing needs your action right now." in html


def test_reopening_the_round_brings_its_work_back(client, officer, two_rounds, admin_user):
    round_2018, _ = two_rounds
    round_2018.reopen(admin_user)
    html = page(client, officer)
    assert headings(html)[0] == ["Milan", "2026"]
    assert reverse("reports:edit", args=["milan", "2018"]) in html
