"""Demo brands and products (data only), keyed by the organisation slugs of
organisations/demo.py. Names follow the province's real product landscape."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DemoVariant:
    sku: str
    name: str
    name_en: str
    price: int
    weight_grams: int
    compare_at_price: int | None = None


@dataclass(frozen=True)
class DemoProduct:
    slug: str
    title: str
    title_en: str
    category: str
    short: str
    short_en: str
    variants: tuple[DemoVariant, ...]
    ocop_stars: int | None = None
    growing_area_code: str = ""
    net_quantity: str = ""
    shelf_life: str = ""
    shelf_life_en: str = ""


@dataclass(frozen=True)
class DemoBrand:
    slug: str
    tagline: str
    tagline_en: str
    story: str
    story_en: str
    colour: str
    accent: str
    latitude: str
    longitude: str
    products: tuple[DemoProduct, ...]
    certificates: tuple[str, ...] = field(default=())


V, P = DemoVariant, DemoProduct

DEMO_BRANDS: tuple[DemoBrand, ...] = (
    DemoBrand(
        "hung-phat",
        "Gạo thơm từ cánh đồng Thoại Sơn",
        "Fragrant rice from the fields of Thoại Sơn",
        "Hơn 300 hộ xã viên trồng lúa theo tiêu chuẩn VietGAP dưới chân núi Sập, "
        "xay xát tại chỗ để hạt gạo giữ trọn hương thơm.",
        "More than 300 member households grow rice to VietGAP standards at the foot "
        "of Sập mountain and mill it on site so each grain keeps its fragrance.",
        "#2e7d32",
        "#f9a825",
        "10.3020",
        "105.2580",
        (
            P(
                "gao-st25",
                "Gạo ST25 Hưng Phát",
                "Hưng Phát ST25 rice",
                "rice",
                "Hạt dài, dẻo, thơm lá dứa; gạo ngon nhất thế giới 2019.",
                "Long, soft grains with a pandan aroma; the world's best rice of 2019.",
                (
                    V("HP-ST25-2", "Túi 2 kg", "2 kg bag", 78_000, 2_050),
                    V("HP-ST25-5", "Túi 5 kg", "5 kg bag", 185_000, 5_100, 199_000),
                    V("HP-ST25-10", "Bao 10 kg", "10 kg sack", 360_000, 10_150),
                ),
                4,
                "VN-AGTS-0012",
                "5 kg",
                "12 tháng",
                "12 months",
            ),
            P(
                "gao-jasmine",
                "Gạo Jasmine 85",
                "Jasmine 85 rice",
                "rice",
                "Gạo thơm nhẹ, cơm mềm, hợp bữa cơm gia đình.",
                "Lightly fragrant, soft rice for everyday family meals.",
                (V("HP-JAS-5", "Túi 5 kg", "5 kg bag", 115_000, 5_100),),
                None,
                "VN-AGTS-0013",
                "5 kg",
                "12 tháng",
                "12 months",
            ),
            P(
                "gao-lut-do",
                "Gạo lứt đỏ",
                "Red brown rice",
                "rice",
                "Gạo lứt huyết rồng giàu chất xơ, tốt cho sức khỏe.",
                "High-fibre red brown rice, good for health.",
                (
                    V("HP-LUT-1", "Túi 1 kg", "1 kg bag", 45_000, 1_030),
                    V("HP-LUT-2", "Túi 2 kg", "2 kg bag", 86_000, 2_050),
                ),
            ),
            P(
                "nep-cai-hoa-vang",
                "Nếp cái hoa vàng",
                "Yellow-flower sticky rice",
                "rice",
                "Nếp dẻo thơm để nấu xôi, gói bánh tét ngày Tết.",
                "Fragrant sticky rice for xôi and Tết rice cakes.",
                (V("HP-NEP-2", "Túi 2 kg", "2 kg bag", 70_000, 2_050),),
            ),
        ),
        ("vietgap",),
    ),
    DemoBrand(
        "gao-tri-ton",
        "Gạo Nàng Nhen Bảy Núi",
        "Nàng Nhen rice of the Seven Mountains",
        "Giống lúa mùa Nàng Nhen của đồng bào Khmer Tri Tôn, trồng một vụ mỗi năm "
        "bằng nước trời, nay được bảo hộ chỉ dẫn địa lý.",
        "Nàng Nhen is the Khmer farmers' rain-fed rice of Tri Tôn, grown once a year "
        "and now protected by a geographical indication.",
        "#6d4c41",
        "#ffca28",
        "10.4180",
        "104.9990",
        (
            P(
                "gao-nang-nhen",
                "Gạo Nàng Nhen Tri Tôn",
                "Tri Tôn Nàng Nhen rice",
                "rice",
                "Gạo đặc sản một vụ, hạt nhỏ, cơm dẻo và thơm.",
                "A once-a-year speciality rice with small, soft, fragrant grains.",
                (
                    V("TT-NN-2", "Túi 2 kg", "2 kg bag", 98_000, 2_050),
                    V("TT-NN-5", "Túi 5 kg", "5 kg bag", 235_000, 5_100),
                ),
                5,
                "VN-AGTT-0021",
                "5 kg",
                "12 tháng",
                "12 months",
            ),
            P(
                "gao-thom-tri-ton",
                "Gạo thơm Tri Tôn",
                "Tri Tôn fragrant rice",
                "rice",
                "Gạo thơm xay mới mỗi tuần.",
                "Fragrant rice milled fresh every week.",
                (
                    V("TT-TH-5", "Túi 5 kg", "5 kg bag", 135_000, 5_100),
                    V("TT-TH-25", "Bao 25 kg", "25 kg sack", 640_000, 25_200),
                ),
                4,
                "VN-AGTT-0022",
                "5 kg",
                "12 tháng",
                "12 months",
            ),
            P(
                "gao-mam",
                "Gạo mầm Vibigaba",
                "Germinated rice",
                "rice",
                "Gạo lứt nảy mầm giàu GABA, nấu nhanh.",
                "Germinated brown rice rich in GABA, quick to cook.",
                (V("TT-MAM-1", "Hộp 1 kg", "1 kg box", 69_000, 1_100),),
            ),
            P(
                "bot-gao-lut",
                "Bột gạo lứt rang",
                "Roasted brown-rice powder",
                "rice",
                "Bột gạo lứt rang thơm, pha uống buổi sáng.",
                "Roasted brown-rice powder for a breakfast drink.",
                (V("TT-BOT-500", "Hũ 500 g", "500 g jar", 85_000, 650),),
            ),
        ),
        ("gi", "haccp"),
    ),
    DemoBrand(
        "thot-not-bay-nui",
        "Vị ngọt từ những hàng thốt nốt Bảy Núi",
        "Sweetness from the palm trees of the Seven Mountains",
        "Người Khmer Tịnh Biên leo thốt nốt mỗi sớm từ tháng mười một âm lịch, nấu "
        "nước thốt nốt trên bếp củi thành đường thơm mùi khói.",
        "Every morning from the eleventh lunar month, Khmer climbers of Tịnh Biên tap "
        "the palms and cook the sap over wood fires into smoky sugar.",
        "#8d6e63",
        "#ffb300",
        "10.5490",
        "104.9480",
        (
            P(
                "duong-thot-not-bot",
                "Đường thốt nốt dạng bột",
                "Palm sugar powder",
                "palm_sugar",
                "Đường bột tơi, tan nhanh, pha cà phê và làm bánh.",
                "Fine powdered sugar that dissolves quickly in coffee and baking.",
                (
                    V("BN-BOT-500", "Túi 500 g", "500 g bag", 65_000, 520),
                    V("BN-BOT-1", "Túi 1 kg", "1 kg bag", 120_000, 1_030),
                ),
                4,
                "",
                "500 g",
                "18 tháng",
                "18 months",
            ),
            P(
                "duong-thot-not-vien",
                "Đường thốt nốt viên",
                "Palm sugar tablets",
                "palm_sugar",
                "Viên đường nhỏ, tiện mang theo.",
                "Small sugar tablets, easy to carry.",
                (V("BN-VIEN-300", "Hộp 300 g", "300 g box", 45_000, 340),),
                3,
                "",
                "300 g",
                "12 tháng",
                "12 months",
            ),
            P(
                "mat-thot-not",
                "Mật thốt nốt cô đặc",
                "Concentrated palm syrup",
                "palm_sugar",
                "Mật sánh, dùng thay mật ong.",
                "Thick syrup to use instead of honey.",
                (V("BN-MAT-500", "Chai 500 ml", "500 ml bottle", 75_000, 700),),
            ),
            P(
                "keo-thot-not",
                "Kẹo thốt nốt",
                "Palm sugar candy",
                "palm_sugar",
                "Kẹo thốt nốt trộn đậu phộng.",
                "Palm sugar candy with peanuts.",
                (
                    V("BN-KEO-200", "Gói 200 g", "200 g pack", 35_000, 220),
                    V("BN-KEO-500", "Gói 500 g", "500 g pack", 80_000, 530),
                ),
            ),
            P(
                "tra-thot-not",
                "Trà thốt nốt gừng",
                "Palm sugar ginger tea",
                "beverage",
                "Trà gừng pha đường thốt nốt, ấm bụng ngày mưa.",
                "Ginger tea sweetened with palm sugar for rainy days.",
                (V("BN-TRA-20", "Hộp 20 gói", "Box of 20 sachets", 55_000, 300),),
            ),
        ),
        ("ocop_expired",),
    ),
    DemoBrand(
        "co-to-sugar",
        "Thốt nốt nhà làm Cô Tô",
        "Home-made palm sugar from Cô Tô",
        "Một gia đình, hai mươi cây thốt nốt và công thức của bà ngoại.",
        "One family, twenty palm trees and grandmother's recipe.",
        "#a1887f",
        "#ffd54f",
        "10.3830",
        "105.0270",
        (
            P(
                "duong-thot-not-cuc",
                "Đường thốt nốt cục",
                "Palm sugar blocks",
                "palm_sugar",
                "Đường cục truyền thống, gói lá thốt nốt.",
                "Traditional sugar blocks wrapped in palm leaves.",
                (V("UH-CUC-1", "Túi 1 kg", "1 kg bag", 95_000, 1_050),),
            ),
            P(
                "duong-thot-not-set",
                "Đường thốt nốt sệt",
                "Palm sugar paste",
                "palm_sugar",
                "Đường sệt dùng nấu chè và kho cá.",
                "Sugar paste for sweet soups and braised fish.",
                (V("UH-SET-500", "Hũ 500 g", "500 g jar", 60_000, 650),),
            ),
            P(
                "nuoc-thot-not",
                "Nước thốt nốt tươi",
                "Fresh palm juice",
                "beverage",
                "Nước thốt nốt đóng chai, giữ lạnh.",
                "Bottled palm juice, keep cold.",
                (V("UH-NUOC-6", "Lốc 6 chai", "Pack of 6 bottles", 90_000, 2_200),),
            ),
        ),
    ),
    DemoBrand(
        "nuoc-mam-ham-ninh",
        "Nước mắm cá cơm Hàm Ninh",
        "Hàm Ninh anchovy fish sauce",
        "Cá cơm than đánh bắt ở vùng biển Phú Quốc, ủ chượp trong thùng gỗ bời lời "
        "mười hai tháng.",
        "Anchovies caught off Phú Quốc ferment for twelve months in wooden barrels.",
        "#0d47a1",
        "#ffb74d",
        "10.1810",
        "104.0500",
        (
            P(
                "nuoc-mam-43",
                "Nước mắm nhỉ 43 độ đạm",
                "Fish sauce, first press, 43°N",
                "fish_sauce",
                "Giọt nước mắm đầu tiên, đậm và thơm.",
                "The first drops from the barrel, rich and fragrant.",
                (
                    V("HN-43-500", "Chai 500 ml", "500 ml bottle", 145_000, 900),
                    V(
                        "HN-43-6",
                        "Thùng 6 chai",
                        "Case of 6 bottles",
                        820_000,
                        5_600,
                        870_000,
                    ),
                ),
                5,
                "",
                "500 ml",
                "24 tháng",
                "24 months",
            ),
            P(
                "nuoc-mam-35",
                "Nước mắm 35 độ đạm",
                "Fish sauce 35°N",
                "fish_sauce",
                "Nước mắm chấm hằng ngày.",
                "An everyday dipping sauce.",
                (V("HN-35-500", "Chai 500 ml", "500 ml bottle", 85_000, 900),),
                4,
                "",
                "500 ml",
                "24 tháng",
                "24 months",
            ),
            P(
                "nuoc-mam-tre-em",
                "Nước mắm cho bé 20 độ đạm",
                "Children's fish sauce 20°N",
                "fish_sauce",
                "Vị dịu, ít muối cho bé ăn dặm.",
                "Mild and less salty, for toddlers.",
                (V("HN-BE-250", "Chai 250 ml", "250 ml bottle", 55_000, 450),),
            ),
            P(
                "mam-ruoc",
                "Mắm ruốc Hàm Ninh",
                "Hàm Ninh shrimp paste",
                "fish_sauce",
                "Mắm ruốc tím, thơm, dùng kho và chấm.",
                "Purple shrimp paste for braising and dipping.",
                (V("HN-RUOC-300", "Hũ 300 g", "300 g jar", 48_000, 450),),
            ),
        ),
        ("haccp",),
    ),
    DemoBrand(
        "mam-chau-doc",
        "Mắm Châu Đốc từ năm 1998",
        "Châu Đốc fermented fish since 1998",
        "Bà Năm học làm mắm từ mẹ bên chợ Châu Đốc; cá linh, cá sặc, cá lóc mùa "
        "nước nổi được làm sạch và ủ thính rang.",
        "Mrs Năm learnt the craft from her mother at Châu Đốc market: flood-season "
        "fish are cleaned and cured with roasted rice powder.",
        "#6a1b9a",
        "#ffab40",
        "10.7050",
        "105.1180",
        (
            P(
                "nuoc-mam-chau-doc",
                "Nước mắm Châu Đốc",
                "Châu Đốc fish sauce",
                "fish_sauce",
                "Nước mắm cá linh mùa nước nổi, vị ngọt hậu.",
                "Flood-season linh fish sauce with a sweet finish.",
                (V("BN5-NM-500", "Chai 500 ml", "500 ml bottle", 65_000, 900),),
                3,
                "",
                "500 ml",
                "18 tháng",
                "18 months",
            ),
            P(
                "mam-thai",
                "Mắm thái đu đủ",
                "Mắm thái with papaya",
                "fish_sauce",
                "Mắm cá lóc thái sợi trộn đu đủ, thính và tỏi ớt.",
                "Shredded snakehead mắm with papaya, roasted rice and chilli.",
                (
                    V("BN5-THAI-500", "Hộp 500 g", "500 g tub", 90_000, 600),
                    V("BN5-THAI-1", "Hộp 1 kg", "1 kg tub", 170_000, 1_150),
                ),
                3,
                "",
                "500 g",
                "3 tháng",
                "3 months",
            ),
            P(
                "mam-ca-linh",
                "Mắm cá linh",
                "Linh fish mắm",
                "fish_sauce",
                "Mắm cá linh con, dùng nấu lẩu mắm.",
                "Small linh fish for mắm hotpot.",
                (V("BN5-LINH-500", "Hũ 500 g", "500 g jar", 70_000, 650),),
            ),
            P(
                "mam-ca-sac",
                "Mắm cá sặc",
                "Snakeskin gourami mắm",
                "fish_sauce",
                "Mắm cá sặc chưng thịt ba rọi.",
                "For steaming with pork belly.",
                (V("BN5-SAC-500", "Hũ 500 g", "500 g jar", 80_000, 650),),
            ),
            P(
                "mam-chot",
                "Mắm chốt",
                "Chốt fish mắm",
                "fish_sauce",
                "Món mắm đặc sản ít nơi còn làm.",
                "A rare speciality mắm.",
                (V("BN5-CHOT-500", "Hũ 500 g", "500 g jar", 95_000, 650),),
            ),
        ),
    ),
    DemoBrand(
        "kho-ca-vinh-te",
        "Khô cá tra phồng Vĩnh Tế",
        "Vĩnh Tế puffed dried pangasius",
        "Cá tra nuôi trên sông Hậu được phơi trên giàn tre cạnh kênh Vĩnh Tế, nắng "
        "gió biên giới làm thớ cá phồng và ngọt.",
        "Hậu river pangasius is sun-dried on bamboo racks beside the Vĩnh Tế canal; "
        "border sun and wind make it puffy and sweet.",
        "#e65100",
        "#ffe082",
        "10.6770",
        "105.0720",
        (
            P(
                "kho-ca-tra-phong",
                "Khô cá tra phồng",
                "Puffed dried pangasius",
                "dried",
                "Khô một nắng, chiên hoặc nướng đều ngon.",
                "Sun-dried once; great fried or grilled.",
                (
                    V("VT-TRA-500", "Gói 500 g", "500 g pack", 120_000, 550),
                    V("VT-TRA-1", "Gói 1 kg", "1 kg pack", 230_000, 1_060),
                ),
                3,
                "",
                "500 g",
                "6 tháng (ngăn mát)",
                "6 months (chilled)",
            ),
            P(
                "kho-ca-loc",
                "Khô cá lóc",
                "Dried snakehead",
                "dried",
                "Cá lóc đồng phơi khô.",
                "Wild snakehead, sun-dried.",
                (V("VT-LOC-500", "Gói 500 g", "500 g pack", 190_000, 550),),
            ),
            P(
                "kho-ca-sac",
                "Khô cá sặc bổi",
                "Dried snakeskin gourami",
                "dried",
                "Khô cá sặc nướng than.",
                "Best grilled over charcoal.",
                (V("VT-SAC-500", "Gói 500 g", "500 g pack", 150_000, 550),),
            ),
        ),
    ),
    DemoBrand(
        "tho-cam-van-giao",
        "Thổ cẩm Khmer Văn Giáo",
        "Khmer brocade of Văn Giáo",
        "Các chị em Khmer dệt trên khung gỗ truyền thống, mỗi tấm xà rông mất cả "
        "tuần với hoa văn được truyền qua nhiều thế hệ.",
        "Khmer women weave on traditional wooden looms; a sarong takes a week, with "
        "patterns passed down through generations.",
        "#ad1457",
        "#ffd740",
        "10.5650",
        "104.9660",
        (
            P(
                "xa-rong-khmer",
                "Xà rông Khmer",
                "Khmer sarong",
                "handicraft",
                "Xà rông dệt tay, sợi cotton nhuộm màu tự nhiên.",
                "Hand-woven cotton sarong in natural dyes.",
                (V("VG-XR-1", "Tấm 1,8 m", "1.8 m piece", 650_000, 450),),
                3,
            ),
            P(
                "khan-tho-cam",
                "Khăn choàng thổ cẩm",
                "Brocade scarf",
                "handicraft",
                "Khăn choàng nhẹ, hoa văn Khmer.",
                "A light scarf with Khmer motifs.",
                (V("VG-KHAN-1", "Chiếc", "One scarf", 250_000, 150),),
            ),
            P(
                "tui-tho-cam",
                "Túi thổ cẩm",
                "Brocade bag",
                "handicraft",
                "Túi đeo vai may từ vải thổ cẩm.",
                "Shoulder bag sewn from brocade.",
                (
                    V("VG-TUI-S", "Cỡ nhỏ", "Small", 180_000, 200),
                    V("VG-TUI-L", "Cỡ lớn", "Large", 280_000, 320),
                ),
            ),
        ),
    ),
    DemoBrand(
        "lua-tan-chau",
        "Lụa Lãnh Mỹ A Tân Châu",
        "Tân Châu Mỹ A black silk",
        "Lụa đen nhuộm trái mặc nưa, phơi nắng hàng chục lần đến khi óng mượt, "
        "nghề trăm năm bên bờ sông Tiền.",
        "Black silk dyed with mặc nưa fruit and sun-dried dozens of times until it "
        "shines: a century-old craft on the Tiền river.",
        "#212121",
        "#ffc107",
        "10.8030",
        "105.2350",
        (
            P(
                "lua-my-a",
                "Lụa Mỹ A (mét)",
                "Mỹ A silk (per metre)",
                "handicraft",
                "Lụa đen tơ tằm, khổ 90 cm.",
                "Black mulberry silk, 90 cm wide.",
                (
                    V("TC-LUA-1", "1 mét", "1 metre", 420_000, 120),
                    V("TC-LUA-3", "3 mét", "3 metres", 1_200_000, 330),
                ),
            ),
            P(
                "khan-lua",
                "Khăn lụa Tân Châu",
                "Tân Châu silk scarf",
                "handicraft",
                "Khăn lụa vẽ tay.",
                "Hand-painted silk scarf.",
                (V("TC-KHAN-1", "Chiếc", "One scarf", 380_000, 80),),
            ),
            P(
                "ao-ba-ba",
                "Áo bà ba lụa",
                "Silk bà ba blouse",
                "handicraft",
                "Áo bà ba may đo từ lụa Mỹ A.",
                "Tailored bà ba blouse in Mỹ A silk.",
                (
                    V("TC-AO-M", "Cỡ M", "Size M", 1_450_000, 250),
                    V("TC-AO-L", "Cỡ L", "Size L", 1_500_000, 270),
                ),
            ),
        ),
    ),
    DemoBrand(
        "trai-cay-cho-moi",
        "Trái cây cù lao Chợ Mới",
        "Fruit of the Chợ Mới islands",
        "Đất cù lao phù sa giữa sông Tiền và sông Hậu cho xoài, nhãn, mãng cầu ngọt "
        "đậm; hợp tác xã có mã số vùng trồng xuất khẩu.",
        "Alluvial islands between the Tiền and Hậu rivers give sweet mango, longan "
        "and custard apple; the cooperative holds export growing-area codes.",
        "#558b2f",
        "#ff7043",
        "10.5530",
        "105.4000",
        (
            P(
                "xoai-cat-hoa-loc",
                "Xoài cát Hòa Lộc",
                "Hòa Lộc mango",
                "fruit",
                "Xoài chín cây, thơm và ngọt.",
                "Tree-ripened, fragrant and sweet.",
                (
                    V("CM-XOAI-2", "Hộp 2 kg", "2 kg box", 160_000, 2_300),
                    V("CM-XOAI-5", "Thùng 5 kg", "5 kg case", 380_000, 5_500),
                ),
                4,
                "VN-AGCM-0031",
                "2 kg",
                "7 ngày",
                "7 days",
            ),
            P(
                "nhan-xuong-com-vang",
                "Nhãn xuồng cơm vàng",
                "Golden-flesh longan",
                "fruit",
                "Cùi dày, giòn, hạt nhỏ.",
                "Thick, crisp flesh and small seeds.",
                (V("CM-NHAN-2", "Hộp 2 kg", "2 kg box", 140_000, 2_300),),
                3,
                "VN-AGCM-0032",
                "2 kg",
                "5 ngày",
                "5 days",
            ),
            P(
                "mang-cau-hoang-hau",
                "Mãng cầu hoàng hậu",
                "Queen custard apple",
                "fruit",
                "Trái to, múi dày, ít hạt.",
                "Large fruit with thick segments.",
                (V("CM-MC-2", "Hộp 2 kg", "2 kg box", 120_000, 2_300),),
                None,
                "VN-AGCM-0033",
            ),
            P(
                "buoi-da-xanh",
                "Bưởi da xanh",
                "Green-skin pomelo",
                "fruit",
                "Múi hồng, ráo nước, vị ngọt thanh.",
                "Pink, juicy segments, mildly sweet.",
                (
                    V("CM-BUOI-1", "Trái 1,5 kg", "1.5 kg fruit", 75_000, 1_600),
                    V("CM-BUOI-4", "Thùng 4 trái", "Case of 4", 280_000, 6_500),
                ),
            ),
        ),
        ("globalgap", "vietgap"),
    ),
    DemoBrand(
        "sau-rieng-nui-cam",
        "Sầu riêng Núi Cấm",
        "Núi Cấm durian",
        "Vườn sầu riêng trên sườn Núi Cấm mát quanh năm, được cấp mã số vùng trồng "
        "để xuất khẩu.",
        "Durian orchards on the cool slopes of Núi Cấm, with growing-area codes for "
        "export.",
        "#33691e",
        "#fdd835",
        "10.5100",
        "104.9950",
        (
            P(
                "sau-rieng-ri6",
                "Sầu riêng Ri6",
                "Ri6 durian",
                "fruit",
                "Cơm vàng, béo, hạt lép.",
                "Yellow, creamy flesh with flat seeds.",
                (V("NC-RI6-3", "Trái 3 kg", "3 kg fruit", 330_000, 3_300),),
                4,
                "VN-AGNC-0041",
                "3 kg",
                "5 ngày",
                "5 days",
            ),
            P(
                "sau-rieng-monthong",
                "Sầu riêng Monthong",
                "Monthong durian",
                "fruit",
                "Cơm dày, ngọt dịu.",
                "Thick, mildly sweet flesh.",
                (V("NC-MT-4", "Trái 4 kg", "4 kg fruit", 440_000, 4_300),),
                None,
                "VN-AGNC-0042",
            ),
            P(
                "mit-thai",
                "Mít Thái siêu sớm",
                "Thai jackfruit",
                "fruit",
                "Múi to, giòn ngọt.",
                "Large, crisp and sweet pods.",
                (V("NC-MIT-10", "Trái 10 kg", "10 kg fruit", 250_000, 10_500),),
                None,
                "VN-AGNC-0043",
            ),
            P(
                "sau-rieng-say",
                "Sầu riêng sấy giòn",
                "Crispy dried durian",
                "fruit",
                "Sấy lạnh, giữ hương vị.",
                "Freeze-dried, keeps the flavour.",
                (V("NC-SAY-100", "Gói 100 g", "100 g pack", 120_000, 150),),
            ),
        ),
        ("organic",),
    ),
    DemoBrand(
        "tom-lua-u-minh",
        "Tôm lúa U Minh Thượng",
        "U Minh Thượng shrimp-rice",
        "Một vụ tôm, một vụ lúa trên cùng cánh đồng: không phân hóa học, không "
        "thuốc trừ sâu, gạo ST thơm nổi tiếng.",
        "One shrimp crop and one rice crop on the same field: no chemical fertiliser, "
        "no pesticide, and famous fragrant ST rice.",
        "#00695c",
        "#ffca28",
        "9.6300",
        "105.1000",
        (
            P(
                "gao-st24-tom-lua",
                "Gạo ST24 tôm lúa",
                "ST24 shrimp-rice",
                "rice",
                "Gạo hữu cơ từ ruộng tôm lúa.",
                "Organic rice from shrimp-rice fields.",
                (V("UM-ST24-5", "Túi 5 kg", "5 kg bag", 210_000, 5_100),),
                4,
                "VN-AGUM-0051",
                "5 kg",
                "12 tháng",
                "12 months",
            ),
            P(
                "gao-st25-tom-lua",
                "Gạo ST25 tôm lúa",
                "ST25 shrimp-rice",
                "rice",
                "Gạo ST25 trồng luân canh với tôm.",
                "ST25 rice grown in rotation with shrimp.",
                (
                    V("UM-ST25-5", "Túi 5 kg", "5 kg bag", 230_000, 5_100),
                    V("UM-ST25-10", "Bao 10 kg", "10 kg sack", 450_000, 10_150),
                ),
                None,
                "VN-AGUM-0052",
                "5 kg",
                "12 tháng",
                "12 months",
            ),
            P(
                "tom-kho",
                "Tôm khô U Minh",
                "U Minh dried shrimp",
                "dried",
                "Tôm đất phơi khô, ngọt tự nhiên.",
                "Sun-dried field shrimp.",
                (V("UM-TOM-250", "Hũ 250 g", "250 g jar", 210_000, 350),),
            ),
        ),
        ("organic", "haccp"),
    ),
)
