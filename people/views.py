"""Staff invite people and manage their invitations; invited people accept and choose a password;
everyone sets the language of their e-mails."""

import logging
import smtplib

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.permissions import staff_required
from people import invitations, throttle
from people.forms import InvitationForm, ProfileForm
from people.invitations import InvitationError
from people.models import Invitation, Profile
from people.tokens import open_invitation

log = logging.getLogger(__name__)
SESSION_KEY = "people_invitation_token"
MAIL_FAILED = (OSError, smtplib.SMTPException)


@staff_required
def index(request):
    people = Invitation.objects.select_related("invited_by", "user").prefetch_related("cities")
    return render(request, "people/index.html", {"invitations": people})


@staff_required
def invite(request):
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = invitations.invite(
                email=data["email"],
                role=data["role"],
                cities=data["cities"],
                language=data["language"],
                by=request.user,
            )
        except MAIL_FAILED:
            log.exception("The invitation to %s could not be sent", data["email"])
            messages.error(
                request,
                _(
                    "The e-mail could not be sent, so nobody was invited. Try again later, "
                    "or ask whoever runs the mail server."
                ),
            )
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect("people:index")
    return render(request, "people/invite.html", {"form": form})


def _open_invitation_or_404(pk):
    invitation = get_object_or_404(Invitation, pk=pk)
    if not invitation.is_open:
        raise PermissionDenied
    return invitation


@staff_required
@require_POST
def resend(request, invitation):
    invitation = _open_invitation_or_404(invitation)
    try:
        invitations.resend(invitation)
    except MAIL_FAILED:
        log.exception("The invitation to %s could not be sent again", invitation.email)
        messages.error(request, _("The e-mail could not be sent; the earlier link still works. Try again later."))
    else:
        messages.success(
            request,
            _("Invitation sent again to %(email)s; earlier links no longer work.") % {"email": invitation.email},
        )
    return redirect("people:index")


@staff_required
@require_POST
def revoke(request, invitation):
    invitation = _open_invitation_or_404(invitation)
    invitations.revoke(invitation)
    messages.success(
        request, _("The invitation to %(email)s was revoked: its link no longer works.") % {"email": invitation.email}
    )
    return redirect("people:index")


@staff_required
@require_POST
def set_active(request, account):
    """Deactivate (or activate again) the account an invitation created; staff accounts are
    managed in the administration."""
    user = get_object_or_404(get_user_model(), pk=account, invitations__isnull=False, is_staff=False)
    user.is_active = request.POST.get("active") == "1"
    user.save(update_fields=["is_active"])
    if user.is_active:
        messages.success(request, _("%(email)s can sign in again.") % {"email": user.email})
    else:
        messages.success(request, _("%(email)s can no longer sign in.") % {"email": user.email})
    return redirect("people:index")


def accept_link(request, token):
    """The link of the e-mail: keep its token in the session and answer from an address without it,
    so that it reaches no log, browser history or Referer header, whatever the answer is."""
    if not throttle.is_blocked(request):
        request.session[SESSION_KEY] = token
    return redirect("people:accept")


def accept(request):
    if throttle.is_blocked(request):
        return render(request, "people/accept_throttled.html", status=429)
    token = request.session.get(SESSION_KEY)
    invitation = open_invitation(token) if token else None
    if invitation is None:
        if token:
            throttle.record_failure(request)
            del request.session[SESSION_KEY]
        return render(request, "people/accept_invalid.html", status=400)
    form = SetPasswordForm(get_user_model()(username=invitation.email, email=invitation.email), request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitations.accept(invitation, form.cleaned_data["new_password1"])
        except InvitationError:
            return render(request, "people/accept_invalid.html", status=400)
        request.session.pop(SESSION_KEY, None)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _("Welcome to MEGA Benchmark. Sign in next time with %(email)s and your password.")
            % {"email": user.username},
        )
        return redirect("home")
    return render(request, "people/accept.html", {"form": form, "invitation": invitation})


@login_required
def profile(request):
    instance = Profile.objects.filter(user=request.user).first() or Profile(user=request.user)
    form = ProfileForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request,
            _("Saved: e-mails will be written in %(language)s.") % {"language": instance.get_language_display()},
        )
        return redirect("people:profile")
    return render(request, "people/profile.html", {"form": form})
