"""The Wagtail admin form of a framework version: JSON validated like a file."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .framework import FrameworkError, parse
from .models import FrameworkVersion
from .selectors import framework_published_latest


class FrameworkVersionForm(WagtailAdminModelForm):
    publish = forms.BooleanField(
        required=False,
        label=_("Publish this version after saving"),
        help_text=_(
            "New assessments then use it; the previous version is retired and "
            "earlier results keep the version they were taken against."
        ),
    )

    class Meta:
        model = FrameworkVersion
        fields = ["code", "version", "definition"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["definition"].widget = forms.Textarea(
            attrs={"rows": 30, "style": "font-family: monospace"}
        )
        if not self.is_bound and self.instance._state.adding:
            # A new draft starts as a copy of the published version.
            latest = framework_published_latest()
            if latest is not None:
                self.initial.setdefault("code", latest.code)
                self.initial.setdefault("definition", latest.definition)

    def clean(self):
        cleaned = super().clean()
        if (
            not self.instance._state.adding
            and self.instance.status != FrameworkVersion.Status.DRAFT
        ):
            raise forms.ValidationError(
                _(
                    "Published and retired versions cannot be changed: add a new "
                    "version instead (it starts as a copy of the published one)."
                )
            )
        definition = cleaned.get("definition")
        if definition is None:
            return cleaned
        try:
            framework = parse(definition)
        except FrameworkError as error:
            self.add_error("definition", list(error.errors))
            return cleaned
        if (framework.code, framework.version) != (
            cleaned.get("code"),
            cleaned.get("version"),
        ):
            self.add_error(
                "definition",
                _("The code and version inside the definition must match the fields."),
            )
        return cleaned
