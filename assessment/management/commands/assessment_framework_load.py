"""Load and validate a framework file; publish it with --publish."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessment.errors import AssessmentError
from assessment.framework import FrameworkError, parse
from assessment.models import FrameworkVersion
from assessment.services.frameworks import framework_version_save


class Command(BaseCommand):
    help = (
        "Validate a framework JSON file (assessment/frameworks/*.json) and store it "
        "as a draft version, or as the published version with --publish. "
        "--check only validates."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Path to the framework JSON file.")
        parser.add_argument("--publish", action="store_true")
        parser.add_argument(
            "--check", action="store_true", help="Validate only; store nothing."
        )

    def handle(self, *args, path, publish=False, check=False, **options):
        file = Path(path)
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError as error:
            raise CommandError(f"{file}: no such file.") from error
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"{file}: not valid UTF-8 JSON ({error}).") from error
        try:
            if check:
                framework = parse(data)
                self.stdout.write(
                    f"{file}: valid ({framework.code} {framework.version}, "
                    f"{len(framework.pillars)} pillars, "
                    f"{len(framework.criteria)} criteria)."
                )
                return
            status = (
                FrameworkVersion.Status.PUBLISHED
                if publish
                else FrameworkVersion.Status.DRAFT
            )
            version = framework_version_save(data=data, status=status)
        except FrameworkError as error:
            lines = "\n".join(f"  - {e}" for e in error.errors)
            raise CommandError(
                f"{file}: {len(error.errors)} problem(s):\n{lines}"
            ) from error
        except AssessmentError as error:
            raise CommandError(f"{file}: {error.message}") from error
        self.stdout.write(f"{version} stored.")
