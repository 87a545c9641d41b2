"""Province staff edit framework versions in the Wagtail admin and publish them."""

from __future__ import annotations

from django.contrib import messages
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views.generic import CreateView, EditView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy

from organisations.selectors import user_is_province_staff

from .admin_forms import FrameworkVersionForm
from .errors import AssessmentError
from .framework import FrameworkError
from .models import FrameworkVersion
from .services.frameworks import framework_version_publish


class ProvinceStaffPolicy(BasePermissionPolicy):
    """Province staff (and superusers) may do everything; nobody else anything.

    Published versions are protected by the form and by delete rules below.
    """

    def user_has_permission(self, user, action):
        return user_is_province_staff(user=user)

    def user_has_any_permission(self, user, actions):
        return user_is_province_staff(user=user)

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "delete" and (
            instance.status != FrameworkVersion.Status.DRAFT
            or instance.assessments.exists()
        ):
            return False
        return user_is_province_staff(user=user)


class _PublishAfterSave:
    """Create/edit views: save the draft, then publish it if staff ticked the box."""

    def save_instance(self):
        instance = super().save_instance()
        if self.form.cleaned_data.get("publish"):
            try:
                framework_version_publish(version=instance)
            except (FrameworkError, AssessmentError) as error:
                messages.error(self.request, str(error))
            else:
                messages.success(
                    self.request, _("Version published: new assessments use it.")
                )
        return instance


class FrameworkVersionCreateView(_PublishAfterSave, CreateView):
    pass


class FrameworkVersionEditView(_PublishAfterSave, EditView):
    pass


class FrameworkVersionViewSet(ModelViewSet):
    model = FrameworkVersion
    add_view_class = FrameworkVersionCreateView
    edit_view_class = FrameworkVersionEditView
    icon = "form"
    menu_label = _("Assessment frameworks")
    add_to_admin_menu = True
    menu_order = 900
    list_display = ["code", "version", "status", "published_at", "created_at"]
    list_filter = ["status"]
    ordering = ["code", "-created_at"]
    inspect_view_enabled = True

    @property
    def permission_policy(self):
        return ProvinceStaffPolicy(FrameworkVersion)

    def get_form_class(self, for_update=False):
        return FrameworkVersionForm


@hooks.register("register_admin_viewset")
def register_framework_viewset():
    return FrameworkVersionViewSet("assessment_frameworks")
