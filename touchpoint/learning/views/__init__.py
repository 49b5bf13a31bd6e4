"""Learning pages, one module per area; each module defines its own `urlpatterns`."""
