"""Find the pages bench/lighthouse.sh audits: a product page, and an assessment
step of the demo owner (logged in through allauth, cookie printed for Lighthouse;
when the owner has no assessment in progress, one is begun).

Prints "PRODUCT_PATH STEP_PATH COOKIE" on one line ("-" for what is missing).
"""

from __future__ import annotations

import http.cookiejar
import re
import sys
import urllib.parse
import urllib.request

OWNER = "chu.hung-phat@an-giang.example"
PASSWORD = "bench-password-123"  # noqa: S105 - the demo password run_load.sh seeds


def main(base: str) -> None:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def get(path: str) -> str:
        with opener.open(base + path, timeout=30) as response:
            return response.read().decode("utf-8", "replace")

    product = "-"
    for link in re.findall(r'href="(/[^"#?]+/)"', get("/")):
        if link.count("/") >= 4 and 'name="variant"' in get(link):
            product = link
            break

    step, cookie = "-", "-"
    get("/accounts/login/")
    token = next((c.value for c in jar if c.name == "csrftoken"), "")
    data = urllib.parse.urlencode(
        {"login": OWNER, "password": PASSWORD, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(base + "/accounts/login/", data=data)
    request.add_header("Referer", base + "/accounts/login/")
    opener.open(request, timeout=30).read()
    start = get("/danh-gia/")
    found = re.findall(r'href="(/danh-gia/[0-9a-f-]{36}/buoc-\d+/)"', start)
    begin = re.findall(r'action="(/danh-gia/[0-9a-f-]{36}/begin/)"', start)
    if not found and begin:
        # The demo's assessments are all submitted: begin a new one, as the
        # owner's "start" button does; its answer redirects to step 1.
        token = next((c.value for c in jar if c.name == "csrftoken"), "")
        request = urllib.request.Request(
            base + begin[0],
            data=urllib.parse.urlencode({"csrfmiddlewaretoken": token}).encode(),
        )
        request.add_header("Referer", base + "/danh-gia/")
        with opener.open(request, timeout=30) as response:
            found = re.findall(r"(/danh-gia/[0-9a-f-]{36}/buoc-\d+/)$", response.url)
    if found:
        step = found[0]
        cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    print(product, step, cookie.replace(" ", ""))


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"))
