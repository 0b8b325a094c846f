"""The firm's case file: everything the platform knows of a firm, for the contract's partners,
with their internal notes and follow-up reminders. It reads every app; nothing imports it."""
