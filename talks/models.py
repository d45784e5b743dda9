"""Models of the talks area."""
