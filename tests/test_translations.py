"""Every catalogue is complete: no untranslated or fuzzy Vietnamese entry, and
the compiled .mo files (committed, so no gettext tools are needed) match the .po."""

from __future__ import annotations

import gettext
import html
import importlib.util
import json
import re
import sys
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.core import mail
from django.core.cache import caches
from django.utils import translation
from django.utils.translation import gettext as _gettext
from django.utils.translation import ngettext, pgettext
from wagtail.users.models import UserProfile

from tests.factories import UserFactory, member, onboarded_organisation

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "node_modules", ".git"}


def _catalogues(language: str) -> list[Path]:
    found = []
    for path in ROOT.rglob(f"{language}/LC_MESSAGES/*.po"):
        if not SKIP.intersection(path.relative_to(ROOT).parts):
            found.append(path)
    return sorted(found)


def test_there_are_vietnamese_catalogues():
    names = {str(p.relative_to(ROOT)) for p in _catalogues("vi")}
    assert "locale/vi/LC_MESSAGES/django.po" in names
    assert "third_party_locale/vi/LC_MESSAGES/django.po" in names


@pytest.mark.parametrize(
    "po_path", _catalogues("vi"), ids=lambda p: str(p.relative_to(ROOT))
)
def test_vietnamese_catalogue_is_complete(po_path):
    catalogue = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in catalogue.untranslated_entries() if not e.obsolete]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert untranslated == [], f"{len(untranslated)} untranslated: {untranslated[:10]}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy: {fuzzy[:10]}"


