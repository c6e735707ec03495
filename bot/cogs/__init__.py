"""newsdesk cogs, one per job; each module is a discord.py extension with `setup(bot)`."""
