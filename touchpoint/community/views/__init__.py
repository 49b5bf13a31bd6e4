"""Community views, by area: browsing and posting, one post, moderation."""
