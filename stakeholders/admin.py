from django.contrib import admin

from stakeholders.models import Assignment, City, Organisation, StakeholderType


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 1
    autocomplete_fields = ["user"]


class OrganisationInline(admin.TabularInline):
    model = Organisation
    extra = 0


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "country", "size_band"]
    list_filter = ["country", "size_band"]
    search_fields = ["name", "slug", "country"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AssignmentInline, OrganisationInline]


@admin.register(StakeholderType)
class StakeholderTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    search_fields = ["name", "slug"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "stakeholder_type"]
    # By country, not by city: a filter would print every city. Search finds a city by name.
    list_filter = ["stakeholder_type", "city__country"]
    search_fields = ["name", "city__name"]
    autocomplete_fields = ["city"]
    list_select_related = ["city", "stakeholder_type"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "city", "role"]
    list_filter = ["role", "city__country"]
    search_fields = ["user__username", "user__email", "city__name"]
    autocomplete_fields = ["user", "city"]
    list_select_related = ["user", "city"]
