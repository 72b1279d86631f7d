#!/usr/bin/env python3
"""gen_orders.py - writes the test data files in tests/data (standard library only).

Deterministic (fixed seed): running it again rewrites identical bytes.

  orders.csv           ~3,000 order lines shaped like the well-known "Superstore"
                       export: UTF-8, LF, ISO dates (2015-2017), amounts with up to
                       four decimals, some exactly at half-cent ties (2.3450,
                       10.0050, -1.0050 ...) to exercise rounding.
  orders_excel.csv     a few hundred lines with the same columns as Excel saves
                       "CSV UTF-8": BOM, CRLF, dates as YYYY/M/D, product names
                       with commas and double quotes.
  orders_gbk.csv       ~200 lines with Chinese headers, GBK encoded, CRLF, as
                       Chinese Excel saves plain CSV; dates as YYYY/M/D (2017).
  calendar_cn_2017.csv China's 2017 public holidays and make-up workdays (调休):
                       date,type,name with type holiday|makeup.

Usage: python3 tests/data/gen_orders.py [OUTDIR]   (default: this directory)
"""
import csv
import datetime as dt
import os
import random
import sys
from decimal import ROUND_HALF_EVEN, Decimal

SEED = 20170101
Q4 = Decimal("0.0001")

HEADER = ["Row ID", "Order ID", "Order Date", "Ship Date", "Ship Mode", "Customer ID",
          "Customer Name", "Segment", "Country", "City", "State", "Region", "Product ID",
          "Category", "Sub-Category", "Product Name", "Sales", "Quantity", "Discount",
          "Profit"]

# (city, state, region)
PLACES = [
    ("New York City", "New York", "East"), ("Philadelphia", "Pennsylvania", "East"),
    ("Boston", "Massachusetts", "East"), ("Columbus", "Ohio", "East"),
    ("Newark", "Delaware", "East"), ("Providence", "Rhode Island", "East"),
    ("Los Angeles", "California", "West"), ("San Francisco", "California", "West"),
    ("Seattle", "Washington", "West"), ("San Diego", "California", "West"),
    ("Denver", "Colorado", "West"), ("Phoenix", "Arizona", "West"),
    ("Houston", "Texas", "Central"), ("Chicago", "Illinois", "Central"),
    ("Dallas", "Texas", "Central"), ("Detroit", "Michigan", "Central"),
    ("Minneapolis", "Minnesota", "Central"), ("Aurora", "Illinois", "Central"),
    ("Henderson", "Kentucky", "South"), ("Fort Lauderdale", "Florida", "South"),
    ("Jacksonville", "Florida", "South"), ("Atlanta", "Georgia", "South"),
    ("Springfield", "Virginia", "South"), ("Nashville", "Tennessee", "South"),
]
# regions are not equally busy, as in the original
PLACE_WEIGHTS = [9, 6, 3, 4, 1, 1, 9, 6, 5, 3, 2, 3, 6, 5, 4, 2, 1, 1, 2, 2, 2, 2, 1, 2]

SEGMENTS = [("Consumer", 52), ("Corporate", 30), ("Home Office", 18)]
SHIP_MODES = [("Standard Class", 60, 4, 7), ("Second Class", 19, 2, 5),
              ("First Class", 16, 1, 3), ("Same Day", 5, 0, 0)]
DISCOUNTS = [("0", 48), ("0.1", 5), ("0.15", 2), ("0.2", 30), ("0.3", 3), ("0.4", 3),
             ("0.45", 1), ("0.5", 2), ("0.6", 1), ("0.7", 3), ("0.8", 2)]

FIRST = ["Claire", "Darrin", "Sean", "Brosina", "Andrew", "Irene", "Harold", "Pete",
         "Alejandro", "Zuschuss", "Ken", "Sandra", "Emily", "Eric", "Tracy", "Matt",
         "Gene", "Steve", "Linda", "Ruben", "Erin", "Odella", "Patrick", "Lena",
         "Janet", "Ted", "Kunst", "Paul", "Dave", "Maria", "Wei", "Li", "Yan", "Chloe"]
LAST = ["Gute", "Van Huff", "O'Donnell", "Hoffman", "Allen", "Maddox", "Pawlan",
        "Kriz", "Grove", "Donatelli", "Black", "Flanagan", "Grady", "Hoffmann", "Blount",
        "Abelman", "Hale", "Nguyen", "Cash", "Ausman", "Smith", "Nelson", "O'Brien",
        "Creighton", "Molinari", "Butterfield", "Miller", "Zhang", "Chen", "Wang"]

