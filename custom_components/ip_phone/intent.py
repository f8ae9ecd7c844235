"""Voice intents: call someone, hang up, answer, and who is calling; every one answers in words.

The same handlers serve the built-in agent's sentence triggers (voice.py), AI agents' tools
(llm.py) and `POST /api/intent/handle`. They resolve phones, areas and contacts themselves, and a
command with nothing to act on is an answer, never an error in the log.
"""

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Final, override

from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import config_validation as cv, intent
import probatio

from .api import Capability, LineState, NumberKind
from .api.models import CALL_STATES
from .caller import caller_of
from .const import ATTR_CONTACT, ATTR_NUMBER, DOMAIN
from .contacts import ContactAmbiguousError, ContactNotFoundError, normalise
from .directory import async_get_directory
from .phones import Phone, UnknownPhoneError, async_find_phones, async_phones
from .voice import VoiceTexts, async_get_texts, texts_for

INTENT_CALL: Final = "IpPhoneCall"
INTENT_HANG_UP: Final = "IpPhoneHangUp"
INTENT_ANSWER: Final = "IpPhoneAnswer"
INTENT_WHO_IS_CALLING: Final = "IpPhoneWhoIsCalling"

_PHONE_SLOTS: Final[dict[Any, Any]] = {
    probatio.Optional("phone", description="The desk phone, by its name or its area"): cv.string,
    probatio.Optional("area", description="The area whose desk phone to use"): cv.string,
    probatio.Optional("preferred_area_id"): cv.string,
}


async def async_setup_intents(hass: HomeAssistant) -> None:
    """Register the intents (the intent integration calls this)."""
    for handler in (CallHandler(), HangUpHandler(), AnswerHandler(), WhoIsCallingHandler()):
        intent.async_register(hass, handler)


class PhoneIntentHandler(intent.IntentHandler):
    """Reads the phone slots, finds the phones meant, and always answers in the user's words."""

    @property
    @override
    def slot_schema(self) -> dict[Any, Any]:
        return _PHONE_SLOTS

    @override
    async def async_handle(self, intent_obj: intent.Intent) -> intent.IntentResponse:
        slots = self.async_validate_slots(intent_obj.slots)
        values = {name: slot["value"] for name, slot in slots.items() if slot.get("value")}
        texts = texts_for(await async_get_texts(intent_obj.hass), intent_obj.language)
        response = intent_obj.create_response()
        phones = async_phones(intent_obj.hass, intent_obj.assistant)
        try:
            chosen = async_find_phones(
                intent_obj.hass,
                phones,
                phone=values.get("phone"),
                area=values.get("area"),
                preferred_area_id=values.get("preferred_area_id"),
                device_id=intent_obj.device_id,
            )
        except UnknownPhoneError as err:
            return _error(response, texts.say("unknown_phone", phone=str(err)))
        if not chosen:
            return _error(response, texts.say("no_phone"))
        speech = await self.async_act(Request(intent_obj, values, chosen, texts))
        if speech.failed:
            return _error(response, speech.text)
        response.async_set_speech(speech.text)
        return response

    async def async_act(self, request: Request) -> Answer:
        """Do what the intent says with the phones meant; return what to say."""
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class Request:
    """An intent to act on: what was said, and the phones it means."""

    intent: intent.Intent
    values: dict[str, Any]
    phones: list[Phone]
    texts: VoiceTexts

    def __iter__(self) -> Iterator[Any]:
        """Unpack as (intent, values, phones, texts)."""
        return iter((self.intent, self.values, self.phones, self.texts))


class Answer:
    """What to say, and whether it says that nothing was done."""

    def __init__(self, text: str, *, failed: bool = False) -> None:
        """Keep the text."""
        self.text = text
        self.failed = failed


def _error(response: intent.IntentResponse, text: str) -> intent.IntentResponse:
    response.async_set_error(intent.IntentResponseErrorCode.NO_VALID_TARGETS, text)
    return response


def _names(phones: list[Phone]) -> list[str]:
    return [phone.name for phone in phones]


async def _action(
    hass: HomeAssistant, intent_obj: intent.Intent, service: str, phone: Phone, **data: str
) -> str | None:
    """Run one of the phone actions; None if it worked, else why not, in the phone's words."""
    try:
        await hass.services.async_call(
            DOMAIN,
            service,
            {ATTR_DEVICE_ID: [phone.device_id], **data},
            blocking=True,
            context=intent_obj.context,
        )
    except HomeAssistantError as err:
        return str(err) or type(err).__name__
    return None


