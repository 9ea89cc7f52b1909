"""Symbols for the categories: simple white shapes on the category colour (viewBox 24x24).

The page embeds them once as an SVG sprite; the legend and the map markers `<use>` them.
A category whose icoon is not here shows the first letter of its name instead."""

from __future__ import annotations

from markupsafe import Markup

_LIJN = 'fill="none" stroke="#fff" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"'

ICONEN: dict[str, str] = {
    "zorg": '<path fill="#fff" d="M9.5 4h5v5.5H20v5h-5.5V20h-5v-5.5H4v-5h5.5z"/>',
    "onderwijs": (f'<path {_LIJN} d="M3 6c3-1.3 6-1.3 9 .7 3-2 6-2 9-.7v12c-3-1.3-6-1.3-9 .7'
                  f'-3-2-6-2-9-.7zM12 6.7v12"/>'),
    "ontmoeting": ('<g fill="#fff"><circle cx="8" cy="8" r="3"/><circle cx="16" cy="8" r="3"/>'
                   '<path d="M2 20c0-4 2.7-6 6-6s6 2 6 6zM10 20c0-4 2.7-6 6-6s6 2 6 6z"/></g>'),
    "sport": (f'<circle cx="12" cy="12" r="8" {_LIJN}/>'
              f'<path {_LIJN} d="M4 12h16M12 4c3 2.5 3 13.5 0 16M12 4c-3 2.5-3 13.5 0 16"/>'),
    "spelen": f'<path {_LIJN} d="M3 4h18M7 4v10M17 4v10M5 14h4M15 14h4M7 14l-3 6M17 14l3 6"/>',
    "winkels": (f'<path fill="#fff" d="M5 8h14l-1.2 12H6.2z"/>'
                f'<path {_LIJN} d="M9 8V6.5a3 3 0 0 1 6 0V8"/>'),
    "ov": (f'<rect x="5" y="3" width="14" height="14" rx="2" {_LIJN}/>'
           f'<path {_LIJN} d="M5 11h14M8 17v3M16 17v3"/>'
           '<circle cx="8.5" cy="14" r="1" fill="#fff"/>'
           '<circle cx="15.5" cy="14" r="1" fill="#fff"/>'),
    "groen": '<path fill="#fff" d="M12 2 5 13h4l-3 5h12l-3-5h4zM11 18h2v4h-2z"/>',
    "cultuur": (f'<path {_LIJN} d="M9 17V5l10-2v12"/>'
                f'<circle cx="6.5" cy="17" r="2.5" fill="#fff"/>'
                f'<circle cx="16.5" cy="15" r="2.5" fill="#fff"/>'),
    "initiatief": ('<path fill="#fff" d="M12 21s-8-5-8-11a4.5 4.5 0 0 1 8-2.8A4.5 4.5 0 0 1 20 10'
                   'c0 6-8 11-8 11z"/>'),
}


def symbool(icoon: str) -> str | None:
    """The sprite id for an icoon name, or None when we have no symbol for it."""
    return icoon if icoon in ICONEN else None


def icoon(icoon: str, naam: str, kleur: str) -> Markup:
    """A coloured round badge with the category's symbol (or first letter), for lists."""
    pad = ICONEN.get(icoon)
    binnen = (f'<g transform="translate(3.6 3.6) scale(0.7)">{pad}</g>' if pad else
              '<text x="12" y="12" dy="0.35em" text-anchor="middle" fill="#fff" '
              f'font-size="13" font-weight="bold">{Markup.escape(naam[:1].upper())}</text>')
    # The colour as an SVG fill, not a style attribute: the Content-Security-Policy forbids those.
    return Markup('<svg class="vz-icoon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">'
                  f'<circle cx="12" cy="12" r="12" fill="{Markup.escape(kleur)}"/>{binnen}</svg>')


def sprite() -> Markup:
    """All symbols as one hidden inline SVG, to be included once per page."""
    symbols = "".join(f'<symbol id="icoon-{naam}" viewBox="0 0 24 24">{pad}</symbol>'
                      for naam, pad in ICONEN.items())
    return Markup('<svg xmlns="http://www.w3.org/2000/svg" class="icoon-sprite" '
                  f'aria-hidden="true" focusable="false">{symbols}</svg>')
