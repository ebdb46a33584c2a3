"""Tenancy, places, accounts and the audit log: what every other app stands on.

Every tenant-owned model has a ``local_authority`` foreign key and a scoped manager
(:func:`tenant_manager`): a query outside ``scope(local_authority=...)`` raises instead of leaking
another tenant's rows. ``tests/core/test_scoped_managers.py`` fails for a model that forgets it.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from knotenpunkt.core.colours import validate_brand_colour

ModelT = TypeVar("ModelT", bound=models.Model)

if TYPE_CHECKING:

    class TenantManager(models.Manager[ModelT]):
        """What the type checker sees of django-scopes' manager (which ships no type hints)."""

        def with_scopes_disabled(self) -> TenantManager[ModelT]: ...

else:

    class TenantManager(type(ScopedManager(local_authority="local_authority"))):
        """django-scopes' manager, as a class with a name of its own for the type checker."""


def tenant_fk() -> models.ForeignKey[LocalAuthority, LocalAuthority]:
    """The ``local_authority`` field of every tenant-owned model (no reverse accessor)."""
    return models.ForeignKey(
        "core.LocalAuthority",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("tenant"),
    )


def tenant_manager() -> Any:
    """The default manager of every tenant-owned model: scoped by ``local_authority``."""
    return TenantManager()


class LocalAuthority(models.Model):
    """The tenant: a Landkreis, kreisfreie Stadt or Region that runs prevention networks."""

    class Kind(models.TextChoices):
        LANDKREIS = "landkreis", _("County (Landkreis)")
        KREISFREIE_STADT = "kreisfreie_stadt", _("County-free city (kreisfreie Stadt)")
        REGION = "region", _("Region")
        KREISANGEHOERIGE_STADT = "stadt", _("Town within a county")

    slug = models.SlugField(_("short name in web addresses"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # The coordination office (Koordinierungsstelle) that families and partners can contact.
    office_name = models.CharField(_("coordination office"), max_length=200, blank=True)
    office_email = models.EmailField(_("office e-mail"), blank=True)
    office_phone = models.CharField(_("office phone"), max_length=50, blank=True)
    office_address = models.TextField(_("office address"), blank=True)
    # Branding of the public guide (Familienwegweiser).
    guide_name = models.CharField(_("name of the public guide"), max_length=200, blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    brand_colour = models.CharField(
        _("brand colour"),
        max_length=7,
        default="#1d5c8f",
        validators=[
            RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour like #1d5c8f.")),
            validate_brand_colour,
        ],
        help_text=_("Used for headings and buttons; must keep white text readable (WCAG AA)."),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    is_synthetic = models.BooleanField(_("synthetic data"), default=False, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("local authority")
        verbose_name_plural = _("local authorities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def public_guide_name(self) -> str:
        return self.guide_name or _("Family guide %(name)s") % {"name": self.name}


class Area(models.Model):
    """A place inside a tenant, as a tree: Region → Kommune → Ortsteil, Landkreis → Gemeinde."""

    class Kind(models.TextChoices):
        COUNTY = "county", _("County")
        CITY = "city", _("City")
        REGION = "region", _("Region")
        MUNICIPALITY = "municipality", _("Municipality")
        TOWN = "town", _("Town")
        VILLAGE = "village", _("Village")
        DISTRICT = "district", _("District (Ortsteil/Stadtteil)")
        SOCIAL_SPACE = "social_space", _("Social space (Sozialraum)")

    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, related_name="areas", verbose_name=_("tenant")
    )
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # RESTRICT: an area with sub-areas cannot be deleted alone, but deleting the tenant
    # removes the whole tree at once.
    parent = models.ForeignKey(
        "self",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    official_key = models.CharField(
        _("official municipality key (AGS)"), max_length=12, blank=True, db_index=True
    )
    is_central_place = models.BooleanField(
        _("central town"),
        default=False,
        help_text=_("A town where offices and most services are (Mittel- or Grundzentrum)."),
    )
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )

    objects: ClassVar[TenantManager[Area]] = tenant_manager()

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "parent", "name"], name="area_unique_name_per_parent"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(latitude__isnull=True, longitude__isnull=True)
                    | models.Q(
                        latitude__gte=-90,
                        latitude__lte=90,
                        longitude__gte=-180,
                        longitude__lte=180,
                    )
                ),
                name="area_centre_complete_and_valid",
            ),
        ]
        indexes = [models.Index(fields=["local_authority", "parent"])]

    def __str__(self) -> str:
        return self.name

    @property
    def has_centre(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class Indicator(models.TextChoices):
    """Yearly figures per area that coverage and reports divide by."""

    POPULATION = "population", _("Population")
    CHILDREN_0_3 = "children_0_3", _("Children aged 0 to under 3")
    CHILDREN_3_6 = "children_3_6", _("Children aged 3 to under 6")
    CHILDREN_6_10 = "children_6_10", _("Children aged 6 to under 10")
    CHILDREN_10_18 = "children_10_18", _("Young people aged 10 to under 18")
    YOUNG_ADULTS_18_27 = "young_adults_18_27", _("Young adults aged 18 to under 27")
    BIRTHS = "births", _("Births")
    SINGLE_PARENTS_SGB2 = "single_parents_sgb2", _("Single-parent households on SGB II")
    HOUSEHOLDS_SGB2_WITH_CHILDREN = (
        "households_sgb2_children",
        _("Households with children on SGB II"),
    )


class AreaFigure(models.Model):
    """One yearly figure for an area (population, children by age band …) with its source."""

    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, related_name="+", verbose_name=_("tenant")
    )
    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, related_name="figures", verbose_name=_("area")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    indicator = models.CharField(_("indicator"), max_length=40, choices=Indicator.choices)
    value = models.PositiveIntegerField(_("value"))
    source = models.CharField(_("source"), max_length=300)

    objects: ClassVar[TenantManager[AreaFigure]] = tenant_manager()

    class Meta:
        verbose_name = _("area figure")
        verbose_name_plural = _("area figures")
        ordering = ["area__name", "-year", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "year", "indicator"], name="figure_unique_per_area_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.year} {self.get_indicator_display()}: {self.value}"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("A user needs an e-mail address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in: by e-mail address. Roles per tenant live in :class:`Role`.

    ``is_superuser`` makes the instance admin, who manages tenants; staff status alone gives no
    access to any tenant's data.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("name"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("may use the admin site"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Role(models.Model):
    """What a user may do in one tenant. A user may hold several roles in several tenants."""

    class Kind(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        PARTNER = "partner", _("Network partner")
        STEERING = "steering", _("Steering group")
        VOLUNTEER = "volunteer", _("Volunteer")

    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, related_name="roles", verbose_name=_("tenant")
    )
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="roles", verbose_name=_("user")
    )
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("role"), max_length=20, choices=Kind.choices)
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)

    objects: ClassVar[TenantManager[Role]] = tenant_manager()

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["local_authority__name", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "user", "kind"], name="role_unique_per_user_tenant"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_kind_display()} ({self.local_authority})"


