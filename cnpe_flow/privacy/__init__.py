"""RGPD: subject access export (art. 15) and the retention purge (art. 5-1-e)."""
