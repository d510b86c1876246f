"""skillkit: lint, score and scaffold Agent Skills for AI research."""

__version__ = "0.1.0"
