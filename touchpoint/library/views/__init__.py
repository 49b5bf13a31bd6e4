"""Library views, one module per area: browsing, authoring, and health and readiness."""
