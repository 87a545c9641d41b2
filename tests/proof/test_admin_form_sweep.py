"""The admin half of the bad-input sweep: every admin form of ``admin_forms``
posted back with one field tampered at a time (the catalogue's hostile values,
then another organisation's ids), the other fields as the real form had them.

Each probe runs in a savepoint that is rolled back, so every probe starts from
the same database; the verdict is read before the rollback:

- never a 5xx;
- a field that is not free text (numbers, dates, choices, ids, slugs, hidden
  state) must be refused: a form error, a 4xx or a 404, and nothing written;
- free text may be taken as data (``<script>`` is a valid product title,
  escaped on output), but never a NUL character.

The untouched form is posted first and must be accepted, so a refusal below
comes from the tampered field and not from an invalid rest of the form.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

import pytest
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.db import transaction
from django.test import Client

from tests.guard.forms import ReadForm, read_forms
from tests.proof.admin_forms import (
    ADMIN_FORMS,
    PAGE_FORMS,
    AdminForm,
    any_post_form,
    build_world,
    is_lenient,
)
from tests.proof.sweep import PAYLOADS, changed, snapshot

# Lazily written rows that any admin request may add (editing sessions of the
# page open in the editor, Wagtail user profiles) and bookkeeping of refusals.
NOISE = ("wagtailadmin.editingsession", "wagtailusers.userprofile")
TEXT_PAYLOADS = ("overlong", "nul", "html_js", "sql", "traversal", "bidi", "formula")
# The big page forms (tens of fields, each post renders the whole editor)
# get a cut of the catalogue, to keep the sweep within CI's minutes.
FEW_PAYLOADS = ("overlong", "nul", "non_numeric", "huge_int", "negative", "decimal")
FEW_TEXT_PAYLOADS = ("overlong", "nul", "html_js")
# A valid value of a 64-bit integer column (SQLite; PostgreSQL's bigint).
MAYBE_VALID = {"int32_overflow"}
# Written on any save, whatever was posted: the audit log and reference index.
BOOKKEEPING = ("wagtailcore.modellogentry", "wagtailcore.referenceindex")
FORM_ERROR_MARKERS = ("errorlist", "error-message", "w-field--error", "help-critical")
REFUSED = {200, 302, 400, 403, 404, 409, 422}


class _Rollback(Exception):
    pass


@dataclass
class Outcome:
    status: int
    written: list[str]
    accepted: bool  # the view took the post as valid
    meaningful: bool  # it wrote more than the audit log
    body: str


def _fingerprint() -> dict[str, object]:
    return {
        key: value
        for key, value in snapshot().items()
        if not key.split(" ", 1)[1].startswith(NOISE)
    }


def _modal(response) -> dict | None:
    """Wagtail's modal views (page privacy) answer JSON: ``step`` and ``html``."""
    if not response.get("Content-Type", "").startswith("application/json"):
        return None
    try:
        data = json.loads(response.content)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _body(response) -> str:
    modal = _modal(response)
    if modal is not None:
        return str(modal.get("html", ""))
    return response.content.decode(errors="replace")


def _errors(response) -> list:
    return [
        m
        for m in get_messages(response.wsgi_request)
        if m.level >= message_levels.WARNING
    ]


def _accepted(form: AdminForm, response, written: list[str]) -> bool:
    if form.preview:
        try:
            return bool(json.loads(response.content)["is_valid"])
        except (ValueError, KeyError):
            return False
    if [w for w in written if not w.split(" ", 1)[1].startswith(BOOKKEEPING)]:
        return True
    body = _body(response)
    if response.status_code == 200 and any(m in body for m in FORM_ERROR_MARKERS):
        return False
    modal = _modal(response)
    if modal is not None:
        # A modal that is done closes itself (``set_privacy_done``); one that
        # shows its form again refused the post.
        return str(modal.get("step", "")).endswith("_done") and not _errors(response)
    return (
        response.status_code in (200, 302)
        and not _errors(response)
        and (response.status_code == 302 or form.method == "get")
    )


def probe(client: Client, form: AdminForm, url: str, data: dict) -> Outcome:
    """One request in a savepoint: its status, what it wrote, then undone."""
    before = _fingerprint()
    outcome: Outcome | None = None
    try:
        with transaction.atomic():
            if form.method == "get":
                response = client.get(url, data)
            else:
                response = client.post(url, data)
            written = changed(before, _fingerprint())
            outcome = Outcome(
                status=response.status_code,
                written=written,
                accepted=_accepted(form, response, written),
                meaningful=any(
                    not w.split(" ", 1)[1].startswith(BOOKKEEPING) for w in written
                ),
                body=_body(response)[:4000],
            )
            raise _Rollback
    except _Rollback:
        pass
    assert outcome is not None
    return outcome


