"""Bulk operations in O(1) model calls: one `run_batch` call → resolve, confirm once, fan out, report.

Import from the submodules (`graph`, `tool`, `config`, …): `billing_agent.graph.state` imports this package's
`state` module, so this file stays free of imports.
"""
