"""Dutch number formatting on the pages."""

from datetime import UTC, datetime

from app.api.site.getallen import datumtijd, euro, getal, meter, procent


def test_dutch_numbers() -> None:
    assert getal(1234.5, 1) == "1.234,5"
    assert getal(1234567) == "1.234.567"
    assert getal(0.25, 2) == "0,25"
    assert getal(None) == "–"
    assert procent(0.873) == "87 %"
    assert procent(1.0) == "100 %"
    assert procent(0.0126, 1) == "1,3 %"
    assert procent(None) == "–"
    assert meter(1142.366) == "1.142 m"
    assert euro(1769.07) == "€ 1.769"
    assert datumtijd(datetime(2026, 11, 23, 21, 15, tzinfo=UTC)) == "23-11-2026 22:15"
    assert datumtijd(datetime(2026, 7, 1, 8, 0, tzinfo=UTC)) == "01-07-2026 10:00"
