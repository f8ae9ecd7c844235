"""The PhoneClient base class every dialect implements, and the Capability enum."""

from abc import ABC, abstractmethod
import asyncio
from collections.abc import Callable, Coroutine, Mapping, Sequence
from enum import StrEnum
import time
from typing import Any, ClassVar, Final, cast

from .config import (
    ConfigNotTakenError,
    NamePolicy,
    not_taken,
    validate_message,
    validate_names,
    validate_values,
)
from .errors import PhoneCommandError, PhoneNothingToDoError, PhoneUnsupportedError
from .login import LoginGuard
from .models import (
    CALL_STATES,
    Account,
    Contact,
    ContactGroup,
    DeviceInfo,
    Dialect,
    Line,
    LineState,
    PhoneStatus,
)
from .transport import Closing, Transport
from .validation import (
    validate_contact,
    validate_group,
    validate_id,
    validate_index,
    validate_keys,
    validate_number,
    validate_text,
)

# Seconds to wait before each read-back that confirms a command (phones say "success" too easily).
CONFIRM_DELAYS: Final = (0.0, 0.25, 0.5, 1.0)
# Seconds status() reuses the SIP accounts it read, in dialects whose accounts tell registration
# only (Web API, CTI; not GMI, whose accountStatus carries each account's call state): registration
# changes rarely, and whoever learns of a change (a registration push, a failed poll) calls
# refresh_accounts(). So a steady poll costs the line status request only.
ACCOUNTS_MAX_AGE: Final = 300.0

type LinePicker = Callable[[Sequence[Line]], list[int]]
type LineCheck = Callable[[Sequence[Line]], bool]


class Capability(StrEnum):
    """What a client can do; a method whose capability is missing raises PhoneUnsupportedError."""

    LINE_STATUS = "line_status"  # status() reads lines (and the phone state) by polling
    MAKE_CALL = "make_call"
    END_CALL = "end_call"
    ANSWER_CALL = "answer_call"
    REJECT_CALL = "reject_call"
    HOLD_CALL = "hold_call"
    RESUME_CALL = "resume_call"
    REBOOT = "reboot"
    SEND_KEYS = "send_keys"
    CONTACTS = "contacts"  # get_contacts() and get_groups() read the phone's phonebook
    EDIT_CONTACTS = "edit_contacts"  # save and delete contacts and groups
    GET_CONFIG = "get_config"  # read configuration values by name
    SET_CONFIG = "set_config"  # write them (read back and compared)
    DELETE_CONFIG = "delete_config"  # delete list records (Fanvil `del`)
    DND = "dnd"  # status() reads do-not-disturb, set_dnd() writes it
    SHOW_TEXT = "show_text"  # a message on the phone's screen
    UPTIME = "uptime"
    PROVISION = "provision"  # fetch the configuration from the provisioning server now
    PUSH_SETUP = "push_setup"  # write the Action URL settings (set_up_push, clear_push)


