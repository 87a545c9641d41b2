"""Tools for the bad-input sweep and the permission matrix: URL enumeration,
form discovery, hostile payloads and database snapshots."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

PROJECT_APPS = {
    "accounts",
    "organisations",
    "pages",
    "brands",
    "shop",
    "assessment",
    "joining",
}


@dataclass(frozen=True)
class Route:
    """One leaf URL pattern: its full route text, qualified name and view module."""

    route: str
    name: str
    module: str

    @property
    def key(self) -> str:
        return self.name or self.route

    @property
    def is_project(self) -> bool:
        return self.module.split(".")[0] in PROJECT_APPS | {"config"}


def all_routes() -> list[Route]:
    def walk(patterns, prefix: str, namespace: str):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace + (
                    f"{pattern.namespace}:" if pattern.namespace else ""
                )
                yield from walk(
                    pattern.url_patterns, prefix + str(pattern.pattern), inner
                )
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}{pattern.name}" if pattern.name else ""
                module = getattr(pattern.callback, "__module__", "") or ""
                yield Route(prefix + str(pattern.pattern), name, module)

    return list(walk(get_resolver().url_patterns, "", ""))


# --- Hostile values (catalogue §3) -----------------------------------------------

OVERLONG = "x" * 100_000
PAYLOADS: dict[str, str] = {
    "overlong": OVERLONG,
    "nul": "ab\x00c",
    "html_js": '<script>alert(1)</script>"><img src=x onerror=alert(1)>',
    "sql": "' OR 1=1; DROP TABLE accounts_user; --",
    "traversal": "../../../../etc/passwd",
    "huge_int": "99999999999999999999",
    "int32_overflow": "2147483648",
    "negative": "-1",
    "non_numeric": "abc",
    "float_words": "1e309",
    "nan": "NaN",
    "decimal": "1.5",
    "bidi": "\u202egnp.exe",
    "formula": '=HYPERLINK("http://evil.example","x")',
}
# Raw query strings that are not valid UTF-8 or carry NUL once decoded.
RAW_QUERIES = [
    "q=%ff%fe%fd&page=%ff",
    "q=%00&page=%00",
    "page=-1",
    "page=99999999999999",
]
MALFORMED_IDS = ["123", "not-a-uuid", "%00", "a" * 10_000, "../../etc/passwd"]


# --- Forms ----------------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)  # name -> input type


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._current: Form | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self._current = Form(
                action=attributes.get("action") or "",
                method=(attributes.get("method") or "get").lower(),
            )
            self.forms.append(self._current)
        elif tag in {"input", "select", "textarea"} and self._current is not None:
            name = attributes.get("name")
            if name:
                self._current.fields[name] = attributes.get("type") or tag

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def forms_in(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def hostile_data(form: Form, payload: str) -> dict[str, str]:
    """Every field of the form set to the payload (the CSRF token left out)."""
    return {
        name: payload
        for name, kind in form.fields.items()
        if name != "csrfmiddlewaretoken" and kind not in {"submit", "button"}
    }


# --- Database snapshots ---------------------------------------------------------

# Rows that legitimately change on any request: sessions (carts, logins).
VOLATILE = {"sessions.session", "django_tasks_db.dbtaskresult"}
CHECKSUMMED_APPS = PROJECT_APPS | {
    "wagtailcore",
    "wagtailimages",
    "wagtaildocs",
    "auth",
}


def snapshot() -> dict[str, object]:
    """Row counts of every table, plus a checksum of every row of the key tables.

    Checksums hash the raw column values from SQL (not model instances, whose
    repr of a StreamField is not stable).
    """
    from django.db import connection

    state: dict[str, object] = {}
    with connection.cursor() as cursor:
        for model in apps.get_models():
            label = model._meta.label_lower
            if label in VOLATILE or not model._meta.managed:
                continue
            table = connection.ops.quote_name(model._meta.db_table)
            pk = connection.ops.quote_name(model._meta.pk.column)
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - table names from models
            state[f"count {label}"] = cursor.fetchone()[0]
            if model._meta.app_label in CHECKSUMMED_APPS:
                cursor.execute(f"SELECT * FROM {table} ORDER BY {pk}")  # noqa: S608
                digest = hashlib.sha256(repr(cursor.fetchall()).encode()).hexdigest()
                state[f"sha {label}"] = digest
    return state


def changed(before: dict, after: dict) -> list[str]:
    return sorted(
        key for key in before.keys() | after.keys() if before.get(key) != after.get(key)
    )
