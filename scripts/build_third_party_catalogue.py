"""Build our Vietnamese catalogue for the third-party apps our users see.

django-allauth ships no Vietnamese and Wagtail's admin ships only a fraction,
so an editor in An Giang would meet English in the middle of Vietnamese
screens. We keep our translations in one data file,
``third_party_locale/translations/vi.po`` (msgctxt + msgid -> msgstr, no
domain: the same English string gets the same Vietnamese everywhere), and this
script turns it into what Django loads through ``LOCALE_PATHS``:

    third_party_locale/vi/LC_MESSAGES/django.po   + django.mo
    third_party_locale/vi/LC_MESSAGES/djangojs.po + djangojs.mo

For each English source catalogue shipped by the installed packages (see
SOURCES) it keeps the msgids we translated and that the installed apps do not
already translate into Vietnamese (Wagtail's own vi strings stay theirs unless
our entry carries the translator comment "improves upstream", for the few
that read wrong in context). The .mo files are written with
polib, so no gettext tools are needed, and they are committed.

Usage (from the project root):

    .venv/bin/python scripts/build_third_party_catalogue.py
        rebuild the catalogues and print coverage per source
    .venv/bin/python scripts/build_third_party_catalogue.py --todo todo.po
        write the selected msgids still lacking a translation, in priority
        order, as a .po file for a translator (Poedit or any editor)
    .venv/bin/python scripts/build_third_party_catalogue.py --merge todo.po
        add the translated entries of that file to the data file, then rebuild
    .venv/bin/python scripts/build_third_party_catalogue.py --conflicts
        list msgids that brands/shop/assessment... translate differently: ours
        win (LOCALE_PATHS beat app catalogues), so agree on one wording
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "third_party_locale" / "vi" / "LC_MESSAGES"
DATA_FILE = ROOT / "third_party_locale" / "translations" / "vi.po"
HEADER = {
    "Project-Id-Version": "An Giang Digital Brands third-party Vietnamese",
    "Language": "vi",
    "Language-Team": "Vietnamese",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": "nplurals=1; plural=0;",
}

# Placeholders that must survive translation unchanged: printf style
# (%s, %d, %(name)s, %%) and str.format style ({name}, {0}, {}).
PLACEHOLDER = re.compile(
    r"%(?:\([^)]+\))?[-#0+]*\d*(?:\.\d+)?[sdifrxXeEgGc%]|\{[A-Za-z_][\w.]*\}|\{\d*\}"
)


@dataclass(frozen=True)
class Source:
    """One English catalogue shipped by a package, relative to site-packages."""

    package_dir: str
    domain: str = "django"
    # Only msgids used under these source prefixes (allauth also ships MFA,
    # social accounts, an identity provider... which we do not use).
    only_under: tuple[str, ...] = ()
    # Packages that ship no English catalogue: read the msgids from another.
    language: str = "en"


# Priority order: what editors and buyers see most comes first in --todo.
SOURCES = [
    Source(
        "allauth", only_under=("account/", "templates/account/", "templates/allauth/")
    ),
    Source("wagtail/admin"),
    Source("wagtail/admin", domain="djangojs"),
    Source("wagtail"),
    Source("wagtail/images"),
    Source("wagtail/documents"),
    Source("wagtail/users"),
    Source("wagtail/snippets"),
    Source("wagtail/locales"),
    Source("wagtail/contrib/simple_translation"),
    Source("wagtail/sites"),
    Source("wagtail/contrib/settings"),
    Source("wagtail/embeds"),
    Source("wagtail/contrib/table_block"),
    Source("wagtail/contrib/typed_table_block"),
    # Django's own Vietnamese misses e.g. "%(num)d minute" (Wagtail's "3 minutes
    # ago") and some validation messages.
    Source("django/conf"),
    Source("django/contrib/auth"),
    Source("django/contrib/contenttypes"),
    Source("django/contrib/humanize"),
    # Wagtail's listing filters and tag fields; neither ships Vietnamese.
    Source("django_filters", language="fr"),
    Source("taggit"),
]

# Translator comment on a data entry that replaces an upstream Vietnamese
# translation on purpose (wrong term, missing space, typo); every other upstream
# translation is kept.
IMPROVES_UPSTREAM = "improves upstream"


def say(text: str) -> None:
    sys.stdout.write(text + "\n")


def placeholders(text: str) -> Counter:
    return Counter(PLACEHOLDER.findall(text))


def placeholder_problem(entry: polib.POEntry) -> str | None:
    """Why the translation's placeholders do not match the msgid's, or None."""
    if entry.msgid_plural:
        # Vietnamese has one form, used for every count: it follows either the
        # singular or the plural msgid (upstream plurals sometimes differ in
        # which variables they mention).
        singular, plural = (
            set(placeholders(entry.msgid)),
            set(placeholders(entry.msgid_plural)),
        )
        for text in entry.msgstr_plural.values():
            got = set(placeholders(text))
            if got not in (singular, plural):
                return f"{sorted(got)} != {sorted(plural)}"
        return None
    got, wanted = placeholders(entry.msgstr), placeholders(entry.msgid)
    return (
        None
        if got == wanted
        else f"{sorted(got.elements())} != {sorted(wanted.elements())}"
    )


def site_packages() -> Path:
    # Found through the venv's installed Wagtail, only when the catalogue is built.
    import wagtail  # noqa: PLC0415

    return Path(wagtail.__file__).resolve().parent.parent


def key(entry: polib.POEntry) -> tuple[str | None, str]:
    return (entry.msgctxt or None, entry.msgid)


def is_translated(entry: polib.POEntry) -> bool:
    if entry.obsolete or "fuzzy" in entry.flags:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def upstream_vietnamese(domain: str) -> set[tuple[str | None, str]]:
    """(msgctxt, msgid) that Django and the installed third-party apps already
    translate into Vietnamese: Django merges every catalogue, so these are covered."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    sys.path.insert(0, str(ROOT))
    # Django is set up only here, after the settings module and path are chosen.
    import django  # noqa: PLC0415
    from django.apps import apps  # noqa: PLC0415

    django.setup()
    dirs = [Path(django.__file__).resolve().parent / "conf" / "locale"]
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if ROOT in path.parents and ".venv" not in path.parts:
            continue  # our own apps have their own catalogues
        dirs.append(path / "locale")
    covered = set()
    for directory in dirs:
        mo_path = directory / "vi" / "LC_MESSAGES" / f"{domain}.mo"
        if mo_path.exists():
            covered.update(
                key(e) for e in polib.mofile(str(mo_path)) if is_translated(e)
            )
    return covered