class PhoneClient(Closing, ABC):
    """A phone speaking one dialect. Every method is a coroutine except `capabilities`.

    Subclasses set the class attributes and implement the `_do_*` hooks their capabilities name; the
    public methods validate arguments and check the capability before anything is sent.
    """

    dialect: ClassVar[Dialect]
    capabilities: ClassVar[frozenset[Capability]]
    # Requests one status() costs once logged in (the README's table is written from these).
    status_requests: ClassVar[int]
    default_username: ClassVar[str | None] = None
    # True where `_login` must run before the first request (else credentials ride on each one).
    logs_in: ClassVar[bool] = False
    # Action URL settings: event ("incoming", "missed"...) -> the configuration name it is in.
    action_url_names: ClassVar[Mapping[str, str]] = {}
    # Common keys by what they do ("speaker", "volume_up"...) -> the name send_keys takes.
    common_keys: ClassVar[Mapping[str, str]] = {}
    # The configuration names the dialect reads and writes (dialects with GET_CONFIG set it).
    config_names: ClassVar[NamePolicy | None] = None
    # How long status() may reuse the accounts it read (dialects that read them on their own).
    accounts_max_age: float = ACCOUNTS_MAX_AGE

    def __init__(
        self,
        transport: Transport,
        *,
        username: str | None = None,
        password: str | None = None,
    ) -> None:
        """Wrap `transport`; prefer `create_client`, which builds it."""
        self._transport: Final = transport
        self._username = username or self.default_username
        self._password = password or ""
        transport.add_secret(password)
        self._guard: Final = LoginGuard(self._login if self.logs_in else None, transport.redact)
        self._cookies: dict[str, str] = {}  # what the login set, sent with every request
        self._accounts: tuple[Account, ...] | None = None  # as last read, for status()
        self._accounts_read_at = 0.0

    def set_credentials(self, username: str | None, password: str | None) -> None:
        """Use new credentials (after reauthentication); forgets a session and a refusal."""
        self._username = username or self.default_username
        self._password = password or ""
        self._transport.add_secret(password)
        self._guard.reset()
        self.refresh_accounts()

    def refresh_accounts(self) -> None:
        """Make the next status() read the SIP accounts, however recently they were read.

        For whoever learns that registration changed: a registration push, a failed poll (the
        phone may have rebooted), new credentials.
        """
        self._accounts = None

    async def _login(self) -> None:
        """Log in and keep what the session needs (dialects with `logs_in`)."""
        raise NotImplementedError

    def __repr__(self) -> str:
        """Show the dialect, address and user, never the password."""
        return f"{type(self).__name__}({self._transport.base_url}, user={self._username!r})"

    @property
    def host(self) -> str:
        """The host this client talks to."""
        return self._transport.host

    def redact(self, text: str) -> str:
        """Return `text` with this client's password removed (for messages that quote the phone)."""
        return self._transport.redact(text)

    def _require(self, capability: Capability) -> None:
        if capability not in self.capabilities:
            raise PhoneUnsupportedError(
                f"{self.dialect.value} cannot {capability.value.replace('_', ' ')}"
            )

    @abstractmethod
    async def device_info(self) -> DeviceInfo:
        """Vendor, model, MAC, firmware, hardware and serial, where the dialect tells.

        Returns:
            What the phone tells of itself; None for what its dialect does not say.

        Raises:
            PhoneConnectionError, PhoneAuthenticationError, PhoneResponseError: see `errors`.
        """

    @abstractmethod
    async def status(self) -> PhoneStatus:
        """Read the state, lines and accounts in as few requests as the dialect allows.

        Returns:
            The phone's state, lines and SIP accounts (`status_requests` requests once logged
            in; the accounts are reused while fresh where they tell registration only).

        Raises:
            PhoneConnectionError, PhoneAuthenticationError, PhoneResponseError: see `errors`.
        """

    async def make_call(self, number: str, *, account: int | None = None) -> None:
        """Dial `number`, from `account` (1-based) or the phone's default account.

        Args:
            number: digits, *, #, + or a SIP user such as 201@pbx, as the phone should dial it.
            account: the SIP account to call from, from 1; None for the phone's default.

        Raises:
            ValueError: a number or account a phone would misread; nothing is sent.
            PhoneUnsupportedError: the dialect cannot (or cannot choose the account).
            PhoneCommandError: the phone refused, or no call showed in its lines.
            PhoneConnectionError, PhoneAuthenticationError, PhoneResponseError: see `errors`.
        """
        number = validate_number(number)
        account = validate_index(account, "account")
        self._require(Capability.MAKE_CALL)
        await self._do_make_call(number, account)

    async def end_call(self, line: int | None = None) -> None:
        """End the call on `line`, or every call in progress.

        Args:
            line: the line (from 1) whose call to end; None for every call.

        Raises:
            ValueError: a line below 1. PhoneUnsupportedError: the dialect cannot.
            PhoneCommandError: the phone refused, or the call did not end.
            PhoneConnectionError, PhoneAuthenticationError, PhoneResponseError: see `errors`.
        """
        line = validate_index(line, "line")
        self._require(Capability.END_CALL)
        await self._do_end_call(line)

    async def answer_call(self, line: int | None = None) -> None:
        """Answer `line`, or the ringing one.

        Args:
            line: the ringing line (from 1); None for the first one that rings.

        Raises:
            ValueError: a line below 1. PhoneUnsupportedError: the dialect cannot.
            PhoneCommandError: the phone refused, or the line still rings.
            PhoneConnectionError, PhoneAuthenticationError, PhoneResponseError: see `errors`.
        """
        line = validate_index(line, "line")
        self._require(Capability.ANSWER_CALL)
        await self._do_answer_call(line)

    async def reject_call(self, line: int | None = None) -> None:
        """Reject the incoming call on `line`, or the ringing one.

        Args:
            line: the ringing line (from 1); None for the first one that rings.

        Raises:
            ValueError: a line below 1. PhoneUnsupportedError: the dialect cannot.
            PhoneCommandError: the phone refused, or the line still rings.
            PhoneConnectionError, PhoneAuthenticationError, PhoneResponseError: see `errors`.
        """
        line = validate_index(line, "line")
        self._require(Capability.REJECT_CALL)
        await self._do_reject_call(line)

    async def hold_call(self, line: int | None = None) -> None:
        """Put the call on `line`, or the connected one, on hold."""
        line = validate_index(line, "line")
        self._require(Capability.HOLD_CALL)
        await self._do_hold_call(line)

    async def resume_call(self, line: int | None = None) -> None:
        """Take the call on `line`, or the held one, off hold; a connected call stays so."""
        line = validate_index(line, "line")
        self._require(Capability.RESUME_CALL)
        await self._do_resume_call(line)

    async def reboot(self) -> None:
        """Restart the phone; it stops answering for a while.

        Raises:
            PhoneUnsupportedError: the dialect cannot.
            PhoneCommandError: the phone refused.
            PhoneConnectionError, PhoneAuthenticationError, PhoneResponseError: see `errors`.
        """
        self._require(Capability.REBOOT)
        await self._do_reboot()

    async def send_keys(self, keys: str | Sequence[str]) -> None:
        """Press keys: "1:2:3" or ["SPEAKER", "1"]; names as the phone spells them.

        Args:
            keys: key names separated by colons, or a sequence of them.

        Raises:
            ValueError: an empty key or one with characters a phone would misread.
            PhoneUnsupportedError: the dialect cannot. PhoneCommandError: the phone refused.
            PhoneConnectionError, PhoneAuthenticationError, PhoneResponseError: see `errors`.
        """
        tokens = validate_keys(keys)
        self._require(Capability.SEND_KEYS)
        await self._do_send_keys(tokens)

    async def get_contacts(self, search: str | None = None) -> tuple[Contact, ...]:
        """Read the phonebook: every contact, or those whose name holds `search` (any case).

        Args:
            search: part of a name to look for; None (or "") for every contact.

        Returns:
            The contacts, as the phone keeps them.

        Raises:
            ValueError: a search text a phone would misread.
            PhoneUnsupportedError: the dialect has no phonebook.
            PhoneConnectionError, PhoneAuthenticationError, PhoneResponseError: see `errors`.
        """
        search = validate_text(search, "search") if search is not None else ""
        self._require(Capability.CONTACTS)
        contacts = await self._do_get_contacts(search or None)
        # Firmware that ignores the search parameter answers everything: filter here too.
        wanted = search.casefold()
        return tuple(contact for contact in contacts if wanted in contact.name.casefold())

    async def get_groups(self) -> tuple[ContactGroup, ...]:
        """Read the phonebook's groups."""
        self._require(Capability.CONTACTS)
        return await self._do_get_groups()

    async def save_contact(self, contact: Contact) -> str | None:
        """Add a contact (`id` "") or replace the one with its id; the new id where the phone tells.

        Every field is written: a number left empty is removed from the contact.
        """
        contact = validate_contact(contact)
        self._require(Capability.EDIT_CONTACTS)
        return await self._do_save_contact(contact)

    async def delete_contact(self, contact_id: str) -> None:
        """Delete one contact by its id."""
        contact_id = validate_id(contact_id, "contact id")
        self._require(Capability.EDIT_CONTACTS)
        await self._do_delete_contact(contact_id)

    async def save_group(self, group: ContactGroup) -> str | None:
        """Add a group (`id` "") or rename the one with its id; the new id where the phone tells."""
        group = validate_group(group)
        self._require(Capability.EDIT_CONTACTS)
        return await self._do_save_group(group)

    async def delete_group(self, group_id: str) -> None:
        """Delete one group by its id; its contacts go to the default group."""
        group_id = validate_id(group_id, "group id")
        self._require(Capability.EDIT_CONTACTS)
        await self._do_delete_group(group_id)

    async def get_config(self, names: str | Sequence[str]) -> dict[str, str]:
        """Read configuration values by name; a name the phone does not know reads as ""."""
        found = self._config_names(names)
        self._require(Capability.GET_CONFIG)
        return await self._do_get_config(found)

    async def set_config(self, values: Mapping[str, str]) -> None:
        """Write values and read them back: ConfigNotTakenError names those the phone ignored."""
        self._require(Capability.SET_CONFIG)
        checked = validate_values(values, self._policy())
        await self._do_set_config(checked)
        await self._check_taken(checked)

    async def delete_config(self, names: str | Sequence[str]) -> None:
        """Delete list records ("mmifilter.1") or whole lists ("mmifilter."); checked by reading."""
        self._require(Capability.DELETE_CONFIG)
        await self._do_delete_config(self._config_names(names))

    async def set_dnd(self, enabled: bool) -> None:  # noqa: FBT001 - a switch's one argument
        """Turn do-not-disturb on or off (read back like any configuration write)."""
        self._require(Capability.DND)
        await self._do_set_dnd(enabled)

    async def show_text(self, text: str) -> None:
        """Show a message on the phone's screen."""
        text = validate_message(text)
        self._require(Capability.SHOW_TEXT)
        await self._do_show_text(text)

    async def uptime(self) -> int:
        """Seconds since the phone started."""
        self._require(Capability.UPTIME)
        return await self._do_uptime()

    async def provision(self) -> None:
        """Make the phone fetch its configuration from its provisioning server now."""
        self._require(Capability.PROVISION)
        await self._do_provision()

    async def set_up_push(self, urls: Mapping[str, str]) -> list[str]:
        """Write each event's Action URL, read them back, and return the events not taken."""
        self._require(Capability.PUSH_SETUP)
        unknown = sorted(set(urls) - set(self.action_url_names))
        if unknown:
            raise ValueError(f"the phone has no Action URL setting for {', '.join(unknown)}")
        names = {event: self.action_url_names[event] for event in urls}
        values = validate_values({names[event]: url for event, url in urls.items()}, self._policy())
        await self._do_set_config(values)
        missed = set(not_taken(values, await self._do_get_config(tuple(values))))
        return [event for event in urls if names[event] in missed]

    async def clear_push(self) -> list[str]:
        """Empty every Action URL setting; return the events the phone did not clear."""
        return await self.set_up_push(dict.fromkeys(self.action_url_names, ""))

    async def diagnostics(self) -> dict[str, str]:
        """Details for diagnostics the poll does not read (part number, memory, network...)."""
        return {}

    def _policy(self) -> NamePolicy:
        if self.config_names is None:
            raise PhoneUnsupportedError(f"{self.dialect.value} cannot read configuration values")
        return self.config_names

    def _config_names(self, names: str | Sequence[str], *, write: bool = False) -> tuple[str, ...]:
        return validate_names(names, self._policy(), write=write)

    async def _check_taken(self, values: Mapping[str, str]) -> None:
        """Read written values back; ConfigNotTakenError for those the phone ignored."""
        ignored = not_taken(values, await self._do_get_config(tuple(values)))
        if ignored:
            raise ConfigNotTakenError(ignored)

    # Hooks for the capabilities a dialect declares; `_require` keeps the others unreachable.
    async def _do_make_call(self, number: str, account: int | None) -> None:
        raise NotImplementedError

    async def _do_end_call(self, line: int | None) -> None:
        raise NotImplementedError

    async def _do_answer_call(self, line: int | None) -> None:
        raise NotImplementedError

    async def _do_reject_call(self, line: int | None) -> None:
        raise NotImplementedError

    async def _do_hold_call(self, line: int | None) -> None:
        raise NotImplementedError

    async def _do_resume_call(self, line: int | None) -> None:
        raise NotImplementedError

    async def _do_reboot(self) -> None:
        raise NotImplementedError

    async def _do_send_keys(self, keys: tuple[str, ...]) -> None:
        raise NotImplementedError

    async def _do_get_contacts(self, search: str | None) -> tuple[Contact, ...]:
        raise NotImplementedError

    async def _do_get_groups(self) -> tuple[ContactGroup, ...]:
        raise NotImplementedError

    async def _do_save_contact(self, contact: Contact) -> str | None:
        raise NotImplementedError

    async def _do_delete_contact(self, contact_id: str) -> None:
        raise NotImplementedError

    async def _do_save_group(self, group: ContactGroup) -> str | None:
        raise NotImplementedError

    async def _do_delete_group(self, group_id: str) -> None:
        raise NotImplementedError

    async def _do_get_config(self, names: tuple[str, ...]) -> dict[str, str]:
        raise NotImplementedError

    async def _do_set_config(self, values: Mapping[str, str]) -> None:
        raise NotImplementedError

    async def _do_delete_config(self, names: tuple[str, ...]) -> None:
        raise NotImplementedError

    async def _do_set_dnd(self, enabled: bool) -> None:  # noqa: FBT001
        raise NotImplementedError

    async def _do_show_text(self, text: str) -> None:
        raise NotImplementedError

    async def _do_uptime(self) -> int:
        raise NotImplementedError

    async def _do_provision(self) -> None:
        raise NotImplementedError

    async def _read_lines(self) -> tuple[Line, ...]:
        """Read the lines as the phone reports them (dialects with line status override this)."""
        raise PhoneUnsupportedError(f"{self.dialect.value} cannot read line status")

    async def _read_accounts(self) -> tuple[Account, ...]:
        """Read the SIP accounts (dialects that read them apart from the lines override this)."""
        raise NotImplementedError

    async def _status_accounts(self) -> tuple[Account, ...]:
        """Return the accounts for status(): as last read while fresh, else read now."""
        now = time.monotonic()
        if self._accounts is None or now - self._accounts_read_at >= self.accounts_max_age:
            self._accounts = await self._read_accounts()
            self._accounts_read_at = now
        return self._accounts

    async def _targets(
        self, line: int | None, pick: LinePicker, operation: str, states: frozenset[LineState]
    ) -> list[int]:
        """`[line]` if it is in one of `states`, or the lines `pick` finds when none is named.

        The lines are read first: a phone answers a command with nothing to act on with a bare
        `false` or an error, which cannot be told from a refusal. PhoneNothingToDoError, with
        nothing sent, when there is nothing to act on.
        """
        lines = await self._read_lines()
        named = [line] if line is not None and state_of(lines, line) in states else []
        targets = pick(lines) if line is None else named
        if not targets:
            raise PhoneNothingToDoError(operation, line)
        return targets

    async def _confirm(self, done: LineCheck, what: str) -> None:
        """Read the lines back until `done` holds; PhoneCommandError if it never does."""
        for delay in CONFIRM_DELAYS:
            if delay:
                await asyncio.sleep(delay)
            if done(await self._read_lines()):
                return
        raise PhoneCommandError(f"The phone accepted {what}, but its lines did not change")

    async def close(self) -> None:
        """Release the HTTP session if this client created it.

        An injected session is left open: its owner closes it.
        """
        await self._transport.close()


