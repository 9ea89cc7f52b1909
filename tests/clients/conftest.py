"""The live server of the end-to-end tests, shared with the real-client tests."""

from tests.e2e.conftest import live_url  # noqa: F401
