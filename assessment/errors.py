"""The assessment's exception family, the same shape as ``shop.errors``.

Each error has a stable ``code``, the HTTP ``status`` a view answers with and a
``message`` for the user (translated when raised). Views catch
``AssessmentError`` and show ``message``; every service raising these runs in
one transaction, so nothing is half-saved.

``assessment.framework.FrameworkError`` stays apart: framework parsing is pure
(no Django, so no translation) and reports a list of problems to an editor.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from .models import Answer


class AssessmentError(Exception):
    code = "assessment_error"
    status = 400
    default_message = _("Something in your request could not be processed.")

    def __init__(self, message=None) -> None:
        self.message = message or self.default_message
        super().__init__(str(self.message))


class AssessmentFrozen(AssessmentError):
    code = "frozen"
    status = 409
    default_message = _(
        "This assessment has been submitted and can no longer be changed. "
        "Start a new one to update your answers."
    )


class AnswerInvalid(AssessmentError):
    code = "answer_invalid"


class NoPublishedFramework(AssessmentError):
    code = "no_published_framework"
    status = 503
    default_message = _(
        "The assessment is not open yet: no framework has been published."
    )


class NotAllowed(AssessmentError):
    # 404, not 403: outsiders must not learn that an assessment exists.
    code = "not_allowed"
    status = 404


@dataclass(frozen=True)
class Conflict:
    criterion_code: str
    theirs: Answer


class StaleAnswers(AssessmentError):
    """Another member saved some of these answers after this form was opened."""

    code = "stale_answers"
    status = 409
    default_message = _(
        "Another member changed some of these answers while you were editing. "
        "Your entries are still in the form; compare them with the saved "
        "answers shown and save again to keep yours."
    )

    def __init__(self, *, conflicts: list[Conflict], revision: int) -> None:
        super().__init__()
        self.conflicts = conflicts
        self.revision = revision
