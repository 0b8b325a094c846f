"""Names shared by the demo data of several apps."""

# The fictitious company whose member is a demo account (programme.demo creates it,
# observatory.demo gives it an entry in the generated register).
DEMO_COMPANY_SLUG = "demo-atelier-pixel"
