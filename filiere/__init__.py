"""Filière: the platform that runs a regional sector contract."""
