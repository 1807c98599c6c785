"""A tenant app that exists only for the upgrade benchmark (tests/bench/test_scale_bench.py).

Its migrations are the "new migration" of an upgrade: 0001 makes a table in every kecamatan
schema, each later one adds a column. Installed only by this package's settings, in the
benchmark's own database; never in the wheel (tests/ is not packaged).
"""
