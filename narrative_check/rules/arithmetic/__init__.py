"""Arithmetic rules (ARI): each claim's figures against each other."""

from . import ARI001, ARI002, ARI003, ARI004, ARI005, ARI006, ARI007, ARI008, ARI009, ARI010, ARI011, ARI012  # noqa: F401
