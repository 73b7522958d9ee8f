"""Test settings: fast hashing, in-memory mail, no manifest needed for static files."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-insecure-key-0123456789abcdefghijklmnopqrstuvwxyz"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LANGUAGE_CODE = env("TEST_LANGUAGE_CODE", default="fr")
# Tasks run at once, inside the test: no worker.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
SITE_URL = "https://betatracker.example.org"
# The database cache counts (and culls) its table every 100 writes of a process (core/cache.py): never in the middle
# of a test's pinned query counts; tests/core/test_cache.py checks the culling with an instance of its own.
if "OPTIONS" in CACHES["default"]:  # noqa: F405
    CACHES["default"]["OPTIONS"]["CULL_EVERY"] = 10**9  # noqa: F405
