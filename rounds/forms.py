"""The forms of the round pages: a round with its checklist per stakeholder type, and a city to add."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import Checklist, Round
from stakeholders.models import City, StakeholderType

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RoundForm(forms.ModelForm):
    """A round's name and dates, and one checklist field per stakeholder type: the round answers
    exactly one version of each type's checklist."""

    class Meta:
        model = Round
        fields = ["name", "starts_on", "due_on", "publishes_on"]
        widgets = {"starts_on": DATE, "due_on": DATE, "publishes_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_on", "due_on", "publishes_on"):
            self.fields[name].required = True
        chosen = self.instance.checklist_of_type() if self.instance.pk else {}
        self.types = list(StakeholderType.objects.order_by("position", "name"))
        versions = {}
        for checklist in Checklist.objects.order_by("stakeholder_type__position", "-version"):
            versions.setdefault(checklist.stakeholder_type_id, []).append(checklist)
        for stype in self.types:
            options = versions.get(stype.pk, [])
            self.fields[self.checklist_field(stype)] = forms.ModelChoiceField(
                queryset=Checklist.objects.filter(stakeholder_type=stype),
                label=_("Checklist: %(type)s") % {"type": stype.display_name},
                initial=chosen[stype.pk].pk if stype.pk in chosen else (options[0].pk if options else None),
                empty_label=None,
            )
            self.fields[self.checklist_field(stype)].label_from_instance = lambda c: (
                _("version %(v)s") % {"v": c.version}
            )

    @staticmethod
    def checklist_field(stype):
        return f"checklist_{stype.slug}"

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name or "/" in name or not slugify(name) or name.lower() == "new":
            raise ValidationError(_("Give the round a name of letters and digits, e.g. “2026” (no “/”)."))
        return name

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            used = set(self.instance.sheets.values_list("checklist_id", flat=True))
            for stype in self.types:
                chosen = data.get(self.checklist_field(stype))
                if (
                    chosen
                    and chosen.pk not in used
                    and any(c in used for c in stype.checklists.values_list("pk", flat=True))
                ):
                    self.add_error(
                        self.checklist_field(stype),
                        _(
                            "Cities already answer another version of this checklist in this round; it cannot change now."
                        ),
                    )
        return data

    def save(self, commit=True):
        round = super().save(commit=commit)
        if commit:
            round.checklists.set([self.cleaned_data[self.checklist_field(stype)] for stype in self.types])
        return round


class AddCityForm(forms.Form):
    """Either an existing city, or a new one by name and country."""

    city = forms.ModelChoiceField(queryset=City.objects.none(), required=False, label=gettext_lazy("Existing city"))
    name = forms.CharField(max_length=120, required=False, label=gettext_lazy("or a new city’s name"))
    country = forms.CharField(max_length=80, required=False, label=gettext_lazy("the new city’s country"))

    def __init__(self, *args, round, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round
        # Any city validates, so that one already in the round gets a clear message; the list
        # offers only the others.
        field = self.fields["city"]
        field.queryset = City.objects.order_by("name")
        self.addable = list(City.objects.exclude(sheets__round=round).order_by("name"))
        field.choices = [("", "---------")] + [(c.pk, f"{c.name} ({c.country})") for c in self.addable]

    def clean(self):
        data = super().clean()
        city, name, country = data.get("city"), data.get("name", "").strip(), data.get("country", "").strip()
        if self.errors:
            return data
        if city and (name or country):
            raise ValidationError(_("Choose an existing city or name a new one, not both."))
        if city:
            if city.sheets.filter(round=self.round).exists():
                raise ValidationError(
                    _("%(city)s is already in round %(round)s.") % {"city": city.name, "round": self.round.name}
                )
            return data
        if not name:
            raise ValidationError(_("Choose an existing city, or give a new city’s name and country."))
        if not country:
            self.add_error("country", _("Give the new city’s country."))
            return data
        slug = slugify(name)
        if not slug:
            self.add_error("name", _("The name needs at least one letter or digit."))
            return data
        existing = City.objects.filter(slug=slug).first()
        if existing is not None:
            if existing.sheets.filter(round=self.round).exists():
                raise ValidationError(
                    _("%(city)s is already in round %(round)s.") % {"city": existing.name, "round": self.round.name}
                )
            raise ValidationError(
                _("A city “%(city)s” exists already: choose it from the list.") % {"city": existing.name}
            )
        data["name"], data["country"], data["slug"] = name, country, slug
        return data

    def city_to_add(self):
        """The chosen city, or the new one (unsaved)."""
        data = self.cleaned_data
        return data["city"] or City(slug=data["slug"], name=data["name"], country=data["country"])


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label=gettext_lazy("Yes, archive what is written and take the city out of the round"))
