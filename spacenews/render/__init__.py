"""Renderers: pure functions from results to a Rich renderable or a string. They never print."""
