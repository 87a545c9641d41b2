"""seed_demo builds the demo site and a second run changes nothing."""

from __future__ import annotations

from django.apps import apps
from django.core.management import call_command
from wagtail.images import get_image_model

from organisations.models import Membership, Organisation


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def test_seed_demo_twice_gives_the_same_rows(db, capsys):
    call_command("seed_demo", "--password", "demo-password-123")
    first_output = capsys.readouterr().out
    first = _row_counts()
    call_command("seed_demo", "--password", "demo-password-123")
    second = _row_counts()
    assert first == second
    # The first run created the demo images' renditions; the second found them.
    rendition = get_image_model().get_rendition_model()._meta.label
    assert first[rendition] > 0
    assert Organisation.objects.count() >= 10
    assert (
        Membership.objects.filter(role="owner").count() == Organisation.objects.count()
    )
    lines = first_output.strip().splitlines()
    assert lines[0] == "role email password organisation"
    assert any(
        line.startswith("superuser admin@an-giang.example demo-password-123")
        for line in lines
    )
    assert any(line.startswith("province_staff ") for line in lines)
    assert (
        sum(line.startswith("owner ") for line in lines) == Organisation.objects.count()
    )


def test_demo_owner_can_log_in(client, demo):
    response = client.post(
        "/accounts/login/",
        {"login": "chu.hung-phat@an-giang.example", "password": "demo-password-123"},
    )
    assert response.status_code == 302


def test_demo_kinds_and_sectors_cover_the_province(demo):
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    sectors = set(Organisation.objects.values_list("sector", flat=True))
    assert kinds == {"cooperative", "enterprise", "household"}
    assert {"rice", "fruit", "food_processing", "handicraft"} <= sectors
