"""The accounts app's writes: personal data (GDPR) and organisations' teams."""
