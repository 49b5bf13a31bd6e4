"""Sign in through the real login form and print a Cookie header value for wrk.

    python bench/session.py http://127.0.0.1:8765 alice@aldercreek.example ridgeline-demo

Prints e.g. `sessionid=...; csrftoken=...` on stdout, after checking that the cookie
really opens the signed-in home page (200 and "Hello,"), so a benchmark never measures
the login redirect by mistake. Standard library only. Exits non-zero with a reason.
"""

from __future__ import annotations

import http.cookiejar
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from typing import NoReturn

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken"\s+value="([^"]+)"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Keep 302s visible: a redirect to /accounts/login/ is exactly what we check for."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def fail(message: str) -> NoReturn:
    print(f"session.py: {message}", file=sys.stderr)
    sys.exit(1)


def open_url(
    opener: urllib.request.OpenerDirector,
    url: str,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, str, bytes]:
    """(status, Location header, body); 3xx and 4xx come back as errors from urllib."""
    if not url.startswith(("http://", "https://")):
        fail(f"not an http(s) address: {url}")
    request = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310 (checked)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.headers.get("Location", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", ""), error.read()


def sign_in(base: str, email: str, password: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    login_url = base + "/accounts/login/"

    status, _, body = open_url(opener, login_url)
    if status != 200:
        fail(f"GET {login_url} answered {status}")
    match = CSRF_INPUT.search(body.decode())
    if not match:
        fail("no csrfmiddlewaretoken input on the login page")
    form = urllib.parse.urlencode(
        {"login": email, "password": password, "csrfmiddlewaretoken": match.group(1)}
    ).encode()
    # Django checks the Referer on HTTPS only; sending it keeps this working behind TLS too.
    status, location, _ = open_url(opener, login_url, data=form, headers={"Referer": login_url})
    if status != 302:
        fail(f"sign-in as {email} answered {status}, not a redirect (wrong password?)")
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        fail(f"sign-in as {email} set no sessionid cookie (redirected to {location})")
    # Only what a browser keeps sending: the "signed in" flash message (the messages cookie)
    # would otherwise be rendered, and deleted again, on every benchmarked request.
    cookie = "; ".join(
        f"{name}={cookies[name]}" for name in ("sessionid", "csrftoken") if name in cookies
    )

    # The check wrk cannot make: the cookie gives the signed-in home, not the login page.
    plain = urllib.request.build_opener(NoRedirect)  # no cookie jar: only the header counts
    status, location, body = open_url(plain, base + "/", headers={"Cookie": cookie})
    if status != 200:
        fail(f"GET / with {email}'s cookie answered {status} {location}".rstrip())
    if b"Hello," not in body:
        fail(f"GET / with {email}'s cookie is not the signed-in home (no 'Hello,')")
    return cookie


def main() -> None:
    if len(sys.argv) != 4:
        fail("usage: session.py BASE_URL EMAIL PASSWORD")
    base, email, password = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
    print(sign_in(base, email, password))


if __name__ == "__main__":
    main()