@pytest.mark.parametrize(
    "po_path",
    _catalogues("vi") + _catalogues("en"),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_compiled_catalogue_matches_its_source(po_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run make messages"
    with mo_path.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    for entry in polib.pofile(str(po_path)).translated_entries():
        if entry.fuzzy or entry.obsolete:
            continue
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            for index, text in entry.msgstr_plural.items():
                assert compiled.get((key, int(index))) == text, entry.msgid
        else:
            assert compiled.get(key) == entry.msgstr, entry.msgid


# --- Placeholders -------------------------------------------------------------
# A translation that drops or renames %(name)s, %s or {name} crashes or
# garbles the page at render time, so every catalogue must keep them intact.

PLACEHOLDER = re.compile(
    r"%(?:\([^)]+\))?[-#0+]*\d*(?:\.\d+)?[sdifrxXeEgGc%]|\{[A-Za-z_][\w.]*\}|\{\d*\}"
)


def _placeholders(text: str) -> Counter:
    return Counter(PLACEHOLDER.findall(text))


def _placeholder_problems(po_path: Path) -> list[str]:
    problems = []
    for entry in polib.pofile(str(po_path)).translated_entries():
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            # One Vietnamese form serves every count; it may follow the
            # singular or the plural msgid, which sometimes differ.
            allowed = (
                set(_placeholders(entry.msgid)),
                set(_placeholders(entry.msgid_plural)),
            )
            for text in entry.msgstr_plural.values():
                if text and set(_placeholders(text)) not in allowed:
                    problems.append(f"{entry.msgid!r} -> {text!r}")
        elif _placeholders(entry.msgstr) != _placeholders(entry.msgid):
            problems.append(f"{entry.msgid!r} -> {entry.msgstr!r}")
    return problems


@pytest.mark.parametrize(
    "po_path",
    _catalogues("vi") + _catalogues("en"),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_translations_keep_every_placeholder(po_path):
    problems = _placeholder_problems(po_path)
    assert problems == [], f"{len(problems)} placeholder mismatches: {problems[:5]}"


def test_placeholder_check_catches_a_dropped_or_renamed_variable(tmp_path):
    po_path = tmp_path / "django.po"
    catalogue = polib.POFile()
    catalogue.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    catalogue.append(polib.POEntry(msgid="Hello %(name)s", msgstr="Xin chào"))
    catalogue.append(polib.POEntry(msgid="{count} items", msgstr="{so} mục"))
    catalogue.append(polib.POEntry(msgid="%s of %s", msgstr="%s trên %s"))
    catalogue.append(
        polib.POEntry(
            msgid="Delete 1 page",
            msgid_plural="Delete %(counter)s pages",
            msgstr_plural={0: "Xóa %(count)s trang"},
        )
    )
    catalogue.save(str(po_path))
    assert _placeholder_problems(po_path) == [
        "'Hello %(name)s' -> 'Xin chào'",
        "'{count} items' -> '{so} mục'",
        "'Delete 1 page' -> 'Xóa %(count)s trang'",
    ]


# --- Third-party catalogue ----------------------------------------------------


def _build_script():
    path = ROOT / "scripts" / "build_third_party_catalogue.py"
    spec = importlib.util.spec_from_file_location("build_third_party_catalogue", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_third_party_catalogue_is_built_from_the_data_file_and_installed_sources():
    # Editing translations/vi.po without re-running the script, or upgrading
    # allauth/Wagtail so msgids change, must show up here, not in production.
    catalogues, _report = _build_script().build_catalogues()
    for domain, built in catalogues.items():
        committed = polib.pofile(
            str(ROOT / "third_party_locale/vi/LC_MESSAGES" / f"{domain}.po")
        )

        def rows(catalogue):
            return sorted(
                (e.msgctxt or "", e.msgid, e.msgstr, tuple(e.msgstr_plural.items()))
                for e in catalogue
            )

        assert rows(built) == rows(committed), f"run the build script ({domain})"
    assert len(catalogues["django"]) > 1000


def test_apps_and_third_party_agree_on_shared_words():
    # One msgid has one translation per process: an app's differing wording
    # would silently lose to ours. Agree, or give the app's string a context.
    assert _build_script().conflicts() == []


def test_third_party_vietnamese_is_active_for_allauth_and_wagtail():
    with translation.override("vi"):
        assert _gettext("Forgot your password?") == "Quên mật khẩu?"
        assert _gettext("Remember Me") == "Ghi nhớ đăng nhập"
        assert pgettext("field label", "Login") == "Đăng nhập"
        assert _gettext("Save draft") == "Lưu bản nháp"
        assert _gettext("Add multiple images") == "Thêm nhiều hình ảnh"
        assert ngettext("Delete 1 page", "Delete %(counter)s pages", 3) % {
            "counter": 3
        } == ("Xóa 3 trang")
    with translation.override("en"):
        assert _gettext("Forgot your password?") == "Forgot your password?"
        assert _gettext("Save draft") == "Save draft"


# --- Pages our users see ------------------------------------------------------


@pytest.fixture
def _no_rate_limits():
    caches["ratelimit"].clear()
    yield
    caches["ratelimit"].clear()


def _visible_text(response) -> str:
    body = response.content.decode()
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


@pytest.mark.usefixtures("_no_rate_limits")
def test_allauth_login_page_is_vietnamese_at_the_root(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert '<html lang="vi">' in response.content.decode()
    text = _visible_text(response)
    for phrase in (
        "Đăng nhập",
        "Mật khẩu:",
        "Quên mật khẩu?",
        "Ghi nhớ đăng nhập",
        "Nếu bạn chưa có tài khoản, vui lòng đăng ký trước.",
    ):
        assert phrase in text, phrase
    for english in ("Sign In", "Forgot your password?", "Remember Me", "Password:"):
        assert english not in text, english


@pytest.mark.usefixtures("_no_rate_limits")
def test_allauth_login_page_is_english_under_en(client, db):
    text = _visible_text(client.get("/en/accounts/login/"))
    assert "Forgot your password?" in text
    assert "Remember Me" in text
    assert "Quên mật khẩu?" not in text


@pytest.mark.usefixtures("_no_rate_limits")
def test_allauth_signup_and_reset_pages_are_vietnamese(client, db):
    signup = _visible_text(client.get("/accounts/signup/"))
    assert "Bạn đã có tài khoản? Vui lòng đăng nhập" in signup
    assert "Nhập lại mật khẩu:" in signup
    reset = _visible_text(client.get("/accounts/password/reset/"))
    assert "Quên mật khẩu? Hãy nhập địa chỉ email của bạn bên dưới" in reset
    assert "Đặt lại mật khẩu" in reset


@pytest.mark.usefixtures("_no_rate_limits")
def test_password_reset_email_is_vietnamese_for_a_vietnamese_visitor(client, db):
    UserFactory(email="chu.htx@example.com")
    response = client.post(
        "/accounts/password/reset/", {"email": "chu.htx@example.com"}
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "[Thương hiệu số An Giang] Email đặt lại mật khẩu"
    assert "Xin chào từ" in message.body
    assert "yêu cầu đặt lại mật khẩu cho tài khoản của bạn" in message.body
    assert "password reset" not in message.body


@pytest.mark.usefixtures("_no_rate_limits")
def test_signup_verification_email_is_vietnamese(client, db):
    client.post(
        "/accounts/signup/",
        {
            "email": "nguoimua.vi@example.com",
            "password1": "mat-khau-dai-123",
            "password2": "mat-khau-dai-123",
        },
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == (
        "[Thương hiệu số An Giang] Vui lòng xác nhận địa chỉ email của bạn"
    )
    assert "đã dùng địa chỉ email của bạn để đăng ký tài khoản" in message.body


def _sidebar_labels(response) -> set[str]:
    """Labels of Wagtail's main menu, which is rendered from JSON props."""
    match = re.search(
        r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    labels = set()

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("label"), str):
                labels.add(node["label"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(match.group(1)))
    return labels


def test_wagtail_admin_main_menu_is_vietnamese_for_an_organisation_editor(client, db):
    organisation = onboarded_organisation()
    editor = member(organisation)
    client.force_login(editor)
    response = client.get("/admin/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="vi"' in body
    assert "<title>Trang tổng quan - Wagtail</title>" in body
    labels = _sidebar_labels(response)
    assert {"Hình ảnh", "Tài liệu", "Trợ giúp", "Tài khoản", "Đăng xuất"} <= labels
    assert not {"Images", "Documents", "Help", "Account", "Log out"} & labels
    assert "Tóm tắt trang web" in _visible_text(response)


def test_wagtail_admin_follows_the_editor_preferred_language(client, db):
    organisation = onboarded_organisation()
    editor = member(organisation)
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(editor)
    labels = _sidebar_labels(client.get("/admin/"))
    assert {"Images", "Documents", "Help"} <= labels