class CallHandler(PhoneIntentHandler):
    """Calls a contact or a number from a phone."""

    intent_type = INTENT_CALL
    description = "Calls a person or a number from one of the user's desk phones"

    @property
    @override
    def slot_schema(self) -> dict[Any, Any]:
        return {
            probatio.Required(
                ATTR_CONTACT, description="Who to call: a name as the user said it, or a number"
            ): intent.non_empty_string,
            probatio.Optional(
                "number_type", description="Which of the contact's numbers to call"
            ): probatio.In([NumberKind.MOBILE, NumberKind.HOME, NumberKind.WORK]),
            **_PHONE_SLOTS,
        }

    @override
    async def async_handle(self, intent_obj: intent.Intent) -> intent.IntentResponse:
        # "call Anna on her mobile": where no phone goes by that name, it is the number to call.
        slots = intent_obj.slots
        said = str(slots.get("phone", {}).get("value") or "")
        if said and "number_type" not in slots and not self._is_a_phone(intent_obj, said):
            texts = texts_for(await async_get_texts(intent_obj.hass), intent_obj.language)
            for kind, words in texts.number_types.items():
                if normalise(said) in words:
                    intent_obj.slots = {
                        **{k: v for k, v in slots.items() if k != "phone"},
                        "number_type": {"value": kind},
                    }
        return await super().async_handle(intent_obj)

    @staticmethod
    def _is_a_phone(intent_obj: intent.Intent, said: str) -> bool:
        phones = async_phones(intent_obj.hass, intent_obj.assistant)
        try:
            async_find_phones(intent_obj.hass, phones, phone=said)
        except UnknownPhoneError:
            return False
        return True

    @override
    async def async_act(self, request: Request) -> Answer:
        intent_obj, values, phones, texts = request
        hass = intent_obj.hass
        if len(phones) > 1:
            return Answer(
                texts.say("which_phone", phones=texts.one_of(_names(phones))), failed=True
            )
        phone = phones[0]
        said = values[ATTR_CONTACT]
        kind = NumberKind(values["number_type"]) if "number_type" in values else None
        try:
            whom = await async_get_directory(hass).async_resolve(
                said, phone.coordinator.config_entry.entry_id, kind
            )
        except ContactAmbiguousError as err:
            return Answer(
                texts.say("ambiguous_contact", candidates=texts.one_of(err.candidates)),
                failed=True,
            )
        except ContactNotFoundError:
            return Answer(texts.say("unknown_contact", contact=said), failed=True)
        error = await _action(hass, intent_obj, "make_call", phone, **{ATTR_NUMBER: whom.number})
        if error is not None:
            return Answer(texts.say("failed", phone=phone.name, error=error), failed=True)
        return Answer(texts.say("call_started", phone=phone.name, contact=whom.name))


async def _async_read(phones: list[Phone]) -> None:
    """Read the phones' lines now: a call may have started or ended since the last poll."""
    await asyncio.gather(*(phone.coordinator.async_refresh() for phone in phones))


def _with_line(phones: list[Phone], fits: Callable[[LineState], bool]) -> list[Phone]:
    """Return the phones with a line whose state fits."""
    return [
        phone
        for phone in phones
        if phone.coordinator.data and any(fits(line.state) for line in phone.coordinator.data.lines)
    ]


class _LineCommandHandler(PhoneIntentHandler):
    """Hangs up or answers: on the phone named, else the one phone where it makes sense."""

    service: str
    capability: Capability
    done: str
    nothing: str

    def fits(self, state: LineState) -> bool:
        """Tell whether a line in this state is one to act on."""
        raise NotImplementedError

    @override
    async def async_act(self, request: Request) -> Answer:
        intent_obj, values, phones, texts = request
        await _async_read(phones)
        busy = _with_line(phones, self.fits)
        if not busy:
            named = texts.one_of(_names(phones)) if "phone" in values or len(phones) == 1 else ""
            return Answer(self.nothing_said(texts, named), failed=True)
        if len(busy) > 1:
            return Answer(texts.say("which_phone", phones=texts.one_of(_names(busy))), failed=True)
        phone = busy[0]
        if self.capability not in phone.coordinator.client.capabilities:
            return Answer(texts.say("cannot", phone=phone.name), failed=True)
        if (error := await _action(intent_obj.hass, intent_obj, self.service, phone)) is not None:
            return Answer(texts.say("failed", phone=phone.name, error=error), failed=True)
        return Answer(texts.say(self.done, phone=phone.name))

    def nothing_said(self, texts: VoiceTexts, named: str) -> str:
        """Return what to say when there is nothing to act on."""
        raise NotImplementedError


class HangUpHandler(_LineCommandHandler):
    """Ends the call on a phone."""

    intent_type = INTENT_HANG_UP
    description = "Hangs up the call on a desk phone"
    service = "end_call"
    capability = Capability.END_CALL
    done = "hung_up"

    @override
    def fits(self, state: LineState) -> bool:
        return state in CALL_STATES

    @override
    def nothing_said(self, texts: VoiceTexts, named: str) -> str:
        return texts.say("no_call", phone=named) if named else texts.say("nobody")


class AnswerHandler(_LineCommandHandler):
    """Answers a ringing phone."""

    intent_type = INTENT_ANSWER
    description = "Answers a ringing desk phone"
    service = "answer_call"
    capability = Capability.ANSWER_CALL
    done = "answered"

    @override
    def fits(self, state: LineState) -> bool:
        return state is LineState.RINGING

    @override
    def nothing_said(self, texts: VoiceTexts, named: str) -> str:
        return texts.say("nothing_ringing")


class WhoIsCallingHandler(PhoneIntentHandler):
    """Tells who is calling the phones (or the one named)."""

    intent_type = INTENT_WHO_IS_CALLING
    description = "Tells who is calling the desk phones"

    @override
    async def async_act(self, request: Request) -> Answer:
        intent_obj, values, phones, texts = request
        if "phone" not in values and "area" not in values:
            phones = async_phones(intent_obj.hass, intent_obj.assistant)  # every phone, not nearby
        await _async_read(phones)
        name_for = async_get_directory(intent_obj.hass).async_name_for
        said = []
        for phone in phones:
            lines = phone.coordinator.data.lines if phone.coordinator.data else ()
            for line in lines:
                if line.state is LineState.RINGING:
                    caller = caller_of(line, name_for) or texts.say("someone")
                    said.append(texts.say("who_is_calling", caller=caller, phone=phone.name))
        if not said:
            return Answer(texts.say("nobody"))
        return Answer(" ".join(said))
