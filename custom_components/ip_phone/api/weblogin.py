"""The web interface's login of Grandstream phones: the guides' "Forms Authentication".

As captured on a WP826 (firmware 1.0.3.35 and 1.0.1.87; GXP21xx, GXP17xx, GRP26xx, WP8x0 alike):
1. `POST /cgi-bin/access` with `access=<sha256 hex of the user name>` answers a nonce;
2. `POST /cgi-bin/dologin` with `username=<plain>&password=<sha256 hex of (password + nonce)>`
   answers `{"sid": <64 hex>, "role": ..., "ver": <firmware>, "mac": ...}`.
Refusals are HTTP 200: `"body":"wrong4"` (4 tries left), `"body":"locked"` with `"lockTime"` in
minutes. Both POSTs need `X-Requested-With: XMLHttpRequest` and a same-origin Referer, or the web
server answers a bare 403. Older GXP16xx firmware has no `access` (HTTP 404): `dologin` then takes
the password in plain and the session rides on the cookies it sets.
"""

from dataclasses import dataclass, field
import hashlib
from http import HTTPStatus
import re
from typing import Final
import urllib.parse

from .errors import (
    PhoneAuthenticationError,
    PhoneLockedError,
    PhoneResponseError,
    PhoneUnsupportedError,
)
from .grandstream import parse_envelope
from .parsing import (
    as_int,
    as_object,
    as_str,
    get_ci,
    normalise_mac,
    optional_str,
    parse_json,
)
from .transport import HttpResponse, Transport

_WRONG: Final = re.compile(r"wrong(\d*)", re.IGNORECASE)
_NONCE: Final = re.compile(r"[0-9A-Za-z+/=_.-]{1,256}")


@dataclass(frozen=True, slots=True)
class WebSession:
    """A logged-in web session: the sid (None where only cookies carry it) and what it told."""

    sid: str | None
    cookies: dict[str, str] = field(default_factory=dict)
    firmware: str | None = None
    mac: str | None = None

    def request_cookies(self) -> dict[str, str]:
        """Return the cookies every request carries: the login's, and `sid` where there is one."""
        return {**self.cookies, "sid": self.sid} if self.sid else dict(self.cookies)

    def params(self, params: dict[str, str] | None) -> dict[str, str]:
        """`params` with `sid=` added, as the web interface sends it next to the cookie."""
        return {**(params or {}), "sid": self.sid} if self.sid else dict(params or {})


def sha256_hex(text: str) -> str:
    """SHA-256 in lower-case hex."""
    return hashlib.sha256(text.encode()).hexdigest()


def page_headers(transport: Transport) -> dict[str, str]:
    """Return the web interface's own request headers, without which the phone answers 403."""
    return {"X-Requested-With": "XMLHttpRequest", "Referer": f"{transport.base_url}/"}


def form(params: dict[str, str]) -> bytes:
    """Encode a form body; sent with a Content-Length (the phone answers 411 without one)."""
    return urllib.parse.urlencode(params).encode()


async def post_form(
    transport: Transport,
    path: str,
    params: dict[str, str],
    cookies: dict[str, str] | None = None,
    *,
    once: bool = False,
) -> HttpResponse:
    """POST a form as the web interface does; `once` for a command (sent at most once)."""
    return await transport.request(
        "POST",
        path,
        data=form(params),
        headers={
            **page_headers(transport),
            "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8",
        },
        cookies=cookies,
        once=once,
    )


def parse_nonce(response: HttpResponse) -> str:
    """Read the nonce of `access`; PhoneUnsupportedError on firmware without it (HTTP 404)."""
    if response.status == HTTPStatus.NOT_FOUND:
        raise PhoneUnsupportedError("This phone's web interface has no /cgi-bin/access")
    if response.status != HTTPStatus.OK:
        raise PhoneResponseError(f"access answered HTTP {response.status}")
    envelope = parse_envelope(response.body)
    nonce = as_str(envelope.body) if isinstance(envelope.body, (str, int)) else ""
    if not envelope.success or not _NONCE.fullmatch(nonce):
        raise PhoneResponseError("access answered no nonce")
    return nonce


def parse_login(response: HttpResponse) -> WebSession:
    """Read the session a `dologin` answer opens; PhoneAuthenticationError if refused."""
    if response.status in (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN):
        raise PhoneAuthenticationError(f"Login refused (HTTP {response.status})")
    if response.status != HTTPStatus.OK:
        raise PhoneResponseError(f"dologin answered HTTP {response.status}")
    envelope = parse_envelope(response.body)
    if not envelope.success:
        reason = as_str(envelope.body) if not isinstance(envelope.body, (dict, list)) else ""
        raise login_refusal(reason, response.body)
    body = envelope.body if isinstance(envelope.body, dict) else {}
    sid = optional_str(get_ci(body, "sid"))
    if not sid and "session-identity" not in response.cookies:
        raise PhoneResponseError("dologin answered success without a session")
    return WebSession(
        sid=sid,
        cookies=dict(response.cookies),
        firmware=optional_str(get_ci(body, "ver")),
        mac=normalise_mac(optional_str(get_ci(body, "mac"))),
    )


def login_refusal(reason: str, raw: bytes) -> PhoneAuthenticationError:
    """Build the error for a refused login: how long a lock lasts, how many tries are left."""
    if reason.lower() == "locked":
        minutes = lock_minutes(raw)
        during = f" for {minutes} minutes" if minutes is not None else ""
        return PhoneLockedError(
            f"The phone locked its web account{during} after wrong passwords", minutes
        )
    if (match := _WRONG.fullmatch(reason)) and match[1]:
        return PhoneAuthenticationError(
            f"Wrong user name or password ({match[1]} tries left before the account locks)"
        )
    return PhoneAuthenticationError("Wrong user name or password")


def lock_minutes(raw: bytes) -> int | None:
    """Read the `lockTime` (minutes) of a locked answer, if it has one."""
    # Called after parse_envelope read the same bytes, so they are a JSON object.
    return as_int(get_ci(as_object(parse_json(raw)), "lockTime"))


async def log_in(transport: Transport, username: str, password: str) -> WebSession:
    """Log in as the web interface does; plain `dologin` only where the phone has no `access`."""
    try:
        nonce = parse_nonce(
            await post_form(transport, "/cgi-bin/access", {"access": sha256_hex(username)})
        )
    except PhoneUnsupportedError:
        secret = password  # older firmware: the password itself, as its own web page sends it
    else:
        secret = sha256_hex(password + nonce)
    response = await post_form(
        transport, "/cgi-bin/dologin", {"username": username, "password": secret}
    )
    return parse_login(response)
