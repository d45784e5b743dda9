"""Models of the activities area."""
