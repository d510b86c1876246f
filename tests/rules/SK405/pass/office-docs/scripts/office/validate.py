"""Validate an Office file against the bundled schemas."""
from pathlib import Path

from helpers.merge import merge_runs

SCHEMAS = Path(__file__).parent / "schemas"
MAIN = {"word": "iso/wml.xsd"}
