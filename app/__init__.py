"""agentdeck: a full-screen terminal client for Anthropic's Claude Agent API."""

__version__ = "0.1.0"
