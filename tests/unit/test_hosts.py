"""Allowed hosts and trusted proxies as settings: defaults, entries with and without port."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from app.api.common.hosts import AllowedHosts, split_host
from app.config import Settings


def settings(**values: object) -> Settings:
    return Settings(database_url=None, **values)  # type: ignore[arg-type]


def test_the_default_follows_the_serve_address() -> None:
    assert settings().allowed_host_list == ["127.0.0.1:8000", "localhost:8000"]
    assert settings(port=9123).allowed_host_list == ["127.0.0.1:9123", "localhost:9123"]
    assert settings(host="0.0.0.0", port=80).allowed_host_list == ["127.0.0.1:80", "localhost:80"]
    assert settings(host="10.1.2.3", port=8080).allowed_host_list == ["10.1.2.3:8080"]
    assert settings(host="::1").allowed_host_list == ["[::1]:8000"]
    assert settings().mail_url == "http://127.0.0.1:8000"


def test_mail_links_come_from_settings_only() -> None:
    assert settings(allowed_hosts="kaart.gemeente.nl, 127.0.0.1:8000").mail_url == \
        "http://kaart.gemeente.nl"
    assert settings(public_url="https://kaart.gemeente.nl/",
                    allowed_hosts="intern.example").mail_url == "https://kaart.gemeente.nl"


def test_an_entry_without_port_allows_every_port() -> None:
    allowed = AllowedHosts(["kaart.gemeente.nl", "127.0.0.1:8000", "[::1]:8000", "Testserver"])
    for host, scheme in [("kaart.gemeente.nl", "https"), ("KAART.gemeente.nl:8443", "http"),
                         ("kaart.gemeente.nl.", "http"), ("127.0.0.1:8000", "http"),
                         ("[::1]:8000", "http"), ("testserver", "http")]:
        assert allowed.allows(host, scheme), host
    for host, scheme in [("evil.example", "http"), ("127.0.0.1:8001", "http"),
                         ("127.0.0.1", "http"), ("kaart.gemeente.nl.evil.example", "https"),
                         ("evil.example@kaart.gemeente.nl", "http"), ("", "http"),
                         ("kaart.gemeente.nl:abc", "http"), ("[::1]:9", "http")]:
        assert not allowed.allows(host, scheme), host


def test_a_host_without_port_has_the_port_of_its_scheme() -> None:
    allowed = AllowedHosts(["kaart.gemeente.nl:443"])
    assert allowed.allows("kaart.gemeente.nl", "https")
    assert not allowed.allows("kaart.gemeente.nl", "http")


def test_split_host() -> None:
    assert split_host("Example.NL:8080") == ("example.nl", 8080)
    assert split_host("[2001:db8::1]") == ("[2001:db8::1]", None)
    assert split_host("a:b:c") is None and split_host("x:70000") is None
    assert split_host("[::1]x") is None


@pytest.mark.parametrize(("name", "value", "needle"), [
    ("allowed_hosts", "https://kaart.gemeente.nl", "geen hostnaam"),
    ("allowed_hosts", "*", "geen hostnaam"),
    ("trusted_proxies", "10.0.0.1, proxy.example", "geen IP-adres"),
])
def test_nonsense_settings_are_refused_clearly(name: str, value: str, needle: str) -> None:
    with pytest.raises(ValidationError, match=needle):
        settings(**{name: value})


def test_trusted_proxies_take_ips_and_networks() -> None:
    assert settings(trusted_proxies="10.0.0.5, 192.168.0.0/16, ::1").trusted_proxy_list == [
        "10.0.0.5", "192.168.0.0/16", "::1"]
    assert settings().trusted_proxy_list == []
