"""The guidance pages: the module, a statement on its own page, and search."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from guidance.search import search, terms_of

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_sign_in(client, milan):
    for url in [
        reverse("guidance:index"),
        reverse("guidance:module", args=["6"]),
        reverse("guidance:statement", args=["6", "6.1"]),
        reverse("guidance:search"),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_module_page_lists_the_six_statements_and_references(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("guidance:module", args=["6"]))
    assert response.status_code == 200
    html = response.content.decode()
    for number in ["6.1", "6.2", "6.3", "6.4", "6.5", "6.6"]:
        assert reverse("guidance:statement", args=["6", number]) in html
    assert "Inclusive Business Creation: Good Practice Compendium" in html
    assert reverse("guidance:rate", args=["6", "milan", "2018"]) in html


def test_statement_page_keeps_lists_and_shows_the_actions(client, officer):
    client.force_login(officer)
    response = client.get(reverse("guidance:statement", args=["6", "6.6"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<ol") >= 3 + 1  # three numbered lists, and the breadcrumb
    assert "<li>Evaluation should lead to policy change;</li>" in html
    assert "Recommended actions" in html
    assert "<li>Assess the impact of the network on business performance.</li>" in html
    assert reverse("guidance:statement", args=["6", "6.5"]) in html  # previous


def test_unknown_statement_is_404(client, officer):
    client.force_login(officer)
    assert client.get(reverse("guidance:statement", args=["6", "6.9"])).status_code == 404
    assert client.get(reverse("guidance:module", args=["7"])).status_code == 404


def test_every_signed_in_user_may_read_the_guidance(client, other_coordinator):
    client.force_login(other_coordinator)
    assert client.get(reverse("guidance:statement", args=["6", "6.3"])).status_code == 200


def test_search_finds_statements_holding_every_word():
    assert [hit.statement.number for hit in search("online platforms")] == ["6.2", "6.4", "6.5"]
    assert [hit.statement.number for hit in search("referral system")] == ["6.3"]


def test_search_ignores_case_and_apostrophe_style():
    straight = search("ENTREPRENEURS' NEEDS")
    typographic = search("entrepreneurs’ needs")
    assert [h.statement.number for h in straight] == [h.statement.number for h in typographic]
    assert straight[0].statement.number == "6.1"
    assert any("<mark>entrepreneurs’</mark> <mark>needs</mark>" in p.excerpt for p in straight[0].passages)


def test_search_finds_words_in_list_items_and_actions():
    hits = {h.statement.number: h for h in search("libraries")}
    assert list(hits) == ["6.5"]
    assert [p.where for p in hits["6.5"].passages] == ["Recommended action"]
    assert "<mark>libraries</mark>" in hits["6.5"].passages[0].excerpt


def test_search_escapes_what_it_shows():
    assert search("<script>") == []
    assert terms_of("  a  A  b ") == ["a", "b"]


def test_search_page_shows_marked_passages(client, officer):
    client.force_login(officer)
    response = client.get(reverse("guidance:search"), {"q": "referral <b>"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "No statement contains every word of “referral &lt;b&gt;”" in html
    response = client.get(reverse("guidance:search"), {"q": "referral"})
    assert "<mark>referral</mark>" in response.content.decode()
    assert reverse("guidance:statement", args=["6", "6.3"]) in response.content.decode()


def test_search_reads_the_guidance_in_the_readers_language(client, officer):
    """In Italian the Italian text is searched and shown, with the passages named in Italian; an
    English word of a translated statement is not what the reader sees, so it does not find it."""
    with translation.override("it"):
        hits = {hit.statement.number: hit for hit in search("fabbisogni")}
        assert "6.1" in hits
        assert [str(p.where) for p in hits["6.1"].passages][0] == "Affermazione"
        assert "6.1" not in {hit.statement.number for hit in search("assessments are used")}
    assert "6.1" in {hit.statement.number for hit in search("assessments are used")}
    client.force_login(officer)
    page = client.get(reverse("guidance:search"), {"q": "fabbisogni"}, HTTP_ACCEPT_LANGUAGE="it").content.decode()
    assert "6.1. Le valutazioni dei <mark>fabbisogni</mark>" not in page  # the heading is not marked
    assert "6.1. Le valutazioni dei fabbisogni sono utilizzate" in page
    assert "Affermazione:</span> Le valutazioni dei <mark>fabbisogni</mark>" in page


def test_the_module_reads_in_the_readers_language_at_a_fixed_cost(client, coordinator):
    """The module's title and introduction are translated like its statements, and reading them
    in Italian costs one query more per kind of text (module, statements, topics), not one per
    statement."""
    client.force_login(coordinator)
    url = reverse("guidance:module", args=["6"])
    with CaptureQueriesContext(connection) as english:
        client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    with CaptureQueriesContext(connection) as italian:
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="it").content.decode()
    assert "Ampliare le reti per gli imprenditori immigrati" in page
    assert "La presente nota descrive le misure" in page and "This note describes" not in page
    assert len(italian) <= len(english) + 3
    index = client.get(reverse("guidance:index"), HTTP_ACCEPT_LANGUAGE="it").content.decode()
    assert "Ampliare le reti per gli imprenditori immigrati" in index


def test_a_statement_reads_in_the_readers_language_at_a_fixed_cost(client, coordinator):
    """The statement page shows its text, guidance, actions and topics translated, prefetched with
    them: one query more per kind of text, not one per paragraph or action."""
    client.force_login(coordinator)
    url = reverse("guidance:statement", args=["6", "6.1"])
    with CaptureQueriesContext(connection) as english:
        client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    with CaptureQueriesContext(connection) as italian:
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="it").content.decode()
    assert "Le valutazioni dei fabbisogni sono utilizzate" in page
    assert len(italian) <= len(english) + 4