# category -> sub-category -> [(product name, list price)]
PRODUCTS = {
    "Furniture": {
        "Bookcases": [("Bush Somerset Collection Bookcase", "130.98"),
                      ("O'Sullivan Living Dimensions 2-Shelf Bookcases", "155.52"),
                      ("Sauder Camden County Barrister Bookcase, Planked Cherry Finish",
                       "263.88")],
        "Chairs": [("Hon Deluxe Fabric Upholstered Stacking Chairs, Rounded Back", "243.98"),
                   ("Global Deluxe Stacking Chair, Gray", "50.98"),
                   ("Office Star - Mesh Screen back chair with Vinyl seat", "129.98"),
                   ("Novimex Executive Leather Chair, Black", "288.85")],
        "Tables": [("Bretford CR4500 Series Slim Rectangular Table", "319.16"),
                   ("Chromcraft Round Conference Tables", "370.82"),
                   ("Bevis 36\" x 72\" Conference Tables", "204.98")],
        "Furnishings": [("Eldon Expressions Wood and Plastic Desk Accessories, Cherry Wood",
                         "7.28"),
                        ("Howard Miller 13\" Diameter Goldtone Round Wall Clock", "52.98"),
                        ("Tenex Chairmats For Use with Hard Floors", "30.98"),
                        ("Eldon 200 Class Desk Accessories", "6.24")],
    },
    "Office Supplies": {
        "Labels": [("Self-Adhesive Address Labels for Typewriters by Universal", "7.31"),
                   ("Avery 508", "2.61"), ("Avery 485", "12.53")],
        "Storage": [("Eldon Fold 'N Roll Cart System", "11.16"),
                    ("Fellowes Super Stor/Drawer", "27.79"),
                    ("Stur-D-Stor Shelving, Vertical 5-Shelf: 72\"H x 36\"W x 18 1/2\"D",
                     "95.94")],
        "Art": [("Newell 322", "1.82"), ("Dixon Prang Watercolor Pencils, 24-Color Set",
                                         "5.58"),
                ("Boston 16765 Mini Stand Up Battery Pencil Sharpener", "7.28")],
        "Binders": [("DXL Angle-View Binders with Locking Rings by Samsill", "5.68"),
                    ("Wilson Jones Active Use Binders", "5.46"),
                    ("Avery Non-Stick Binders", "4.49"),
                    ("Acco 3-Hole Punch, \"Heavy Duty\" Model", "3.98")],
        "Paper": [("Easy-staple paper", "15.55"), ("Xerox 1967", "6.48"),
                  ("\"While you Were Out\" Message Book, One Form per Page", "3.78"),
                  ("Southworth 25% Cotton Premium Laser Paper, 8 1/2\" x 11\"", "21.98")],
        "Appliances": [("Belkin F9G930V10-GRY 9 Outlet Surge", "38.44"),
                       ("Holmes Replacement Filter for HEPA Air Cleaner, Large Room",
                        "20.48")],
        "Envelopes": [("#10- 4 1/8\" x 9 1/2\" Recycled Envelopes", "8.74"),
                      ("Poly String Tie Envelopes", "2.04")],
        "Fasteners": [("Advantus Push Pins", "2.18"), ("Vinyl Coated Wire Paper Clips", "3.45")],
        "Supplies": [("Acme Forged Steel Scissors with Black Enamel Handles", "9.31"),
                     ("Fiskars Softgrip Scissors", "10.98")],
    },
    "Technology": {
        "Phones": [("Mitel 5320 IP Phone VoIP phone", "151.99"),
                   ("Konftel 250 Conference phone - Charcoal black", "227.98"),
                   ("AT&T CL83451 4-Handset Telephone", "206.99"),
                   ("Cisco SPA 501G IP Phone", "91.99")],
        "Accessories": [("Logitech Wireless Gaming Headset G930", "159.99"),
                        ("Imation 8GB Mini TravelDrive USB 2.0 Flash Drive", "22.72"),
                        ("Maxell 4.7GB DVD-R 5/Pack", "2.99")],
        "Machines": [("Cubify CubeX 3D Printer Double Head Print", "1999.99"),
                     ("Brother MFC-9340CDW, \"All-in-One\" Color Laser", "599.99")],
        "Copiers": [("Canon imageCLASS 2200 Advanced Copier", "699.99"),
                    ("Hewlett Packard LaserJet 3310 Copier", "599.99")],
    },
}
CATEGORY_WEIGHTS = {"Furniture": 21, "Office Supplies": 60, "Technology": 19}

