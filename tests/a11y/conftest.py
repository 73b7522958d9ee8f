"""The shared `browser` fixture lives in tests/conftest.py."""
