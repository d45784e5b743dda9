"""Models of the recruitment area."""
