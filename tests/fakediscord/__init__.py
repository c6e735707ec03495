"""A fake Discord (REST API + gateway) on 127.0.0.1 for running the real bot in tests."""

from .server import FakeDiscord, Interaction, Request

__all__ = ["FakeDiscord", "Interaction", "Request"]
