"""Models of the ballots area."""
