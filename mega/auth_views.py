"""Django's sign-in views, hardened: the password reset request is throttled, and signing out
clears what the browser kept for the person who leaves.

- Password reset: throttled per e-mail address and per client (mega/throttling.py). Over the
  limit the form says so and sends nothing, whether or not the address has an account: the page
  is the same for both, so it does not tell who has one.
- Sign-out: the sheet editor keeps unsaved answers in the browser's storage (per user, so they are
  never sent under another person's name); signing out asks the browser to clear the site's
  storage (`Clear-Site-Data`), so a shared computer keeps nothing of the officer who left.
"""

from django.contrib.auth import views as auth_views
from django.utils.translation import gettext_lazy as _

from mega.throttling import password_reset_allowed

TOO_MANY = _(
    "Too many password reset requests for this address or from this computer. Nothing was sent; "
    "try again in an hour, or ask an administrator."
)


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    def form_valid(self, form):
        if not password_reset_allowed(self.request, form.cleaned_data["email"]):
            form.add_error(None, TOO_MANY)
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)


class SignOutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"storage"'
        return response
