"""The one place that decides who may read or change what.

Every view and download fetches its object through these helpers. A person who may not
see an object gets 403 whether or not it exists, so ids and slugs never hint at a city
they are not assigned to; only staff, who may see everything, get 404 for what is missing.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from assessments.models import CityReport, Round, Sheet
from stakeholders.models import Assignment, City


def roles(user, city):
    """The roles `user` holds for `city` ('officer', 'coordinator'); staff hold none but may do all."""
    if not user.is_authenticated:
        return set()
    cache = getattr(user, "_mega_roles", None)
    if cache is None:
        cache = {}
        # Unordered: the model's ordering would join the user and city tables for nothing.
        for city_id, role in Assignment.objects.filter(user=user).order_by().values_list("city_id", "role"):
            cache.setdefault(city_id, set()).add(role)
        user._mega_roles = cache
    return cache.get(city.pk, set())


def can_read(user, city):
    return user.is_authenticated and (user.is_staff or bool(roles(user, city)))


def can_edit(user, city):
    return user.is_authenticated and (user.is_staff or Assignment.Role.OFFICER in roles(user, city))


def _missing(user):
    return Http404("Not found") if user.is_staff else PermissionDenied


def _authorise(user, city, *, edit):
    if not (can_edit(user, city) if edit else can_read(user, city)):
        raise PermissionDenied


def sheet_for_user(user, pk, *, edit=False):
    """The sheet `pk` with what a page needs of it, or 403/404."""
    # Unordered: the model's ordering (by city, round and type) costs this one-row query a sort.
    sheet = (
        Sheet.objects.select_related("city", "round", "checklist__stakeholder_type", "updated_by")
        .filter(pk=pk)
        .order_by()
        .first()
    )
    if sheet is None:
        raise _missing(user)
    # The city's own people need no query for "published" (most requests are theirs).
    if not edit and user.is_authenticated and not can_read(user, sheet.city) and is_published(sheet.city, sheet.round):
        return sheet
    _authorise(user, sheet.city, edit=edit)
    return sheet


def is_published(city, round):
    return CityReport.objects.filter(city=city, round=round, published=True).exists()


def report_for_user(user, city, round, *, edit=False):
    """The city report of (city, round); a published report is readable by every signed-in user.

    Returns (city, round, report-or-None): a round with sheets but no report text yet still
    has a report page.
    """
    city = City.objects.filter(slug=city).first()
    round = Round.objects.filter(name=round).first()
    report = (
        CityReport.objects.select_related("city", "round").filter(city=city, round=round).first()
        if city and round
        else None
    )
    published = bool(report and report.published)
    if city is None or round is None:
        raise _missing(user)
    if not (published and not edit):
        _authorise(user, city, edit=edit)
    if report is None and not Sheet.objects.filter(city=city, round=round).exists():
        raise Http404("This city has no benchmarking in this round")
    return city, round, report


def can_rate(user, city):
    """Whether `user` may give their own self-assessment ratings for `city`: its officers and
    coordinators each rate for themselves (a group assessment); staff may do all."""
    return can_read(user, city)


def self_assessment_for_user(user, city, round, *, rate=False):
    """(city, round) of a city's self-assessment, or 403/404.

    Rating (`rate=True`) needs `can_rate`; the group results are read like the sheets: by the
    city's people and staff, and by every signed-in user once the round's report is published.
    """
    city = City.objects.filter(slug=city).first()
    round = Round.objects.filter(name=round).first()
    if city is None or round is None:
        raise _missing(user)
    if rate:
        if not can_rate(user, city):
            raise PermissionDenied
    elif not (user.is_authenticated and is_published(city, round)):
        _authorise(user, city, edit=False)
    return city, round


# --- matching and comparing cities (issue 5) -------------------------------------------------


def detail_cities(user, round):
    """Cities whose answers, annotations and conclusion texts of `round` `user` may see in detail:
    the cities they are assigned to (every city for staff) and those whose report of the round is
    published. Other cities only ever count towards anonymous figures."""
    if not user.is_authenticated:
        return City.objects.none()
    if user.is_staff:
        return City.objects.all()
    return City.objects.filter(
        Q(pk__in=Assignment.objects.filter(user=user).values("city_id"))
        | Q(pk__in=CityReport.objects.filter(round=round, published=True).values("city_id"))
    )


def only_detail_cities(queryset, user, round, city_field):
    """`queryset` restricted to rows whose `city_field` is one of `detail_cities` (unchanged for
    staff, who see every city, so the database is spared a subquery)."""
    if user.is_authenticated and user.is_staff:
        return queryset
    return queryset.filter(**{f"{city_field}__in": detail_cities(user, round)})


def round_for_user(user, round):
    """A benchmarking round, for any signed-in user (what it shows is filtered by `detail_cities`)."""
    if not user.is_authenticated:
        raise PermissionDenied
    round = Round.objects.filter(name=round).first()
    if round is None:
        raise Http404("No such round")  # round names are not secret
    return round


def city_round_for_user(user, city, round, *, edit=False, published_ok=False):
    """(city, round) for a city's matching and comparison pages, or 403/404.

    Reading needs the city's own people or staff; with `published_ok`, a city whose report of the
    round is published is readable by every signed-in user. Editing needs an officer or staff.
    """
    city = City.objects.filter(slug=city).first()
    round = Round.objects.filter(name=round).first()
    if city is None or round is None:
        raise _missing(user)
    if not (published_ok and not edit and user.is_authenticated and is_published(city, round)):
        _authorise(user, city, edit=edit)
    return city, round


def staff_required(view):
    """Programme staff only: the sign-in page for visitors, 403 for everyone else signed in."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
