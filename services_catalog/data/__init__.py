"""Content of the regency catalog, kept in the repository and loaded by `catalog_load`."""
