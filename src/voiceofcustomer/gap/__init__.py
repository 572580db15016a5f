"""gap stage."""
