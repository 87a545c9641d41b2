"""Framework files: loading, validation errors, versions, publishing."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from assessment.errors import AssessmentError
from assessment.framework import FrameworkError, parse
from assessment.models import Assessment, FrameworkVersion
from assessment.services.frameworks import (
    framework_version_publish,
    framework_version_save,
)
from tests.factories.assessment import (
    default_framework_data,
    small_framework_data,
    submitted_assessment,
)


def _draft_copy(version: FrameworkVersion, new_version: str) -> FrameworkVersion:
    """A new draft holding ``version``'s definition under another number."""
    return FrameworkVersion.objects.create(
        code=version.code,
        version=new_version,
        definition={**version.definition, "version": new_version},
    )


def _load(tmp_path, data, *args):
    path = tmp_path / "fw.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    call_command("assessment_framework_load", str(path), *args)


def test_default_file_is_valid():
    framework = parse(default_framework_data())
    assert len(framework.pillars) == 7


def test_load_publish_twice_creates_one_version(db, tmp_path):
    _load(tmp_path, small_framework_data(), "--publish")
    _load(tmp_path, small_framework_data(), "--publish")
    version = FrameworkVersion.objects.get()
    assert version.status == "published"


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda d: d.pop("levels"), "level bands 0-5 are missing"),
        (lambda d: d["levels"].pop(), "exactly one band for each level"),
        (lambda d: d["pillars"][0].update(weight=0), "weight must be positive"),
        (
            lambda d: d["pillars"][0]["sub_indices"][0]["criteria"][1].update(
                weight=-2
            ),
            "weight must be positive",
        ),
        (
            lambda d: d["pillars"][1]["sub_indices"][0]["criteria"][0].update(
                code="Q1"
            ),
            "duplicate code 'Q1'",
        ),
        (lambda d: d["pillars"][1].update(code="p1"), "duplicate code 'p1'"),
        (lambda d: d["pillars"][0]["recommendations"].pop(), "recommendations missing"),
        (
            lambda d: d["pillars"][0]["sub_indices"][0]["criteria"][0]["options"][
                0
            ].update(score=150),
            "score must be",
        ),
        (lambda d: d["pillars"][0].update(title={"vi": "x"}), "missing text in en"),
        (
            lambda d: d["pillars"][0]["sub_indices"][0]["criteria"][0].update(
                kind="slider"
            ),
            "kind must be",
        ),
    ],
)
def test_malformed_files_give_clear_errors_and_store_nothing(
    db, tmp_path, mutate, message
):
    data = small_framework_data()
    mutate(data)
    with pytest.raises(CommandError) as error:
        _load(tmp_path, data)
    assert message in str(error.value)
    assert not FrameworkVersion.objects.exists()


def test_not_json_is_a_clear_error(db, tmp_path):
    path = tmp_path / "bad.json"
    path.write_bytes(b"\xff{not json")
    with pytest.raises(CommandError, match="not valid UTF-8 JSON"):
        call_command("assessment_framework_load", str(path))


def test_published_version_cannot_change_content(db):
    framework_version_save(data=small_framework_data(), status="published")
    changed = small_framework_data()
    changed["title"]["en"] = "Changed"
    with pytest.raises(AssessmentError):
        framework_version_save(data=changed)
    assert FrameworkVersion.objects.get().definition["title"]["en"] == "Test framework"


def test_new_draft_published_retires_old_and_old_results_keep_their_version(
    framework, organisation, owner
):
    done = submitted_assessment(organisation, owner)
    draft = _draft_copy(framework, "2027.1")
    definition = dict(draft.definition)
    definition["pillars"] = definition["pillars"][:6]
    draft.definition = definition
    draft.save()
    framework_version_publish(version=draft)
    framework.refresh_from_db()
    assert framework.status == "retired"
    done.refresh_from_db()
    assert done.framework == framework
    assert done.pillar_results.count() == 7
    new = Assessment.objects.create(organisation=organisation, framework=draft)
    assert new.framework.version == "2027.1"


def test_publishing_an_invalid_draft_fails(framework):
    draft = _draft_copy(framework, "bad")
    draft.definition = {**draft.definition, "levels": []}
    draft.save()
    with pytest.raises(FrameworkError):
        framework_version_publish(version=draft)
    draft.refresh_from_db()
    assert draft.status == "draft"
