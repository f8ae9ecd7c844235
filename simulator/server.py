"""Serve a phone over HTTP: its dialect, the control API, faults, and the refusals of a reboot."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
import contextlib
from dataclasses import dataclass, field, replace
import ipaddress
from typing import Final

from aiohttp import web

from simulator.answers import PHONE
from simulator.connection import drop
from simulator.control import CONTROL_PREFIX, add_control_routes
from simulator.dialects import ROUTES
from simulator.model import SimulatedPhone
from simulator.push import PushSender
from simulator.state import Faults, RecordedRequest
from simulator.tasks import cancel

type Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

GARBAGE: Final = b"\xff{<"
# A short shutdown: a handler held up by a "delay" fault must not hold up the exit.
SHUTDOWN_TIMEOUT: Final = 0.5
CLOSING: Final = web.AppKey("closing", asyncio.Event)


def echo(request: web.Request) -> str:
    """Quote the request back: its line and its headers, as some firmware does in error pages."""
    headers = "".join(f"\n{name}: {value}" for name, value in request.headers.items())
    return f"Bad request {request.method} {request.raw_path}{headers}"


def record(phone: SimulatedPhone, request: web.Request, body: bytes) -> None:
    """Keep the request as it was sent: raw path, raw query string, raw body."""
    path, _, query = request.raw_path.partition("?")
    phone.requests.append(RecordedRequest(request.method, path, query, body, dict(request.headers)))


def take_faults(phone: SimulatedPhone) -> Faults | None:
    """Return the faults that apply to this request, counting it against `count`."""
    faults = phone.faults
    if not faults.active:
        return None
    applied = replace(faults)
    if faults.count is not None:
        faults.count -= 1
        if faults.count <= 0:
            phone.faults = Faults()
    return applied


async def misbehave(faults: Faults, request: web.Request, handler: Handler) -> web.StreamResponse:
    """Answer `request` with `faults` applied."""
    if faults.delay:
        # Cut short when the server closes, so that a delayed answer never outlives it.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(request.app[CLOSING].wait(), faults.delay)
    if faults.drop:
        drop(request)
    if faults.status:
        return web.Response(status=faults.status, text=f"{faults.status} simulated fault")
    if faults.echo:
        return web.Response(text=echo(request))
    response = await handler(request)
    if faults.drop_after:
        drop(request)
    if faults.malformed and isinstance(response, web.Response) and response.body is not None:
        body = bytes(response.body)  # type: ignore[arg-type]
        response.body = body[: len(body) // 2] + GARBAGE
    if faults.content_type:
        response.headers["Content-Type"] = faults.content_type
    return response


@web.middleware
async def gate(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Record dialect requests, drop them while rebooting, inject faults; control is exempt."""
    if request.path.startswith(CONTROL_PREFIX):
        return await handler(request)
    phone = request.app[PHONE]
    if phone.rebooting:
        drop(request)
    record(phone, request, await request.read())
    faults = take_faults(phone)
    if faults is None:
        return await handler(request)
    return await misbehave(faults, request, handler)


def build_app(phone: SimulatedPhone) -> web.Application:
    """Build the aiohttp application of one phone: its dialect and the control API."""
    app = web.Application(middlewares=[gate])
    app[PHONE] = phone
    app[CLOSING] = asyncio.Event()
    add_control_routes(app)
    ROUTES[phone.dialect](app)
    return app


class Listener:
    """The listening socket: closed while the phone reboots, opened again on the same port."""

    def __init__(self, phone: SimulatedPhone, runner: web.AppRunner, host: str, port: int) -> None:
        """Prepare to listen on `host:port`; port 0 picks a free one when first opened."""
        self._phone = phone
        self._runner = runner
        self._host = host
        self.port = port
        self._site: web.TCPSite | None = None
        self._switching: asyncio.Task[None] | None = None

    async def open(self) -> None:
        """Start listening (again, after a reboot, on the same port)."""
        site = web.TCPSite(self._runner, self._host, self.port, reuse_address=True)
        await site.start()
        self._site = site
        server = site._server  # noqa: SLF001 - the only way to learn the port a port 0 got
        if self.port == 0 and isinstance(server, asyncio.Server):
            self.port = server.sockets[0].getsockname()[1]

    async def shut(self) -> None:
        """Stop listening: new connections are refused."""
        if self._site is not None:
            site, self._site = self._site, None
            await site.stop()

    def power(self) -> None:
        """Follow the phone's power, one switch after the other."""
        previous, up = self._switching, not self._phone.rebooting

        async def switch() -> None:
            if previous is not None:
                await previous
            await (self.open() if up else self.shut())

        self._switching = asyncio.get_running_loop().create_task(switch(), name="simulator power")

    async def settled(self) -> None:
        """Wait until every switch so far is done."""
        while (task := self._switching) is not None:
            await task
            if task is self._switching:
                self._switching = None

    async def close(self) -> None:
        """Stop switching and listening."""
        await cancel(self._switching)
        self._switching = None
        await self.shut()


@dataclass
class SimulatorServer:
    """A running simulated phone. `url` has no trailing slash."""

    phone: SimulatedPhone
    host: str
    port: int
    _listener: Listener = field(repr=False)

    @property
    def url(self) -> str:
        """The base URL, such as http://127.0.0.1:41234."""
        return f"http://{self.host}:{self.port}"

    async def settled(self) -> None:
        """Wait until the listener has caught up with a reboot (down, or up again)."""
        await self._listener.settled()

    async def pushes_sent(self) -> None:
        """Wait until every Action URL queued so far has been sent."""
        if self.phone.push_sender is not None:
            await self.phone.push_sender.drain()


def check_loopback(host: str) -> None:
    """Refuse any host but this machine's loopback."""
    if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
        raise ValueError(f"the simulator binds loopback addresses only, not {host}")


@contextlib.asynccontextmanager
async def serve(
    phone: SimulatedPhone, host: str = "127.0.0.1", port: int = 0
) -> AsyncIterator[SimulatorServer]:
    """Serve `phone` on `host:port` (port 0: any free port) until the block ends.

    On exit the listener, every connection, timer, task and the push client session are gone.
    """
    check_loopback(host)
    app = build_app(phone)
    runner = web.AppRunner(
        app, handle_signals=False, access_log=None, shutdown_timeout=SHUTDOWN_TIMEOUT
    )
    await runner.setup()
    listener = Listener(phone, runner, host, port)
    sender = PushSender()
    try:
        await listener.open()
        phone.push_sender = sender
        remove_listener = phone.add_power_listener(listener.power)
        try:
            yield SimulatorServer(phone, host, listener.port, listener)
        finally:
            remove_listener()
    finally:
        app[CLOSING].set()
        phone.shutdown()
        phone.push_sender = None
        await listener.close()
        await sender.close()
        await runner.cleanup()
