"""Matching cities and comparing them: the round's matching grid, a city's partners, its
suggestions from the sheets, its comparison with the cohort, and its rounds over time.

Access is decided in `permissions`; what is shown of other cities in `matches` and `comparison`.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from assessments.models import Round, Topic
from assessments.permissions import can_edit, can_read, city_round_for_user, round_for_user
from downloads.views import pdf_download
from matching import comparison as comparing
from matching import matches, over_time
from stakeholders.models import City
from translations.lookup import translated

GRID_PAGE = 50
SUGGESTIONS_PAGE = 20


def _city_rounds(city):
    return list(Round.objects.filter(sheets__city=city).distinct().order_by("name"))


def _tools(request, city, round):
    """What the city's pages link to (the navigation shared by its matching and comparison pages)."""
    return {
        "city": city,
        "round": round,
        "rounds": _city_rounds(city),
        "can_read": can_read(request.user, city),
        "can_edit": can_edit(request.user, city),
    }


@login_required
def matching(request, round):
    round = round_for_user(request.user, round)
    topics = list(Topic.objects.order_by("name"))
    page = Paginator(matches.grid_cities(round, request.user), GRID_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "matching/matching.html",
        {
            "round": round,
            "topics": topics,
            "page": page,
            "rows": matches.topic_grid(round, page.object_list, topics),
            "totals": matches.topic_totals(round, request.user, topics),
        },
    )


@login_required
def partners(request, city, round):
    city, round = city_round_for_user(request.user, city, round, published_ok=True)
    return render(
        request,
        "matching/matching_partners.html",
        {
            **_tools(request, city, round),
            "matches": matches.city_partners(city, round, request.user),
            "sample_slugs": set(City.objects.filter(is_sample=True).values_list("slug", flat=True)),
            "max_partners": matches.MAX_PARTNERS,
        },
    )


@login_required
def suggestions(request, city, round):
    city, round = city_round_for_user(request.user, city, round)
    try:
        number = int(request.GET.get("page", 1))
    except ValueError:
        number = 1
    items, total, number = matches.suggestion_page(city, round, request.user, number, SUGGESTIONS_PAGE)
    # The suggestions are ranked and paged in the database; the paginator only does the arithmetic.
    page = Page(matches.attach_notes(items, round), number, Paginator(range(total), SUGGESTIONS_PAGE))
    return render(request, "matching/suggestions.html", {**_tools(request, city, round), "page": page})


@login_required
@require_POST
def add_suggestion(request, city, round):
    city, round = city_round_for_user(request.user, city, round, edit=True)
    suggestion = matches.find_suggestion(
        city, round, request.user, request.POST.get("partner", ""), request.POST.get("topic", "")
    )
    if suggestion is None:
        messages.error(request, _("This suggestion no longer applies (the answers have changed): nothing was added."))
    else:
        try:
            matches.add_look_at(city, round, suggestion, request.user)
        except matches.AlreadyConcluded:
            messages.info(request, _("The report already has this “may look at” conclusion: nothing was added."))
        else:
            partner = suggestion.partner.name + (
                f" – {translated(suggestion.topic, 'name')}" if suggestion.topic else ""
            )
            messages.success(
                request,
                _("Added to %(city)s’s report as “may look at”: %(partner)s.")
                % {"city": city.name, "partner": partner},
            )
    return redirect("matching:suggestions", city.slug, round.name)


@login_required
def comparison(request, city, round):
    city, round = city_round_for_user(request.user, city, round)
    data = comparing.comparison(city, round, request.user, request.GET.get("cohort", "round"))
    return render(request, "matching/comparison.html", {**_tools(request, city, round), "data": data})


@login_required
@require_safe
def comparison_pdf(request, city, round):
    """The comparison as a PDF: the same chart (the same SVG) and table as the page."""
    city, round = city_round_for_user(request.user, city, round)
    data = comparing.comparison(city, round, request.user, request.GET.get("cohort", "round"))
    html = render_to_string("matching/comparison_pdf.html", {"data": data})
    filename = f"mega-{city.slug}-{slugify(round.name)}-comparison-{slugify(data['cohort'])}.pdf"
    back = reverse("matching:comparison", args=[city.slug, round.name])
    return pdf_download(request, lambda: html, filename, back)


@login_required
def round_comparison(request, city, before, after):
    city, before_round = city_round_for_user(request.user, city, before)
    after_round = Round.objects.filter(name=after).first()
    if after_round is None:
        raise Http404("No such round")
    data = over_time.round_changes(city, before_round, after_round)
    return render(
        request,
        "matching/rounds_compare.html",
        {
            **_tools(request, city, after_round),
            "data": data,
            "changes": over_time.CHANGES,
        },
    )


class NewRoundForm(forms.Form):
    to_round = forms.ModelChoiceField(
        queryset=Round.objects.none(), label=gettext_lazy("New round"), to_field_name="name", empty_label=None
    )
    copy_answers = forms.BooleanField(
        required=False,
        label=gettext_lazy("Copy the answers and annotations"),
        help_text=gettext_lazy(
            "Otherwise the new sheets start blank, with the same respondents and checklist versions."
        ),
    )

    def __init__(self, *args, city, from_round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_round"].queryset = Round.objects.exclude(pk=from_round.pk).exclude(sheets__city=city)


@login_required
def new_round(request, city, round):
    city, round = city_round_for_user(request.user, city, round, edit=True)
    form = NewRoundForm(request.POST or None, city=city, from_round=round)
    if request.method == "POST" and form.is_valid():
        to_round = form.cleaned_data["to_round"]
        try:
            sheets = over_time.start_new_round(city, round, to_round, form.cleaned_data["copy_answers"], request.user)
        except over_time.NewRoundError as error:
            form.add_error(None, str(error))
        else:
            message = (
                _("Started round %(round)s for %(city)s: %(count)s sheets with the answers copied.")
                if form.cleaned_data["copy_answers"]
                else _("Started round %(round)s for %(city)s: %(count)s sheets, blank.")
            )
            messages.success(request, message % {"round": to_round.name, "city": city.name, "count": len(sheets)})
            return redirect("matching:rounds", city.slug, round.name, to_round.name)
    return render(
        request,
        "matching/rounds_new.html",
        {**_tools(request, city, round), "form": form},
        status=400 if form.errors else 200,
    )
