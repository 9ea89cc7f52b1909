"""KAART_BASISKAART chooses the basemap; KAART_BASEMAP_URL alone still works."""

from __future__ import annotations

import json
import re

import pytest
from pydantic import ValidationError

from app.api.common.csp import content_security_policy
from app.config import EIGEN, PDOK_BRT, Settings
from app.geo.maps import BASISKAART_TILES, map_parts

URL = "https://tiles.example/{z}/{x}/{y}.png"


@pytest.mark.parametrize(("values", "expected"), [
    ({}, EIGEN),  # the default: our own basemap where the gemeente has streets
    ({"basiskaart": "eigen"}, EIGEN),
    ({"basiskaart": "PDOK"}, PDOK_BRT),
    ({"basiskaart": "geen"}, ""),
    ({"basiskaart": URL}, URL),
    ({"basemap_url": URL}, URL),  # the older setting, alone
    ({"basemap_url": ""}, ""),
    ({"basiskaart": "eigen", "basemap_url": URL}, EIGEN),  # the new setting wins
])
def test_the_setting_resolves_to_one_basemap(values: dict[str, str], expected: str,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("KAART_BASISKAART", "KAART_BASEMAP_URL"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings(**values)  # type: ignore[arg-type]
    assert settings.basemap_url == expected
    # only with nothing configured does the gemeente's data decide (tests/api/test_basiskaart_keuze)
    assert settings.basiskaart_automatisch == (values == {})


def test_environment_variable_and_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAART_BASISKAART", "geen")
    assert Settings().basemap_url == ""
    monkeypatch.setenv("KAART_BASISKAART", "openstreetmap")
    with pytest.raises(ValidationError, match="KAART_BASISKAART: 'openstreetmap'"):
        Settings()


def test_own_basemap_needs_no_other_origin_and_is_described_as_vector_tiles() -> None:
    policy = content_security_policy(EIGEN)
    assert "img-src 'self' data:;" in policy and "connect-src 'self';" in policy
    html = str(map_parts([], EIGEN, "Bron").html)
    config = json.loads(re.search(r'data-kaart="([^"]*)"', html).group(1)  # type: ignore[union-attr]
                        .replace("&#34;", '"').replace("&quot;", '"'))
    assert config["basemap"]["vector"] == BASISKAART_TILES
    assert "url" not in config["basemap"]


def test_our_own_basemap_credits_the_gemeente_not_kadaster() -> None:
    eigen = Settings(basiskaart="eigen", database_url=None)  # type: ignore[call-arg]
    assert "Kadaster" not in eigen.basemap_attributie
    assert "Kadaster" in Settings(basiskaart="pdok", database_url=None).basemap_attributie  # type: ignore[call-arg]
