"""HTTP, a package per audience: ogc (/v1), site, zelfbeheer, voorstellen, account, beheer,
common."""
