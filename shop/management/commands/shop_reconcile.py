"""Ask Stripe about pending orders so a lost webhook never loses a paid order."""

from django.conf import settings
from django.core.management.base import BaseCommand

from shop.models import PaymentMethod
from shop.services.jobs import (
    bank_transactions_to_review,
    cod_parts_summary,
    orders_reconcile,
    payments_by_method,
)


class Command(BaseCommand):
    help = "Apply Stripe's state of pending orders older than N minutes, then expire lapsed ones."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=settings.SHOP_RECONCILE_AFTER_MINUTES,
            help="Minutes since the order was placed (default: %(default)s).",
        )

    def handle(self, *args, **options):
        report = orders_reconcile(older_than_minutes=options["older_than"])
        self.stdout.write(
            f"checked={report.checked} paid={report.paid} failed={report.failed} "
            f"expired={report.expired} notified={report.notified} "
            f"errors={report.errors}"
        )
        # Per method, last 7 days. Not "key=value": the line above is what
        # scripts parse, and these counts must not shadow its keys.
        for summary in payments_by_method():
            line = (
                f"{summary.method}: pending {summary.pending}, paid {summary.paid}, "
                f"expired {summary.expired}, review {summary.review}"
            )
            if summary.method == PaymentMethod.COD:
                line += (
                    f", partly paid {summary.partly_paid}, "
                    f"cancelled {summary.cancelled}"
                )
            self.stdout.write(line)
        # Cash on delivery settles per brand part, with the brand.
        parts = cod_parts_summary()
        self.stdout.write(
            f"cod parts: awaiting confirmation {parts.awaiting_confirmation}, "
            f"confirmed {parts.confirmed}, shipped {parts.shipped}, "
            f"cash collected {parts.collected}, cancelled {parts.cancelled}, "
            f"returned {parts.returned}; cash collected by brands "
            f"{parts.collected_amount} VND, fees owed by brands {parts.fees_owed} VND"
        )
        self.stdout.write(
            f"bank transactions to review: {bank_transactions_to_review()}"
        )
