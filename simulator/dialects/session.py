"""Grandstream phones whose web interface logs in with a session (GXP21xx, GXP17xx, GRP26xx, WP8x6).

Written from what a WP826 (firmware 1.0.3.35 and 1.0.1.87) answered, as issue captures quote it:
- the login of `weblogin` (access + dologin; older GXP16xx firmware: plain dologin);
- `api-get_line_status` (`line=-1` for every line), `api-get_accounts`, `api-get_phone_status`,
  `api-make_call`, `api-phone_operation`, `api-sys_operation` and `config_get?pvalues=..` take the
  sid as `Cookie: sid=..` and as `sid=` in the query or form, GET or POST;
- no session, or an expired one: HTTP 401 HTML on `api-*`, but HTTP 200
  `{"response":"error","body":{"status":"session-expired"}}` on `config_get`;
- every line's `acct` counts from 0, and an idle line answers `0` too;
- a reboot drops the connection: the phone goes down while answering;
- `GET /json/configs/model.define.js` tells the model without a login;
- `config_get?pvalues=1413,22234` (P-numbers without their P) answers
  `{"configs": [{"pvalue": "1413", "value": "..", "alias": ".."}]}`, a value it does not know with
  "" (as public WP826 clients quote firmware 1.0.3.35);
- `PUT /cgi-bin/config_update` with the JSON `{"alias": {}, "pvalue": {"1413": ".."}}` writes
  values and answers `{"response": "success", "body": {"status": "right"}}`; a setting the
  session's role may not change is left alone while the answer still says success (the same
  public clients' notes). Its expired session answers in JSON, as `config_get` does (this
  simulator's reading: the two are the web interface's own pair);
- older firmware reads values with `api.values.get` (dots) and has neither `config_get` nor
  `config_update`.
"""

from collections.abc import Callable
import json
from typing import Final

from aiohttp import web

from simulator.answers import DialectRequest, Json, grandstream_json, phone_of, read_params, text
from simulator.auth import ADMIN
from simulator.connection import drop
from simulator.dialects import webapi, weblogin
from simulator.model import SimulatedPhone

type Handler = Callable[[DialectRequest], web.Response]

ALL_LINES: Final = -1


def line_body(phone: SimulatedPhone, index: int) -> dict[str, Json]:
    """One line as this firmware shows it: `acct` from 0, and 0 on an idle line too."""
    line = phone.line(index)
    return {
        "line": line.index,
        "state": webapi.LINE_CODES[line.state],
        "acct": 0 if line.account is None else line.account - 1,
        "name": line.remote_name,
        "number": line.remote_number,
        "active": int(phone.active_line == line.index),
    }


def _get_line_status(call: DialectRequest) -> web.Response:
    wanted = call.number("line", ALL_LINES)
    count = len(call.phone.lines)
    if wanted is None or not (wanted == ALL_LINES or 1 <= wanted <= count):
        return webapi.error("invalid line")
    indexes = range(1, count + 1) if wanted == ALL_LINES else [wanted]
    return webapi.success([line_body(call.phone, index) for index in indexes])


def _config_get(call: DialectRequest) -> web.Response:
    names = [name.strip() for name in call.get("pvalues").split(",") if name.strip()]
    if not names:
        return webapi.error("missing pvalues")
    configs: list[Json] = [
        {"pvalue": name, "value": webapi.read_value(call.phone, name), "alias": ""}
        for name in names
    ]
    return grandstream_json({"configs": configs})


def config_update(phone: SimulatedPhone, role: str, body: bytes) -> web.Response:
    """Write the `pvalue` object of a config_update; what the role may not change is skipped."""
    try:
        values = json.loads(body)["pvalue"]
    except ValueError, KeyError, TypeError:
        return webapi.error("invalid request")
    if not isinstance(values, dict) or not all(
        isinstance(key, str) and key.isdigit() and isinstance(value, str)
        for key, value in values.items()
    ):
        return webapi.error("invalid request")
    for key, value in values.items():
        if role == ADMIN and key not in phone.ignored_config:
            webapi.write_value(phone, key, value)
    return webapi.success(webapi.RIGHT)


def _values_get(call: DialectRequest) -> web.Response:
    names = [name for name in call.get("request").split(":") if name]
    if not names:
        return webapi.error("missing request")
    return webapi.success({name: webapi.read_value(call.phone, name) for name in names})


def model_define(phone: SimulatedPhone) -> str:
    """Write the web interface's model definition script: a JavaScript object of facts."""
    facts = {
        "vendor": "Grandstream",
        "model": phone.model,
        "lines": len(phone.lines),
        "accounts": len(phone.accounts),
    }
    return f"var model_define = {json.dumps(facts, indent=4)};\n"


LOGIN: Final[dict[str, Handler]] = {"access": weblogin.access, "dologin": weblogin.dologin}
GUARDED: Final[dict[str, Handler]] = {
    **webapi.SHARED,
    "api-get_line_status": _get_line_status,
}
EXPIRED_JSON: Final[dict[str, Handler]] = {"config_get": _config_get}
CONFIG_UPDATE: Final = "config_update"
OLD_VALUES: Final = "api.values.get"


def _handler(phone: SimulatedPhone, name: str) -> Handler | None:
    """Return the handler of `name` here; None for config_update (it reads its JSON body)."""
    if phone.plain_login:  # older firmware reads values through api.values.get only
        if name == OLD_VALUES:
            return _values_get
        if name in EXPIRED_JSON or name == CONFIG_UPDATE:
            raise web.HTTPNotFound
    handler = GUARDED.get(name) or EXPIRED_JSON.get(name)
    if handler is None and name != CONFIG_UPDATE:
        raise web.HTTPNotFound
    return handler


async def _dispatch(request: web.Request) -> web.StreamResponse:
    phone = phone_of(request)
    if (refused := weblogin.refuse_request(request)) is not None:
        return refused
    name = request.match_info["name"]
    params = await read_params(request)
    if name in LOGIN:
        return LOGIN[name](DialectRequest(phone, params))
    handler = _handler(phone, name)
    if handler is None and request.method != "PUT":
        raise web.HTTPMethodNotAllowed(request.method, ["PUT"])
    session = phone.auth.session(weblogin.session_key(request, params, phone))
    if session is None:
        if name in EXPIRED_JSON or handler is None:
            return grandstream_json({"response": "error", "body": {"status": "session-expired"}})
        return weblogin.html(401, "Unauthorized")
    if handler is None:
        return config_update(phone, session.role, await request.read())
    if name == "api-sys_operation" and call_is_reboot(params):
        phone.reboot()
        drop(request)  # the phone goes down while answering: the connection just ends
    return handler(DialectRequest(phone, params, session.role))


def call_is_reboot(params: dict[str, str]) -> bool:
    """Whether a system operation asks for a reboot."""
    return params.get("request", "").upper() == "REBOOT"


async def _model_define(request: web.Request) -> web.Response:
    return text(model_define(phone_of(request)), "application/javascript")


def add_routes(app: web.Application) -> None:
    """Answer `/cgi-bin/<endpoint>` and the model definition script."""
    app.router.add_get("/json/configs/model.define.js", _model_define)
    app.router.add_route("*", "/cgi-bin/{name}", _dispatch)
