"""The back office's one router: the only place that assembles several apps' staff pages (/kantor/).

No models, no views: each app lists its own staff pages in its `staff_urls.py`; who may open
each page is the permission table's (sipentol.accounts.permissions).
"""
