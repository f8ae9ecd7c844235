"""Fixtures shared by every test.

Home Assistant's test harness puts its own testing config folder first on sys.path, and that folder
has a `custom_components` package of its own. Importing ours here, before the harness does that,
makes `custom_components` this repository's folder.
"""

import pytest

import custom_components.ip_phone  # noqa: F401


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load integrations from custom_components/ in every test."""
