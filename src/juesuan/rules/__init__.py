"""Declarative, rounding-aware validation rules."""
