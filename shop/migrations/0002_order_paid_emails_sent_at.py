from django.db import migrations, models
from django.db.models import F


def paid_orders_were_notified(apps, schema_editor):
    # Orders paid before this field existed had their emails sent on commit;
    # without this, the first reconciliation would send them all again.
    Order = apps.get_model("shop", "Order")
    Order.objects.filter(paid_at__isnull=False).update(paid_emails_sent_at=F("paid_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("shop", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="order",
            name="paid_emails_sent_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(paid_orders_were_notified, migrations.RunPython.noop),
    ]
