"""Choices of the brands app, shared by its models, forms and selectors."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProductCategory(models.TextChoices):
    RICE = "rice", _("Rice and grains")
    FRUIT = "fruit", _("Fruit and vegetables")
    FISH = "fish", _("Fish and seafood")
    FISH_SAUCE = "fish_sauce", _("Fish sauce and fermented fish")
    DRIED = "dried", _("Dried fish and meat")
    PALM_SUGAR = "palm_sugar", _("Palm sugar and sweets")
    BEVERAGE = "beverage", _("Tea and beverages")
    HANDICRAFT = "handicraft", _("Silk, brocade and handicrafts")
    OTHER = "other", _("Other")


class CertificationKind(models.TextChoices):
    OCOP = "ocop", _("OCOP")
    VIETGAP = "vietgap", _("VietGAP")
    GLOBALGAP = "globalgap", _("GlobalG.A.P.")
    ORGANIC = "organic", _("Organic")
    HACCP = "haccp", _("HACCP")
    GI = "gi", _("Geographical indication")
