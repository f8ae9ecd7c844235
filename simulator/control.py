"""The control API under `/_sim/`: how tests and the demo play the world around the phone."""

from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, fields
import json
from typing import Final

from aiohttp import web

from simulator.answers import PHONE, Json
from simulator.enums import PushEvent
from simulator.model import SimulatedPhone
from simulator.state import Contact, Faults, Timings

CONTROL_PREFIX: Final = "/_sim/"
SETTINGS: Final = (
    "session_timeout",
    "lockout_threshold",
    "lockout_duration",
    "password",
    "user_password",
    "fanvil_auth",
    "single_session",
    "lenient_auth",
    "plain_login",
    "token_separator",
)
LINE_ACTIONS: Final = {
    "answer": SimulatedPhone.answer,
    "reject": SimulatedPhone.reject,
    "hangup": SimulatedPhone.hang_up,
    "hold": SimulatedPhone.hold,
    "resume": SimulatedPhone.resume,
    "remote_answer": SimulatedPhone.remote_answer,
    "remote_hangup": SimulatedPhone.remote_hang_up,
}


class ControlError(Exception):
    """A control request that cannot be carried out (answered 400)."""


@dataclass(frozen=True, slots=True)
class Order:
    """One control request: the phone, the path's parts and the JSON body."""

    phone: SimulatedPhone
    path: dict[str, str]
    body: dict[str, Json]

    def whole(self, value: Json, what: str) -> int:
        """Read a whole number or refuse the order."""
        try:
            return int(value)  # type: ignore[arg-type]
        except TypeError, ValueError:
            raise ControlError(f"{what} must be a whole number") from None


type Route = Callable[[Order], Json]


def state(phone: SimulatedPhone) -> dict[str, Json]:
    """Describe the phone: identity, lines, accounts, calls."""
    return {
        "dialect": phone.dialect.value,
        "mac": phone.mac,
        "model": phone.model,
        "firmware": phone.firmware,
        "rebooting": phone.rebooting,
        "active_line": phone.active_line,
        "lines": [asdict(line) for line in phone.lines],
        "accounts": [asdict(account) for account in phone.accounts],
        "calls": list(phone.calls),
    }


def known_fields(cls: type, body: Json) -> dict[str, Json]:
    """Return `body` if it is an object with only `cls`'s field names."""
    if not isinstance(body, dict):
        raise ControlError("expected a JSON object")
    unknown = set(body) - {field.name for field in fields(cls)}
    if unknown:
        raise ControlError(f"unknown fields: {', '.join(sorted(unknown))}")
    return body


# Routes --------------------------------------------------------------------------------------
def _state(order: Order) -> Json:
    return state(order.phone)


def _ring(order: Order) -> Json:
    line = order.phone.ring(
        order.whole(order.path["line"], "line"),
        str(order.body.get("number", "")),
        str(order.body.get("name", "")),
        order.whole(order.body.get("account", 1), "account"),
    )
    return {"line": line}


def _line_action(order: Order) -> Json:
    action = LINE_ACTIONS.get(order.path["action"])
    if action is None:
        raise ControlError(f"actions are {', '.join(LINE_ACTIONS)}")
    return {"done": action(order.phone, order.whole(order.path["line"], "line"))}


def _dial(order: Order) -> Json:
    number = str(order.body.get("number", ""))
    return {"line": order.phone.dial(number, order.whole(order.body.get("account", 1), "account"))}


def _account(order: Order) -> Json:
    index = order.whole(order.path["account"], "account")
    if "registered" in order.body:
        order.phone.set_registered(index, registered=bool(order.body["registered"]))
    return {"account": asdict(order.phone.account(index))}


def _requests(order: Order) -> Json:
    return [
        {
            "method": recorded.method,
            "path": recorded.path,
            "query_string": recorded.query_string,
            "body": recorded.body.decode("utf-8", "replace"),
            "headers": dict(recorded.headers),
        }
        for recorded in order.phone.requests
    ]


def _clear_requests(order: Order) -> Json:
    order.phone.requests.clear()
    return {}


def _calls(order: Order) -> Json:
    return list(order.phone.calls)


def _clear_calls(order: Order) -> Json:
    order.phone.calls.clear()
    return {}


