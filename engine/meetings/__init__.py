"""B2B meeting scheduling: instances, a first-come greedy, the CP-SAT solver, a validator.

The validator (``validator.py``) is written apart from the solver and checks
any schedule against every rule; the solver's output always goes through it.
"""
