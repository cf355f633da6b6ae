from django.contrib import admin

from people.models import Invitation, Profile, ReminderSent


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "role", "sent_at", "accepted_at", "revoked_at"]
    list_filter = ["role"]
    search_fields = ["email"]

    # Invitations are made, sent again and revoked on the People page, which e-mails them and
    # retires old links; here they are only looked at.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "language"]
    search_fields = ["user__username", "user__email"]


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ["user", "round", "days_before", "sent_at"]
    list_filter = ["round"]
