from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from assessments.models import Sheet


@login_required
def home(request):
    sheets = Sheet.objects.for_user(request.user).select_related("city", "round", "checklist__stakeholder_type")
    return render(request, "assessments/home.html", {"sheets": sheets})