# Month weights: Superstore-like seasonality (strong Sep, Nov, Dec).
MONTH_WEIGHTS = [5, 3, 7, 7, 7, 7, 7, 7, 14, 8, 15, 14]

# Amounts that must appear exactly, at half-cent ties (Sales, Profit).
TIES = [("2.3450", "0.4440"), ("10.0050", "-1.0050"), ("0.0050", "-0.0050"),
        ("14.6250", "2.3450"), ("731.9450", "-383.0350"), ("99.9950", "10.0050")]


def wchoice(rng, items):
    """Weighted choice over (value, weight, ...) tuples; returns the tuple."""
    total = sum(i[1] for i in items)
    x = rng.randrange(total)
    for it in items:
        x -= it[1]
        if x < 0:
            return it
    raise AssertionError


def fmt_amount(d, keep4):
    """Superstore style: trailing zeros dropped (261.96, 22.368), or all four
    decimals kept (0.4440) as some exports do."""
    d = d.quantize(Q4, rounding=ROUND_HALF_EVEN)
    if keep4:
        return f"{d:.4f}"
    s = f"{d:.4f}".rstrip("0").rstrip(".")
    return "0" if s in ("", "-0") else s


def random_date(rng, years):
    y = rng.choice(years)
    m = 1 + wchoice(rng, list(enumerate(MONTH_WEIGHTS)))[0]
    last = (dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(y, m, rng.randint(1, last))


def make_catalogue():
    """Product ids like FUR-BO-10001798, stable for the seed."""
    rng = random.Random(SEED + 1)
    cat = []
    for c, subs in PRODUCTS.items():
        for s, items in subs.items():
            for name, price in items:
                pid = f"{c[:3].upper()}-{s[:2].upper()}-{rng.randint(10000000, 10004999)}"
                cat.append((pid, c, s, name, Decimal(price)))
    return cat


def make_customers(rng, n):
    out = []
    seen = set()
    while len(out) < n:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        name = f"{first} {last}"
        if name in seen:
            continue
        seen.add(name)
        cid = f"{first[0]}{last.replace(' ', '').replace(chr(39), '')[0]}-{rng.randint(10000, 21999)}"
        seg = wchoice(rng, SEGMENTS)[0]
        out.append((cid, name, seg))
    return out


def order_lines(rng, nrows, years, date_fmt):
    """Yield Superstore-shaped rows (without Row ID) until nrows are made."""
    catalogue = make_catalogue()
    customers = make_customers(rng, 240)
    rows = []
    while len(rows) < nrows:
        od = random_date(rng, years)
        mode, _, lo, hi = wchoice(rng, SHIP_MODES)
        sd = od + dt.timedelta(days=rng.randint(lo, hi))
        cid, cname, seg = rng.choice(customers)
        city, state, region = rng.choices(PLACES, PLACE_WEIGHTS)[0]
        oid = f"{rng.choice(['CA', 'CA', 'US'])}-{od.year}-{rng.randint(100000, 169999)}"
        for _ in range(min(rng.choice([1, 1, 1, 2, 2, 3, 4, 5]), nrows - len(rows))):
            c = wchoice(rng, [(k, w) for k, w in CATEGORY_WEIGHTS.items()])[0]
            pid, cat, sub, pname, price = rng.choice([p for p in catalogue if p[1] == c])
            qty = rng.choice([1, 2, 2, 2, 3, 3, 3, 4, 5, 5, 6, 7, 8, 9, 14])
            disc = wchoice(rng, DISCOUNTS)[0]
            sales = price * qty * (1 - Decimal(disc))
            # margin: positive at no discount, negative with deep discounts
            margin = Decimal(rng.randint(5, 48)) / 100 - Decimal(disc) * Decimal("0.9")
            profit = (sales * margin).quantize(Q4, rounding=ROUND_HALF_EVEN)
            keep4 = rng.random() < 0.05
            rows.append([oid, date_fmt(od), date_fmt(sd), mode, cid, cname, seg,
                         "United States", city, state, region, pid, cat, sub, pname,
                         fmt_amount(sales, keep4), str(qty), disc,
                         fmt_amount(profit, keep4)])
    # exact half-cent ties spread through the file
    for i, (s, p) in enumerate(TIES):
        r = rows[(i * 997 + 13) % len(rows)]
        r[15], r[18] = s, p
    return rows


def iso(d):
    return d.isoformat()


def excel_date(d):
    return f"{d.year}/{d.month}/{d.day}"


def write_orders(path, rows, encoding, newline):
    with open(path, "w", encoding=encoding, newline="") as f:
        w = csv.writer(f, lineterminator=newline)
        w.writerow(HEADER)
        for i, r in enumerate(rows, 1):
            w.writerow([str(i)] + r)


# ---- Chinese (GBK) orders -------------------------------------------------

GBK_HEADER = ["订单日期", "订单号", "区域", "产品线", "渠道", "客户分群", "客户", "销售额",
              "数量", "利润"]
GBK_REGIONS = [("华东", 40), ("华南", 25), ("华北", 22), ("西南", 13)]
GBK_CHANNELS = [("直销", 45), ("分销", 30), ("电商", 25)]
GBK_LINES = [("办公家具", "1280.00"), ("办公用品", "35.50"), ("电子产品", "899.00")]
GBK_SEGMENTS = [("大客户", 25), ("中小企业", 45), ("个人消费者", 30)]
GBK_CUSTOMERS = ["上海华润贸易有限公司", "杭州西湖科技有限公司", "深圳前海电子有限公司",
                 "广州白云办公设备厂", "北京中关村信息技术有限公司", "天津滨海物流有限公司",
                 "成都天府软件园服务中心", "重庆两江实业有限公司", "南京秦淮文具店",
                 "苏州工业园区精密制造有限公司", "张伟", "王芳", "李娜", "刘洋",
                 "陈静（个人）", "厦门鹭岛商贸，有限合伙"]


def gbk_rows(rng, n):
    rows = []
    for i in range(n):
        d = random_date(rng, [2017])
        line, price = rng.choice(GBK_LINES)
        qty = rng.randint(1, 20)
        sales = Decimal(price) * qty * (1 - Decimal(rng.choice(["0", "0", "0.05", "0.1"])))
        profit = sales * (Decimal(rng.randint(-10, 35)) / 100)
        rows.append((d, [d, "",
                         wchoice(rng, GBK_REGIONS)[0], line, wchoice(rng, GBK_CHANNELS)[0],
                         wchoice(rng, GBK_SEGMENTS)[0], rng.choice(GBK_CUSTOMERS),
                         f"{sales.quantize(Decimal('0.01'), rounding=ROUND_HALF_EVEN)}",
                         str(qty),
                         f"{profit.quantize(Decimal('0.01'), rounding=ROUND_HALF_EVEN)}"]))
    rows.sort(key=lambda x: x[0])
    out = [r for _, r in rows]
    for i, r in enumerate(out):  # order numbers follow the dates
        r[0], r[1] = excel_date(r[0]), f"SO-2017-{i + 1:06d}"
    return out


# ---- 2017 holiday calendar (State Council notice of 2016-12-01) -----------

def calendar_rows():
    def span(a, b):
        d = a
        while d <= b:
            yield d
            d += dt.timedelta(days=1)

    D = dt.date
    rows = []
    for a, b, name in [(D(2017, 1, 1), D(2017, 1, 2), "元旦"),
                       (D(2017, 1, 27), D(2017, 2, 2), "春节"),
                       (D(2017, 4, 2), D(2017, 4, 4), "清明节"),
                       (D(2017, 4, 29), D(2017, 5, 1), "劳动节"),
                       (D(2017, 5, 28), D(2017, 5, 30), "端午节"),
                       (D(2017, 10, 1), D(2017, 10, 8), "国庆节、中秋节")]:
        rows += [(d, "holiday", name) for d in span(a, b)]
    for d, name in [(D(2017, 1, 22), "春节"), (D(2017, 2, 4), "春节"),
                    (D(2017, 4, 1), "清明节"), (D(2017, 5, 27), "端午节"),
                    (D(2017, 9, 30), "国庆节、中秋节")]:
        assert d.weekday() >= 5, d  # make-up workdays fall on weekends
        rows.append((d, "makeup", name))
    rows.sort()
    return [[d.isoformat(), t, n] for d, t, n in rows]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    rng = random.Random(SEED)
    write_orders(os.path.join(out, "orders.csv"),
                 order_lines(rng, 3000, [2015, 2016, 2017], iso), "utf-8", "\n")
    write_orders(os.path.join(out, "orders_excel.csv"),
                 order_lines(random.Random(SEED + 2), 300, [2016, 2017], excel_date),
                 "utf-8-sig", "\r\n")
    with open(os.path.join(out, "orders_gbk.csv"), "w", encoding="gbk", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(GBK_HEADER)
        w.writerows(gbk_rows(random.Random(SEED + 3), 200))
    with open(os.path.join(out, "calendar_cn_2017.csv"), "w", encoding="utf-8",
              newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["date", "type", "name"])
        w.writerows(calendar_rows())


if __name__ == "__main__":
    main()
