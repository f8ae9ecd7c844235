"""Helpers every dialect uses to read parameters and write answers."""

from dataclasses import dataclass
import json
from typing import Final
from urllib.parse import parse_qsl

from aiohttp import web

from simulator.model import SimulatedPhone

type Json = dict[str, Json] | list[Json] | str | int | float | bool | None

PHONE: Final = web.AppKey("phone", SimulatedPhone)
# Grandstream CGI serves its JSON as text/plain: clients must not trust the Content-Type.
GRANDSTREAM_JSON_TYPE: Final = "text/plain"


@dataclass(frozen=True, slots=True)
class DialectRequest:
    """One dialect request as a handler sees it: the phone, the parameters, the caller's role."""

    phone: SimulatedPhone
    params: dict[str, str]
    role: str = ""  # "admin" or "user" once the caller is authenticated

    def get(self, name: str) -> str:
        """Return a parameter's value, "" when it is missing."""
        return self.params.get(name, "")

    def number(self, name: str, default: int = 0) -> int | None:
        """Return a whole-number parameter: `default` if blank or missing, None if not a number."""
        raw = self.get(name).strip()
        return to_int(raw) if raw else default


async def read_params(request: web.Request) -> dict[str, str]:
    """Return the query and form-body parameters, names lower-cased (phones match them loosely).

    The first value of a repeated name wins; a body parameter never overrides the query string.
    """
    merged: dict[str, str] = {}
    body = await request.read()
    content_type = request.headers.get("Content-Type", "")
    form = (
        parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
        if body and "xml" not in content_type and "json" not in content_type
        else []
    )
    for name, value in [*request.query.items(), *form]:
        merged.setdefault(name.lower(), value)
    return merged


def text(body: str, content_type: str = "text/plain", status: int = 200) -> web.Response:
    """Answer with a text body in UTF-8."""
    return web.Response(text=body, content_type=content_type, status=status, charset="utf-8")


def grandstream_json(data: Json) -> web.Response:
    """Answer JSON the Grandstream way: as text/plain."""
    return text(json.dumps(data), GRANDSTREAM_JSON_TYPE)


def xml(body: str) -> web.Response:
    """Answer an XML document."""
    return text(body, "text/xml")


def to_int(value: str | None) -> int | None:
    """Parse a whole number as phones do; None when it is not one."""
    if value is None:
        return None
    try:
        return int(value.strip())
    except ValueError:
        return None


def phone_of(request: web.Request) -> SimulatedPhone:
    """Return the phone a request is for."""
    return request.app[PHONE]
