"""Writes of the assessment app, one module per concern.

- ``frameworks``: load, publish and copy framework versions;
- ``answers``: validate and save the wizard's answers;
- ``submissions``: start, submit and delete an assessment;
- ``totals``: the province running totals and the figures stamp.

Import from the concern's module. The names below stay importable from
``assessment.services`` only for ``assessment/demo.py``, which the demo app
replaces; drop them when it has moved.
"""

from .answers import AnswerData, assessment_answers_save
from .frameworks import framework_version_save
from .submissions import assessment_start, assessment_submit, quarter_of
from .totals import criterion_totals_rebuild

__all__ = [
    "AnswerData",
    "assessment_answers_save",
    "assessment_start",
    "assessment_submit",
    "criterion_totals_rebuild",
    "framework_version_save",
    "quarter_of",
]
