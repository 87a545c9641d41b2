"""A cooperative's owner takes the self-assessment in a real browser: starts on
one device, leaves mid-way, resumes on another, reviews, submits, reads the
results (level, chart, peers, next steps) and downloads the PDF report.

axe-core checks a step page and the results page in Vietnamese and English.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.test_buyer_journey import open_menu
from tests.livestack import PASSWORD

# The first test also pays for seeding the live server (a minute or two).
pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]

OWNER = "chu.hung-phat@an-giang.example"
# HTX Hưng Phát: four rice cooperatives of its size class have submitted in the
# demo, with itself five, so the peer comparison shows.
ORGANISATION = "HTX Hưng Phát"
PDF_DIR = Path("/tmp/editorsme-pdf")
# Another share per viewport, so the phone run proves its own answers came back.
SHARE = {"desktop": "35", "phone": "36"}


def log_in(page, email: str) -> None:
    page.get_by_label(re.compile("Thư điện tử|Email", re.I)).fill(email)
    page.get_by_label(re.compile("Mật khẩu|Password")).fill(PASSWORD)
    page.locator("main form").get_by_role("button").last.click()


def organisation_card(page):
    return page.locator("li.card").filter(
        has=page.get_by_role("heading", name=ORGANISATION)
    )


def step_button(page, action: str):
    return page.locator(f"form.assessment-form button[name=action][value={action}]")


def test_owner_takes_the_assessment_on_two_devices_and_downloads_the_report(
    session,
):
    page = session.page
    share = SHARE[session.viewport]

    # Device 1: the start page sends visitors to log in and back.
    session.goto("/danh-gia/")
    session.shot("start")
    page.locator("main").get_by_role("link", name="Đăng nhập").click()
    log_in(page, OWNER)
    page.wait_for_url(re.compile(r"/danh-gia/$"))
    organisation_card(page).get_by_role("button").click()
    page.wait_for_url(re.compile(r"/danh-gia/[0-9a-f-]{36}/buoc-1/$"))
    step_url = page.url
    expect(page.locator("h1")).to_contain_text("Bước 1/")
    # The pillar's name, not a Python repr, in the tab's title.
    expect(page).to_have_title(
        re.compile(r"^Trải nghiệm số cho khách hàng – Bước 1/7 · ")
    )
    expect(page.locator("progress")).to_be_visible()
    # Every pillar's answered/total, as text.
    expect(page.locator("ol.steps .steps__count")).to_have_count(7)
    expect(page.locator("ol.steps .steps__count").first).to_have_text(
        re.compile(r"^\d+/13 đã trả lời$")
    )
    session.shot("step-1")
    session.assert_accessible()
    # Each question's help is read out with it, for radio groups and inputs.
    expect(
        page.get_by_role("group", name=re.compile("^C01"))
    ).to_have_accessible_description(re.compile("^Tính cả trang thương hiệu"))
    expect(page.locator("#id_c_C03")).to_have_accessible_description(
        re.compile("^Quảng cáo trực tuyến")
    )

    # Step 1: a ladder answer, a share, and one share left empty on purpose.
    page.locator("#id_c_C01_4").check()
    page.locator("#id_c_C03").fill(share)
    page.locator("#id_c_C05").fill("")
    step_button(page, "next").click()
    page.wait_for_url(re.compile(r"/buoc-2/$"))

    # Step 2: the top rung of its first ladder question, then on to step 3.
    first_ladder = page.locator("fieldset.question input[type=radio]")
    chosen_id = first_ladder.evaluate_all(
        "inputs => { const name = inputs[0].name; const own = inputs.filter("
        "i => i.name === name); return own[own.length - 1].id; }"
    )
    page.locator(f"#{chosen_id}").check()
    step_button(page, "next").click()
    page.wait_for_url(re.compile(r"/buoc-3/$"))
    step_button(page, "save").click()
    expect(page.locator("body")).to_contain_text("Đã lưu câu trả lời.")
    session.shot("step-3-saved")
    # The owner leaves: this device's browser is gone.
    page.context.close()

    # Device 2: a fresh browser, the same account; the draft is waiting.
    page = session.page = session.new_page()
    session.goto("/accounts/login/?next=/danh-gia/")
    log_in(page, OWNER)
    page.wait_for_url(re.compile(r"/danh-gia/$"))
    resume = organisation_card(page).get_by_role("button")
    expect(resume).to_have_text("Tiếp tục đánh giá")
    session.shot("resume")
    resume.click()
    page.wait_for_url(step_url)
    expect(page.locator("#id_c_C01_4")).to_be_checked()
    expect(page.locator("#id_c_C03")).to_have_value(re.compile(rf"^{share}(\.0)?$"))
    expect(page.locator("#id_c_C05")).to_have_value("")

    # The same step in English is labelled too, then back to Vietnamese.
    open_menu(page)
    page.locator(".language-switcher").get_by_role("link", name="English").click()
    page.wait_for_url(re.compile(r"/en/assessment/[0-9a-f-]{36}/step-1/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_title(
        re.compile(r"^Customer digital experience – Step 1/7 · ")
    )
    session.shot("step-1-en")
    session.assert_accessible()
    open_menu(page)
    page.locator(".language-switcher").get_by_role("link", name="Tiếng Việt").click()
    page.wait_for_url(step_url)

    page.locator("nav ol.steps").get_by_role("link", name=re.compile("^2")).click()
    expect(page.locator(f"#{chosen_id}")).to_be_checked()

    # The review lists the question left empty; answer it from there.
    page.locator("nav ol.steps").get_by_role("link", name="Xem lại").click()
    page.wait_for_url(re.compile(r"/xem-lai/$"))
    main = page.locator("main")
    expect(main).to_contain_text("Câu hỏi chưa trả lời")
    expect(main).to_contain_text("C05.")
    # Every answer is listed, each with a link to its question.
    expect(main.locator("dl.review-answers a[href*='#q-']")).to_have_count(64)
    expect(main.locator("dl.review-answers a[href$='/buoc-1/#q-C01']")).to_have_count(1)
    session.shot("review-missing")
    main.get_by_role("link", name=re.compile("^Bước 1")).click()
    page.wait_for_url(step_url)
    page.locator("#id_c_C05").fill("20")
    step_button(page, "save").click()
    expect(page.locator("body")).to_contain_text("Đã lưu câu trả lời.")
    page.locator("nav ol.steps").get_by_role("link", name="Xem lại").click()
    expect(main).to_contain_text("Đã trả lời tất cả câu hỏi.")
    session.shot("review-complete")
    main.get_by_role("button", name="Gửi bài đánh giá").click()

    # Results: level, chart with its table, peers, next steps.
    page.wait_for_url(re.compile(r"/ket-qua/$"))
    expect(page.locator("body")).to_contain_text("bài đánh giá đã được gửi")
    expect(page.locator(".level-card__level")).to_contain_text(
        re.compile(r"Mức [0-5]:")
    )
    expect(page.locator("svg.bar-chart rect.bar-chart__bar")).to_have_count(7)
    expect(
        page.locator("section[aria-labelledby=pillars-heading] tbody tr")
    ).to_have_count(7)
    peers = page.locator("section[aria-labelledby=peers-heading]")
    expect(peers).to_contain_text(re.compile(r"của \d+ tổ chức .*\d+,\d/100"))
    expect(page.locator("svg.bar-chart rect.bar-chart__peer")).to_have_count(7)
    labels = assert_chart_labels_readable(page)
    assert_progress_dates(page)
    next_steps = page.locator("section[aria-labelledby=next-heading] .next-step")
    expect(next_steps.first).to_be_visible()
    expect(next_steps.first.locator("p")).not_to_be_empty()
    session.shot("results")
    session.assert_accessible()

    # The PDF report, as the browser downloads it.
    with page.expect_download() as info:
        page.get_by_role("link", name="Báo cáo (PDF)").click()
    download = info.value
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"%PDF-")
    text = pdf_text(content)
    assert ORGANISATION in text
    assert "tự đánh giá" in text.lower(), text[:300]
    PDF_DIR.mkdir(exist_ok=True)
    saved = PDF_DIR / f"report-{session.viewport}.pdf"
    saved.write_bytes(content)
    render_pages(saved)

    # The results in English pass axe too.
    open_menu(page)
    page.locator(".language-switcher").get_by_role("link", name="English").click()
    page.wait_for_url(re.compile(r"/en/assessment/[0-9a-f-]{36}/results/$"))
    expect(page.locator("h1")).to_have_text("Your digital readiness")
    labels_en = assert_chart_labels_readable(page)
    # What was measured, to read after the run.
    (PDF_DIR / f"chart-labels-{session.viewport}.json").write_text(
        json.dumps({"vi": labels, "en": labels_en}, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    session.shot("results-en")
    session.assert_accessible()


# Each chart text's rendered size: its computed font size times the SVG's
# scale on screen (1 without a viewBox), and its box against the chart's.
LABEL_SIZES_JS = """
() => Array.from(document.querySelectorAll('svg.bar-chart, svg.progress-chart'))
  .flatMap(svg => {
    const box = svg.getBoundingClientRect();
    return Array.from(svg.querySelectorAll('text'))
      .filter(text => getComputedStyle(text).display !== 'none')
      .map(text => {
      const rect = text.getBoundingClientRect();
      return {
        chart: svg.getAttribute('class'),
        text: text.textContent.trim(),
        size: parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a,
        height: rect.height,
        left: rect.left - box.left,
        right: box.right - rect.right,
      };
    });
  })
