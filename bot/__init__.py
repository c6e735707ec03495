"""newsdesk on Discord: slash commands and team-channel Q&A in front of the engine (`index`)."""
