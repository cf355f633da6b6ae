"""The guidance pages: the modules, each statement on its own page, and search. Any signed-in user
may read them: the guidance is the OECD's published advice, not a city's data."""

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from guidance.models import GuidanceModule, GuidanceStatement
from guidance.search import MAX_TERMS, search as search_guidance
from guidance.rating import rounds_to_assess
from translations.lookup import with_translations

MAX_QUERY_LENGTH = 200


@login_required
def index(request):
    modules = GuidanceModule.objects.prefetch_related(
        *with_translations(""),
        Prefetch(
            "statements",
            queryset=GuidanceStatement.objects.order_by("position").prefetch_related(*with_translations("")),
        ),
    )
    return render(
        request,
        "guidance/index.html",
        {
            "modules": modules,
            "self_assessments": rounds_to_assess(request.user),
        },
    )


@login_required
def module(request, module):
    module = get_object_or_404(
        GuidanceModule.objects.prefetch_related("references", *with_translations("")), number=module
    )
    statements = module.statements.prefetch_related("topics", *with_translations("", "topics")).order_by("position")
    return render(
        request,
        "guidance/module.html",
        {
            "module": module,
            "statements": statements,
            "self_assessments": rounds_to_assess(request.user),
        },
    )


@login_required
def statement(request, module, number):
    statement = get_object_or_404(GuidanceStatement.objects.with_content(), module__number=module, number=number)
    siblings = list(
        GuidanceStatement.objects.filter(module=statement.module).order_by("position").only("number", "text", "module")
    )
    index = [s.pk for s in siblings].index(statement.pk)
    return render(
        request,
        "guidance/statement.html",
        {
            "module": statement.module,
            "statement": statement,
            "previous": siblings[index - 1] if index > 0 else None,
            "next": siblings[index + 1] if index + 1 < len(siblings) else None,
        },
    )


@login_required
def search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    hits = search_guidance(query) if query else []
    return render(request, "guidance/search.html", {"query": query, "hits": hits, "max_terms": MAX_TERMS})
