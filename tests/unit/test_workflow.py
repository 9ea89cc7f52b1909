"""The adoptie transition table of DOMAIN.md, every allowed and every forbidden move."""

import itertools

import pytest

from app.errors import Conflict, Forbidden
from app.workflow import ALLOWED_TRANSITIONS, STATUSSEN, check_transition

ROLES = ["bewoner", "trekker", "medewerker", "systeem"]


@pytest.mark.parametrize(("current", "target"), list(ALLOWED_TRANSITIONS))
def test_allowed_transitions_pass_for_their_roles(current: str | None, target: str) -> None:
    for role in ALLOWED_TRANSITIONS[(current, target)]:
        check_transition(current, target, {role}, reason="omdat het moet")


@pytest.mark.parametrize(("current", "target"), list(ALLOWED_TRANSITIONS))
def test_allowed_transitions_refuse_other_roles(current: str | None, target: str) -> None:
    for role in set(ROLES) - ALLOWED_TRANSITIONS[(current, target)]:
        with pytest.raises(Forbidden):
            check_transition(current, target, {role}, reason="omdat het moet")


def test_every_other_pair_is_refused() -> None:
    pairs = set(itertools.product([None, *STATUSSEN], STATUSSEN)) - set(ALLOWED_TRANSITIONS)
    assert len(pairs) == 7 * 6 - len(ALLOWED_TRANSITIONS)
    for current, target in pairs:
        with pytest.raises(Conflict):
            check_transition(current, target, set(ROLES), reason="x")


@pytest.mark.parametrize(("current", "target", "role"), [
    ("aangevraagd", "afgewezen", "medewerker"), ("actief", "beeindigd", "trekker")])
def test_rejecting_and_ending_need_a_reason(current: str, target: str, role: str) -> None:
    with pytest.raises(Conflict, match="reden"):
        check_transition(current, target, {role}, reason="  ")
