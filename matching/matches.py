"""Matching cities for mutual learning.

Two kinds of match, both within one benchmarking round:

- **Topic matches** (`topic_grid`, `city_partners`, `conclusion_matches`): a city's "may look at"
  conclusion on topic T is matched with every other city whose "may share" conclusion covers T,
  and the reverse. Partner conclusions are ranked by how many topics they have in common.
- **Suggestions from the sheets** (`suggestions`): for two cities answering the same checklist
  (so the same statements), a statement where city B's consolidated answer is yes and city A's is
  no or no data is a learning opportunity for A from B. They are grouped by partner city and topic
  and ranked: more statements first, then lower levels first.

What a user sees of another city follows `permissions.detail_cities`: cities they are assigned to
(all for staff) and cities whose report of the round is published are shown with their names, texts,
statements and annotations. Any other city is never named: a topic match with it is only counted
("2 more cities whose reports are not published"), and it gives no suggestions at all, since even
"B answers yes on k statements of topic T" would reveal its unpublished answers.

Everything is computed with a fixed number of aggregate queries, whatever the number of cities;
Python only groups the aggregated rows.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Max
from django.urls import reverse

from assessments import consolidation
from reports import stamps
from assessments.changes import Reason, reason
from assessments.models import Answer, CityReport, Conclusion, Level, Respondent, Statement, Topic
from assessments.permissions import detail_cities, only_detail_cities
from mega.versioned import versioned
from stakeholders.models import City

Through = Conclusion.topics.through

# How many partner conclusions a city's partners page names per conclusion, and the report.
MAX_PARTNERS = 20
MAX_REPORT_MATCHES = 10
# Every partner group: the ranking is kept whole and filtered per user.
ALL = 1_000_000_000
OPPOSITE = {Conclusion.Kind.SHARE: Conclusion.Kind.LOOK_AT, Conclusion.Kind.LOOK_AT: Conclusion.Kind.SHARE}


# --- topic matching ----------------------------------------------------------------------------


def grid_cities(round, user):
    """The cities of the matching grid: those with a report in `round` whose details `user` may see."""
    return (
        detail_cities(user, round)
        .filter(pk__in=CityReport.objects.filter(round=round).values("city_id"))
        .order_by("name", "pk")
    )


def topic_grid(round, cities, topics):
    """Rows of the grid for `cities` (a page of `grid_cities`): per topic, whether the city may
    share it and whether it may look at it."""
    cities = list(cities)
    marks = defaultdict(set)
    for city_id, kind, topic_id in (
        Through.objects.filter(conclusion__report__round=round, conclusion__report__city__in=[c.pk for c in cities])
        .values_list("conclusion__report__city_id", "conclusion__kind", "topic_id")
        .distinct()
    ):
        marks[city_id, topic_id].add(kind)
    return [
        {
            "city": city,
            "cells": [
                {
                    "topic": topic,
                    "share": Conclusion.Kind.SHARE in marks[city.pk, topic.pk],
                    "look_at": Conclusion.Kind.LOOK_AT in marks[city.pk, topic.pk],
                }
                for topic in topics
            ],
        }
        for city in cities
    ]


def topic_totals(round, user, topics):
    """Per topic, how many of the cities `user` may see may share it and may look at it."""
    counts = defaultdict(set)
    for city_id, kind, topic_id in (
        only_detail_cities(
            Through.objects.filter(conclusion__report__round=round), user, round, "conclusion__report__city"
        )
        .values_list("conclusion__report__city_id", "conclusion__kind", "topic_id")
        .distinct()
    ):
        counts[topic_id, kind].add(city_id)
    return [
        {
            "topic": t,
            "share": len(counts[t.pk, Conclusion.Kind.SHARE]),
            "look_at": len(counts[t.pk, Conclusion.Kind.LOOK_AT]),
        }
        for t in topics
    ]


@dataclass
class Partner:
    """Another city's conclusion matching one of ours on `topics` (names, sorted)."""

    city_name: str
    city_slug: str
    conclusion_id: int
    topics: list[str]
    text: str = ""
    url: str = ""


