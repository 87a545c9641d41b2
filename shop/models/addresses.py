"""The shipping address an order (and a saved address) holds.

In Vietnam: province and commune, official names from ``shop.addresses``
(checked by the checkout form), and the street. Abroad: free-form lines,
city, region and postal code, as each country writes them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import CountryField

from shop.addresses import HOME_COUNTRY


class PostalAddress(models.Model):
    country = CountryField(_("country"), default=HOME_COUNTRY)
    # In Vietnam only (blank abroad).
    province = models.CharField(_("province"), max_length=60, blank=True)
    commune = models.CharField(_("commune / ward"), max_length=120, blank=True)
    street = models.CharField(_("street address"), max_length=255)
    address_line2 = models.CharField(_("address line 2"), max_length=255, blank=True)
    # Abroad only (blank in Vietnam).
    city = models.CharField(_("city / town"), max_length=120, blank=True)
    region = models.CharField(_("state / region"), max_length=120, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)

    class Meta:
        abstract = True

    @property
    def is_abroad(self) -> bool:
        return self.country != HOME_COUNTRY

    @property
    def address_lines(self) -> list[str]:
        """The address as a courier reads it, one part per item."""
        if not self.is_abroad:
            parts = [self.street, self.address_line2, self.commune, self.province]
        else:
            place = " ".join(p for p in (self.postal_code, self.city) if p)
            parts = [
                self.street,
                self.address_line2,
                place,
                self.region,
                str(countries.name(str(self.country))),
            ]
        return [part for part in parts if part]

    @property
    def address_text(self) -> str:
        return ", ".join(self.address_lines)
