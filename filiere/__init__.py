"""Filière: the platform that runs a regional sector contract."""

# Tasks declared with ``shared_task`` belong to the platform's queue in every process.
from filiere.celery import app as celery_app

__all__ = ["celery_app"]