def _pushes(order: Order) -> Json:
    return list(order.phone.pushes)


def _faults(order: Order) -> Json:
    return asdict(order.phone.faults)


def _set_faults(order: Order) -> Json:
    order.phone.faults = Faults(**known_fields(Faults, order.body))  # type: ignore[arg-type]
    return _faults(order)


def _clear_faults(order: Order) -> Json:
    order.phone.faults = Faults()
    return _faults(order)


def _action_urls(order: Order) -> Json:
    return {event.value: template for event, template in order.phone.action_urls.items()}


def _set_action_urls(order: Order) -> Json:
    try:
        events = {PushEvent(name): str(template) for name, template in order.body.items()}
    except ValueError:
        raise ControlError(f"events are {', '.join(PushEvent)}") from None
    for event, template in events.items():
        order.phone.set_action_url(event, template)
    return _action_urls(order)


def _screen(order: Order) -> Json:
    return list(order.phone.screen)


def _settings(order: Order) -> Json:
    phone, body = order.phone, order.body
    unknown = set(body) - {*SETTINGS, "timings"}
    if unknown:
        raise ControlError(f"unknown settings: {', '.join(sorted(unknown))}")
    for name in SETTINGS:
        if name in body:
            setattr(phone, name, body[name])
    if "timings" in body:
        changes = known_fields(Timings, body["timings"])
        phone.timings = Timings(**(asdict(phone.timings) | changes))
    shown = {name: getattr(phone, name) for name in SETTINGS if "password" not in name}
    return shown | {"timings": asdict(phone.timings)}


def _contacts(order: Order) -> Json:
    return [asdict(contact) | {"name": contact.name} for contact in order.phone.contacts]


def _add_contact(order: Order) -> Json:
    # As a person would type it on the phone: every dialect keeps a phonebook, shown or not.
    body = {"id": -1, **known_fields(Contact, order.body)}
    if not str(body.get("first_name", "")).strip():
        raise ControlError("first_name must not be empty")
    saved = order.phone.phonebook.save(Contact(**body))  # type: ignore[arg-type]
    return asdict(saved) | {"name": saved.name}


def _reboot(order: Order) -> Json:
    duration = order.body.get("duration")
    order.phone.reboot(None if duration is None else float(duration))  # type: ignore[arg-type]
    return {"rebooting": True}


def _lockout(order: Order) -> Json:
    order.phone.lock_out()
    return {"locked": True}


ROUTES: Final[tuple[tuple[str, str, Route], ...]] = (
    ("GET", "state", _state),
    ("POST", "lines/{line}/ring", _ring),
    ("POST", "lines/{line}/{action}", _line_action),
    ("POST", "dial", _dial),
    ("POST", "accounts/{account}", _account),
    ("GET", "requests", _requests),
    ("DELETE", "requests", _clear_requests),
    ("GET", "calls", _calls),
    ("DELETE", "calls", _clear_calls),
    ("GET", "pushes", _pushes),
    ("GET", "screen", _screen),
    ("GET", "faults", _faults),
    ("PUT", "faults", _set_faults),
    ("DELETE", "faults", _clear_faults),
    ("GET", "action_urls", _action_urls),
    ("PUT", "action_urls", _set_action_urls),
    ("PUT", "settings", _settings),
    ("GET", "contacts", _contacts),
    ("POST", "contacts", _add_contact),
    ("POST", "reboot", _reboot),
    ("POST", "lockout", _lockout),
)


def _handler(route: Route) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def handle(request: web.Request) -> web.Response:
        try:
            body = json.loads(await request.read() or b"{}")
        except json.JSONDecodeError:
            return web.json_response({"error": "the body must be JSON"}, status=400)
        if not isinstance(body, dict):
            return web.json_response({"error": "the body must be a JSON object"}, status=400)
        try:
            result = route(Order(request.app[PHONE], dict(request.match_info), body))
        except (ControlError, ValueError, TypeError) as err:
            return web.json_response({"error": str(err)}, status=400)
        return web.json_response(result)

    return handle


def add_control_routes(app: web.Application) -> None:
    """Answer the control API under `/_sim/`."""
    for method, path, route in ROUTES:
        app.router.add_route(method, CONTROL_PREFIX + path, _handler(route))
