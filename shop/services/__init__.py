"""Shop services, one module per concern: orders, payments, refunds,
fulfilment, ledger, jobs and stock. Import from the concern's module.

Rules kept in these modules and nowhere else:
- an order and its number exist before any PaymentIntent (metadata points back);
- only a verified webhook or reconciliation (both reading Stripe's own state)
  marks an order paid, and only if amount and currency match;
- payment status moves forward only, through ``orders.order_set_payment_status``;
- Stripe is never called inside a database transaction.
"""
