"""The roles from the user admin: two actions on the user list, the same as
`manage.py grant_role USER redacteur|eindredacteur`."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .roles import ROLES, grant_role

User = get_user_model()


def _grant(request, queryset, role: str) -> None:
    names = []
    for user in queryset:
        grant_role(user=user, role=role)
        names.append(user.get_username())
    messages.success(
        request,
        gettext("%(role)s toegekend aan: %(users)s.")
        % {"role": ROLES[role].label, "users": ", ".join(names)},
    )


class RoleUserAdmin(UserAdmin):
    actions = ["grant_redacteur", "grant_eindredacteur"]

    @admin.action(description=_("Rol redacteur geven"), permissions=["change"])
    def grant_redacteur(self, request, queryset):
        _grant(request, queryset, "redacteur")

    @admin.action(description=_("Rol eindredacteur geven"), permissions=["change"])
    def grant_eindredacteur(self, request, queryset):
        _grant(request, queryset, "eindredacteur")


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, RoleUserAdmin)
