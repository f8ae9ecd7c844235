"""What the library's errors become in Home Assistant: one translation key per kind of failure.

The same keys serve a poll and an action (`cannot_connect`, `invalid_auth`, `invalid_response`),
each message naming the phone. A message may quote the phone's answer, so it is redacted, and an
error whose text holds the password is not chained: Home Assistant would log it unredacted.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import NoReturn

from homeassistant.exceptions import (
    ConfigEntryAuthFailed,
    HomeAssistantError,
    ServiceValidationError,
)
from homeassistant.helpers.update_coordinator import UpdateFailed

from .api import (
    ConfigNotTakenError,
    PhoneAuthenticationError,
    PhoneClient,
    PhoneCommandError,
    PhoneConnectionError,
    PhoneDisconnectedError,
    PhoneError,
    PhoneLockedError,
    PhoneNothingToDoError,
    PhoneUnsupportedError,
)
from .const import DOMAIN


def cause(err: Exception, client: PhoneClient) -> Exception | None:
    """Return the error to chain, or None where its message holds the password."""
    text = str(err)
    return err if client.redact(text) == text else None


def _fail(
    kind: type[HomeAssistantError], key: str, phone: str, client: PhoneClient, err: Exception
) -> NoReturn:
    """Raise `kind` with the translation `key`, naming the phone and quoting the error, redacted."""
    raise kind(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders={"phone": phone, "error": client.redact(str(err))},
    ) from cause(err, client)


@contextmanager
def poll_errors(phone: str, client: PhoneClient) -> Iterator[None]:
    """Raise what a failed poll (or device information read) becomes for the coordinator."""
    try:
        yield
    except PhoneLockedError as err:
        # The phone says how long its lockout lasts: tell the user rather than a bare refusal.
        if not err.minutes:
            _fail(ConfigEntryAuthFailed, "invalid_auth", phone, client, err)
        raise ConfigEntryAuthFailed(
            translation_domain=DOMAIN,
            translation_key="account_locked",
            translation_placeholders={"phone": phone, "minutes": str(err.minutes)},
        ) from cause(err, client)
    except PhoneAuthenticationError as err:
        # The library remembers the refusal and sends nothing more until reauthentication.
        _fail(ConfigEntryAuthFailed, "invalid_auth", phone, client, err)
    except PhoneConnectionError as err:
        _fail(UpdateFailed, "cannot_connect", phone, client, err)
    except PhoneError as err:
        _fail(UpdateFailed, "invalid_response", phone, client, err)


@contextmanager
def command_errors(phone: str, client: PhoneClient, answered: Callable[[], None]) -> Iterator[None]:
    """Raise what a failed action becomes; call `answered` where the phone answered it.

    After an answer the phone's state is worth reading (the caller refreshes); after a refusal
    before sending, or no answer at all, it is not.
    """
    try:
        yield
    except PhoneNothingToDoError as err:
        # Found by reading the lines, nothing sent: bad input, saying what was missing.
        answered()
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key=f"nothing_to_{err.operation}",
            translation_placeholders={"phone": phone},
        ) from cause(err, client)
    except ValueError as err:
        # Refused by the library before anything was sent.
        _fail(ServiceValidationError, "invalid_argument", phone, client, err)
    except PhoneUnsupportedError as err:
        _fail(ServiceValidationError, "not_supported", phone, client, err)
    except PhoneDisconnectedError as err:
        # The phone took the command and closed the connection: it is there, and may have
        # carried the command out (it is never sent again).
        answered()
        _fail(HomeAssistantError, "cannot_connect", phone, client, err)
    except PhoneConnectionError as err:
        # No answer within the timeout: a refresh would only wait once more.
        _fail(HomeAssistantError, "cannot_connect", phone, client, err)
    except PhoneAuthenticationError as err:
        # The refresh starts the reauthentication without a request: the library holds the
        # refusal.
        answered()
        _fail(HomeAssistantError, "invalid_auth", phone, client, err)
    except ConfigNotTakenError as err:
        # The phone said success, yet reading back shows the old values: say which.
        answered()
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="config_not_taken",
            translation_placeholders={"phone": phone, "names": ", ".join(err.names)},
        ) from cause(err, client)
    except PhoneCommandError as err:
        answered()
        _fail(HomeAssistantError, "command_failed", phone, client, err)
    except PhoneError as err:
        answered()
        _fail(HomeAssistantError, "invalid_response", phone, client, err)
