"""Knowledge graph of Taiwan's occupational competency standards (職能基準)."""

__version__ = "0.1.0"