def source_entries(source: Source) -> list[polib.POEntry]:
    path = (
        site_packages()
        / source.package_dir
        / "locale"
        / source.language
        / "LC_MESSAGES"
    )
    catalogue = polib.pofile(str(path / f"{source.domain}.po"))
    selected = []
    for entry in catalogue:
        if entry.obsolete or not entry.msgid:
            continue
        if source.only_under and not any(
            file.startswith(source.only_under) for file, _line in entry.occurrences
        ):
            continue
        selected.append(entry)
    return selected


def load_data() -> dict[tuple[str | None, str], polib.POEntry]:
    if not DATA_FILE.exists():
        return {}
    return {key(e): e for e in polib.pofile(str(DATA_FILE)) if is_translated(e)}


def selected_by_domain() -> dict[str, list[tuple[Source, polib.POEntry]]]:
    """Every candidate msgid once per domain, in SOURCES priority order."""
    result: dict[str, list[tuple[Source, polib.POEntry]]] = {}
    seen: dict[str, set] = {}
    for source in SOURCES:
        bucket = result.setdefault(source.domain, [])
        done = seen.setdefault(source.domain, set())
        for entry in source_entries(source):
            if key(entry) not in done:
                done.add(key(entry))
                bucket.append((source, entry))
    return result


def new_catalogue() -> polib.POFile:
    catalogue = polib.POFile(wrapwidth=79)
    catalogue.metadata = dict(HEADER)
    return catalogue


def translated_text(translation: polib.POEntry) -> str:
    return translation.msgstr_plural.get(0) or translation.msgstr


def build_catalogues() -> tuple[dict[str, polib.POFile], list[str]]:
    """The catalogue per domain, and one coverage line per source."""
    data = load_data()
    catalogues, report = {}, []
    for domain, candidates in selected_by_domain().items():
        covered = upstream_vietnamese(domain)
        catalogue = new_catalogue()
        per_source: Counter = Counter()
        totals: Counter = Counter()
        for source, entry in candidates:
            label = source.package_dir
            totals[label] += 1
            k = key(entry)
            improves = k in data and IMPROVES_UPSTREAM in data[k].tcomment
            if k in covered and not improves:
                per_source[label] += 1
                continue
            translation = data.get(k)
            if translation is None:
                continue
            per_source[label] += 1
            text = translated_text(translation)
            catalogue.append(
                polib.POEntry(
                    msgctxt=entry.msgctxt,
                    msgid=entry.msgid,
                    msgid_plural=entry.msgid_plural,
                    msgstr="" if entry.msgid_plural else text,
                    msgstr_plural={0: text} if entry.msgid_plural else {},
                    flags=[f for f in entry.flags if f != "fuzzy"],
                    occurrences=[
                        (f"{label}:{file}", line) for file, line in entry.occurrences
                    ],
                )
            )
        catalogues[domain] = catalogue
        report.append(f"{domain}.po: {len(catalogue)} entries")
        report.extend(
            f"  {label:40} Vietnamese for {per_source[label]:4} of {total:4} msgids"
            for label, total in totals.items()
        )
    return catalogues, report


