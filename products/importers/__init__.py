"""Importers of portfolio data from outside sources."""
