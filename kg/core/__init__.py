"""Core: settings, the exception hierarchy, identity, pure data models and the ports."""