def build() -> int:
    problems = [
        f"{e.msgctxt or ''}|{e.msgid!r}: {why}"
        for e in load_data().values()
        if (why := placeholder_problem(e))
    ]
    if problems:
        say("Placeholders differ between msgid and msgstr:")
        for problem in problems:
            say("  " + problem)
        return 1
    catalogues, report = build_catalogues()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for domain, catalogue in catalogues.items():
        po_path = OUT_DIR / f"{domain}.po"
        catalogue.save(str(po_path))
        catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
    for line in report:
        say(line)
    return 0


def write_todo(path: Path) -> int:
    data = load_data()
    todo = new_catalogue()
    for domain, candidates in selected_by_domain().items():
        covered = upstream_vietnamese(domain)
        for source, entry in candidates:
            k = key(entry)
            if k in covered or k in data or any(key(e) == k for e in todo):
                continue
            todo.append(
                polib.POEntry(
                    msgctxt=entry.msgctxt,
                    msgid=entry.msgid,
                    msgid_plural=entry.msgid_plural,
                    msgstr="",
                    msgstr_plural={0: ""} if entry.msgid_plural else {},
                    flags=list(entry.flags),
                    occurrences=[
                        (f"{source.package_dir}:{file}", line)
                        for file, line in entry.occurrences
                    ],
                )
            )
    todo.save(str(path))
    say(f"{len(todo)} msgids to translate written to {path}")
    return 0


def merge(path: Path) -> int:
    data = polib.pofile(str(DATA_FILE)) if DATA_FILE.exists() else new_catalogue()
    data.metadata = dict(HEADER)
    known = {key(e): e for e in data}
    added = 0
    for entry in polib.pofile(str(path)):
        if not is_translated(entry):
            continue
        if why := placeholder_problem(entry):
            say(f"skipped {entry.msgid!r}: placeholders {why}")
            continue
        existing = known.get(key(entry))
        if existing is None:
            existing = polib.POEntry(
                msgctxt=entry.msgctxt,
                msgid=entry.msgid,
                msgid_plural=entry.msgid_plural,
            )
            data.append(existing)
            known[key(entry)] = existing
            added += 1
        existing.msgstr = entry.msgstr
        existing.msgstr_plural = dict(entry.msgstr_plural)
        existing.flags = [f for f in entry.flags if f != "fuzzy"]
        existing.occurrences = []
        existing.tcomment = entry.tcomment
    DATA_FILE.parent.mkdir(parents=True, exist_ok=True)
    data.save(str(DATA_FILE))
    say(f"{added} new translations merged into {DATA_FILE.relative_to(ROOT)}")
    return build()


def conflicts() -> list[str]:
    """Msgids that a project app translates differently from us.

    gettext keeps one translation per msgid for the whole process, and
    LOCALE_PATHS beat app catalogues, so ours is what brands/shop/assessment
    screens show for these. Fix by agreeing on one wording, or by giving the
    app's string a context (pgettext / {% translate "..." context "..." %}).
    """
    ours = {key(e): e for e in polib.pofile(str(OUT_DIR / "django.po"))}
    found: list[str] = []
    for po_path in sorted(ROOT.glob("*/locale/vi/LC_MESSAGES/django.po")):
        if po_path.is_relative_to(OUT_DIR.parent.parent):
            continue
        for entry in polib.pofile(str(po_path)):
            mine = ours.get(key(entry))
            if mine and is_translated(entry):
                theirs, ours_text = translated_text(entry), translated_text(mine)
                if theirs != ours_text:
                    app = po_path.relative_to(ROOT).parts[0]
                    found.append(
                        f"{app}: {entry.msgid!r} app={theirs!r} ours={ours_text!r}"
                    )
    return found


def list_conflicts() -> int:
    found = conflicts()
    for line in found:
        say(line)
    say(f"{len(found)} conflicts")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--todo", type=Path, help="write untranslated msgids to this .po"
    )
    group.add_argument(
        "--merge", type=Path, help="merge a translated .po into the data"
    )
    group.add_argument(
        "--conflicts",
        action="store_true",
        help="list msgids our apps translate differently",
    )
    args = parser.parse_args()
    if args.conflicts:
        return list_conflicts()
    if args.todo:
        return write_todo(args.todo)
    if args.merge:
        return merge(args.merge)
    return build()


if __name__ == "__main__":
    sys.exit(main())
