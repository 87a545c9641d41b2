"""Forms of the wizard: one step per pillar, built from the framework data."""

from __future__ import annotations

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.digits import AsciiFloatField, AsciiIntegerField
from organisations.models import Commune, Organisation

from .framework import Criterion, Pillar
from .models import Answer
from .services.answers import AnswerData

NOT_APPLICABLE = "na"
FIELD_PREFIX = "c_"
NOTE_PREFIX = "note_"
NA_PREFIX = "na_"


def _field_name(code: str) -> str:
    return f"{FIELD_PREFIX}{code}"


class StepForm(forms.Form):
    """Every question of one pillar; all fields optional (the review lists gaps)."""

    revision = AsciiIntegerField(widget=forms.HiddenInput, min_value=0)
    force = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, pillar: Pillar, language: str, **kwargs):
        self.pillar = pillar
        super().__init__(*args, **kwargs)
        for criterion in pillar.criteria:
            self.fields[_field_name(criterion.code)] = self._answer_field(
                criterion, language
            )
            if criterion.kind == "share" and criterion.allow_not_applicable:
                self.fields[f"{NA_PREFIX}{criterion.code}"] = forms.BooleanField(
                    required=False, label=_("Not applicable")
                )
            self.fields[f"{NOTE_PREFIX}{criterion.code}"] = forms.CharField(
                required=False,
                max_length=1000,
                label=_("Note (optional)"),
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    @staticmethod
    def _answer_field(criterion: Criterion, language: str) -> forms.Field:
        label = f"{criterion.code}. {criterion.text.get(language)}"
        help_text = criterion.help.get(language)
        if criterion.kind == "ladder":
            choices: list[tuple[str, str | Promise]] = [
                (str(index), option.label.get(language))
                for index, option in enumerate(criterion.options)
            ]
            if criterion.allow_not_applicable:
                choices.append((NOT_APPLICABLE, _("Not applicable")))
            return forms.ChoiceField(
                choices=choices,
                required=False,
                label=label,
                help_text=help_text,
                widget=forms.RadioSelect,
            )
        return AsciiFloatField(
            required=False,
            min_value=0,
            max_value=100,
            label=label,
            help_text=help_text,
            widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        )

    def clean(self):
        cleaned = super().clean()
        # Field names of questions that are not in this step (another version of
        # the framework, a tampered form) are refused, not silently dropped.
        known = set(self.fields) | {"csrfmiddlewaretoken", "action"}
        unknown = sorted(
            key
            for key in self.data
            if key.startswith((FIELD_PREFIX, NOTE_PREFIX, NA_PREFIX))
            and key not in known
        )
        if unknown:
            raise forms.ValidationError(
                _(
                    "Some answers belong to questions that are not in this step of this "
                    "framework version: %(codes)s. Reload the page and answer again."
                ),
                params={"codes": ", ".join(unknown[:10])},
                code="unknown_question",
            )
        return cleaned

    def answers(self) -> list[AnswerData]:
        result = []
        for criterion in self.pillar.criteria:
            raw = self.cleaned_data.get(_field_name(criterion.code))
            note = (
                self.cleaned_data.get(f"{NOTE_PREFIX}{criterion.code}") or ""
            ).strip()
            if criterion.kind == "ladder":
                not_applicable = raw == NOT_APPLICABLE
                option = int(raw) if raw not in (None, "", NOT_APPLICABLE) else None
                result.append(
                    AnswerData(criterion.code, option, None, not_applicable, note)
                )
            else:
                not_applicable = bool(
                    self.cleaned_data.get(f"{NA_PREFIX}{criterion.code}")
                )
                result.append(
                    AnswerData(
                        criterion.code,
                        None,
                        None if not_applicable else raw,
                        not_applicable,
                        note,
                    )
                )
        return result

    @classmethod
    def initial_from(cls, pillar: Pillar, answers: dict[str, Answer]) -> dict:
        initial: dict = {}
        for criterion in pillar.criteria:
            answer = answers.get(criterion.code)
            if answer is None:
                continue
            name = _field_name(criterion.code)
            if criterion.kind == "ladder":
                if answer.not_applicable:
                    initial[name] = NOT_APPLICABLE
                elif answer.option is not None:
                    initial[name] = str(answer.option)
            else:
                initial[name] = answer.share
                initial[f"{NA_PREFIX}{criterion.code}"] = answer.not_applicable
            initial[f"{NOTE_PREFIX}{criterion.code}"] = answer.note
        return initial


class OrganisationCreateForm(forms.ModelForm):
    commune = forms.ModelChoiceField(
        queryset=Commune.objects.all(), label=_("Commune or ward")
    )

    class Meta:
        model = Organisation
        fields = [
            "kind",
            "legal_name",
            "trading_name",
            "tax_code",
            "commune",
            "sector",
            "employees",
            "annual_revenue",
            "total_capital",
        ]
        field_classes = {
            "employees": AsciiIntegerField,
            "annual_revenue": AsciiIntegerField,
            "total_capital": AsciiIntegerField,
        }