class AuditEntry(models.Model):
    """One write: who did what to which object, and which fields changed from what to what.

    ``local_authority`` is empty for instance-wide objects (tenants, users), which only the
    instance admin sees.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")
        IMPORT = "import", _("imported")

    local_authority = models.ForeignKey(
        LocalAuthority,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tenant"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    # Kept when the user is erased, so that the log still reads sensibly.
    actor_label = models.CharField(_("who (as shown)"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    object_label = models.CharField(_("object"), max_length=300)
    changes = models.JSONField(_("changed fields"), default=dict, blank=True)

    objects: ClassVar[TenantManager[AuditEntry]] = tenant_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["local_authority", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_label}"

    @property
    def object_type_name(self) -> str:
        """The object's kind in the reader's language ("Gebiet"), or its label if unknown."""
        try:
            model = apps.get_model(self.object_type)
        except (LookupError, ValueError):
            return self.object_type
        return str(capfirst(model._meta.verbose_name))


class LifePhase(models.Model):
    """A phase of the life course or a transition between two (the prevention chain's stations).

    One fixed vocabulary for all tenants, created by a data migration: offers, bodies, needs and
    coverage all speak of the same phases. Ages are in months, from pregnancy (-9) upwards; the
    upper bound is exclusive.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    min_months = models.SmallIntegerField(_("from month of age"))
    max_months = models.SmallIntegerField(_("up to month of age (exclusive)"))
    is_transition = models.BooleanField(_("transition"), default=False)
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        verbose_name = _("life phase")
        verbose_name_plural = _("life phases")
        ordering = ["position"]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        return str(LIFE_PHASE_LABELS.get(self.code, self.code))


#: The shipped life phases: code, months from, months to, transition?, label.
LIFE_PHASES: list[tuple[str, int, int, bool]] = [
    ("pregnancy", -9, 0, False),
    ("birth", -2, 3, True),
    ("age_0_1", 0, 12, False),
    ("age_1_3", 12, 36, False),
    ("kita_entry", 10, 40, True),
    ("age_3_6", 36, 72, False),
    ("kita_school", 66, 80, True),
    ("age_6_10", 72, 120, False),
    ("primary_secondary", 114, 128, True),
    ("age_10_14", 120, 168, False),
    ("age_14_18", 168, 216, False),
    ("school_work", 180, 240, True),
    ("age_18_27", 216, 324, False),
]
LIFE_PHASE_LABELS = {
    "pregnancy": _("Pregnancy"),
    "birth": _("Birth and the first weeks"),
    "age_0_1": _("0 to 1 year"),
    "age_1_3": _("1 to 3 years"),
    "kita_entry": _("Transition: starting day care (Kita)"),
    "age_3_6": _("3 to 6 years"),
    "kita_school": _("Transition: Kita to primary school"),
    "age_6_10": _("6 to 10 years"),
    "primary_secondary": _("Transition: primary to secondary school"),
    "age_10_14": _("10 to 14 years"),
    "age_14_18": _("14 to 18 years"),
    "school_work": _("Transition: school to training and work"),
    "age_18_27": _("18 to 27 years"),
}
