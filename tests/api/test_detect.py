"""detect() names the dialect without ever sending a credential."""

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
import contextlib

import aiohttp
from aiohttp import web
from aiohttp.test_utils import BaseTestServer, TestServer
import pytest

from custom_components.ip_phone.api import (
    DetectedPhone,
    Dialect,
    PhoneConnectionError,
    detect,
)
from simulator import Faults, SimulatedPhone, SimulatorServer, serve
from tests.helpers import PASSWORD

from .conftest import make_phone, served

type Handler = Callable[[web.Request], Awaitable[web.Response]]

EXPECTED = {
    Dialect.GRANDSTREAM_WEBAPI: DetectedPhone(
        dialect=Dialect.GRANDSTREAM_WEBAPI, vendor="Grandstream", model="GXV3380"
    ),
    Dialect.GRANDSTREAM_GMI: DetectedPhone(
        dialect=Dialect.GRANDSTREAM_GMI, vendor="Grandstream Networks, Inc.", model="GXP2200"
    ),
    Dialect.GRANDSTREAM_CTI: DetectedPhone(dialect=Dialect.GRANDSTREAM_CTI, assumed=True),
    Dialect.GRANDSTREAM_SESSION: DetectedPhone(
        dialect=Dialect.GRANDSTREAM_SESSION, vendor="Grandstream", model="WP826"
    ),
    Dialect.FANVIL: DetectedPhone(dialect=Dialect.FANVIL),  # Push XML auth is on: no names
}


def sent_a_credential(phone: SimulatedPhone) -> bool:
    for request in phone.requests:
        text = f"{request.path}?{request.query_string}".lower()
        credential_words = ("login", "passcode", "secret", "password")
        if request.path != "/cgi-bin/loginrealm" and any(w in text for w in credential_words):
            return True
        if PASSWORD.encode() in request.body or "authorization" in {
            name.lower() for name in request.headers
        }:
            return True
    return False


async def test_detects_every_dialect(server: SimulatorServer, http: aiohttp.ClientSession) -> None:
    phone = server.phone
    found = await detect(http, server.host, port=server.port)
    assert found == EXPECTED[Dialect(phone.dialect)]
    assert not sent_a_credential(phone)
    assert not phone.auth.locked
    assert phone.auth._failures == 0


async def test_fanvil_without_auth_tells_its_model(http: aiohttp.ClientSession) -> None:
    async with served(SimulatedPhone(Dialect.FANVIL)) as server:
        found = await detect(http, server.host, port=server.port)
    assert found == DetectedPhone(dialect=Dialect.FANVIL, vendor="Fanvil", model="X6")


async def test_detect_with_its_own_session() -> None:
    async with served(make_phone(Dialect.GRANDSTREAM_GMI)) as server:
        found = await detect(None, server.host, port=server.port)
    assert found.dialect is Dialect.GRANDSTREAM_GMI


async def test_nothing_listening(phone: SimulatedPhone, http: aiohttp.ClientSession) -> None:
    async with serve(phone) as server:
        port = server.port
    with pytest.raises(PhoneConnectionError):
        await detect(http, "127.0.0.1", port=port)


async def test_garbage_everywhere_is_assumed_cti(http: aiohttp.ClientSession) -> None:
    phone = make_phone(Dialect.GRANDSTREAM_WEBAPI)
    async with served(phone) as server:
        phone.faults = Faults(malformed=True)
        found = await detect(http, server.host, port=server.port)
    assert found.dialect is Dialect.GRANDSTREAM_CTI
    assert found.assumed


@contextlib.asynccontextmanager
async def odd_server(routes: Mapping[str, Handler]) -> AsyncIterator[BaseTestServer]:
    """Serve `routes` (path -> handler) on a tiny HTTP server, 404 elsewhere."""
    app = web.Application()
    for path, handler in routes.items():
        app.router.add_route("*", path, handler)
    async with TestServer(app, host="127.0.0.1") as server:
        yield server


async def test_public_names_are_a_bonus(http: aiohttp.ClientSession) -> None:
    async def realm(request: web.Request) -> web.Response:
        return web.Response(text="1234567890")

    async def broken(request: web.Request) -> web.Response:
        return web.Response(status=500)

    routes = {"/cgi-bin/loginrealm": realm, "/cgi-bin/api-values.get": broken}
    async with odd_server(routes) as server:
        found = await detect(http, "127.0.0.1", port=server.port)
    assert found == DetectedPhone(dialect=Dialect.GRANDSTREAM_WEBAPI)


async def test_connection_lost_after_the_first_answer(http: aiohttp.ClientSession) -> None:
    async def hang_up(request: web.Request) -> web.Response:
        assert request.transport is not None
        request.transport.abort()
        return web.Response()

    async with odd_server({"/manager": hang_up, "/xmlService": hang_up}) as server:
        with pytest.raises(PhoneConnectionError):
            await detect(http, "127.0.0.1", port=server.port)


async def test_html_answers_are_not_phones(http: aiohttp.ClientSession) -> None:
    async def page(request: web.Request) -> web.Response:
        return web.Response(text="<html><body>router</body></html>", content_type="text/html")

    paths = ("/cgi-bin/loginrealm", "/manager", "/xmlService")
    async with odd_server(dict.fromkeys(paths, page)) as server:
        found = await detect(http, "127.0.0.1", port=server.port)
    assert found.assumed


@pytest.mark.parametrize("host", ["", "http://phone", "a b"])
async def test_bad_host(http: aiohttp.ClientSession, host: str) -> None:
    with pytest.raises(ValueError, match="host"):
        await detect(http, host)
