from django import forms
from django.utils.translation import gettext_lazy as _

from people.invitations import address_taken
from people.models import Invitation, Profile
from stakeholders.models import Assignment, City


class InvitationForm(forms.ModelForm):
    # Declared so that the radio buttons offer the two roles only, without a blank choice.
    role = forms.ChoiceField(choices=Assignment.Role.choices, widget=forms.RadioSelect, label=_("Role"))
    cities = forms.ModelMultipleChoiceField(
        queryset=City.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Cities"),
        error_messages={"required": _("Choose at least one city.")},
    )

    class Meta:
        model = Invitation
        fields = ["email", "role", "cities", "language"]
        help_texts = {
            "email": _("The person signs in with this address as their username."),
            "language": _("The invitation and later e-mails are written in this language; the person can change it."),
        }

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if address_taken(email):
            raise forms.ValidationError(
                _(
                    "An account with this address already exists. Give it its cities in the administration "
                    "instead of inviting it again."
                )
            )
        if Invitation.objects.open().filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("This address has already been invited. Send the invitation again from the list of people.")
            )
        return email


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["language"]
        help_texts = {"language": _("The language of the e-mails MEGA Benchmark sends you.")}
