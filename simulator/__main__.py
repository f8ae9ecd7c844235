"""`python -m simulator`: one phone or a fleet of every dialect, on 127.0.0.1 only."""

import argparse
import asyncio
from collections.abc import Sequence
import contextlib
from itertools import cycle
import signal
import sys
from typing import Final

from simulator.enums import Dialect
from simulator.model import SimulatedPhone
from simulator.server import SimulatorServer, serve
from simulator.state import Timings

HOST: Final = "127.0.0.1"  # never anything else: a simulator has no business on a network
FLEET_ORDER: Final = (
    Dialect.GRANDSTREAM_WEBAPI,
    Dialect.GRANDSTREAM_GMI,
    Dialect.GRANDSTREAM_CTI,
    Dialect.FANVIL,
    Dialect.GRANDSTREAM_SESSION,
)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m simulator",
        description="Simulated Grandstream and Fanvil desk phones on 127.0.0.1.",
    )
    parser.add_argument(
        "--dialect", type=Dialect, choices=list(Dialect), default=Dialect.GRANDSTREAM_WEBAPI
    )
    parser.add_argument("--port", type=int, default=8080, help="port of the (first) phone")
    parser.add_argument("--password", help="admin password (default: the dialect's factory one)")
    parser.add_argument("--user-password", help="user-level password (Web API P196, CTI user)")
    parser.add_argument("--fleet", type=int, metavar="N", help="N phones of every dialect in turn")
    parser.add_argument("--fanvil-auth", action="store_true", help='Fanvil "Enable Push XML Auth"')
    parser.add_argument(
        "--answer-delay", type=float, default=2.0, help="seconds until the far end answers"
    )
    parser.add_argument("--reboot-time", type=float, default=5.0, help="seconds a reboot takes")
    args = parser.parse_args(argv)
    if args.fleet is not None and args.fleet < 1:
        parser.error("--fleet needs at least one phone")
    return args


def fleet_mac(dialect: Dialect, number: int) -> str:
    """Give the fleet's phone `number` (from 1) a MAC of its vendor, distinct from the others."""
    prefix = "0C:38:3E" if dialect is Dialect.FANVIL else "00:0B:82"
    return f"{prefix}:12:{number // 256:02X}:{number % 256:02X}"


def make_phones(args: argparse.Namespace) -> list[SimulatedPhone]:
    """Build the phones the command line asks for."""
    dialects = cycle(FLEET_ORDER) if args.fleet else cycle([args.dialect])
    return [
        SimulatedPhone(
            dialect,
            password=args.password,
            user_password=args.user_password,
            mac=fleet_mac(dialect, number) if args.fleet else None,
            fanvil_auth=args.fanvil_auth,
            timings=Timings(answer=args.answer_delay, reboot=args.reboot_time),
        )
        for number, dialect in zip(range(1, (args.fleet or 1) + 1), dialects, strict=False)
    ]


def credentials(phone: SimulatedPhone) -> str:
    """Say how to log in to a phone."""
    match phone.dialect:
        case Dialect.GRANDSTREAM_WEBAPI:
            return f"token login {phone.username} / {phone.password}; user / {phone.user_password}"
        case Dialect.GRANDSTREAM_SESSION:
            return f"web login admin / {phone.password}; user / {phone.user_password}"
        case Dialect.GRANDSTREAM_GMI:
            return f"login admin or gmiadmin / {phone.password}"
        case Dialect.GRANDSTREAM_CTI:
            return f"passcode={phone.password} (user: {phone.user_password})"
        case Dialect.FANVIL if phone.fanvil_auth:
            return f"HTTP Basic admin / {phone.password}"
        case Dialect.FANVIL:
            return "none (Push XML Auth off)"


def table(servers: Sequence[SimulatorServer]) -> str:
    """Lay the running phones out as a table: dialect, model, MAC, address, credentials."""
    rows = [("dialect", "model", "mac", "address", "credentials")]
    rows += [
        (s.phone.dialect, s.phone.model, s.phone.mac, s.url, credentials(s.phone)) for s in servers
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]) - 1)]
    return "\n".join(
        "  ".join([*(cell.ljust(width) for cell, width in zip(row, widths, strict=False)), row[-1]])
        for row in rows
    )


async def run(args: argparse.Namespace) -> None:
    """Serve the phones until SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with contextlib.AsyncExitStack() as stack:
        servers = [
            await stack.enter_async_context(serve(phone, HOST, args.port + offset))
            for offset, phone in enumerate(make_phones(args))
        ]
        print(table(servers), flush=True)
        print("Control API under /_sim/ on each phone. Ctrl-C stops.", flush=True)
        await stop.wait()
    print("stopped", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; the exit status is 1 when a port cannot be had."""
    args = parse_args(argv)
    try:
        asyncio.run(run(args))
    except OSError as err:
        print(f"cannot serve: {err}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
