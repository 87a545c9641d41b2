"""seed_demo builds the demo site and a second run changes nothing."""

from __future__ import annotations

import hashlib

from django.apps import apps
from django.core.management import call_command
from django.db import connection
from wagtail.images import get_image_model

from organisations.models import Membership, Organisation


def _table_checksums() -> dict[str, tuple[int, str]]:
    """Every concrete model's row count and a checksum of all its rows.

    Rows are read in primary-key order and every concrete column is hashed,
    timestamps included: a second seed must change nothing at all, so no
    column is excluded. The columns are read as stored (raw SQL), because
    the repr of a converted value such as a StreamValue holds memory
    addresses.
    """
    checksums = {}
    with connection.cursor() as cursor:
        for model in apps.get_models():
            if model._meta.proxy or not model._meta.managed:
                continue
            quote = connection.ops.quote_name
            # The table's own columns: a parent table (wagtailcore_page under a
            # page type) is hashed as its own model. concrete_fields would name
            # the parent's columns too, which SQLite reads as string literals.
            columns = ", ".join(
                quote(field.column) for field in model._meta.local_concrete_fields
            )
            cursor.execute(
                f"SELECT {columns} FROM {quote(model._meta.db_table)} "  # noqa: S608 - names from the models
                f"ORDER BY {quote(model._meta.pk.column)}"
            )
            digest = hashlib.sha256()
            count = 0
            for row in cursor.fetchall():
                digest.update(repr(row).encode())
                count += 1
            checksums[model._meta.label] = (count, digest.hexdigest())
    return checksums


def test_seed_demo_twice_changes_no_row_and_prints_the_same_users(db, capsys):
    # Without the rendition warm-up (minutes of AVIF encoding): its own
    # idempotency is tested in tests/brands/test_renditions.py.
    seed = ("seed_demo", "--password", "demo-password-123", "--no-renditions")
    call_command(*seed)
    first_output = capsys.readouterr().out
    first = _table_checksums()
    call_command(*seed)
    second_output = capsys.readouterr().out
    second = _table_checksums()
    changed = sorted(label for label in first if first[label] != second[label])
    assert changed == []
    assert second_output == first_output
    # --no-renditions left the renditions to the pages that show them.
    rendition = get_image_model().get_rendition_model()._meta.label
    assert first[rendition][0] == 0
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
