"""Models of the dues area."""
