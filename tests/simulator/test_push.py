"""Action URL pushes arrive as plain GETs with the variables filled in and URL-encoded."""

from collections.abc import AsyncIterator

from aiohttp import web
import pytest

from simulator import Dialect, PushEvent, SimulatedPhone, SimulatorServer, Timings, serve
from simulator.push import is_loopback_url, render


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[str, list[web.Request]]]:
    """Run a tiny web server on 127.0.0.1 that keeps every request it gets."""
    received: list[web.Request] = []

    async def keep(request: web.Request) -> web.Response:
        received.append(request)
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_get("/{tail:.*}", keep)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}", received
    await runner.cleanup()


@pytest.fixture
def phone() -> SimulatedPhone:
    return SimulatedPhone(Dialect.FANVIL, timings=Timings.instant())


def test_render_substitutes_and_encodes() -> None:
    variables = {
        "mac": "0c383e123456",
        "local": "1001",
        "remote": "+49 30/1",
        "display_remote": "Zoë & Co",
    }
    url = render("http://h/p?m=$mac&l=$local&r=$remote&d=$display_remote&x=$other", variables)
    assert url == "http://h/p?m=0c383e123456&l=1001&r=%2B49%2030%2F1&d=Zo%C3%AB%20%26%20Co&x=$other"


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://127.0.0.1:8123/x", True),
        ("http://localhost/x", True),
        ("http://[::1]/x", True),
        ("http://192.168.1.2/x", False),
        ("http://example.com/x", False),
    ],
)
def test_only_loopback_urls_are_sent(url: str, *, loopback: bool) -> None:
    assert is_loopback_url(url) is loopback


async def test_a_call_pushes_each_event(
    receiver: tuple[str, list[web.Request]], server: SimulatorServer, phone: SimulatedPhone
) -> None:
    base, received = receiver
    for event in PushEvent:
        phone.set_action_url(
            event, f"{base}/{event}?mac=$mac&local=$local&remote=$remote&name=$display_remote"
        )
    phone.ring(1, "+4930123", "Front door")
    phone.answer(1)
    phone.hang_up(1)
    await server.pushes_sent()
    assert [request.path for request in received] == ["/incoming", "/established", "/terminated"]
    first = received[0]
    assert first.method == "GET"
    assert "Authorization" not in first.headers
    assert (
        first.raw_path.partition("?")[2]
        == "mac=0c383e123456&local=1001&remote=%2B4930123&name=Front%20door"
    )
    assert dict(first.query) == {
        "mac": "0c383e123456",
        "local": "1001",
        "remote": "+4930123",
        "name": "Front door",
    }


async def test_missed_and_registration_pushes(
    receiver: tuple[str, list[web.Request]], server: SimulatorServer, phone: SimulatedPhone
) -> None:
    base, received = receiver
    for event in PushEvent:
        phone.set_action_url(event, f"{base}/{event}?local=$local")
    phone.ring(2, "5")
    phone.remote_hang_up(2)
    phone.set_registered(2, registered=False)
    phone.set_registered(2, registered=True)
    phone.dial("6")
    await server.pushes_sent()
    assert [(r.path, r.query.get("local")) for r in received] == [
        ("/incoming", "1001"), ("/missed", "1001"), ("/unregistered", "1002"),
        ("/registered", "1002"),
        ("/outgoing", "1001"), ("/established", "1001"),
    ]  # fmt: skip


async def test_an_unreachable_or_foreign_url_is_not_a_problem(
    server: SimulatorServer, phone: SimulatedPhone
) -> None:
    phone.set_action_url(PushEvent.INCOMING, "http://127.0.0.1:9/nothing-listens")
    phone.set_action_url(PushEvent.ESTABLISHED, "http://192.0.2.1/never-sent")
    phone.ring(1, "1")
    phone.answer(1)
    await server.pushes_sent()
    assert phone.pushes == ["http://127.0.0.1:9/nothing-listens", "http://192.0.2.1/never-sent"]


async def test_a_phone_not_served_only_records(phone: SimulatedPhone) -> None:
    phone.set_action_url(PushEvent.INCOMING, "http://127.0.0.1:9/x?$remote")
    phone.ring(1, "1")
    assert phone.pushes == ["http://127.0.0.1:9/x?1"]


async def test_pushes_after_a_reboot(
    receiver: tuple[str, list[web.Request]], phone: SimulatedPhone
) -> None:
    base, received = receiver
    phone.set_action_url(PushEvent.REGISTERED, f"{base}/registered?local=$local")
    async with serve(phone) as running:
        phone.reboot(0)
        await running.settled()
        await running.pushes_sent()
    assert [r.query["local"] for r in received] == ["1001", "1002"]
