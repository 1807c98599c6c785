"""The regency's catalog of PATEN services and each kecamatan's configured services."""
