"""Import a bank statement CSV so transfers whose notification never came are matched."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shop.services.statements import StatementUnreadable, statement_import


class Command(BaseCommand):
    help = (
        "Record and match the credit rows of a bank statement (CSV as the bank "
        "exports it). Importing the same statement again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CSV file exported from internet banking.")

    def handle(self, *args, **options):
        path = Path(options["path"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        try:
            report = statement_import(data)
        except StatementUnreadable as error:
            raise CommandError(
                "Nothing imported:\n" + "\n".join(error.problems)
            ) from error
        outcomes = " ".join(
            f"{name}={count}" for name, count in sorted(report.outcomes.items())
        )
        self.stdout.write(
            f"rows={report.rows} new={report.created} "
            f"duplicates={report.duplicates} {outcomes}".rstrip()
        )
