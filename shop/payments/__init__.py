"""Payments: the Stripe gateway (the only importer of ``stripe``), webhooks and
the VietQR payload (pure: no Django, no network)."""
