"""The assessment demo: framework published, progress and peers visible, idempotent."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse

from assessment.models import (
    Answer,
    Assessment,
    CriterionTotal,
    FrameworkVersion,
    PillarTotal,
    PillarYearTotal,
)
from assessment.selectors import peers_for
from demo import assessment as demo_assessment
from demo.organisations import seed_organisations


def _ensure_user(email, **fields):
    user, _ = get_user_model().objects.get_or_create(email=email, defaults=fields)
    return user


def _counts():
    return [
        m.objects.count()
        for m in (
            FrameworkVersion,
            Assessment,
            Answer,
            CriterionTotal,
            PillarTotal,
            PillarYearTotal,
        )
    ]


def test_demo_seed_shows_progress_and_peers_and_is_idempotent(db, client):
    seed_organisations(ensure_user=_ensure_user)
    demo_assessment.seed()
    first = _counts()
    demo_assessment.seed()
    assert _counts() == first
    assert FrameworkVersion.objects.get().status == "published"
    hung_phat = Assessment.objects.filter(organisation__tax_code="1601234614")
    assert hung_phat.filter(status="submitted").count() == 3
    latest = hung_phat.get(is_latest=True)
    peers = peers_for(assessment=latest)
    assert peers is not None and peers.count == 5
    owner = get_user_model().objects.get(email="chu.hung-phat@an-giang.example")
    client.force_login(owner)
    page = client.get(
        reverse("assessment:results", kwargs={"public_id": latest.public_id})
    ).content.decode()
    assert "progress-chart__line" in page
    assert "Điểm trung bình của 5 tổ chức khác" in page
