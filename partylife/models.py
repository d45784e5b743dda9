"""Models of the partylife area."""
