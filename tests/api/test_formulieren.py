"""Every POST form in templates/ has a validation test of its own: the test that posts it wrong
(or empty) and checks the answer (all errors at once, the focusable summary, values kept).

A form is named by its template and its action as written there. Adding a POST form without
adding it here, with the name of its test, fails this test; so does naming a test that does not
exist.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from pathlib import Path

from app.config import PROJECT_DIR

TEMPLATES = PROJECT_DIR / "templates"

# form (template + action) -> its test, as "tests/api/<module>.py::<function>"
FORMS: dict[str, str] = {
    "pages/beheer/gaten.html /beheer/gaten":
        "test_gatenzoeker::test_every_field_is_checked_at_once_and_kept",
    "pages/aanvragen.html /zelfbeheer/groenvak/{{ p.groenvak_id }}/aanvragen":
        "test_formulieren_zelfbeheer::test_aanvraag_shows_every_error_at_once_and_keeps_the_tick",
    "pages/mijn_groen.html /mijn-groen/adopties/{{ a.adoptie_id }}/onderhoud":
        "test_formulieren_zelfbeheer::"
        "test_onderhoud_with_a_wrong_photo_keeps_the_form_and_names_group_and_file",
    "pages/mijn_groen.html /mijn-groen/adopties/{{ a.adoptie_id }}/beeindigen":
        "test_zelfbeheer_acties::test_refused_action_shows_the_reason",
    "pages/account/registreren.html /registreren":
        "test_formulieren_account::test_register_empty_says_every_field_and_keeps_the_rest",
    "pages/account/inloggen.html /inloggen":
        "test_formulieren_account::test_login_empty_names_both_fields",
    "pages/account/inloggen.html /account/bevestiging-opnieuw":
        "test_formulieren_account::test_one_address_forms_say_empty_and_wrong_and_keep_it",
    "pages/account/email_formulier.html {{ actie }}":
        "test_formulieren_account::test_one_address_forms_say_empty_and_wrong_and_keep_it",
    "pages/account/wachtwoord_herstellen.html /wachtwoord-herstellen/{{ token }}":
        "test_formulieren_account::test_new_password_form_says_empty_and_short",
    "pages/account/overzicht.html /account/email":
        "test_formulieren_account::test_change_email_checks_address_and_password_together",
    "pages/account/overzicht.html /account/verwijderen":
        "test_formulieren_account::test_delete_account_with_an_empty_password_says_so",
    "pages/account/overzicht.html /uitloggen":
        "test_formulieren_account::test_logout_without_a_valid_form_changes_nothing",
    "pages/bevestigen.html {{ actie }}":
        "test_formulieren_account::"
        "test_a_refused_confirmation_puts_its_reason_in_the_focusable_summary",
    "pages/beheer/aanvragen.html /beheer/aanvragen/besluit":
        "test_beheer_wachtrij::test_bulk_form_says_everything_at_once_and_keeps_the_ticks",
    "pages/beheer/adoptie.html /beheer/adopties/{{ a.id }}/beoordelen":
        "test_beheer::test_reject_needs_a_reason_next_to_its_field",
    "pages/beheer/adoptie.html /beheer/adopties/{{ a.id }}/schouw":
        "test_beheer::test_schouw_ok_and_schouw_that_ends",
    "pages/beheer/adoptie.html /beheer/adopties/{{ a.id }}/beeindigen":
        "test_beheer::test_end_a_running_adoptie",
    "pages/beheer/_groenvak.html /beheer/groenvakken/{{ g.id }}/geschiktheid":
        "test_beheer::test_mark_a_groenvak_suitable_or_not",
    "pages/beheer/categorieen.html /beheer/categorieen":
        "test_beheer_voorzieningen::test_categories_create_warn_edit_and_delete",
    "pages/beheer/categorie.html /beheer/categorieen/{{ c.id }}/verwijderen":
        "test_beheer_voorzieningen::test_categories_create_warn_edit_and_delete",
    "pages/beheer/voorziening.html {{ '/beheer/voorzieningen/%d' % v.id if v else "
    "'/beheer/voorzieningen/nieuw' }}":
        "test_beheer_voorzieningen::test_wrong_fields_get_dutch_messages_and_change_nothing",
    "pages/beheer/voorstel.html /beheer/voorstellen/{{ s.id }}/afwijzen":
        "test_voorstellen::test_reject_needs_a_reason_and_mails_it",
    "pages/voorstellen/nieuw.html /voorstellen/nieuw":
        "test_voorstellen::test_wrong_proposal_gets_messages_next_to_the_fields",
    "pages/beheer/export.html /beheer/export":
        "test_exports::test_page_shows_errors_next_to_fields",
    "partials/import_formulier.html /beheer/import":
        "test_import_page::test_bad_upload_is_refused_next_to_the_field",
    "pages/beheer/categorie.html /beheer/categorieen/{{ c.id }}":
        "test_formulieren_beheer::test_categorie_edit_says_everything_at_once_and_keeps_the_tick",
    "pages/beheer/voorstel.html /beheer/voorstellen/{{ s.id }}/accepteren":
        "test_formulieren_beheer::"
        "test_accepting_a_voorstel_checks_every_field_and_a_decided_one_says_so",
    "pages/beheer/voorziening.html /beheer/voorzieningen/{{ v.id }}/gecontroleerd":
        "test_formulieren_beheer::"
        "test_nu_gecontroleerd_without_a_valid_form_or_right_changes_nothing",
    "pages/beheer/voorziening.html /beheer/voorzieningen/{{ v.id }}/publiceren":
        "test_formulieren_beheer::test_publishing_a_published_one_says_why_and_changes_nothing",
    "pages/beheer/voorziening.html /beheer/voorzieningen/{{ v.id }}/archiveren":
        "test_formulieren_beheer::test_archiving_twice_says_why_once_and_changes_nothing",
    "pages/mijn_groen.html /mijn-groen/deelnames/{{ v.deelname_id }}/beslissen":
        "test_formulieren_groep::test_beslissen_without_a_choice_or_by_a_member_decides_nothing",
    "pages/mijn_groen.html /mijn-groen/adopties/{{ a.adoptie_id }}/intrekken":
        "test_formulieren_groep::test_intrekken_twice_or_by_someone_else_changes_nothing",
    "pages/mijn_groen.html /mijn-groen/adopties/{{ a.adoptie_id }}/verlaten":
        "test_formulieren_groep::test_verlaten_by_the_contact_person_or_twice_changes_nothing",
    "pages/uitnodiging.html /uitnodiging/{{ token }}":
        "test_formulieren_groep::"
        "test_an_invitation_answered_without_a_choice_or_by_staff_stays_open",
    "pages/voorstellen/bijwerken.html /voorzieningen/{{ v.id }}/bijwerken":
        "test_formulieren_voorstellen::"
        "test_bijwerken_says_everything_at_once_and_changes_nothing",
    "pages/voorstellen/correctie.html /voorzieningen/{{ v.id }}/correctie":
        "test_formulieren_voorstellen::"
        "test_correctie_says_everything_at_once_keeps_the_choice_and_stores_nothing",
    "partials/import_taak.html /beheer/import/{{ taak.id }}/bevestigen":
        "test_import_page::test_a_proef_that_cannot_be_confirmed_says_why_and_starts_nothing",
}

def _form_tags(source: str) -> Iterator[str]:
    """Each `<form …>` start tag; a `>` inside {{ … }} or {% … %} does not end it."""
    start = 0
    while (start := source.find("<form", start)) >= 0:
        end = start
        while source[end] != ">":
            if source.startswith(("{{", "{%"), end):
                end = source.index("}}" if source[end + 1] == "{" else "%}", end) + 2
            else:
                end += 1
        yield source[start:end + 1]
        start = end


def post_forms(root: Path = TEMPLATES) -> list[str]:
    """'<template> <action>' of every method=post form under templates/, comments left out."""
    found = []
    for path in sorted(root.rglob("*.html")):
        source = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.S)
        for tag in _form_tags(source):
            if re.search(r'\bmethod="post"', tag, re.I):
                action = re.search(r'\baction="([^"]*)"', tag)
                assert action, f"{path.relative_to(root)}: a POST form without an action"
                found.append(f"{path.relative_to(root).as_posix()} {action.group(1)}")
    return found


def test_the_scan_finds_forms_across_lines_and_with_jinja(tmp_path: Path) -> None:
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "x.html").write_text(
        '{# <form method="post" action="/weg"> #}<form class="a"\n method="post"\n'
        '  action="/x/{{ a.id }}/y" {% if a > 1 %}hidden{% endif %}><form method="get" '
        'action="/z">', encoding="utf-8")
    assert post_forms(tmp_path) == ["pages/x.html /x/{{ a.id }}/y"]


def test_every_post_form_has_a_validation_test_of_its_own() -> None:
    found = post_forms()
    assert len(found) == len(set(found)), "two POST forms with the same template and action"
    zonder = sorted(set(found) - set(FORMS))
    assert not zonder, f"POST forms without a validation test (write one, add to FORMS): {zonder}"
    assert sorted(set(FORMS) - set(found)) == [], "listed forms that no longer exist"
    for form, ref in FORMS.items():
        module_name, _, function = ref.partition("::")
        module = importlib.import_module(f"tests.api.{module_name}")
        assert function.startswith("test_") and callable(getattr(module, function, None)), (
            f"{form}: its test {ref} does not exist")
