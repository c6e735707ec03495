"""newsdesk engine: parse, chunk, embed, store, retrieve, quote and attribute news documents."""
