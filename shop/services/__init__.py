"""Shop services, one module per concern: orders, payments, refunds,
fulfilment, ledger, jobs, stock, bank transfers (transfers, statements), cash
on delivery (cod) and staff review. Import from the concern's module.

Rules kept in these modules and nowhere else:
- an order and its number exist before any PaymentIntent (metadata points back);
- only a verified webhook or reconciliation (both reading Stripe's own state),
  or a signed bank-feed notification or imported statement row naming the
  order's transfer reference, marks an order paid, only if the amount
  matches, and always through ``payments.order_mark_paid``; a cash-on-delivery
  order is paid part by part, only by its brand's members, through ``cod``;
- an order that cannot be settled automatically is flagged through
  ``review.order_flag_review`` only;
- payment status moves forward only, through ``orders.order_set_payment_status``;
- Stripe is never called inside a database transaction.
"""