"""
MIN_LABEL_PX = 12


def assert_progress_dates(page) -> None:
    """With two submissions or more, the x axis names submission dates."""
    chart = page.locator("svg.progress-chart")
    if chart.count() == 0:
        return
    table = page.locator("section[aria-labelledby=progress-heading] tbody th")
    dates = [d.strip() for d in table.all_inner_texts()]
    shown = chart.locator(".progress-chart__date:visible").all_text_contents()
    most = 3 if page.viewport_size["width"] < 640 else 5
    assert 2 <= len(shown) <= most and set(shown) <= set(dates), (shown, dates)
    assert shown[0] == dates[0] and shown[-1] == dates[-1]


def assert_chart_labels_readable(page) -> list[dict]:
    """At 360 px too: every chart label at least 12 px and inside its chart."""
    labels = page.evaluate(LABEL_SIZES_JS)
    assert labels, "no chart labels"
    small = [label for label in labels if label["size"] < MIN_LABEL_PX]
    assert small == [], small
    # A glyph box is taller than the font size is wide; under 12 px it shrank.
    assert min(label["height"] for label in labels) >= MIN_LABEL_PX, labels
    cut = [label for label in labels if label["left"] < -1 or label["right"] < -1]
    assert cut == [], cut
    return labels


def render_pages(pdf: Path) -> None:
    """PNGs of the first pages, to look at the diacritics (when poppler is here)."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        return
    subprocess.run(
        [pdftoppm, "-png", "-r", "80", "-l", "2", str(pdf), str(pdf.with_suffix(""))],
        check=True,
        timeout=60,
    )


