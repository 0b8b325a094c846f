"""Writes of the directory, one module per topic: the SIRENE import (register), members'
profiles (profiles), labels requested and granted (labels). Each write that a person makes
checks its rule first (``directory.access``)."""
