"""`python -m app` is the same as `kaart`."""

from app.cli import main

main()