# --- A little PDF text reader (pypdf is not a dependency) ----------------------
# fpdf2 writes Type0 fonts with Identity-H encoding: two bytes per glyph id in
# literal strings, mapped back to Unicode by each font's ToUnicode CMap.


def _objects(data: bytes) -> dict[int, tuple[bytes, bytes]]:
    objects = {}
    for match in re.finditer(
        rb"(\d+) 0 obj\s*<<(.*?)>>\s*(stream\r?\n|endobj)", data, re.S
    ):
        body = b""
        if match.group(3).startswith(b"stream"):
            end = data.index(b"endstream", match.end())
            body = data[match.end() : end]
            if b"/FlateDecode" in match.group(2):
                body = zlib.decompress(body)
        objects[int(match.group(1))] = (match.group(2), body)
    return objects


def _cmap(stream: bytes) -> dict[int, str]:
    mapping = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", stream, re.S):
        for lo, hi, dst in re.findall(
            rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            start = int(dst, 16)
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                mapping[code] = chr(start + offset)
    return mapping


def _literal(raw: bytes) -> bytes:
    escapes = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
    out, i = bytearray(), 0
    while i < len(raw):
        char = raw[i : i + 1]
        if char == b"\\":
            following = raw[i + 1 : i + 2]
            octal = re.match(rb"[0-7]{1,3}", raw[i + 1 : i + 4])
            if octal:
                out.append(int(octal.group(), 8) & 0xFF)
                i += 1 + len(octal.group())
                continue
            out += escapes.get(following, following)
            i += 2
            continue
        out += char
        i += 1
    return bytes(out)


STRING = re.compile(rb"\(((?:\\.|[^\\)])*)\)", re.S)
# A font change, a string shown with Tj, or an array of strings (justified
# lines) shown with TJ.
TEXT_OPERATORS = re.compile(
    rb"/(?P<font>F\d+) [\d.]+ Tf"
    rb"|(?P<strings>\((?:\\.|[^\\)])*\)) Tj"
    rb"|\[(?P<array>(?:\((?:\\.|[^\\)])*\)|[^\]])*)\] TJ",
    re.S,
)


def pdf_text(data: bytes) -> str:
    """The text of every page, one line per text object; fails on a glyph
    that maps to nothing (it would print as a box)."""
    objects = _objects(data)
    fonts: dict[bytes, dict[int, str]] = {}
    for head, _body in objects.values():
        for name, ref in re.findall(rb"/(F\d+) (\d+) 0 R", head):
            font_head = objects[int(ref)][0]
            to_unicode = re.search(rb"/ToUnicode (\d+) 0 R", font_head)
            if to_unicode:
                fonts[name] = _cmap(objects[int(to_unicode.group(1))][1])
    lines = []
    for head, body in objects.values():
        if b"BT" not in body or b"/Type /XObject" in head:
            continue
        font: dict[int, str] = {}
        for match in TEXT_OPERATORS.finditer(body):
            if match.group("font"):
                font = fonts[match.group("font")]
                continue
            line = ""
            shown = match.group("strings") or match.group("array")
            for string in STRING.findall(shown):
                raw = _literal(string)
                codes = [
                    int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2)
                ]
                missing = [code for code in codes if code not in font]
                assert not missing, f"glyphs without Unicode: {missing}"
                line += "".join(font[code] for code in codes)
            lines.append(line)
    return "\n".join(lines)
