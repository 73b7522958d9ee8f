"""Models of the project-wide `betatracker` app, each kept in its own module."""

from .throttle import FailedLogin

__all__ = ["FailedLogin"]
