"""Plans, quotas and usage metering per kecamatan (Diskominfo's view of the platform)."""
