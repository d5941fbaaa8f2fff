"""Subpackages a reader may reach as attributes of ``interessent`` right after ``import
interessent``, loaded on first use like the lazy names: ``interessent.coverage`` is the
:mod:`interessent.coverage` package (the function is :func:`measure_coverage`), never an
``AttributeError``. ``interessent._LAZY`` maps each name here."""

from __future__ import annotations

from . import coverage as coverage

__all__ = ["coverage"]
