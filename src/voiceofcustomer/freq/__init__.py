"""freq stage."""
