"""Organisations that already own a brand page were onboarded by province staff.

Verification did not exist before organisations.0003; an organisation typed
into the assessment's "new organisation" form got the same standing as one
the province onboarded. Those with a brand page were onboarded by staff (the
only way to get one), so they are verified as of their creation; the rest
stay unverified until staff verify them or they apply.
"""

from django.db import migrations
from django.db.models import F


def verify_brand_owners(apps, schema_editor):
    Organisation = apps.get_model("organisations", "Organisation")
    BrandPage = apps.get_model("brands", "BrandPage")
    owners = BrandPage.objects.values("organisation_id")
    Organisation.objects.filter(pk__in=owners, verified_at__isnull=True).update(
        verified_at=F("created_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("brands", "0001_initial"),
        ("organisations", "0003_verification"),
    ]

    operations = [
        migrations.RunPython(verify_brand_owners, migrations.RunPython.noop),
    ]
