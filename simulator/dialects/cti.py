"""Grandstream GRP260x CTI: `/cgi-bin/api-*?passcode=...` on every request.

Written from the Grandstream GRP260x Series CTI guide (request and response formats, functions).
"""

from collections.abc import Callable
import re
from typing import Final

from aiohttp import web

from simulator.answers import DialectRequest, Json, grandstream_json, phone_of, read_params
from simulator.auth import ADMIN
from simulator.dialects.grandstream import accounts_body
from simulator.enums import LineState
from simulator.model import IN_CALL

type Handler = Callable[[DialectRequest], web.Response]

STATE_NAMES: Final = {
    LineState.IDLE: "idle",
    LineState.DIALING: "dialing",
    LineState.RINGBACK: "calling",
    LineState.RINGING: "ringing",
    LineState.CONNECTED: "connected",
    LineState.HOLD: "onhold",
    LineState.FAILED: "failed",
}
# Named keys of api-send_key, besides the digits and MPK1.. / SOFTKEY1..
KEYS: Final = frozenset(
    {
        "STAR", "POUND", "SEND", "OK", "OFFHOOK", "ONHOOK", "SPEAKER", "HEADSET", "HOLD", "MUTE",
        "VUP", "VDOWN", "LOCK", "UNLOCK", "UP", "DOWN", "LEFT", "RIGHT", "CONF", "TRANSFER",
        "REDIAL", "CALLLOG", "PHONEBOOK", "MESSAGE", "HOME", "BACK",
    }
)  # fmt: skip
NUMBERED_KEY: Final = re.compile(r"[0-9]|MPK\d+|SOFTKEY\d+")


def success(body: Json) -> web.Response:
    """Answer `{"response": "success", "body": ...}`."""
    return grandstream_json({"response": "success", "body": body})


def error(body: Json) -> web.Response:
    """Answer `{"response": "error", "body": ...}`."""
    return grandstream_json({"response": "error", "body": body})


def _line_status(call: DialectRequest) -> web.Response:
    phone = call.phone
    return success(
        [
            {
                "line": line.index,
                "state": STATE_NAMES[line.state],
                # From 0, as Grandstream firmware counts it in the field (GXP/GRP/WP alike).
                "acct": "" if line.account is None else line.account - 1,
                "remotename": line.remote_name,
                "remotenumber": line.remote_number,
                "active": int(phone.active_line == line.index),
            }
            for line in phone.lines
        ]
    )


def _phone_status(call: DialectRequest) -> web.Response:
    return grandstream_json({"response": "success", "body": call.phone.status(), "misc": "0"})


def _accounts(call: DialectRequest) -> web.Response:
    return success(accounts_body(call.phone))


def _phone_operation(call: DialectRequest) -> web.Response:
    # The CTI guide passes no line: each command acts on the line it fits.
    phone = call.phone
    cmd = call.get("cmd").lower()
    done = False
    if cmd in ("endcall", "cancel") and (line := phone.line_for(*IN_CALL, LineState.FAILED)):
        done = phone.hang_up(line.index)
    elif cmd in ("rejectcall", "cancel") and (line := phone.line_for(LineState.RINGING)):
        done = phone.reject(line.index)
    elif cmd == "acceptcall" and (line := phone.line_for(LineState.RINGING)):
        done = phone.answer(line.index)
    elif cmd == "holdcall" and (line := phone.line_for(LineState.CONNECTED, LineState.HOLD)):
        done = phone.toggle_hold(line.index)
    return success(body=True) if done else error(body=False)


def _make_call(call: DialectRequest) -> web.Response:
    number, account = call.get("phonenumber"), call.number("account")
    if not number or account is None:
        return error(body=False)
    try:
        call.phone.dial(number, account + 1)
    except ValueError:
        return error(body=False)
    return success(body=True)


def _send_key(call: DialectRequest) -> web.Response:
    keys = [key.strip().upper() for key in call.get("keys").split(":") if key.strip()]
    if not keys or any(key not in KEYS and not NUMBERED_KEY.fullmatch(key) for key in keys):
        return error("unknown")
    call.phone.press_keys(keys)
    return success("complete")


def _sys_operation(call: DialectRequest) -> web.Response:
    request = call.get("request").upper()
    if request == "REBOOT":
        call.phone.reboot()
        return success("savereboot")
    if request == "RESET" and call.role == ADMIN:
        call.phone.factory_reset()
        return success("reset")
    return error("unknown")


FUNCTIONS: Final[dict[str, Handler]] = {
    "api-get_line_status": _line_status,
    "api-get_phone_status": _phone_status,
    "api-phone_operation": _phone_operation,
    "api-get_accounts": _accounts,
    "api-send_key": _send_key,
    "api-sys_operation": _sys_operation,
    "api-make_call": _make_call,
}


async def _dispatch(request: web.Request) -> web.Response:
    function = FUNCTIONS.get(request.match_info["name"])
    if function is None:
        raise web.HTTPNotFound
    phone = phone_of(request)
    params = await read_params(request)
    outcome = phone.auth.check_passcode(params.get("passcode", ""))
    if not outcome.ok:
        return error("failed")  # the guide's one negative answer; a locked phone says no more
    return function(DialectRequest(phone, params, outcome.role))


def add_routes(app: web.Application) -> None:
    """Answer `/cgi-bin/<function>`."""
    app.router.add_route("*", "/cgi-bin/{name}", _dispatch)
