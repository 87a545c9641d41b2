"""Demo organisations and their people, for `manage.py seed_demo`.

The names are invented but follow the province's real product landscape
(rice, palm sugar, fish sauce and dried fish, silk and brocade, fruit) and
its communes after the 2025 merger.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Commune, Membership, Organisation, Sector
from .services import membership_add, organisation_onboard, province_staff_group_ensure


@dataclass(frozen=True)
class DemoOrganisation:
    slug: str
    kind: str
    legal_name: str
    trading_name: str
    tax_code: str
    commune: str
    sector: str
    employees: int
    annual_revenue: int
    founded_year: int
    contact_name: str
    phone: str
    address: str


K = Organisation.Kind
DEMO_ORGANISATIONS: tuple[DemoOrganisation, ...] = (
    DemoOrganisation(
        "hung-phat",
        K.COOPERATIVE,
        "Hợp tác xã Nông nghiệp Hưng Phát Thoại Sơn",
        "HTX Hưng Phát",
        "1601234561",
        "Thoại Sơn",
        Sector.RICE,
        34,
        18_500_000_000,
        2012,
        "Nguyễn Văn Hưng",
        "0296 3871 234",
        "Ấp Bắc Sơn",
    ),
    DemoOrganisation(
        "gao-tri-ton",
        K.ENTERPRISE,
        "Công ty TNHH Gạo Thơm Tri Tôn",
        "Gạo Thơm Tri Tôn",
        "1601234562",
        "Tri Tôn",
        Sector.RICE,
        86,
        96_000_000_000,
        2008,
        "Trần Thị Mỹ Linh",
        "0296 3874 556",
        "Quốc lộ N1, khóm 3",
    ),
    DemoOrganisation(
        "thot-not-bay-nui",
        K.COOPERATIVE,
        "Hợp tác xã Đường thốt nốt Bảy Núi",
        "Thốt Nốt Bảy Núi",
        "1601234563",
        "Tịnh Biên",
        Sector.FOOD_PROCESSING,
        18,
        4_200_000_000,
        2016,
        "Chau Sóc Khên",
        "0296 3765 112",
        "Khóm Xuân Hòa",
    ),
    DemoOrganisation(
        "co-to-sugar",
        K.HOUSEHOLD,
        "Hộ kinh doanh Đường thốt nốt Cô Tô Út Hiền",
        "Thốt Nốt Út Hiền",
        "1601234564",
        "Cô Tô",
        Sector.FOOD_PROCESSING,
        4,
        900_000_000,
        2019,
        "Néang Sóc Hiền",
        "0918 223 447",
        "Ấp Tô Trung",
    ),
    DemoOrganisation(
        "nuoc-mam-ham-ninh",
        K.ENTERPRISE,
        "Công ty Cổ phần Nước mắm Hàm Ninh Phú Quốc",
        "Nước mắm Hàm Ninh",
        "1701234565",
        "Phú Quốc",
        Sector.FOOD_PROCESSING,
        62,
        41_000_000_000,
        2004,
        "Lê Quang Thịnh",
        "0297 3846 909",
        "Tổ 4, Hàm Ninh",
    ),
    DemoOrganisation(
        "mam-chau-doc",
        K.HOUSEHOLD,
        "Hộ kinh doanh Mắm Châu Đốc Bà Năm",
        "Mắm Bà Năm Châu Đốc",
        "1601234566",
        "Châu Đốc",
        Sector.FOOD_PROCESSING,
        9,
        2_600_000_000,
        1998,
        "Phạm Thị Năm",
        "0296 3866 321",
        "Đường Trưng Nữ Vương",
    ),
    DemoOrganisation(
        "kho-ca-vinh-te",
        K.HOUSEHOLD,
        "Hộ kinh doanh Khô cá tra phồng Vĩnh Tế",
        "Khô Cá Vĩnh Tế",
        "1601234567",
        "Vĩnh Tế",
        Sector.AQUACULTURE,
        7,
        1_800_000_000,
        2010,
        "Võ Minh Tâm",
        "0939 114 552",
        "Khóm Vĩnh Tây 2",
    ),
    DemoOrganisation(
        "tho-cam-van-giao",
        K.COOPERATIVE,
        "Hợp tác xã Dệt thổ cẩm Văn Giáo",
        "Thổ cẩm Văn Giáo",
        "1601234568",
        "An Cư",
        Sector.HANDICRAFT,
        25,
        1_200_000_000,
        2015,
        "Néang Sa Ry",
        "0296 3760 883",
        "Ấp Srây Skôth",
    ),
    DemoOrganisation(
        "lua-tan-chau",
        K.HOUSEHOLD,
        "Hộ kinh doanh Lụa Lãnh Mỹ A Tân Châu",
        "Lụa Tân Châu",
        "1601234569",
        "Tân Châu",
        Sector.HANDICRAFT,
        12,
        3_400_000_000,
        1986,
        "Huỳnh Thị Mỹ",
        "0296 3822 015",
        "Đường Nguyễn Văn Linh",
    ),
    DemoOrganisation(
        "trai-cay-cho-moi",
        K.COOPERATIVE,
        "Hợp tác xã Trái cây Chợ Mới",
        "Trái Cây Chợ Mới",
        "1601234570",
        "Chợ Mới",
        Sector.FRUIT,
        41,
        12_700_000_000,
        2013,
        "Đặng Văn Lộc",
        "0296 3883 747",
        "Ấp Long Bình",
    ),
    DemoOrganisation(
        "sau-rieng-nui-cam",
        K.ENTERPRISE,
        "Công ty TNHH Nông sản Núi Cấm",
        "Nông sản Núi Cấm",
        "1601234571-001",
        "Núi Cấm",
        Sector.FRUIT,
        23,
        8_900_000_000,
        2018,
        "Lý Thanh Sơn",
        "0296 3912 668",
        "Ấp Vồ Đầu",
    ),
    DemoOrganisation(
        "tom-lua-u-minh",
        K.COOPERATIVE,
        "Hợp tác xã Tôm lúa U Minh Thượng",
        "Tôm Lúa U Minh",
        "1701234572",
        "U Minh Thượng",
        Sector.RICE,
        56,
        22_000_000_000,
        2017,
        "Trương Văn Thảo",
        "0297 3985 240",
        "Ấp Minh Hòa",
    ),
)

# Four more small rice cooperatives, so that the assessment's peer comparison
# (shown from 5 organisations of the same sector and size class) appears in
# the demo for HTX Hưng Phát. They have owners but no brand content.
ASSESSMENT_PEERS: tuple[DemoOrganisation, ...] = tuple(
    DemoOrganisation(
        slug,
        K.COOPERATIVE,
        legal,
        trading,
        tax,
        commune,
        Sector.RICE,
        employees,
        revenue,
        founded,
        contact,
        phone,
        address,
    )
    for slug, legal, trading, tax, commune, employees, revenue, founded, contact, phone, address in (  # noqa: E501 - one name per column
        (
            "lua-vinh-hau",
            "Hợp tác xã Lúa gạo Vĩnh Hậu",
            "HTX Lúa Vĩnh Hậu",
            "1601234581",
            "Vĩnh Hậu",
            28,
            9_500_000_000,
            2014,
            "Phan Văn Lộc",
            "0296 3820 101",
            "Ấp Vĩnh Thạnh",
        ),
        (
            "lua-my-hoa-hung",
            "Hợp tác xã Nông nghiệp Mỹ Hòa Hưng",
            "HTX Mỹ Hòa Hưng",
            "1601234582",
            "Mỹ Hòa Hưng",
            19,
            6_200_000_000,
            2016,
            "Huỳnh Thị Ngọc",
            "0296 3820 202",
            "Ấp Mỹ An",
        ),
        (
            "lua-nhon-hoi",
            "Hợp tác xã Lúa giống Nhơn Hội",
            "HTX Lúa giống Nhơn Hội",
            "1601234583",
            "Nhơn Hội",
            44,
            15_000_000_000,
            2011,
            "Võ Minh Tâm",
            "0296 3820 303",
            "Ấp Bình Di",
        ),
        (
            "lua-khanh-binh",
            "Hợp tác xã Gạo sạch Khánh Bình",
            "HTX Gạo sạch Khánh Bình",
            "1601234584",
            "Khánh Bình",
            31,
            11_800_000_000,
            2019,
            "Đặng Văn Phúc",
            "0296 3820 404",
            "Ấp Khánh Hòa",
        ),
    )
)

STAFF_EMAIL = "canbo.tinh@an-giang.example"
SUPERUSER_EMAIL = "admin@an-giang.example"


def owner_email(slug: str) -> str:
    return f"chu.{slug}@an-giang.example"


def editor_email(slug: str) -> str:
    return f"bientap.{slug}@an-giang.example"


def seed_organisations(*, ensure_user) -> list[tuple[str, str, str]]:
    """Create the demo organisations, one owner each, staff and a superuser.

    ``ensure_user(email, **fields)`` returns the user with its demo password;
    it is passed in so passwords are handled in one place (the command).
    Returns (role, email, organisation) rows for printing.
    """
    rows: list[tuple[str, str, str]] = []
    staff_group = province_staff_group_ensure()
    superuser = ensure_user(
        SUPERUSER_EMAIL, first_name="Quản trị", is_staff=True, is_superuser=True
    )
    rows.append(("superuser", superuser.email, "-"))
    staff = ensure_user(STAFF_EMAIL, first_name="Cán bộ", last_name="Sở Công Thương")
    staff.groups.add(staff_group)
    rows.append(("province_staff", staff.email, "-"))

    for demo in (*DEMO_ORGANISATIONS, *ASSESSMENT_PEERS):
        organisation = Organisation.objects.filter(tax_code=demo.tax_code).first()
        if organisation is None:
            organisation = Organisation(tax_code=demo.tax_code)
        organisation.kind = demo.kind
        organisation.legal_name = demo.legal_name
        organisation.trading_name = demo.trading_name
        organisation.commune = Commune.objects.get(name=demo.commune)
        organisation.sector = demo.sector
        organisation.employees = demo.employees
        organisation.annual_revenue = demo.annual_revenue
        organisation.founded_year = demo.founded_year
        organisation.contact_name = demo.contact_name
        organisation.phone = demo.phone
        organisation.address = demo.address
        organisation.email = owner_email(demo.slug)
        if organisation._state.adding or _changed(organisation):
            organisation.full_clean()
            organisation.save()
        organisation_onboard(organisation=organisation)
        first, *rest = demo.contact_name.split(" ")[::-1]
        owner = ensure_user(
            owner_email(demo.slug), first_name=first, last_name=" ".join(reversed(rest))
        )
        membership_add(
            organisation=organisation, user=owner, role=Membership.Role.OWNER
        )
        rows.append(("owner", owner.email, organisation.display_name))
    # One editor (not owner) for the first two organisations, so moderation
    # and cross-brand isolation can be tried with the demo data.
    for demo in DEMO_ORGANISATIONS[:2]:
        organisation = Organisation.objects.get(tax_code=demo.tax_code)
        editor = ensure_user(editor_email(demo.slug), first_name="Biên tập")
        membership_add(
            organisation=organisation, user=editor, role=Membership.Role.EDITOR
        )
        rows.append(("editor", editor.email, organisation.display_name))
    return rows


def _changed(organisation: Organisation) -> bool:
    stored = Organisation.objects.get(pk=organisation.pk)
    fields = (
        "kind",
        "legal_name",
        "trading_name",
        "commune_id",
        "sector",
        "employees",
        "annual_revenue",
        "founded_year",
        "contact_name",
        "phone",
        "address",
        "email",
    )
    return any(getattr(stored, f) != getattr(organisation, f) for f in fields)
