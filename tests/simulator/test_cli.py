"""The command line: one phone or a fleet on 127.0.0.1, a table, and a clean stop."""

import asyncio
import contextlib
import json
import signal
import socket
import sys

import aiohttp
import pytest

from simulator import Dialect
from simulator.__main__ import (
    FLEET_ORDER,
    HOST,
    credentials,
    fleet_mac,
    make_phones,
    parse_args,
    table,
)
from simulator.server import Listener, SimulatorServer


def free_ports(count: int) -> int:
    """Find a first port such that `count` consecutive ports are free on 127.0.0.1."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind((HOST, 0))
            first = probe.getsockname()[1]
        if first + count > 65535:
            continue
        with contextlib.ExitStack() as stack:
            try:
                for port in range(first, first + count):
                    stack.enter_context(socket.socket()).bind((HOST, port))
            except OSError:
                continue
        return first
    raise AssertionError("no free ports")


def test_defaults() -> None:
    args = parse_args([])
    assert (args.dialect, args.port, args.fleet, args.password) == (
        Dialect.GRANDSTREAM_WEBAPI,
        8080,
        None,
        None,
    )


def test_one_phone_with_a_password() -> None:
    phones = make_phones(
        parse_args(["--dialect", "fanvil", "--port", "8081", "--password", "pw", "--fanvil-auth"])
    )
    assert [(p.dialect, p.password, p.fanvil_auth) for p in phones] == [
        (Dialect.FANVIL, "pw", True)
    ]


def test_a_fleet_mixes_dialects_with_distinct_macs() -> None:
    phones = make_phones(parse_args(["--fleet", "8"]))
    assert [p.dialect for p in phones] == [*FLEET_ORDER, *FLEET_ORDER][:8]
    assert len({p.mac for p in phones}) == 8
    assert phones[3].mac == fleet_mac(Dialect.FANVIL, 4) == "0C:38:3E:12:00:04"


def test_a_fleet_needs_a_phone() -> None:
    with pytest.raises(SystemExit):
        parse_args(["--fleet", "0"])


def test_the_table_lists_dialect_address_and_credentials() -> None:
    phones = make_phones(parse_args(["--fleet", "4", "--password", "pw"]))
    servers = [
        SimulatorServer(p, HOST, 9000 + i, Listener(p, None, HOST, 0)) for i, p in enumerate(phones)
    ]  # type: ignore[arg-type]
    lines = table(servers).splitlines()
    assert lines[0].split() == ["dialect", "model", "mac", "address", "credentials"]
    assert lines[1].split()[:4] == [
        "grandstream_webapi",
        "GXV3380",
        "00:0B:82:12:00:01",
        "http://127.0.0.1:9000",
    ]
    assert "gmiadmin / pw" in lines[1]
    assert "passcode=pw" in lines[3]
    assert credentials(phones[3]) == "none (Push XML Auth off)"
    phones[3].fanvil_auth = True
    assert credentials(phones[3]) == "HTTP Basic admin / pw"


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
async def test_a_fleet_serves_every_dialect_and_stops_on_a_signal(
    http: aiohttp.ClientSession, stop: signal.Signals
) -> None:
    first = free_ports(4)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "simulator", "--fleet", "4", "--port", str(first),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        header = await asyncio.wait_for(process.stdout.readline(), 20)
        assert header.split()[0] == b"dialect"
        rows = [(await process.stdout.readline()).decode().split() for _ in range(4)]
        assert [row[0] for row in rows] == [d.value for d in FLEET_ORDER[:4]]
        assert [row[3] for row in rows] == [f"http://127.0.0.1:{first + i}" for i in range(4)]
        base = [row[3] for row in rows]
        async with http.get(f"{base[0]}/cgi-bin/api-get_phone_status") as response:
            assert json.loads(await response.text())["body"] == "available"
        async with http.get(
            f"{base[1]}/manager?action=productinfo&format=json&jsoncallback=?"
        ) as response:
            assert (
                await response.text() == '?({"res": "success", "product": "GXP2200", '
                '"vendor": "Grandstream Networks, Inc."})'
            )
        async with http.get(f"{base[2]}/cgi-bin/api-get_line_status?passcode=admin") as response:
            assert json.loads(await response.text())["body"][0]["state"] == "idle"
        async with http.post(
            f"{base[3]}/xmlService",
            data='<FanvilConfiguration cmd="get"><Item>info.dev.Model</Item></FanvilConfiguration>',
        ) as response:
            assert "info.dev.Model = X6" in await response.text()
        process.send_signal(stop)
        stdout, _ = await asyncio.wait_for(process.communicate(), 20)
        assert process.returncode == 0
        assert b"stopped" in stdout
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def test_a_taken_port_is_reported() -> None:
    with socket.socket() as taken:
        taken.bind((HOST, 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "simulator", "--port", str(port), stdout=asyncio.subprocess.PIPE,
        )  # fmt: skip
        stdout, _ = await asyncio.wait_for(process.communicate(), 20)
    assert process.returncode == 1
    assert b"cannot serve" in stdout
