"""The document engine: letter HTML in a sandbox, PDF rendering, PAdES signing and validation,
and encryption of signing keys at rest.

The lowest layer with `sipentol.lib`: it imports no app of the platform (import-linter keeps
it so). Adapters take bytes, keys and certificates, never models; `sipentol.letters` maps its
models onto them.
"""
