"""Pretend to be the bank feed: send a signed notification of a transfer.

For local use (``make run``) and demos: "pays" a VietQR order by posting to
the site's bank-feed endpoint exactly what a bank-feed service would, signed
with ``SHOP_BANK_FEED_SECRET``. Nothing here is used by the site itself.
"""

from __future__ import annotations

import json
import secrets
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from shop.models import Order
from shop.payments import bankfeed


class Command(BaseCommand):
    help = (
        "Send a signed bank-feed notification of a transfer for a VietQR order "
        "(by order number or transfer reference) to the local site."
    )

    def add_arguments(self, parser):
        parser.add_argument("order", help="Order number (AG-2026-000001) or reference.")
        parser.add_argument(
            "--amount", type=int, help="Amount in VND (default: the order's total)."
        )
        parser.add_argument(
            "--content", help="Transfer content (default: the reference)."
        )
        parser.add_argument(
            "--url",
            default="http://127.0.0.1:8000/shop/bank-feed/",
            help="The bank-feed endpoint (default: %(default)s).",
        )

    def handle(self, *args, **options):
        key = options["order"].strip()
        order = Order.objects.filter(
            Q(number=key) | Q(transfer_reference=key.upper())
        ).first()
        if order is None or not order.transfer_reference:
            raise CommandError(f"No VietQR order {key}.")
        secret = settings.SHOP_BANK_FEED_SECRET
        if not secret:
            raise CommandError("SHOP_BANK_FEED_SECRET is not set.")
        amount = order.total if options["amount"] is None else options["amount"]
        body = json.dumps(
            {
                "id": secrets.randbelow(10**9),
                "gateway": settings.SHOP_VIETQR_BANK_NAME or "Fake bank",
                "transactionDate": timezone.localtime().strftime("%Y-%m-%d %H:%M:%S"),
                "accountNumber": settings.SHOP_VIETQR_ACCOUNT,
                "code": None,
                "content": options["content"]
                or f"{order.transfer_reference} chuyen tien",
                "transferType": "in",
                "transferAmount": amount,
                "referenceCode": f"FT{secrets.token_hex(6).upper()}",
                "description": "",
            }
        ).encode()
        stamp = int(time.time())
        request = urllib.request.Request(  # noqa: S310 - a URL we were given
            options["url"],
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                bankfeed.TIMESTAMP_HEADER: str(stamp),
                bankfeed.SIGNATURE_HEADER: bankfeed.notification_signature(
                    payload=body, secret=secret, timestamp=stamp
                ),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310
                answer = response.read().decode()
        except urllib.error.HTTPError as error:
            raise CommandError(
                f"The site answered {error.code}: {error.read().decode()[:200]}"
            ) from error
        except urllib.error.URLError as error:
            raise CommandError(
                f"Cannot reach {options['url']}: {error.reason}"
            ) from error
        self.stdout.write(f"Sent {amount} VND for {order.number}: {answer}")
