"""Models of the union area."""
