from django.contrib import admin

from people.models import Invitation, Profile, ReminderSent


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "role", "sent_at", "accepted_at", "revoked_at"]
    list_filter = ["role"]
    search_fields = ["email"]
    readonly_fields = ["created_at", "sent_at", "accepted_at", "user", "revoked_at", "invited_by"]

    def has_add_permission(self, request):
        # Invitations are made on the People page, which e-mails them.
        return False


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "language"]
    search_fields = ["user__username", "user__email"]


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ["user", "round", "days_before", "sent_at"]
    list_filter = ["round"]
