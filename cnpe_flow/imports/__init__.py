"""Roster import: the establishment's lists of entries, releases and transfers (issue 11).

One function, :func:`cnpe_flow.imports.roster.run_import`, behind three doors: the command
line (``cnpe-flow import roster``), the « Importer une liste » page and ``POST /api/v1/imports``.
"""
