"""Filière's algorithms, in pure Python: no Django import is allowed here.

Django apps translate ORM rows into the dataclasses of this package (in their
``adapters.py``), call it, and store the result.
"""
