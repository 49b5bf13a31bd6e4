"""Contextual help pages: deep links, staff screens, the widget endpoint, the launcher."""
