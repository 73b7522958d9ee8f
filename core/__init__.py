"""Helpers every app uses and that know no app: dates and durations, CSV writing, downloads and uploads,
form helpers, history admin, Markdown, path converters. Imports nothing from the project."""