def ringing_lines(lines: Sequence[Line]) -> list[int]:
    """Pick the first ringing line, as a list (answer and reject act on one line)."""
    return [line.index for line in lines if line.state is LineState.RINGING][:1]


def call_lines(lines: Sequence[Line]) -> list[int]:
    """Pick every line holding a call (end acts on all of them)."""
    return [line.index for line in lines if line.state in CALL_STATES]


def toggle_target(
    lines: Sequence[Line], line: int | None, *, start: LineState, end: LineState, operation: str
) -> int | None:
    """Return the line a toggling command (Grandstream's holdcall) takes from `start` to `end`.

    None where the call is already in `end` (holding a held call, resuming a connected one), so
    that naming the line or not behaves the same; PhoneNothingToDoError if there is no such call.
    """
    if line is not None:
        candidates = [line]
    else:
        # The one the phone marks active first, as the phone's own hold key would.
        ordered = sorted(lines, key=lambda item: not item.active)
        candidates = [item.index for item in ordered if item.state is start][:1] or [
            item.index for item in ordered if item.state is end
        ][:1]
    state = state_of(lines, candidates[0]) if candidates else None
    if state is start:
        return candidates[0]
    if state is end:
        return None
    raise PhoneNothingToDoError(operation, line)


def state_of(lines: Sequence[Line], index: int) -> LineState | None:
    """Return the state of line `index`, None if the phone did not report it."""
    return next((line.state for line in lines if line.index == index), None)


def any_call(lines: Sequence[Line]) -> bool:
    """Tell whether a call is in progress on any line."""
    return any(line.state in CALL_STATES for line in lines)


async def gather[T](*coros: Coroutine[Any, Any, T]) -> list[T]:
    """Run coroutines together; the first error cancels the rest and is raised as it is.

    Never an ExceptionGroup: callers catch PhoneError subclasses.
    """
    tasks: list[asyncio.Task[T]] = []
    try:
        async with asyncio.TaskGroup() as group:
            tasks.extend(group.create_task(coro) for coro in coros)
    except BaseExceptionGroup as errors:
        raise _first_leaf(errors) from None
    return [task.result() for task in tasks]


def _first_leaf(group: BaseExceptionGroup[BaseException]) -> BaseException:
    first = group.exceptions[0]
    return _first_leaf(first) if isinstance(first, BaseExceptionGroup) else first


async def both[A, B](first: Coroutine[Any, Any, A], second: Coroutine[Any, Any, B]) -> tuple[A, B]:
    """`gather` for two differently typed coroutines."""
    one, two = await gather(first, second)
    return cast("A", one), cast("B", two)