@dataclass
class ConclusionMatches:
    conclusion: Conclusion
    partners: list[Partner] = field(default_factory=list)
    more: int = 0  # further visible partner conclusions, not listed
    hidden: int = 0  # cities whose details the user may not see, only counted

    @property
    def topic_names(self):
        return sorted(t.name for t in self.conclusion.topics.all())


def _ranked_matches(conclusions, round, city_id, topic_ids):
    """{conclusion id: [(-topics in common, city name, position, partner conclusion id, city slug,
    city id, topic ids in common)], best first} for `conclusions` (one city's) against every other
    city's of `round`, whoever may see them. Ranking reads every conclusion of the round on these
    topics, so it runs once per change of any report or conclusion (the reports stamp) or of the
    cities and topics (the content stamp), and is then kept in the cache (`versioned`), exactly:
    a coordinator who edits a conclusion looks for it among the other cities' partners at once."""
    own = sorted((c.pk, c.kind, tuple(sorted(t.pk for t in c.topics.all()))) for c in conclusions)
    return versioned(
        ("partner-matches", round.pk, city_id, own),
        stamps.content_stamps([], extra=[stamps.REPORTS_STAMP]),
        lambda: _rank_matches(conclusions, round, city_id, topic_ids),
    )


def _rank_matches(conclusions, round, city_id, topic_ids):
    rows = (
        Through.objects.filter(conclusion__report__round=round, topic_id__in=topic_ids)
        .exclude(conclusion__report__city_id=city_id)
        .values_list(
            "conclusion_id",
            "conclusion__kind",
            "topic_id",
            "conclusion__report__city_id",
            "conclusion__report__city__name",
            "conclusion__report__city__slug",
            "conclusion__position",
        )
    )
    by_conclusion = {}  # partner conclusion id -> (kind, city id, name, slug, position, topic ids)
    for pk, kind, topic_id, other_city, name, slug, position in rows:
        entry = by_conclusion.setdefault(pk, (kind, other_city, name, slug, position, set()))
        entry[5].add(topic_id)
    ranked = {}
    for conclusion in conclusions:
        own_topics = {t.pk for t in conclusion.topics.all()}
        wanted = OPPOSITE[conclusion.kind]
        ranked[conclusion.pk] = sorted(
            (-len(common), name, position, pk, slug, other_city, tuple(sorted(common)))
            for pk, (kind, other_city, name, slug, position, topics) in by_conclusion.items()
            if kind == wanted and (common := own_topics & topics)
        )
    return ranked


def _match(conclusions, round, city_id, visible_cities, limit):
    """The partners of each of `conclusions` (one city's, prefetched with topics), in a fixed
    number of queries: cities in `visible_cities` named, others counted."""
    results = [ConclusionMatches(c) for c in conclusions]
    topic_ids = {t.pk for c in conclusions for t in c.topics.all()}
    if not topic_ids:
        return results
    names = dict(Topic.objects.filter(pk__in=topic_ids).values_list("pk", "name"))
    ranked = _ranked_matches(conclusions, round, city_id, topic_ids)
    visible = set(visible_cities.values_list("pk", flat=True))
    shown = []
    for result in results:
        candidates, hidden = [], set()
        for candidate in ranked[result.conclusion.pk]:
            if candidate[5] in visible:
                candidates.append(candidate)
            else:
                hidden.add(candidate[5])
        result.hidden = len(hidden)
        result.more = max(0, len(candidates) - limit)
        result.partners = [
            Partner(name, slug, pk, sorted(names[t] for t in common))
            for _, name, _, pk, slug, _, common in candidates[:limit]
        ]
        shown += result.partners
    texts = dict(Conclusion.objects.filter(pk__in=[p.conclusion_id for p in shown]).values_list("pk", "text"))
    for partner in shown:
        partner.text = texts.get(partner.conclusion_id, "")
        partner.url = reverse("reports:city", args=[partner.city_slug, round.name])
    return results


def city_partners(city, round, user):
    """For each of `city`'s conclusions of `round`, the matching conclusions of other cities."""
    conclusions = list(
        Conclusion.objects.filter(report__city=city, report__round=round)
        .prefetch_related("topics")
        .order_by("-kind", "position", "pk")
    )
    return _match(conclusions, round, city.pk, detail_cities(user, round), MAX_PARTNERS)


