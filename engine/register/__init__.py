"""Reading INSEE's SIRENE register in bulk, and statistics over establishments."""
