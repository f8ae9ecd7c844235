"""Hand-made phones, for answers the simulator never gives (real HTTP, no patching)."""

from collections.abc import AsyncIterator, Awaitable, Callable
import contextlib
import json

from aiohttp import web
from aiohttp.test_utils import BaseTestServer, TestServer

type Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@contextlib.asynccontextmanager
async def fake_phone(handler: Handler, path: str) -> AsyncIterator[BaseTestServer]:
    """Serve a hand-made phone for answers the simulator never gives."""
    app = web.Application()
    app.router.add_route("*", path, handler)
    async with TestServer(app, host="127.0.0.1") as server:
        yield server


def gmi_phone(answers: dict[str, object]) -> Handler:
    """Answer like a GMI phone, `answers` per action (callables get the request's query)."""

    async def handler(request: web.Request) -> web.Response:
        answer = answers.get(
            request.query.get("action", ""), {"res": "error", "msg": "command not found"}
        )
        if callable(answer):
            answer = answer(request.query)
        return web.Response(text=json.dumps(answer), content_type="text/plain")

    return handler