def read_form(client: Client, world, form: AdminForm) -> tuple[ReadForm, str]:
    page = form.page(world)
    response = client.get(page)
    assert response.status_code == 200, (
        f"{form.name}: GET {page} {response.status_code}"
    )
    found = [f for f in read_forms(_body(response)) if form.form(f)]
    assert found, f"{form.name}: no such form on {page}"
    read = found[0]
    if form.post_to is not None:
        target = form.post_to(world)
    elif form.method == "get":
        target = page.split("?", 1)[0]
    else:
        target = read.action or page
    return read, target


def _base_data(client: Client, world, read: ReadForm, form: AdminForm) -> dict:
    data = {k: v for k, v in read.data.items() if "__prefix__" not in k}
    if form.fill_from is not None:
        source = client.get(form.fill_from(world)).content.decode()
        filled = next(f for f in read_forms(source) if any_post_form(f))
        data.update(
            {
                k: v
                for k, v in filled.data.items()
                if k in data and k != "csrfmiddlewaretoken"
            }
        )
    data.update(form.fill(world))
    data.update(form.extra)
    return data


def tampered_fields(read: ReadForm, data: dict[str, str]) -> list[str]:
    return [name for name in data if name != "csrfmiddlewaretoken"]


@dataclass
class Tally:
    forms: int = 0
    fields: int = 0
    probes: int = 0


def sweep_form(
    client: Client, world, form: AdminForm, *, failures: list[str], tally: Tally
):
    read, target = read_form(client, world, form)
    data = _base_data(client, world, read, form)
    control = probe(client, form, target, data)
    if control.status >= 500 or control.accepted == bool(form.control_refused):
        failures.append(
            f"{form.name}: the untouched form is not accepted "
            f"({control.status}, wrote {control.written[:3]}) {control.body[:300]!r}"
        )
        return
    names = tampered_fields(read, data)
    tally.forms += 1
    tally.fields += len(names)
    cases: list[tuple[str, str, str, bool]] = []  # field, label, value, lenient
    for name in names:
        lenient = is_lenient(form, name, read.kinds.get(name, "hidden"))
        # In free text a number-shaped value is just text: free text gets the
        # catalogue's text values, every other field all of them.
        if form.few_values:
            labels = FEW_TEXT_PAYLOADS if lenient else FEW_PAYLOADS
        else:
            labels = TEXT_PAYLOADS if lenient else tuple(PAYLOADS)
        ignored = is_lenient(form, name, "hidden")
        kind = read.kinds.get(name, "hidden")
        for label in labels:
            may = lenient and (label != "nul" or kind == "checkbox")
            may = may or ignored or label in MAYBE_VALID
            may = may or (name, label) in form.allowed
            cases.append((name, label, PAYLOADS[label], may))
    for name, value in form.foreign(world).items():
        cases.append((name, "foreign id", str(value), False))
    for name, label, value, lenient in cases:
        outcome = probe(client, form, target, {**data, name: value})
        tally.probes += 1
        where = f"{form.name}: {name}={label}"
        if outcome.status >= 500:
            failures.append(f"{where}: {outcome.status} (server error)")
        elif outcome.status not in REFUSED:
            failures.append(f"{where}: {outcome.status}")
        elif (
            not lenient
            and outcome.accepted
            and (
                # Another house's id that the form ignores (a collection field
                # left out for a single-collection user) changes nothing.
                label != "foreign id" or outcome.meaningful
            )
        ):
            failures.append(
                f"{where}: accepted ({outcome.status}), wrote {outcome.written[:4]}"
            )


def _clients(world) -> dict[str, Client]:
    clients = {}
    for role, user in world.users.items():
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients[role] = client
    return clients


# The page editor's forms take minutes each (every post renders the whole
# editor): they run where CI has PostgreSQL, whose column limits SQLite lacks.
SWEPT = [
    *ADMIN_FORMS,
    *(
        pytest.param(form, marks=[pytest.mark.postgres, pytest.mark.slow])
        for form in PAGE_FORMS
    ),
]


def _form_id(value) -> str:
    return value.name


@pytest.mark.django_db
@pytest.mark.parametrize("form", SWEPT, ids=_form_id)
def test_admin_form_sweep(site_pages, form):
    started = time.monotonic()
    world = build_world(site_pages)
    client = _clients(world)[form.actor]
    failures: list[str] = []
    tally = Tally()
    sweep_form(client, world, form, failures=failures, tally=tally)
    print(  # noqa: T201
        f"\nadmin form sweep {form.name}: {tally.fields} fields, "
        f"{tally.probes} probes, {time.monotonic() - started:.1f} s"
    )
    assert failures == [], f"{len(failures)} failures:\n" + "\n".join(failures[:150])
    assert tally.forms == 1
