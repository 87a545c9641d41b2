"""Expire unpaid orders whose stock hold lapsed (cron or the task worker)."""

from django.core.management.base import BaseCommand

from shop.services.jobs import orders_expire


class Command(BaseCommand):
    help = "Expire unpaid orders past their stock hold and release the stock."

    def handle(self, *args, **options):
        report = orders_expire()
        self.stdout.write(
            f"checked={report.checked} expired={report.expired} "
            f"paid={report.paid} errors={report.errors}"
        )
