"""Members of unverified organisations leave those organisations' groups.

The assessment wizard used to onboard every organisation typed into its
form, so anybody got the admin and file uploads. Only the memberships of
the groups are removed: the groups, collections, their permissions and any
uploaded files stay, so staff can look at them and verifying the
organisation later (then onboarding it) puts its members back.
Reversing is a no-op: who was in the groups is not worth restoring.
"""

from django.db import migrations


def leave_groups(apps, schema_editor):
    Organisation = apps.get_model("organisations", "Organisation")
    User = apps.get_model("accounts", "User")
    Through = User.groups.through
    group_ids = list(
        Organisation.objects.filter(
            verified_at__isnull=True, group__isnull=False
        ).values_list("group_id", flat=True)
    )
    if group_ids:
        Through.objects.filter(group_id__in=group_ids).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0004_invitation"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(leave_groups, migrations.RunPython.noop)]
