"""Writes of events, by topic: the event and its slots (``events``), registrations, meeting
requests, the schedule (``scheduling``), the day itself (``day``: arrivals, no-shows and
their replacements), invitations and feedback. Each write checks its rule first (``access``)."""
