"""A test leaflet with a table, a picture, a warning, a quotation, several contacts and sources, with
sample translations into Polish, Urdu and Chinese (written for the tests, NOT clinically reviewed:
every entry carries a translator comment saying so, and the catalogs carry no sign-off).

`make(root)` adds it to a project copy (see conftest.project_copy) and fills the catalogs.
"""

from __future__ import annotations

from pathlib import Path

from leaflets import catalogs
from leaflets.files import write_atomic
from tests.conftest import run_cli

ID = "TST_0023"
NAME = f"{ID}-what-to-eat.md"
LOCALES = ("en", "pl", "ur", "zh_Hans")

SOURCE = """---
id: TST_0023
title: 'Bowel preparation: what to eat'
organisation: Royal Berkshire NHS Foundation Trust
department: Endoscopy Unit
phone: 0118 322 7991
website: www.royalberkshire.nhs.uk
author: Dr Archie Speirs, RBFT Endoscopy
reviewed: '2026-05'
next_review: '2028-05'
contacts:
  - name: Ward 10
    phone: 0118 322 7485
    hours: 24 hours a day
  - name: Endoscopy nurse
    phone: 0118 322 7550
    main: true
sources:
  - "NICE. Bowel preparation before colonoscopy, 2020."
---

This leaflet tells you what to eat before your test.

## What you can eat

| Food group | What you can eat | Avoid |
|:-----------|:-----------------|:------|
| Bread      | **White** bread  | Wholemeal bread |
| Drinks     | Water, clear soup | Milk |
| Fruit      |                  | All fruit |

![A glass of water next to a bowl of clear soup](images/drinks.png "Clear drinks are allowed")

> [!WARNING]
> Stop eating 24 hours before the test.

> I found the clear soup easy.
"""

HEADER = ("Food group", "What you can eat", "Avoid")
ROWS = (
    ("Bread", "White bread", "Wholemeal bread"),
    ("Drinks", "Water, clear soup", "Milk"),
    ("Fruit", "", "All fruit"),
)
ALT = "A glass of water next to a bowl of clear soup"
CAPTION = "Clear drinks are allowed"

# msgid -> translation, per language (unreviewed samples)
BODY = {
    "pl": {
        "Bowel preparation: what to eat": "Przygotowanie jelita: co jeść",
        "Endoscopy Unit": "Pracownia Endoskopii",
        "Ward 10": "Oddział 10",
        "24 hours a day": "24 godziny na dobę",
        "Endoscopy nurse": "Pielęgniarka endoskopowa",
        "This leaflet tells you what to eat before your test.": "Ta ulotka mówi, co jeść przed badaniem.",
        "What you can eat": "Co można jeść",
        "Food group": "Grupa żywności",
        "Avoid": "Czego unikać",
        "Bread": "Pieczywo",
        "**White** bread": "**Białe** pieczywo",
        "Wholemeal bread": "Pieczywo pełnoziarniste",
        "Drinks": "Napoje",
        "Water, clear soup": "Woda, klarowna zupa",
        "Milk": "Mleko",
        "Fruit": "Owoce",
        "All fruit": "Wszystkie owoce",
        ALT: "Szklanka wody obok miski klarownej zupy",
        CAPTION: "Klarowne napoje są dozwolone",
        "Stop eating 24 hours before the test.": "Przestań jeść 24 godziny przed badaniem.",
        "I found the clear soup easy.": "Klarowna zupa była dla mnie łatwa.",
    },
    "ur": {
        "Bowel preparation: what to eat": "آنتوں کی تیاری: کیا کھائیں",
        "Endoscopy Unit": "اینڈوسکوپی یونٹ",
        "Ward 10": "وارڈ 10",
        "24 hours a day": "دن میں 24 گھنٹے",
        "Endoscopy nurse": "اینڈوسکوپی نرس",
        "This leaflet tells you what to eat before your test.": "یہ کتابچہ آپ کو بتاتا ہے کہ ٹیسٹ سے پہلے کیا کھانا ہے۔",
        "What you can eat": "آپ کیا کھا سکتے ہیں",
        "Food group": "کھانے کی قسم",
        "Avoid": "پرہیز کریں",
        "Bread": "روٹی",
        "**White** bread": "**سفید** روٹی",
        "Wholemeal bread": "چوکر والی روٹی",
        "Drinks": "مشروبات",
        "Water, clear soup": "پانی، صاف سوپ",
        "Milk": "دودھ",
        "Fruit": "پھل",
        "All fruit": "تمام پھل",
        ALT: "صاف سوپ کے پیالے کے ساتھ پانی کا ایک گلاس",
        CAPTION: "صاف مشروبات کی اجازت ہے",
        "Stop eating 24 hours before the test.": "ٹیسٹ سے 24 گھنٹے پہلے کھانا بند کر دیں۔",
        "I found the clear soup easy.": "مجھے صاف سوپ آسان لگا۔",
    },
    "zh_Hans": {
        "Bowel preparation: what to eat": "肠道准备：可以吃什么",
        "Endoscopy Unit": "内镜室",
        "Ward 10": "10号病房",
        "24 hours a day": "全天24小时",
        "Endoscopy nurse": "内镜护士",
        "This leaflet tells you what to eat before your test.": "本手册告诉您检查前可以吃什么。",
        "What you can eat": "可以吃什么",
        "Food group": "食物类别",
        "Avoid": "避免",
        "Bread": "面包",
        "**White** bread": "**白**面包",
        "Wholemeal bread": "全麦面包",
        "Drinks": "饮料",
        "Water, clear soup": "水、清汤",
        "Milk": "牛奶",
        "Fruit": "水果",
        "All fruit": "所有水果",
        ALT: "一碗清汤旁边的一杯水",
        CAPTION: "可以喝清澈的饮料",
        "Stop eating 24 hours before the test.": "检查前24小时停止进食。",
        "I found the clear soup easy.": "我觉得清汤很容易喝。",
    },
}

