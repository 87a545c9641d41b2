"""Payments: the Stripe gateway (the only importer of ``stripe``) and webhooks."""
