"""Reference data (not demo data): the province's communes, wards and special zones."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "communes.csv"


def load(apps, schema_editor):
    Commune = apps.get_model("organisations", "Commune")
    with DATA.open(encoding="utf-8") as handle:
        rows = [line for line in handle if not line.startswith("#")]
    for row in csv.DictReader(rows):
        Commune.objects.get_or_create(name=row["name"], defaults={"kind": row["kind"]})


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
