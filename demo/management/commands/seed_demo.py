"""Load the demo content (demo/data/): organisations, people, site pages, brands,
products, stock and assessments. Idempotent: a second run changes nothing.

Passwords come from --password or DEMO_PASSWORD; otherwise they are generated
once and kept in .demo-passwords.json (git-ignored) so later runs print the same.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import Page

from demo import assessment, brands, shop
from demo.organisations import seed_organisations
from demo.site import seed_site
from organisations.services import moderation_workflow_ensure
from pages.renditions import site_renditions_warm

PASSWORD_FILE = Path(settings.BASE_DIR) / ".demo-passwords.json"


class Command(BaseCommand):
    help = "Create or update the demo content and print one line per demo user."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="Use this password for every demo user.")
        parser.add_argument("--quiet", action="store_true", help="Do not print users.")
        parser.add_argument(
            "--no-renditions",
            action="store_true",
            help="Do not create the images' renditions now (pages create them on use).",
        )

    def handle(self, *args, password=None, quiet=False, no_renditions=False, **options):
        fixed_password = password or settings.DEMO_PASSWORD
        stored: dict[str, str] = {}
        if not fixed_password and PASSWORD_FILE.exists():
            stored = json.loads(PASSWORD_FILE.read_text())
        passwords: dict[str, str] = {}
        User = get_user_model()

        def ensure_user(email: str, **fields):
            user = User.objects.filter(email=email).first()
            wanted = fixed_password or stored.get(email)
            if user is None:
                user = User(email=email, **fields)
                wanted = wanted or secrets.token_urlsafe(12)
                user.set_password(wanted)
                user.save()
            else:
                dirty = [k for k, v in fields.items() if getattr(user, k) != v]
                for key in dirty:
                    setattr(user, key, fields[key])
                if wanted is None or not user.check_password(wanted):
                    # The stored password was lost (or a new one given): set one.
                    wanted = wanted or secrets.token_urlsafe(12)
                    user.set_password(wanted)
                    dirty.append("password")
                if dirty:
                    user.save()
            EmailAddress.objects.get_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            passwords[email] = wanted
            return user

        with transaction.atomic():
            rows = seed_organisations(ensure_user=ensure_user)
            seed_site()
            # In dependency order: stock needs the variants, assessments the owners.
            brands.seed()
            shop.seed()
            assessment.seed()
            # Every brand and product page goes through province moderation.
            moderation_workflow_ensure(
                pages=list(
                    Page.objects.filter(
                        content_type__app_label="brands",
                        content_type__model="brandindexpage",
                    )
                )
            )

        # Outside the transaction: the demo images' renditions (every slot, every
        # format) are created now rather than during the first visitor's request.
        if not no_renditions:
            site_renditions_warm()

        if not fixed_password:
            PASSWORD_FILE.write_text(
                json.dumps(passwords, indent=2, ensure_ascii=False)
            )
            PASSWORD_FILE.chmod(0o600)
        if not quiet:
            self.stdout.write("role email password organisation")
            for role, email, organisation in rows:
                self.stdout.write(f"{role} {email} {passwords[email]} {organisation}")
