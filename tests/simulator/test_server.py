"""Serving: faults, reboots that refuse connections, clean shutdown, loopback only."""

import asyncio
import json
import time

import aiohttp
import pytest

from simulator import Dialect, Faults, SimulatedPhone, SimulatorServer, Timings, serve

from .helpers import get_json

STATUS = "/cgi-bin/api-get_phone_status?passcode=admin"


@pytest.fixture
def phone() -> SimulatedPhone:
    return SimulatedPhone(Dialect.GRANDSTREAM_CTI, timings=Timings.instant())


async def test_url_and_port(server: SimulatorServer) -> None:
    assert server.port > 0
    assert server.url == f"http://127.0.0.1:{server.port}"
    assert server.host == "127.0.0.1"


async def test_a_fixed_port(phone: SimulatedPhone, http: aiohttp.ClientSession) -> None:
    async with serve(phone) as first:
        port = first.port
    async with serve(phone, port=port) as second:
        assert second.port == port
        assert (await get_json(http, second.url + STATUS))["body"] == "available"


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "::"])  # noqa: S104 - refused, the point
async def test_only_loopback_hosts(phone: SimulatedPhone, host: str) -> None:
    with pytest.raises(ValueError, match="loopback"):
        async with serve(phone, host=host):
            pass


async def test_fault_status(
    http: aiohttp.ClientSession, server: SimulatorServer, phone: SimulatedPhone
) -> None:
    phone.faults = Faults(status=500, count=1)
    async with http.get(server.url + STATUS) as response:
        assert response.status == 500
    async with http.get(server.url + STATUS) as response:
        assert response.status == 200
    assert phone.faults == Faults()


async def test_fault_malformed(
    http: aiohttp.ClientSession, server: SimulatorServer, phone: SimulatedPhone
) -> None:
    phone.faults = Faults(malformed=True)
    async with http.get(server.url + STATUS) as response:
        assert response.status == 200
        body = await response.text(errors="replace")
    with pytest.raises(json.JSONDecodeError):
        json.loads(body)


async def test_fault_content_type(
    http: aiohttp.ClientSession, server: SimulatorServer, phone: SimulatedPhone
) -> None:
    phone.faults = Faults(content_type="text/html")
    async with http.get(server.url + STATUS) as response:
        assert response.content_type == "text/html"
        assert json.loads(await response.text())["response"] == "success"


async def test_fault_delay(
    http: aiohttp.ClientSession, server: SimulatorServer, phone: SimulatedPhone
) -> None:
    phone.faults = Faults(delay=0.1)
    started = time.monotonic()
    async with http.get(server.url + STATUS) as response:
        assert response.status == 200
    assert time.monotonic() - started >= 0.1


async def test_fault_delay_times_out_a_client(
    server: SimulatorServer, phone: SimulatedPhone
) -> None:
    phone.faults = Faults(delay=5)
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=0.05)) as http:
        with pytest.raises(TimeoutError):
            await get_json(http, server.url + STATUS)


async def test_fault_drop(
    http: aiohttp.ClientSession, server: SimulatorServer, phone: SimulatedPhone
) -> None:
    phone.faults = Faults(drop=True)
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await get_json(http, server.url + STATUS)


async def test_fault_drop_after(
    http: aiohttp.ClientSession, server: SimulatorServer, phone: SimulatedPhone
) -> None:
    """The command is carried out, then the connection closes without an answer."""
    phone.faults = Faults(drop_after=True)
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await get_json(http, server.url + "/cgi-bin/api-make_call?passcode=admin&phonenumber=100")
    assert phone.calls == ["100", "100"]  # aiohttp sent the GET twice: the phone dialled twice


async def test_fault_echo(
    http: aiohttp.ClientSession, server: SimulatorServer, phone: SimulatedPhone
) -> None:
    phone.faults = Faults(echo=True)
    async with http.get(server.url + STATUS, headers={"X-Test": "1"}) as response:
        assert response.status == 200
        text = await response.text()
    assert text.startswith(f"Bad request GET {STATUS}\n")
    assert "\nX-Test: 1" in text


async def test_faults_spare_the_control_api(
    http: aiohttp.ClientSession, server: SimulatorServer, phone: SimulatedPhone
) -> None:
    phone.faults = Faults(status=500, drop=True)
    state = await get_json(http, f"{server.url}/_sim/state")
    assert state["dialect"] == "grandstream_cti"
    assert phone.requests == []


async def test_a_reboot_refuses_connections_then_comes_back(
    http: aiohttp.ClientSession, server: SimulatorServer, phone: SimulatedPhone
) -> None:
    phone.timings.reboot = 0.15
    answer = await get_json(
        http, server.url + "/cgi-bin/api-sys_operation?passcode=admin&request=REBOOT"
    )
    assert answer["body"] == "savereboot"
    await server.settled()
    with pytest.raises(aiohttp.ClientConnectionError):
        await get_json(http, server.url + STATUS)
    with pytest.raises(aiohttp.ClientConnectionError):
        await get_json(http, f"{server.url}/_sim/state")
    await asyncio.sleep(0.2)
    await server.settled()
    assert not phone.rebooting
    assert (await get_json(http, server.url + STATUS))["body"] == "available"


async def test_a_reboot_drops_open_connections(
    http: aiohttp.ClientSession, server: SimulatorServer, phone: SimulatedPhone
) -> None:
    await get_json(http, server.url + STATUS)  # leaves a keep-alive connection in the pool
    phone.reboot(5)
    with pytest.raises(aiohttp.ClientConnectionError):
        await get_json(http, server.url + STATUS)


async def test_leaving_while_rebooting_cleans_up(phone: SimulatedPhone) -> None:
    async with serve(phone) as running:
        phone.reboot(30)
        await running.settled()
    assert not phone.rebooting
    assert phone.push_sender is None
    assert phone._power_listeners == []


async def test_a_sessions_gone_after_a_reboot(http: aiohttp.ClientSession) -> None:
    phone = SimulatedPhone(Dialect.GRANDSTREAM_GMI, timings=Timings.instant())
    async with serve(phone) as running:
        manager = f"{running.url}/manager"
        await get_json(http, manager, action="login", username="admin", secret="123")
        assert (await get_json(http, manager, action="pn"))["res"] == "success"
        phone.reboot(0)
        await running.settled()
        assert await get_json(http, manager, action="pn") == {
            "res": "error",
            "msg": "authentication required",
        }
