"""Map colours: a groenvak's status colour never looks like a wijk or dorp outline, also not
for people with deuteranopia or protanopia. Distances are CAM02-UCS ΔE (colorspacious), after
simulating full colour-vision deficiency (Machado et al. 2009)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from colorspacious import cspace_convert, deltaE

from app.api.common import GROENVAK_STATUS_KLEUR
from app.geo.maps import SOORT_KLEUR

VISIONS = ("normaal", "deuteranomaly", "protanomaly")
MIN_STATUS_OUTLINE = 20.0  # well apart: a status never reads as a boundary
MIN_STATUS_STATUS = 15.0  # the four statuses stay apart from each other too


def _rgb(hex_colour: str) -> np.ndarray:
    return np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255


def seen(hex_colour: str, vision: str) -> np.ndarray:
    """The colour as a person with this vision sees it (sRGB, 0..1)."""
    rgb = _rgb(hex_colour)
    if vision == "normaal":
        return rgb
    cvd = {"name": "sRGB1+CVD", "cvd_type": vision, "severity": 100}
    return np.clip(cspace_convert(rgb, cvd, "sRGB1"), 0, 1)


def distance(a: str, b: str, vision: str) -> float:
    return float(deltaE(seen(a, vision), seen(b, vision), input_space="sRGB1"))


@pytest.mark.parametrize("vision", VISIONS)
def test_every_status_is_far_from_every_outline(vision: str) -> None:
    close = {(status, soort): round(distance(kleur, rand, vision), 1)
             for status, kleur in GROENVAK_STATUS_KLEUR.items()
             for soort, rand in SOORT_KLEUR.items()
             if distance(kleur, rand, vision) < MIN_STATUS_OUTLINE}
    assert close == {}


@pytest.mark.parametrize("vision", VISIONS)
def test_statuses_are_apart(vision: str) -> None:
    close = {(a, b): round(distance(GROENVAK_STATUS_KLEUR[a], GROENVAK_STATUS_KLEUR[b], vision), 1)
             for a, b in itertools.combinations(GROENVAK_STATUS_KLEUR, 2)
             if distance(GROENVAK_STATUS_KLEUR[a], GROENVAK_STATUS_KLEUR[b], vision)
             < MIN_STATUS_STATUS}
    assert close == {}


def test_the_old_palette_would_fail() -> None:
    """The check itself bites: green 'beschikbaar' on a green dorp outline is no distance."""
    assert distance("#2e7d32", "#2e7d32", "normaal") < MIN_STATUS_OUTLINE
    assert distance("#2e7d32", "#b35900", "deuteranomaly") < MIN_STATUS_STATUS
