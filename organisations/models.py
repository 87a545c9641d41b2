"""Organisations (cooperatives, enterprises, household businesses) and who belongs to them."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .sizing import SectorGroup, SizeClass, size_class_for
from .validators import validate_tax_code

# Upper bounds stop absurd figures (and integer overflow on PostgreSQL) at the form.
MAX_EMPLOYEES = 1_000_000
MAX_MONEY_VND = 10**16


class Commune(models.Model):
    """A commune-level unit of the province (xa, phuong or dac khu); no districts since 2025."""

    class Kind(models.TextChoices):
        COMMUNE = "commune", _("commune (xã)")
        WARD = "ward", _("ward (phường)")
        SPECIAL_ZONE = "special_zone", _("special zone (đặc khu)")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = _("commune or ward")
        verbose_name_plural = _("communes and wards")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Sector(models.TextChoices):
    RICE = "rice", _("Rice and grains")
    FRUIT = "fruit", _("Fruit and vegetables")
    AQUACULTURE = "aquaculture", _("Fisheries and aquaculture")
    FOOD_PROCESSING = (
        "food_processing",
        _("Food processing (fish sauce, dried fish, palm sugar)"),
    )
    HANDICRAFT = "handicraft", _("Handicrafts, silk and brocade")
    TRADE = "trade", _("Trade and retail")
    SERVICES = "services", _("Services and tourism")


# Decree 80/2021 groups agriculture/fishery with industry for its caps, and
# trade with services.
SECTOR_GROUPS: dict[str, SectorGroup] = {
    Sector.RICE: SectorGroup.PRODUCTION,
    Sector.FRUIT: SectorGroup.PRODUCTION,
    Sector.AQUACULTURE: SectorGroup.PRODUCTION,
    Sector.FOOD_PROCESSING: SectorGroup.PRODUCTION,
    Sector.HANDICRAFT: SectorGroup.PRODUCTION,
    Sector.TRADE: SectorGroup.TRADE_SERVICES,
    Sector.SERVICES: SectorGroup.TRADE_SERVICES,
}


class SizeClassChoices(models.TextChoices):
    MICRO = SizeClass.MICRO.value, _("Micro")
    SMALL = SizeClass.SMALL.value, _("Small")
    MEDIUM = SizeClass.MEDIUM.value, _("Medium")
    LARGE = SizeClass.LARGE.value, _("Large")


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def verified(self) -> OrganisationQuerySet:
        """Organisations province staff have verified: the only ones that count.

        Everything public or statistical (peer averages, the dashboard, open
        data, the shop's sellers, admin access) reads from here, so an
        organisation somebody merely typed in counts nowhere.
        """
        return self.filter(verified_at__isnull=False)


class OrganisationDetails(models.Model):
    """What a firm declares about itself: the organisation and its application.

    Shared so that an application holds exactly the fields, choices and
    validators that approving it copies into the organisation.
    """

    class Kind(models.TextChoices):
        COOPERATIVE = "cooperative", _("Cooperative (hợp tác xã)")
        ENTERPRISE = "enterprise", _("Enterprise (doanh nghiệp)")
        HOUSEHOLD = "household", _("Household business (hộ kinh doanh)")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    legal_name = models.CharField(_("legal name"), max_length=200)
    trading_name = models.CharField(
        _("trading name"),
        max_length=120,
        blank=True,
        help_text=_("The short name buyers know, if different from the legal name."),
    )
    # Unique among verified organisations only (Organisation.Meta): whoever types a
    # tax code first must not lock the real firm out; a second claim becomes
    # a dispute that province staff resolve.
    tax_code = models.CharField(
        _("tax code"),
        max_length=14,
        validators=[validate_tax_code],
        help_text=_("10 digits, or 10 digits-3 digits for a branch."),
    )
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune or ward"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    address = models.CharField(_("street address"), max_length=255, blank=True)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices)
    employees = models.PositiveIntegerField(
        _("employees"),
        validators=[MaxValueValidator(MAX_EMPLOYEES)],
        help_text=_("Annual average of staff covered by social insurance."),
    )
    annual_revenue = models.PositiveBigIntegerField(
        _("annual revenue (VND)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_MONEY_VND)],
    )
    total_capital = models.PositiveBigIntegerField(
        _("total capital (VND)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_MONEY_VND)],
    )

    class Meta:
        abstract = True


class Organisation(OrganisationDetails):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    size_class = models.CharField(
        _("size class"),
        max_length=10,
        choices=SizeClassChoices.choices,
        editable=False,
        help_text=_("Derived from employees, revenue and capital (Decree 80/2021)."),
    )
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    website = models.URLField(_("website"), blank=True)
    founded_year = models.PositiveSmallIntegerField(
        _("year founded"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2100)],
    )
    # Created by onboarding; one group and one collection per organisation.
    group = models.OneToOneField(
        "auth.Group",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="organisation",
    )
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="organisation",
    )
    verified_at = models.DateTimeField(
        _("verified at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When province staff verified the organisation's registration."),
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["legal_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["tax_code"],
                condition=models.Q(verified_at__isnull=False),
                name="organisation_verified_tax_code_unique",
                violation_error_message=_(
                    "A verified organisation already has this tax code."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs) -> None:
        # Derived, not business logic: the stored class must always match the figures.
        if self.sector and self.employees is not None:
            self.size_class = self.derive_size_class().value
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.sector and self.employees is not None:
            self.size_class = self.derive_size_class().value

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def display_name(self) -> str:
        return self.trading_name or self.legal_name

    @property
    def sector_group(self) -> SectorGroup:
        return SECTOR_GROUPS[self.sector]

    def derive_size_class(self) -> SizeClass:
        return size_class_for(
            sector_group=self.sector_group,
            employees=self.employees,
            annual_revenue=self.annual_revenue,
            total_capital=self.total_capital,
        )


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        EDITOR = "editor", _("Editor")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                name="membership_unique_user_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


class Invitation(models.Model):
    """An owner's invitation to a colleague to join as an editor.

    Only the SHA-256 of the emailed token is stored: a database reader cannot
    accept someone else's invitation. Single use and time limited.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("email"))
    role = models.CharField(
        _("role"),
        max_length=10,
        choices=Membership.Role.choices,
        default=Membership.Role.EDITOR,
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    language = models.CharField(_("language"), max_length=10, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"
