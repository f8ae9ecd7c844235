"""A phone's options: the user's contacts for voice calling, and the push URLs to paste."""

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import ConfigEntryState, ConfigFlowResult, OptionsFlow
from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from homeassistant.helpers.selector import (
    BooleanSelector,
    ObjectSelector,
    ObjectSelectorConfig,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
import probatio

from .api import Capability, PhoneError
from .api.validation import validate_number
from .const import (
    ATTR_ALIASES,
    ATTR_NAME,
    ATTR_NUMBER,
    ATTR_PERSON,
    CONF_CONTACTS,
    CONF_PUSH_SET_UP,
    CONF_USE_PHONEBOOK,
    CONF_VOICE_DEFAULT,
)
from .contacts import compact_number
from .coordinator import IpPhoneConfigEntry
from .webhook import async_action_urls

CONTACTS_SELECTOR = ObjectSelector(
    ObjectSelectorConfig(
        multiple=True,
        label_field=ATTR_NAME,
        description_field=ATTR_NUMBER,
        translation_key="contact",
        fields={
            ATTR_NAME: {"required": True, "selector": {"text": {}}},
            ATTR_NUMBER: {"required": True, "selector": {"text": {"type": "tel"}}},
            ATTR_ALIASES: {"selector": {"text": {"multiple": True}}},
            ATTR_PERSON: {"selector": {"entity": {"filter": {"domain": "person"}}}},
        },
    )
)


class ContactError(ValueError):
    """A contact in the list that cannot be kept; `name` says which."""

    def __init__(self, key: str, name: str) -> None:
        """Keep the error's translation key and the contact it is about."""
        super().__init__(key)
        self.key = key
        self.name = name


def clean_contacts(items: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Return the contacts as saved: trimmed, numbers compacted; ContactError for a bad one."""
    cleaned: list[dict[str, Any]] = []
    seen: set[str] = set()
    for item in items:
        name = str(item.get(ATTR_NAME, "")).strip()
        if not name:
            raise ContactError("contact_name_missing", str(item.get(ATTR_NUMBER, "")))
        if name.casefold() in seen:
            raise ContactError("contact_name_twice", name)
        seen.add(name.casefold())
        try:
            number = validate_number(compact_number(str(item.get(ATTR_NUMBER, "")).strip()))
        except ValueError:
            raise ContactError("contact_number_invalid", name) from None
        contact: dict[str, Any] = {ATTR_NAME: name, ATTR_NUMBER: number}
        if aliases := [str(alias).strip() for alias in item.get(ATTR_ALIASES) or [] if alias]:
            contact[ATTR_ALIASES] = aliases
        if person := item.get(ATTR_PERSON):
            contact[ATTR_PERSON] = person
        cleaned.append(contact)
    return cleaned


class IpPhoneOptionsFlow(OptionsFlow):
    """Configure: the contacts to call by name, or the push URLs for the phone's settings."""

    config_entry: IpPhoneConfigEntry

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Offer the pages: setting up push on the phone where its API can write it."""
        del user_input
        options = ["contacts", "push_urls"]
        # Writing needs the phone's client: only while the entry is loaded.
        loaded = self.config_entry.state is ConfigEntryState.LOADED
        if loaded and Capability.PUSH_SETUP in self.config_entry.runtime_data.client.capabilities:
            options.append("push_setup")
            if self.config_entry.options.get(CONF_PUSH_SET_UP):
                options.append("push_clear")
        return self.async_show_menu(step_id="init", menu_options=options)

    async def async_step_push_setup(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Write the push URLs into the phone's Action URL settings, when the user asks."""
        urls = {
            event.value: url
            for event, url in async_action_urls(
                self.hass, self.config_entry.data[CONF_WEBHOOK_ID]
            ).items()
        }
        return await self._async_write_push("push_setup", user_input, urls, set_up=True)

    async def async_step_push_clear(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Empty the phone's Action URL settings (before removing the phone, say)."""
        return await self._async_write_push("push_clear", user_input, None, set_up=False)

    async def _async_write_push(
        self,
        step_id: str,
        user_input: dict[str, Any] | None,
        urls: dict[str, str] | None,
        *,
        set_up: bool,
    ) -> ConfigFlowResult:
        """Write (or clear) and read back; show what the phone did not take, else close."""
        errors: dict[str, str] = {}
        placeholders = {"name": self.config_entry.title, "events": "", "error": ""}
        if user_input is not None:
            client = self.config_entry.runtime_data.client
            try:
                missed = await (client.set_up_push(urls) if urls else client.clear_push())
            except (PhoneError, ValueError) as err:
                errors["base"] = "push_failed"
                placeholders["error"] = client.redact(str(err))
            else:
                options = {**self.config_entry.options, CONF_PUSH_SET_UP: set_up or bool(missed)}
                if not missed:
                    return self.async_create_entry(data=options)
                self.hass.config_entries.async_update_entry(self.config_entry, options=options)
                errors["base"] = "push_not_taken"
                placeholders["events"] = ", ".join(missed)
        return self.async_show_form(
            step_id=step_id,
            data_schema=probatio.Schema({}),
            description_placeholders=placeholders,
            errors=errors,
        )

    async def async_step_contacts(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Edit the contacts; saved at once, without reloading the phone."""
        errors: dict[str, str] = {}
        placeholders = {"name": self.config_entry.title, "contact": ""}
        if user_input is not None:
            try:
                contacts = clean_contacts(user_input.get(CONF_CONTACTS, []))
            except ContactError as err:
                errors[CONF_CONTACTS] = err.key
                placeholders["contact"] = err.name
            else:
                return self.async_create_entry(
                    data={**self.config_entry.options, **user_input, CONF_CONTACTS: contacts}
                )
        fields: dict[Any, Any] = {probatio.Optional(CONF_CONTACTS): CONTACTS_SELECTOR}
        if Capability.CONTACTS in self.config_entry.runtime_data.client.capabilities:
            fields[probatio.Optional(CONF_USE_PHONEBOOK, default=True)] = BooleanSelector()
        fields[probatio.Optional(CONF_VOICE_DEFAULT, default=False)] = BooleanSelector()
        values = user_input or self.config_entry.options
        return self.async_show_form(
            step_id="contacts",
            data_schema=self.add_suggested_values_to_schema(probatio.Schema(fields), values),
            description_placeholders=placeholders,
            errors=errors,
        )

    async def async_step_push_urls(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """List the URLs, one copyable field each; "Done" closes the page, changing nothing."""
        if user_input is not None:
            return self.async_create_entry(data=dict(self.config_entry.options))
        return self.async_show_form(
            step_id="push_urls",
            data_schema=push_url_fields(self.hass, self.config_entry),
            description_placeholders={"name": self.config_entry.title},
            last_step=True,
        )


_READ_ONLY_URL = TextSelector(TextSelectorConfig(type=TextSelectorType.URL, read_only=True))


def push_url_fields(hass: HomeAssistant, entry: IpPhoneConfigEntry) -> probatio.Schema:
    """Return one read-only field per event, holding the URL to paste into the phone for it.

    A field shows a URL whole, on one line, with the frontend's copy; a list in the description
    wrapped them mid-token.
    """
    urls = async_action_urls(hass, entry.data[CONF_WEBHOOK_ID])
    return probatio.Schema(
        {
            probatio.Optional(event.value, description={"suggested_value": url}): _READ_ONLY_URL
            for event, url in urls.items()
        }
    )