def conclusion_matches(conclusions):
    """For the city report (HTML and PDF, whoever reads it): by conclusion id, the best matching
    conclusions of cities whose reports are published, as dicts with "city", "text", "url" and
    "topics". Unpublished cities are never named in a report."""
    conclusions = list(conclusions)
    if not conclusions:
        return {}
    report = CityReport.objects.select_related("round").get(pk=conclusions[0].report_id)
    published = City.objects.filter(
        pk__in=CityReport.objects.filter(round=report.round, published=True).values("city_id")
    )
    results = _match(conclusions, report.round, report.city_id, published, MAX_REPORT_MATCHES)
    return {
        r.conclusion.pk: [{"city": p.city_name, "text": p.text, "url": p.url, "topics": p.topics} for p in r.partners]
        for r in results
    }


# --- suggestions from the sheets ---------------------------------------------------------------


@dataclass
class Opportunity:
    """A statement where the partner's consolidated answer is yes and ours is `own` (no / no data)."""

    statement: Statement
    own: str
    notes: list[tuple[str, str]] = field(default_factory=list)  # (respondent, annotation) of the partner

    @property
    def own_label(self):
        return consolidation.LABELS[self.own]


@dataclass
class Suggestion:
    partner: City
    topic: Topic | None
    opportunities: list[Opportunity]
    levels: list[int]  # the levels of the statements, sorted, without repeats

    @property
    def count(self):
        return len(self.opportunities)

    @property
    def topic_slug(self):
        return self.topic.slug if self.topic else ""

    def conclusion_text(self, city):
        about = self.topic.name.lower() if self.topic else "the statements below"
        statements = "; ".join(f"“{_short(o.statement.text)}”" for o in self.opportunities[:3])
        more = f" and {self.count - 3} more" if self.count > 3 else ""
        return (
            f"{self.partner.name}’s experience with regard to {about}: {self.partner.name} answers yes where "
            f"{city.name} does not yet ({statements}{more})"
        )[:2000]


def _short(text, length=90):
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def own_answers(city, round):
    """{statement id: consolidated answer} of `city`'s sheets in `round` (one query)."""
    rows = consolidation.consolidated_answers(
        Answer.objects.filter(respondent__sheet__city=city, respondent__sheet__round=round), "statement_id"
    )
    return {row["statement_id"]: row["consolidated"] for row in rows}


def _partner_yes(city, round, gaps):
    """Rows (k_city, k_statement) of the statements in `gaps` that another city answers yes
    (consolidated), as a queryset: one row per partner city and statement. Every city of the
    round: what a user may see is filtered from the ranking (`_ranked_partners`)."""
    # Whether a partner's answer is yes depends on its yes and no answers only: the others are
    # left out of the aggregation, which gives the same consolidated yes with fewer rows.
    answers = (
        Answer.objects.filter(
            respondent__sheet__round=round, statement_id__in=gaps, value__in=(consolidation.YES, consolidation.NO)
        )
        .exclude(respondent__sheet__city=city)
        .annotate(k_city=F("respondent__sheet__city_id"), k_statement=F("statement_id"))
    )
    return consolidation.consolidated_answers(answers, "k_city", "k_statement").filter(consolidated=consolidation.YES)


def _ranked_partners(city, round, gaps):
    """[(partner city id, topic id or None)]: the groups of every other city of the round, ranked
    (`_ranked_groups`). Ranking scans the answers of the whole round, so it runs once per change of
    the round's sheets (`Round.sheets_stamp`) or of the checklists, cities and topics (the content
    stamp), and is then kept in the cache (`versioned`). Every save in the round is such a change,
    so a ranking is still used for `COHORT_FIGURES_MAX_AGE` seconds after one; the city's own
    gaps are part of its key, so that its own answers show in its suggestions at once."""
    return versioned(
        ("suggestion-ranking", city.pk, round.pk, sorted(gaps)),
        stamps.round_stamp(round),
        lambda: _ranked_groups(_partner_yes(city, round, gaps), 0, ALL)[0],
        max_age=settings.COHORT_FIGURES_MAX_AGE,
    )


