"""Development tools, kept apart from the platform: never shipped, never imported by it.

`make run`'s launcher (`runplatform`), the embedded PostgreSQL / Valkey / SeaweedFS starters
(`embedded`, also used by the test suite), the local e-mail and WhatsApp catcher
(`devcatcher`), the demo staff (`demo`, `manage.py load_demo`) and the development signing PKI
(`manage.py letters_dev_ca`). Only `sipentol.settings.dev` installs this app; the production
wheel leaves the package out and its servers come from the `devservers` extra.
"""
