"""Templates for `skillkit new`."""
