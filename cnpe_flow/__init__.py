"""cnpe-flow: health-insurance rights around detention and release."""

__version__ = "0.1.0"
