"""The web interface's login of current Grandstream firmware, as captured on a WP826 (1.0.3.35).

`POST /cgi-bin/access` with `access=<sha256 hex of the user name>` answers a nonce;
`POST /cgi-bin/dologin` with `username=<plain>&password=<sha256 hex of (password + nonce)>` answers
the session id. Refusals are HTTP 200: `"body":"wrong4"` (4 tries left) or `"body":"locked"` with
`"lockTime"` in minutes. Both POSTs need `X-Requested-With: XMLHttpRequest` and a same-origin
Referer (otherwise a bare HTML 403 before any check), and every POST a Content-Length (else 411).
Older GXP16xx firmware (`plain_login`) has no `access`: `dologin` takes the password in plain and
the session rides on the cookies `session-identity` and `session-role`.
"""

from typing import Final

from aiohttp import web

from simulator.answers import DialectRequest, grandstream_json, text
from simulator.auth import FORMS, Outcome, Verdict, sha256_hex
from simulator.model import SimulatedPhone

SESSION_COOKIE: Final = "session-identity"
ROLE_COOKIE: Final = "session-role"
SID_BYTES: Final = 32  # a 64-hex sid, as captured


def html(status: int, reason: str) -> web.Response:
    """Answer the bare HTML page the phone's web server gives for a refused request."""
    return text(
        f"<html><head><title>{status} {reason}</title></head><body><h1>{status} {reason}</h1>"
        "</body></html>",
        "text/html",
        status,
    )


def refuse_request(request: web.Request) -> web.Response | None:
    """Run the web server's own checks first: 411 without a length, 403 off the page."""
    if request.method == "POST" and "Content-Length" not in request.headers:
        return html(411, "Length Required")
    origin = f"{request.scheme}://{request.host}/"
    same_origin = request.headers.get("Referer", "").startswith(origin)
    if request.headers.get("X-Requested-With") != "XMLHttpRequest" or not same_origin:
        return html(403, "Forbidden")
    return None


def error(body: str, **extra: int) -> web.Response:
    """Answer `{"response": "error", "body": ...}`, with extra fields such as lockTime."""
    return grandstream_json({"response": "error", "body": body, **extra})


def access(call: DialectRequest) -> web.Response:
    """Hand out a nonce for the user whose name's hash is `access`."""
    if call.phone.plain_login:
        raise web.HTTPNotFound
    user_hash = call.get("access")
    if not user_hash:
        return error("missing access")
    return grandstream_json({"response": "success", "body": call.phone.auth.nonce(user_hash)})


def dologin(call: DialectRequest) -> web.Response:
    """Log in with the nonce-hashed password (or, on older firmware, the plain one)."""
    phone = call.phone
    username = call.get("username")
    if phone.plain_login:
        outcome = phone.auth.check_password(username, call.get("password"))
    else:
        outcome = phone.auth.check_hashed(username, call.get("password"))
    return logged_in(phone, username, outcome)


def refusal(phone: SimulatedPhone, outcome: Outcome) -> web.Response:
    """Say why a login failed: locked (for how many minutes), or wrong with the tries left."""
    if outcome.verdict is Verdict.LOCKED:
        return error("locked", lockTime=phone.auth.lock_minutes)
    return error("wrong" if outcome.left is None else f"wrong{outcome.left}")


def logged_in(phone: SimulatedPhone, username: str, outcome: Outcome) -> web.Response:
    """Open the session a login earned, or refuse it."""
    if not outcome.ok:
        return refusal(phone, outcome)
    session = phone.auth.open_session(username, outcome.role, kind=FORMS, size=SID_BYTES)
    if phone.plain_login:
        response = grandstream_json({"response": "success", "body": {"role": session.role}})
        response.set_cookie(SESSION_COOKIE, session.key, path="/")
        response.set_cookie(ROLE_COOKIE, session.role, path="/")
        return response
    return grandstream_json(
        {
            "response": "success",
            "body": {
                "sid": session.key,
                "role": sha256_hex(session.role + session.key),
                "ver": phone.firmware,
                "mac": phone.mac,
                "defaultAuth": False,
                "defaultLogin": False,
            },
        }
    )


def session_key(request: web.Request, params: dict[str, str], phone: SimulatedPhone) -> str | None:
    """Return the sid a request carries as `Cookie: sid` and `sid=` (older firmware: cookie)."""
    if phone.plain_login:
        return request.cookies.get(SESSION_COOKIE)
    cookie, param = request.cookies.get("sid"), params.get("sid")
    return cookie if cookie and cookie == param else None
