"""The shop's Wagtail admin: order parts, stock and payables of one's own
organisations. ``policy`` scopes every row through ``shop.permissions``,
``views`` are Wagtail's generic views on top of it, ``viewsets`` route them
(with public UUIDs in the path) and ``exports`` writes the spreadsheets."""
