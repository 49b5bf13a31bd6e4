"""Communication views, one module per area: the feed, authoring, reach, and campaigns."""
