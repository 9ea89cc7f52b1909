"""Our own JavaScript never turns a string into HTML: no innerHTML and friends, and Leaflet's
tooltips, popups and div icons get DOM nodes (a string there is parsed as HTML)."""

from __future__ import annotations

import re
from pathlib import Path

from app.config import PROJECT_DIR

JS = sorted((PROJECT_DIR / "static" / "js").glob("*.js"))

SINKS = [
    (re.compile(r"\.(inner|outer)HTML\b"), "innerHTML/outerHTML"),
    (re.compile(r"\binsertAdjacentHTML\b"), "insertAdjacentHTML"),
    (re.compile(r"\bdocument\.write(ln)?\s*\("), "document.write"),
    (re.compile(r"\bcreateContextualFragment\b|\bDOMParser\b|\bparseHTML\b"), "HTML parsing"),
    (re.compile(r"\beval\s*\(|\bnew\s+Function\s*\("), "eval"),
    (re.compile(r"\bset(Timeout|Interval)\s*\(\s*[\"'`]"), "string timer"),
    (re.compile(r"\bhtmx\.swap\s*\("), "htmx.swap with a string"),
]
# Leaflet calls whose content argument is HTML when it is a string: only a function or a
# call that builds nodes may follow, never a string literal or a concatenation.
LEAFLET = re.compile(r"\.(bindTooltip|bindPopup|setContent|setTooltipContent|setPopupContent)"
                     r"\s*\(\s*(?P<arg>[^,)]*)")
DIV_ICON_HTML = re.compile(r"\bhtml\s*:\s*(?P<arg>[^,}]*)")
NODE_ARG = re.compile(r"^(function\b|[A-Za-z_$][\w$.]*\s*\()")


def _code(path: Path) -> str:
    """The source without comments (they may mention the forbidden words)."""
    text = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)
    return re.sub(r"(?m)^\s*//.*$|\s//[^\"'\n]*$", "", text)


def problems(code: str) -> list[str]:
    found = [name for pattern, name in SINKS if pattern.search(code)]
    for match in [*LEAFLET.finditer(code), *DIV_ICON_HTML.finditer(code)]:
        arg = match.group("arg").strip()
        if not NODE_ARG.match(arg) or re.search(r"[\"'`+]", arg):
            found.append(f"HTML string in {match.group(0).strip()}")
    return found


def test_every_script_is_checked() -> None:
    names = {p.name for p in JS}
    assert {"zelfbeheer.js", "gebied.js", "kaart.js", "kaartprikker.js", "import.js",
            "kaartbasis.js"} <= names


def test_no_script_turns_data_into_html() -> None:
    found = {p.name: problems(_code(p)) for p in JS}
    assert {name: p for name, p in found.items() if p} == {}


def test_the_check_catches_the_mistakes_it_is_for() -> None:
    bad = {
        'l.bindTooltip(f.properties.naam + " – " + label);': "bindTooltip",
        "l.bindTooltip(naam);": "bindTooltip",
        'layer.bindPopup("<b>" + naam + "</b>");': "bindPopup",
        "el.innerHTML = naam;": "innerHTML",
        'el.insertAdjacentHTML("beforeend", naam);': "insertAdjacentHTML",
        'L.divIcon({ html: "<span>" + c.letter + "</span>" });': "html:",
        "setTimeout('go()', 10);": "string timer",
    }
    for code, what in bad.items():
        assert problems(code), f"not caught: {what}"
    good = ["l.bindTooltip(function () { return document.createTextNode(naam); });",
            "layer.bindTooltip(tooltip(spec.tooltip), { sticky: true });",
            'L.divIcon({ html: badge(c, "vz-icoon"), className: "vz-marker" });',
            'htmx.ajax("GET", url, { target: "#paneel", swap: "innerHTML" });']
    for code in good:
        assert problems(code) == [], code
