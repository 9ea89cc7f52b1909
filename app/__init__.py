"""Voorzieningenkaart: zelfbeheer van openbaar groen en een integrale voorzieningenkaart."""

__version__ = "0.1.0"
