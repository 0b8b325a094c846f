"""Writes of the innovation pipeline and the aid catalogue, one module per topic: the
workflow's moves, projects, their consortium, reviews, follow-up, saved searches.
Each write checks its rule first (``projects.access``) on the project as stored now."""