# the new shared strings (source/common.yaml) in each language: key -> msgstr or plural forms
COMMON = {
    "pl": {
        "picture": "Ilustracja: {alt}",
        "audio_table": (
            "Tabela, {count} wiersz: {headers}.",
            "Tabela, {count} wiersze: {headers}.",
            "Tabela, {count} wierszy: {headers}.",
        ),
        "audio_table_end": "Koniec tabeli.",
        "table_cell": "{header}: {cell}",
        "notice_warning": "Ostrzeżenie:",
        "contact_person": "{name}, tel. {phone}.",
        "contact_hours": "{name}, tel. {phone}, {hours}.",
        "sources_heading": "Skąd pochodzą te informacje",
        "audio_quote": "Cytat.",
        "audio_quote_end": "Koniec cytatu.",
    },
    "ur": {
        "picture": "تصویر: {alt}",
        "audio_table": ("{count} قطار کی ایک جدول: {headers}۔", "{count} قطاروں کی ایک جدول: {headers}۔"),
        "audio_table_end": "جدول ختم۔",
        "table_cell": "{header}: {cell}",
        "notice_warning": "انتباہ:",
        "contact_person": "{name}، فون {phone}۔",
        "contact_hours": "{name}، فون {phone}، {hours}۔",
        "sources_heading": "یہ معلومات کہاں سے آئی ہیں",
        "audio_quote": "اقتباس۔",
        "audio_quote_end": "اقتباس ختم۔",
    },
    "zh_Hans": {
        "picture": "图片：{alt}",
        "audio_table": ("一个{count}行的表格：{headers}。",),
        "audio_table_end": "表格结束。",
        "table_cell": "{header}：{cell}",
        "notice_warning": "警告：",
        "contact_person": "{name}，电话 {phone}。",
        "contact_hours": "{name}，电话 {phone}，{hours}。",
        "sources_heading": "信息来源",
        "audio_quote": "引文。",
        "audio_quote_end": "引文结束。",
    },
}

UNREVIEWED = "unreviewed sample translation written for the tests"


def picture_png(path: Path, size: tuple[int, int] = (240, 160), colour: str = "#1f5fa0") -> None:
    """A small drawing (a glass and a bowl) as PNG."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(img)
    w, h = size
    draw.rectangle((w // 8, h // 4, w // 3, h - 10), outline=colour, width=4)
    draw.ellipse((w // 2, h // 2, w - 10, h - 10), outline=colour, width=4)
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path)


def make(root: Path, locales: tuple[str, ...] = LOCALES) -> Path:
    """Add the leaflet to the project at root, with its picture, and translate it into `locales`."""
    source = root / "source" / NAME
    source.write_text(SOURCE, encoding="utf-8")
    picture_png(root / "source" / "images" / "drinks.png")
    for code in locales:
        if code != "en" and not (root / "locales" / code).is_dir():
            assert run_cli(root, "init", code).returncode == 0
    done = run_cli(root, "update")
    assert done.returncode == 0, done.stderr
    for code in (c for c in locales if c != "en"):
        _fill(catalogs.po_path(root / "locales", code, ID), lambda e, c=code: BODY[c].get(e.msgid))
        _fill(
            catalogs.po_path(root / "locales", code, catalogs.COMMON), lambda e, c=code: COMMON[c].get(e.msgctxt or "")
        )
    return source


def _fill(path: Path, lookup) -> None:
    po = catalogs.load(path)
    for entry in po:
        value = lookup(entry)
        if value is None:
            continue
        if entry.msgid_plural:
            forms = value if isinstance(value, tuple) else (value,)
            entry.msgstr_plural = {i: forms[min(i, len(forms) - 1)] for i in range(len(entry.msgstr_plural))}
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.tcomment = UNREVIEWED
    write_atomic(path, catalogs.po_bytes(po))
