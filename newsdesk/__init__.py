"""newsdesk: quote-first answers over a news corpus, on the command line and in Discord."""