def _ranked_groups(pairs, offset, limit):
    """[(city id, topic id or None)] of the groups of `pairs` (from `_partner_yes`) by partner and
    topic, ranked in the database, from `offset`, at most `limit`; and how many groups there are."""
    sql, params = pairs.query.sql_with_params()
    q = connection.ops.quote_name
    tables = {
        name: q(model._meta.db_table)
        for name, model in (
            ("statement", Statement),
            ("level", Level),
            ("city", City),
            ("topic", Topic),
            ("statement_topics", Statement.topics.through),
        )
    }
    query = (
        f"SELECT t.{q('k_city')}, x.{q('topic_id')}, COUNT(*) OVER () "
        f"FROM ({sql}) t "
        f"JOIN {tables['statement']} st ON st.{q('id')} = t.{q('k_statement')} "
        f"JOIN {tables['level']} l ON l.{q('id')} = st.{q('level_id')} "
        f"JOIN {tables['city']} c ON c.{q('id')} = t.{q('k_city')} "
        f"LEFT JOIN {tables['statement_topics']} x ON x.{q('statement_id')} = t.{q('k_statement')} "
        f"LEFT JOIN {tables['topic']} tp ON tp.{q('id')} = x.{q('topic_id')} "
        f"GROUP BY t.{q('k_city')}, x.{q('topic_id')}, c.{q('name')}, tp.{q('name')} "
        # More statements first, then lower levels (the lowest, then the average), then by name.
        f"ORDER BY COUNT(*) DESC, MIN(l.{q('number')}), AVG(l.{q('number')}), c.{q('name')}, "
        f"CASE WHEN tp.{q('name')} IS NULL THEN 1 ELSE 0 END, tp.{q('name')}, t.{q('k_city')}, x.{q('topic_id')} "
        f"LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, (*params, limit, offset))
        rows = cursor.fetchall()
    return [(city_id, topic_id) for city_id, topic_id, _ in rows], (rows[0][2] if rows else 0)


def _suggestions(city, round, user, *, partner=None, offset=0, limit=None):
    """(ranked suggestions from `offset`, at most `limit`, total number), in a fixed number of
    queries: the grouping and ranking run in the database (once per change, `_ranked_partners`),
    only the page is built here."""
    own = own_answers(city, round)
    gaps = {pk for pk, value in own.items() if value in (consolidation.NO, consolidation.NO_DATA)}
    if not gaps:
        return [], 0
    ranked = _ranked_partners(city, round, gaps)
    if not (user.is_authenticated and user.is_staff):
        visible = set(detail_cities(user, round).values_list("pk", flat=True))
        ranked = [group for group in ranked if group[0] in visible]
    if partner is not None:
        ranked = [group for group in ranked if group[0] == partner.pk]
    total = len(ranked)
    groups = ranked[offset:] if limit is None else ranked[offset : offset + limit]
    if not groups:
        return [], total
    page_cities = {city_id for city_id, _ in groups}
    # The page's partners' yes, looked up by their columns only (a few hundred answers): with a
    # filter on the statements too, SQLite and PostgreSQL may scan those statements in every city.
    columns = list(
        Respondent.objects.filter(sheet__round=round, sheet__city__in=page_cities).values_list("pk", flat=True)
    )
    yes = defaultdict(list)  # partner city -> statements it answers yes
    for city_id, statement_id in (
        consolidation.consolidated_answers(
            Answer.objects.filter(respondent_id__in=columns, value__in=(consolidation.YES, consolidation.NO)),
            "respondent__sheet__city_id",
            "statement_id",
        )
        .filter(consolidated=consolidation.YES)
        .values_list("respondent__sheet__city_id", "statement_id")
    ):
        if statement_id in gaps:
            yes[city_id].append(statement_id)
    statements = (
        Statement.objects.select_related("level__checklist__stakeholder_type").prefetch_related("topics").in_bulk(gaps)
    )
    partners = City.objects.in_bulk(page_cities)
    topics = Topic.objects.in_bulk({topic_id for _, topic_id in groups if topic_id})
    topic_ids = {pk: {t.pk for t in statement.topics.all()} for pk, statement in statements.items()}
    result = []
    for city_id, topic_id in groups:
        ids = sorted(
            (pk for pk in yes[city_id] if (topic_id in topic_ids[pk] if topic_id else not topic_ids[pk])),
            key=lambda pk: (statements[pk].level.number, statements[pk].position, pk),
        )
        result.append(
            Suggestion(
                partners[city_id],
                topics.get(topic_id),
                [Opportunity(statements[pk], own[pk]) for pk in ids],
                sorted({statements[pk].level.number for pk in ids}),
            )
        )
    return result, total


def suggestions(city, round, user):
    """All the learning opportunities of `city` in `round` from the cities `user` may see in detail,
    ranked; each with its statements (see `suggestion_page` for one page of them)."""
    return _suggestions(city, round, user)[0]


LAST_PAGE_BOUND = 10**6


def suggestion_page(city, round, user, number, size):
    """Page `number` (from 1; the last page when beyond it) of `city`'s ranked suggestions, and how
    many there are in all: the cost of a page does not grow with the number of partners."""
    # Beyond any real page, and below the database's largest offset, a number shows the last page.
    number = min(max(1, number), LAST_PAGE_BOUND)
    page, total = _suggestions(city, round, user, offset=(number - 1) * size, limit=size)
    if not page and number > 1:  # beyond the last page: count, then show the last one
        total = _suggestions(city, round, user, offset=0, limit=1)[1]
        number = max(1, (total - 1) // size + 1)
        page, total = _suggestions(city, round, user, offset=(number - 1) * size, limit=size)
    return page, total, number


def attach_notes(suggestions, round):
    """Put the partners' annotations on the opportunities of `suggestions` (a page of them), in one
    query. Only call it with suggestions from `suggestions()`, whose partners the user may see."""
    wanted = {(s.partner.pk, o.statement.pk) for s in suggestions for o in s.opportunities}
    if not wanted:
        return suggestions
    notes = defaultdict(list)
    for city_id, statement_id, name, note in (
        Answer.objects.filter(
            respondent_id__in=list(
                Respondent.objects.filter(sheet__round=round, sheet__city_id__in={c for c, _ in wanted}).values_list(
                    "pk", flat=True
                )
            ),
        )
        .exclude(note="")
        .order_by("respondent__position", "respondent_id")
        .values_list("respondent__sheet__city_id", "statement_id", "respondent__organisation__name", "note")
    ):
        if (city_id, statement_id) in wanted:
            notes[city_id, statement_id].append((name, note))
    for suggestion in suggestions:
        for opportunity in suggestion.opportunities:
            opportunity.notes = notes.get((suggestion.partner.pk, opportunity.statement.pk), [])
    return suggestions


def find_suggestion(city, round, user, partner_slug, topic_slug):
    """The suggestion of partner `partner_slug` on topic `topic_slug` ('' for statements without a
    topic), if `user` may see it, else None."""
    partner = City.objects.filter(slug=partner_slug).first()
    if partner is None:
        return None
    for suggestion in _suggestions(city, round, user, partner=partner)[0]:
        if suggestion.topic_slug == (topic_slug or ""):
            return suggestion
    return None


class AlreadyConcluded(Exception):
    """The report already has this "may look at" conclusion."""


@transaction.atomic
def add_look_at(city, round, suggestion, user):
    """Turn `suggestion` into a "may look at" conclusion of `city`'s report (created if missing),
    recorded in the history as `user`'s change."""
    report, _ = CityReport.objects.select_for_update().get_or_create(city=city, round=round)
    text = suggestion.conclusion_text(city)
    if report.conclusions.filter(kind=Conclusion.Kind.LOOK_AT, text=text).exists():
        raise AlreadyConcluded(text)
    last = report.conclusions.filter(kind=Conclusion.Kind.LOOK_AT).aggregate(last=Max("position"))["last"] or 0
    conclusion = Conclusion(report=report, kind=Conclusion.Kind.LOOK_AT, position=last + 1, text=text)
    conclusion._history_user = user
    conclusion.save()
    if suggestion.topic:
        conclusion.topics.add(suggestion.topic)
    # A new report version, so that a report edit begun before this one sees a conflict.
    report.record_change(user, reason(Reason.SUGGESTION), update_fields=[])
    return conclusion
