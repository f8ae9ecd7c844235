"""Grandstream GRP260x CTI: `/cgi-bin/api-*?passcode=...`, no session.

Every request carries the admin or user password as `passcode`. The guide has one negative answer,
`{"response": "error", "body": "failed"}`, for a refused passcode and a failed command alike, so the
client checks the passcode once with a single read (api-get_accounts) before anything else: a wrong
passcode then costs exactly one attempt and is never sent again (lockout). After that check, a read
that fails (or HTTP 401/403) is taken as a changed passcode and given up at once: checking it once
more would send the refused passcode again. A phone has no session to lose, so nothing is retried.

Cost of status(): 2 requests (api-get_line_status, then api-get_accounts); the phone state is
derived from the lines. They go one after the other, not together, because each carries the
passcode: a passcode changed on the phone is then refused once, not twice. The first call after
start or reauthentication adds the check.
"""

from collections.abc import Mapping
from http import HTTPStatus
from typing import ClassVar, Final, override

from .cgi import ACCOUNTS, CGI_CAPABILITIES, SEND_KEY, CgiClient
from .client import Capability
from .errors import PhoneAuthenticationError
from .grandstream import Envelope, check_command, is_unauthorized, parse_envelope
from .models import DeviceInfo, Dialect, PhoneStatus, phone_state_from_lines

STATUS_REQUESTS: Final = 1  # line status; the accounts every few minutes
VENDOR: Final = "Grandstream"


class CtiClient(CgiClient):
    """A Grandstream phone driven through CTI commands."""

    dialect = Dialect.GRANDSTREAM_CTI
    capabilities = CGI_CAPABILITIES | {Capability.SEND_KEYS}
    # The guide's api-send_key list: speaker, volume up, volume down, mute, hold.
    common_keys: ClassVar[Mapping[str, str]] = {
        "speaker": "SPEAKER",
        "volume_up": "VUP",
        "volume_down": "VDOWN",
        "mute": "MUTE",
        "hold": "HOLD",
    }
    status_requests = STATUS_REQUESTS

    logs_in = True  # not a login: one read that proves the passcode before anything else

    async def _get(
        self, name: str, params: dict[str, str] | None, *, once: bool = False
    ) -> Envelope:
        response = await self._transport.request(
            "GET",
            f"/cgi-bin/{name}",
            params={**(params or {}), "passcode": self._password},
            once=once,
        )
        if response.status in (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN):
            raise PhoneAuthenticationError(f"Passcode refused (HTTP {response.status})")
        self._transport.check_status(response, name)
        envelope = parse_envelope(response.body)
        if is_unauthorized(envelope):
            raise PhoneAuthenticationError("Passcode refused")
        return envelope

    @override
    async def _login(self) -> None:
        if not (await self._get(ACCOUNTS, None)).success:
            raise PhoneAuthenticationError("The phone refused the CTI passcode")

    @override
    async def _api(
        self, name: str, params: dict[str, str] | None = None, *, read: bool = False
    ) -> Envelope:
        async def call() -> Envelope:
            envelope = await self._get(name, params, once=not read)
            if read and not envelope.success:
                raise PhoneAuthenticationError(f"{name} refused: passcode changed?")
            return envelope

        return await self._guard.run(call)

    @override
    async def status(self) -> PhoneStatus:
        """Line status, then accounts when due: a refused passcode stops the poll before them."""
        lines = await self._read_lines()
        accounts = await self._status_accounts()
        return PhoneStatus(state=phone_state_from_lines(lines), lines=lines, accounts=accounts)

    async def device_info(self) -> DeviceInfo:
        """No request: the CTI guide has no device information call, so only the vendor is known."""
        return DeviceInfo(vendor=VENDOR)

    @override
    async def _do_send_keys(self, keys: tuple[str, ...]) -> None:
        check_command(await self._api(SEND_KEY, {"keys": ":".join(keys)}), "the keys")
