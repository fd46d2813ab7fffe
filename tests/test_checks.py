"""Translation safety checks on single entries: each check catches a real mistake and stays
silent on a correct translation, in each script family (Latin, Arabic-script, Indic, CJK)."""

from pathlib import Path

import pytest

from leaflets import catalogs
from leaflets.checks import ERROR, WARNING, check_entry

RISK = "We consider the risk of this occurring to be 1 in 500."
CHANCE = "There is a 20% chance of a second fracture within 12 months."
DURATION = "The procedure usually takes less than 60 minutes."
CALL = "For advice, call 0118 322 7991."
READ = "Read more at www.royalberkshire.nhs.uk or e-mail rbft.radiology@nhs.net."
FASTING = (
    "**Patients are asked not to have any food for 6 hours or liquids for 2 hours prior to the "
    "procedure.** All medications other than the blood thinners should be taken as normal."
)
DRUGS = (
    "Anticoagulation medication (blood thinners such as Warfarin or Clopidogrel) will have to be "
    "stopped at least 5 days before the procedure."
)
TIME = "You should have plenty of time to discuss this procedure with the doctor."
INVASIVE = "It is minimally invasive."
WHAT = "What is a vertebroplasty?"
RISKS = "Risks:"
FASTING_SHORT = "Do not eat for 6 hours or drink for 2 hours before the procedure."
PARKING = "Parking costs £3 for the whole day at the hospital."
HEALED = "Patients with a healed fracture are not suitable for vertebroplasty."
SAMPLES = Path(__file__).resolve().parent.parent / "locales"
PAGE = "Page {page} of {pages}"

KEEP = {
    "pl": ("Warfarin", "Clopidogrel"),
    "ur": {"Warfarin": ("وارفرین",), "Clopidogrel": ("کلوپیڈوگریل",)},
    "bn": {"Warfarin": ("ওয়ারফারিন",), "Clopidogrel": ("ক্লোপিডোগ্রেল",)},
    "zh_Hans": {"Warfarin": ("华法林",), "Clopidogrel": ("氯吡格雷",)},
}

# (check, severity, family, locale, msgid, correct translation, mistaken translation)
CASES = [
    # numbers: 500 -> 50, 20% -> 2%, 60 -> 6
    (
        "numbers",
        ERROR,
        "Latin",
        "pl",
        RISK,
        "Oceniamy, że ryzyko wynosi 1 na 500.",
        "Oceniamy, że ryzyko wynosi 1 na 50.",
    ),
    (
        "numbers",
        ERROR,
        "Arabic",
        "ur",
        RISK,
        "ہمارے اندازے کے مطابق اس کا خطرہ 500 میں سے 1 ہے۔",
        "ہمارے اندازے کے مطابق اس کا خطرہ 50 میں سے 1 ہے۔",
    ),
    (
        "numbers",
        ERROR,
        "Indic",
        "bn",
        CHANCE,
        "12 মাসের মধ্যে দ্বিতীয়বার হাড় ভাঙার 20% সম্ভাবনা আছে।",
        "12 মাসের মধ্যে দ্বিতীয়বার হাড় ভাঙার 2% সম্ভাবনা আছে।",
    ),
    ("numbers", ERROR, "CJK", "zh_Hans", DURATION, "手术通常不到60分钟。", "手术通常不到6分钟。"),
    # phone numbers
    (
        "phones",
        ERROR,
        "Latin",
        "pl",
        CALL,
        "Aby uzyskać poradę, zadzwoń pod numer 0118 322 7991.",
        "Aby uzyskać poradę, zadzwoń pod numer 0118 322 791.",
    ),
    (
        "phones",
        ERROR,
        "Arabic",
        "ar",
        CALL,
        "للاستشارة، اتصل بالرقم 0118 322 7991.",
        "للاستشارة، اتصل بالرقم 0118 322 7919.",
    ),
    ("phones", ERROR, "Indic", "pa", CALL, "ਸਲਾਹ ਲਈ ੦੧੧੮ ੩੨੨ ੭੯੯੧ ’ਤੇ ਫ਼ੋਨ ਕਰੋ।", "ਸਲਾਹ ਲਈ ੦੧੧੮ ੩੨੨ ੭੯੯੮ ’ਤੇ ਫ਼ੋਨ ਕਰੋ।"),
    ("phones", ERROR, "CJK", "zh_Hans", CALL, "如需咨询，请致电0118 322 7991。", "如需咨询，请致电0118 322 7999。"),
    # web and e-mail addresses
    (
        "addresses",
        ERROR,
        "Latin",
        "pl",
        READ,
        "Więcej informacji: www.royalberkshire.nhs.uk lub e-mail rbft.radiology@nhs.net.",
        "Więcej informacji: www.royalberkshire.nhs.pl lub e-mail rbft.radiology@nhs.net.",
    ),
    (
        "addresses",
        ERROR,
        "Arabic",
        "ur",
        READ,
        "مزید معلومات کے لیے www.royalberkshire.nhs.uk دیکھیں یا rbft.radiology@nhs.net پر ای میل کریں۔",
        "مزید معلومات کے لیے www.royalberkshire.nhs.uk دیکھیں یا rbft.radiolgy@nhs.net پر ای میل کریں۔",
    ),
    (
        "addresses",
        ERROR,
        "Indic",
        "ne",
        READ,
        "थप जानकारीका लागि www.royalberkshire.nhs.uk हेर्नुहोस् वा rbft.radiology@nhs.net मा इमेल गर्नुहोस्।",
        "थप जानकारीका लागि हाम्रो वेबसाइट हेर्नुहोस् वा rbft.radiology@nhs.net मा इमेल गर्नुहोस्।",
    ),
    (
        "addresses",
        ERROR,
        "CJK",
        "zh_Hans",
        READ,
        "详情请访问www.royalberkshire.nhs.uk或发送电子邮件至rbft.radiology@nhs.net。",
        "详情请访问www.royalberkshire.nhs.uk/zh或发送电子邮件至rbft.radiology@nhs.net。",
    ),
    # markup: unbalanced **, raw HTML, lost bold
    (
        "markup",
        ERROR,
        "Latin",
        "pl",
        FASTING,
        "**Prosimy, aby przez 6 godzin przed zabiegiem nic nie jeść, a przez 2 godziny nic nie pić.** "
        "Wszystkie leki poza lekami przeciwzakrzepowymi należy przyjmować jak zwykle.",
        "**Prosimy, aby przez 6 godzin przed zabiegiem nic nie jeść, a przez 2 godziny nic nie pić.* "
        "Wszystkie leki poza lekami przeciwzakrzepowymi należy przyjmować jak zwykle.",
    ),
    (
        "markup",
        ERROR,
        "Arabic",
        "ar",
        FASTING,
        "**يُطلب من المرضى الامتناع عن تناول أي طعام لمدة 6 ساعات، وعن شرب أي سوائل لمدة 2 ساعة، قبل الإجراء.** "
        "ويجب تناول جميع الأدوية الأخرى كالمعتاد باستثناء مميعات الدم.",
        "<b>يُطلب من المرضى الامتناع عن تناول أي طعام لمدة 6 ساعات، وعن شرب أي سوائل لمدة 2 ساعة، قبل الإجراء.</b> "
        "ويجب تناول جميع الأدوية الأخرى كالمعتاد باستثناء مميعات الدم.",
    ),
    (
        "markup",
        ERROR,
        "Indic",
        "bn",
        FASTING,
        "**রোগীদের অনুরোধ করা হচ্ছে, চিকিৎসার আগের 6 ঘণ্টা কোনো খাবার খাবেন না এবং আগের 2 ঘণ্টা কোনো পানীয় পান করবেন না।** "
        "রক্ত পাতলা করার ওষুধ ছাড়া অন্য সব ওষুধ স্বাভাবিক নিয়মে খেতে হবে।",
        "রোগীদের অনুরোধ করা হচ্ছে, চিকিৎসার আগের 6 ঘণ্টা কোনো খাবার খাবেন না এবং আগের 2 ঘণ্টা কোনো পানীয় পান করবেন না। "
        "রক্ত পাতলা করার ওষুধ ছাড়া অন্য সব ওষুধ স্বাভাবিক নিয়মে খেতে হবে।",
    ),
    (
        "markup",
        ERROR,
        "CJK",
        "zh_Hans",
        FASTING,
        "**请您在手术前6小时内不要进食，手术前2小时内不要喝任何液体**。除稀释血液的药物外，其他所有药物都应照常服用。",
        "**请您在手术前6小时内不要进食，手术前2小时内不要喝任何液体*。除稀释血液的药物外，其他所有药物都应照常服用。",
    ),
    # kept terms (a per-locale spelling where the script transliterates)
    (
        "keep",
        ERROR,
        "Latin",
        "pl",
        DRUGS,
        "Leki przeciwzakrzepowe (takie jak warfaryna lub klopidogrel) trzeba odstawić co najmniej 5 dni przed zabiegiem.",
        "Leki przeciwzakrzepowe (leki rozrzedzające krew) trzeba odstawić co najmniej 5 dni przed zabiegiem.",
    ),
    (
        "keep",
        ERROR,
        "Arabic",
        "ur",
        DRUGS,
        "خون پتلا کرنے والی دوائیں جیسے وارفرین یا کلوپیڈوگریل عمل سے کم از کم 5 دن پہلے بند کرنی ہوں گی۔",
        "خون پتلا کرنے والی دوائیں جیسے وارفرین یا دوسری دوائیں عمل سے کم از کم 5 دن پہلے بند کرنی ہوں گی۔",
    ),
    (
        "keep",
        ERROR,
        "Indic",
        "bn",
        DRUGS,
        "রক্ত পাতলা করার ওষুধ, যেমন ওয়ারফারিন বা ক্লোপিডোগ্রেল, চিকিৎসার অন্তত 5 দিন আগে বন্ধ করতে হবে।",
        "রক্ত পাতলা করার ওষুধ চিকিৎসার অন্তত 5 দিন আগে বন্ধ করতে হবে।",
    ),
    (
        "keep",
        ERROR,
        "CJK",
        "zh_Hans",
        DRUGS,
        "抗凝药物（如华法林或氯吡格雷）必须在手术前至少5天停用。",
        "抗凝药物（如华法林等稀释血液的药物）必须在手术前至少5天停用。",
    ),
    # unchanged English (warning)
    (
        "unchanged",
        WARNING,
        "Latin",
        "pl",
        TIME,
        "Będzie Pan/Pani mieć dużo czasu, aby omówić ten zabieg z lekarzem.",
        TIME,
    ),
    ("unchanged", WARNING, "Arabic", "ar", TIME, "سيكون لديك متسع من الوقت لمناقشة هذا الإجراء مع الطبيب.", TIME),
    (
        "unchanged",
        WARNING,
        "Indic",
        "ne",
        "It is safe. " + TIME,
        "यो सुरक्षित छ। तपाईंसँग डाक्टरसँग यो उपचारबारे छलफल गर्न प्रशस्त समय हुनेछ।",
        "यो सुरक्षित छ। " + TIME,
    ),
    (
        "unchanged",
        WARNING,
        "CJK",
        "zh_Hans",
        "It is safe. " + TIME,
        "这是安全的。您将有充足的时间与医生讨论这项手术。",
        "这是安全的。" + TIME,
    ),
    # final punctuation (warning)
    ("punctuation", WARNING, "Latin", "pl", INVASIVE, "Jest to zabieg małoinwazyjny.", "Jest to zabieg małoinwazyjny"),
    ("punctuation", WARNING, "Arabic", "ur", WHAT, "ورٹیبروپلاسٹی کیا ہے؟", "ورٹیبروپلاسٹی کیا ہے۔"),
    ("punctuation", WARNING, "Indic", "bn", INVASIVE, "এটি ন্যূনতম কাটাছেঁড়ার চিকিৎসা।", "এটি ন্যূনতম কাটাছেঁড়ার চিকিৎসা."),
    ("punctuation", WARNING, "CJK", "zh_Hans", INVASIVE, "这是一种微创手术。", "这是一种微创手术."),
    # white space and invisible characters (warning)
    ("whitespace", WARNING, "Latin", "pl", RISKS, "Zagrożenia:", "Zagrożenia: "),
    ("whitespace", WARNING, "Arabic", "ar", RISKS, "المخاطر:", "المخاطر: "),
    ("whitespace", WARNING, "Indic", "pa", RISKS, "ਖ਼ਤਰੇ:", " ਖ਼ਤਰੇ:"),
    ("whitespace", WARNING, "CJK", "zh_Hans", RISKS, "风险：", "风险：\n"),
    # placeholders
    ("placeholders", ERROR, "Latin", "pl", PAGE, "Strona {page} z {pages}", "Strona {page} z {strony}"),
    ("placeholders", ERROR, "Arabic", "ur", PAGE, "صفحہ {page} از {pages}", "صفحہ {page} از {صفحات}"),
    ("placeholders", ERROR, "Indic", "bn", PAGE, "পৃষ্ঠা {page}/{pages}", "পৃষ্ঠা {page}"),
    ("placeholders", ERROR, "CJK", "zh_Hans", PAGE, "第{page}页，共{pages}页", "第{page}页，共{pages页"),
]


def _sample(code: str, start: str) -> tuple[str, str]:
    """(msgid, msgstr) of a sample translation's entry."""
    po = catalogs.load(catalogs.po_path(SAMPLES, code, "RAD_0009"))
    entry = next(e for e in po if e.msgid.startswith(start))
    return entry.msgid, entry.msgstr


def _dropped_sentence(code: str, family: str, stop: str) -> tuple:
    """The anticoagulation entry with its second sentence (the temporary blood thinner) left out."""
    msgid, msgstr = _sample(code, "Anticoagulation")
    parts = msgstr.split(stop)
    return ("completeness", ERROR, family, code, msgid, msgstr, stop.join(parts[:1] + parts[2:]))


CASES += [
    # units: the same number with another unit
    (
        "units",
        ERROR,
        "Latin",
        "pl",
        DURATION,
        "Zabieg trwa zwykle krócej niż 60 minut.",
        "Zabieg trwa zwykle krócej niż 60 godzin.",
    ),
    (
        "units",
        ERROR,
        "Arabic",
        "ur",
        DURATION,
        "اس عمل میں عام طور پر 60 منٹ سے کم وقت لگتا ہے۔",
        "اس عمل میں عام طور پر 60 گھنٹے سے کم وقت لگتا ہے۔",
    ),
    (
        "units",
        ERROR,
        "Indic",
        "bn",
        DURATION,
        "চিকিৎসাটিতে সাধারণত 60 মিনিটের কম সময় লাগে।",
        "চিকিৎসাটিতে সাধারণত 60 ঘণ্টার কম সময় লাগে।",
    ),
    ("units", ERROR, "CJK", "zh_Hans", DURATION, "手术通常不到60分钟。", "手术通常不到60小时。"),
    # numbers in context: 6 hours without food and 2 without drink, swapped
    (
        "context",
        ERROR,
        "Latin",
        "pl",
        FASTING_SHORT,
        "Nie jedz przez 6 godzin ani nie pij przez 2 godziny przed zabiegiem.",
        "Nie jedz przez 2 godziny ani nie pij przez 6 godzin przed zabiegiem.",
    ),
    (
        "context",
        ERROR,
        "Arabic",
        "ar",
        FASTING_SHORT,
        "لا تأكل لمدة 6 ساعات ولا تشرب لمدة 2 ساعة قبل الإجراء.",
        "لا تأكل لمدة 2 ساعة ولا تشرب لمدة 6 ساعات قبل الإجراء.",
    ),
    (
        "context",
        ERROR,
        "Indic",
        "ne",
        FASTING_SHORT,
        "उपचारभन्दा 6 घण्टा अघिदेखि नखानुहोस् र 2 घण्टा अघिदेखि नपिउनुहोस्।",
        "उपचारभन्दा 2 घण्टा अघिदेखि नखानुहोस् र 6 घण्टा अघिदेखि नपिउनुहोस्।",
    ),
    (
        "context",
        ERROR,
        "CJK",
        "zh_Hans",
        FASTING_SHORT,
        "手术前6小时内不要进食，2小时内不要喝水。",
        "手术前2小时内不要进食，6小时内不要喝水。",
    ),
    # currency
    (
        "currency",
        ERROR,
        "Latin",
        "pl",
        PARKING,
        "Parking przy szpitalu kosztuje 3 £ za cały dzień.",
        "Parking przy szpitalu kosztuje 3 zł za cały dzień.",
    ),
    (
        "currency",
        ERROR,
        "Arabic",
        "ur",
        PARKING,
        "ہسپتال میں پورے دن کی پارکنگ 3 پاؤنڈ ہے۔",
        "ہسپتال میں پورے دن کی پارکنگ 3 روپے ہے۔",
    ),
    ("currency", ERROR, "Indic", "bn", PARKING, "হাসপাতালে সারা দিনের পার্কিং খরচ £3।", "হাসপাতালে সারা দিনের পার্কিং খরচ ₹3।"),
    ("currency", ERROR, "CJK", "zh_Hans", PARKING, "医院全天停车费为3英镑。", "医院全天停车费为3元。"),
    # characters that must never be printed
    ("characters", ERROR, "Latin", "pl", RISKS, "Zagrożenia:", "Zagro\x07żenia:"),
    ("characters", ERROR, "Arabic", "ar", RISKS, "المخاطر:", "\u202eالمخاطر:"),
    ("characters", ERROR, "Indic", "pa", RISKS, "ਖ਼ਤਰੇ:", "ਖ਼ਤਰੇ\ufeff:"),
    ("characters", ERROR, "CJK", "zh_Hans", RISKS, "风险：", "风险\u2066：\u2069"),
    # negation dropped (no number in the entry: a warning)
    (
        "negation",
        WARNING,
        "Latin",
        "pl",
        HEALED,
        "Pacjenci z zagojonym złamaniem nie kwalifikują się do wertebroplastyki.",
        "Pacjenci z zagojonym złamaniem kwalifikują się do wertebroplastyki.",
    ),
    (
        "negation",
        WARNING,
        "Arabic",
        "ur",
        HEALED,
        "جن مریضوں کا فریکچر جڑ چکا ہو، وہ ورٹیبروپلاسٹی کے لیے موزوں نہیں ہیں۔",
        "جن مریضوں کا فریکچر جڑ چکا ہو، وہ ورٹیبروپلاسٹی کے لیے موزوں ہیں۔",
    ),
    (
        "negation",
        WARNING,
        "Indic",
        "bn",
        HEALED,
        "যেসব রোগীর ভাঙা জোড়া লেগে গেছে, তাঁরা ভার্টিব্রোপ্লাস্টির জন্য উপযুক্ত নন।",
        "যেসব রোগীর ভাঙা জোড়া লেগে গেছে, তাঁরা ভার্টিব্রোপ্লাস্টির জন্য উপযুক্ত।",
    ),
    (
        "negation",
        WARNING,
        "CJK",
        "zh_Hans",
        HEALED,
        "骨折已经愈合的患者不适合做椎体成形术。",
        "骨折已经愈合的患者适合做椎体成形术。",
    ),
    # times: compared as times (1pm = 13:00 = دوپہر 1 بجے = দুপুর ১টায় = 下午1点)
    ("times", ERROR, "Latin", "pl", "Please come at 1pm.", "Proszę przyjść o 13:00.", "Proszę przyjść o 15:00."),
    ("times", ERROR, "Arabic", "ur", "Please come at 1pm.", "براہ کرم دوپہر ۱ بجے آئیں۔", "براہ کرم رات ۱ بجے آئیں۔"),
    ("times", ERROR, "Indic", "bn", "Please come at 1pm.", "দয়া করে দুপুর ১টায় আসুন।", "দয়া করে রাত ১টায় আসুন।"),
    ("times", ERROR, "CJK", "zh_Hans", "Please come at 1pm.", "请于下午1点到达。", "请于上午1点到达。"),
    # completeness: a sentence left out of the sample translations
    _dropped_sentence("pl", "Latin", ". "),
    _dropped_sentence("ur", "Arabic", "۔ "),
    _dropped_sentence("bn", "Indic", "। "),
    _dropped_sentence("zh_Hans", "CJK", "。"),
]
KEEP.update(
    {
        code: {
            "Warfarin": (w,),
            "Clopidogrel": (c,),
            "Aspirin": (a,),
        }
        for code, w, c, a in [
            ("ur", "وارفرین", "کلوپیڈوگریل", "اسپرین"),
            ("bn", "ওয়ারফারিন", "ক্লোপিডোগ্রেল", "অ্যাসপিরিন"),
            ("zh_Hans", "华法林", "氯吡格雷", "阿司匹林"),
        ]
    }
)
KEEP["pl"] = ("Warfarin", "Clopidogrel", "Aspirin")


def _ids(case):
    return f"{case[0]}-{case[2]}-{case[3]}"


@pytest.mark.parametrize("check,severity,family,code,msgid,good,bad", CASES, ids=[_ids(c) for c in CASES])
def test_catches_the_mistake(check, severity, family, code, msgid, good, bad):
    found = [f for f in check_entry(msgid, bad, code, KEEP.get(code, ())) if f.check == check]
    assert [f.severity for f in found] == [severity], found


@pytest.mark.parametrize("check,severity,family,code,msgid,good,bad", CASES, ids=[_ids(c) for c in CASES])
def test_correct_translation_passes_every_check(check, severity, family, code, msgid, good, bad):
    assert check_entry(msgid, good, code, KEEP.get(code, ())) == []


def test_every_check_is_covered_in_every_family():
    covered = {(c[0], c[2]) for c in CASES}
    from leaflets.checks import CHECKS

    assert covered == {(check, family) for check in CHECKS for family in ("Latin", "Arabic", "Indic", "CJK")}


def _messages(msgid, msgstr, code, keep=(), flags=()):
    return {f.check: f for f in check_entry(msgid, msgstr, code, keep, flags)}


# --- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code,msgstr",
    [
        ("fr", "Prendre 7,5 mg."),
        ("pl", "Weź 7,5 mg."),
        ("pl", "Weź 7.5 mg."),
        ("ro", "Luați 7,5 mg."),
        ("de", "7,5 mg einnehmen."),
        ("ar", "تناول ٧٫٥ ملغ."),
        ("ur", "۷.۵ ملی گرام لیں۔"),
    ],
)
def test_locale_decimal_comma_equals_point(code, msgstr):
    assert "numbers" not in _messages("Take 7.5 mg.", msgstr, code)


@pytest.mark.parametrize("code,msgstr", [("pl", "Weź 75 mg."), ("fr", "Prendre 0,75 mg."), ("ur", "۷۵ ملی گرام لیں۔")])
def test_a_moved_or_lost_decimal_is_an_error(code, msgstr):
    found = _messages("Take 7.5 mg.", msgstr, code)["numbers"]
    assert found.severity == ERROR and "7.5 in the source" in found.message


@pytest.mark.parametrize(
    "code,msgstr",
    [
        ("pl", "Około 1 000 pacjentów."),
        ("pl", "Około 1\u00a0000 pacjentów."),
        ("fr", "Environ 1\u202f000 patients."),
        ("ro", "Aproximativ 1.000 de pacienți."),
        ("de", "Etwa 1.000 Patienten."),
        ("pl", "Około 1000 pacjentów."),
        ("hi", "लगभग 1,000 मरीज़।"),
        ("ar", "حوالي ١٬٠٠٠ مريض."),
    ],
)
def test_thousands_separators_of_the_locale(code, msgstr):
    assert "numbers" not in _messages("About 1,000 patients.", msgstr, code)


def test_indian_lakh_grouping():
    assert "numbers" not in _messages("About 100,000 people.", "लगभग 1,00,000 लोग।", "hi")
    assert "numbers" in _messages("About 100,000 people.", "लगभग 10,000 लोग।", "hi")


def test_a_thousands_point_is_not_a_decimal_point_in_english_style_locales():
    found = _messages("About 1,000 patients.", "حوالي 1.000 مريض.", "ar")["numbers"]
    assert "1000 in the source, 1 in the translation" in found.message


@pytest.mark.parametrize(
    "code,msgstr",
    [
        ("ar", "الخطر ١ من ٥٠٠."),
        ("ur", "خطرہ ۵۰۰ میں سے ۱ ہے۔"),
        ("ne", "जोखिम ५०० मा १ हो।"),
        ("bn", "ঝুঁকি ৫০০-এ ১।"),
        ("pa", "ਖ਼ਤਰਾ ੫੦੦ ਵਿੱਚੋਂ ੧ ਹੈ।"),
        ("zh_Hans", "风险为５００分之１。"),
    ],
)
def test_native_digits_compare_by_value_in_any_word_order(code, msgstr):
    assert "numbers" not in _messages("The risk is 1 in 500.", msgstr, code)


@pytest.mark.parametrize(
    "code,msgstr", [("ar", "الخطر ١ من ٥٠."), ("ne", "जोखिम ५० मा १ हो।"), ("zh_Hans", "风险为５０分之１。")]
)
def test_native_digits_wrong_value(code, msgstr):
    found = _messages("The risk is 1 in 500.", msgstr, code)["numbers"]
    assert found.message == "500 in the source, 50 in the translation"


def test_ranges_times_and_digits_inside_words():
    assert "numbers" not in _messages("Rest for 1-2 hours.", "Odpoczywaj od 1 do 2 godzin.", "pl")
    assert "numbers" in _messages("Rest for 1-2 hours.", "Odpoczywaj 1 godzinę.", "pl")
    assert "numbers" not in _messages("Please arrive at 7.30am.", "Prosimy przyjść o 7:30.", "pl")
    assert "numbers" not in _messages("Ask about vitamin B12 and COVID-19.", "Zapytaj o witaminę B12 i COVID-19.", "pl")
    assert "numbers" in _messages("Ask about vitamin B12.", "Zapytaj o witaminę B1.", "pl")


def test_a_repeated_number_must_stay_repeated():
    found = _messages("The risk is 1 in 500. Again, it is 1 in 500.", "Ryzyko wynosi 1 na 500.", "pl")["numbers"]
    assert found.severity == ERROR and "500 appears twice in the source, once in the translation" in found.message


def test_an_added_number_is_only_a_warning():
    found = _messages("After an hour you can get up.", "Po 1 godzinie można wstać.", "pl")["numbers"]
    assert found.severity == WARNING and "1 in the translation is not in the source" in found.message


def test_phone_number_is_one_token_not_three_numbers():
    found = _messages(CALL, "Zadzwoń: 0118 322 7991 lub 0118 322 7992.", "pl")
    assert set(found) == {"phones"} and found["phones"].severity == WARNING
    assert "phones" not in _messages(CALL, "Zadzwoń: 01183 227991.", "pl")  # spacing is the translator's


def test_a_number_written_after_a_phone_number_is_not_part_of_it():
    msgid = "Call 0118 322 7991 24 hours a day."
    assert _messages(msgid, "Przez 24 godziny na dobę: 0118 322 7991.", "pl") == {}
    found = _messages(msgid, "Przez 24 godziny na dobę: 0118 322 7992.", "pl")
    assert set(found) == {"phones"} and found["phones"].severity == ERROR


def test_capitalised_and_bare_addresses_are_addresses():
    found = _messages("Visit NHS.UK for more.", "Więcej na NHS.PL.", "pl")["addresses"]
    assert found.severity == ERROR and "web address NHS.UK" in found.message
    assert _messages("Visit nhs.uk for more.", "请访问nhs.uk了解更多。", "zh_Hans") == {}  # against Chinese text
    assert _messages("Visit nhs.uk for more.", "请访问nhs.com了解更多。", "zh_Hans")["addresses"].severity == ERROR


def test_numbers_in_addresses_are_left_to_the_address_check():
    msgid = "See [www.nice.org.uk/guidance/IPG12](https://www.nice.org.uk/guidance/IPG12)."
    found = _messages(msgid, "Zobacz [www.nice.org.uk/guidance/IPG21](https://www.nice.org.uk/guidance/IPG12).", "pl")
    assert set(found) == {"addresses"}


# --- markup ----------------------------------------------------------------------------------

NICE = (
    "National Institute for Health and Clinical Excellence (NICE) "
    "[www.nice.org.uk/guidance/IPG12](https://www.nice.org.uk/guidance/IPG12)\\\nPercutaneous Vertebroplasty"
)
NICE_PL = (
    "Narodowy Instytut Zdrowia i Doskonałości Klinicznej (NICE) "
    "[www.nice.org.uk/guidance/IPG12](https://www.nice.org.uk/guidance/IPG12)\\\nPrzezskórna wertebroplastyka"
)


def test_link_target_must_be_the_same():
    assert _messages(NICE, NICE_PL, "pl") == {}
    bad = NICE_PL.replace("(https://www.nice.org.uk/guidance/IPG12)", "(https://www.nice.org.uk/guidance/IPG2)")
    found = _messages(NICE, bad, "pl")["markup"]
    assert found.severity == ERROR and "link to https://www.nice.org.uk/guidance/IPG12 in the source" in found.message


def test_broken_link_syntax():
    found = _messages(NICE, NICE_PL.replace("IPG12](https", "IPG12] (https"), "pl")["markup"]
    assert found.severity == ERROR


def test_lost_line_break_is_a_warning():
    found = _messages(NICE, NICE_PL.replace("\\\n", " "), "pl")["markup"]
    assert found.severity == WARNING and "line break" in found.message


@pytest.mark.parametrize("tag", ['<font name="NotoSans">', "<para>", "<br/>", "<i>", '<span dir="rtl">', "&lt;b&gt;"])
def test_raw_and_reportlab_tags_are_refused(tag):
    found = _messages("Do not eat.", f"{tag}Nie jedz.", "pl")["markup"]
    assert found.severity == ERROR and "printed as text" in found.message


def test_entity_is_a_warning_and_autolink_is_not_a_tag():
    assert _messages("Do not eat.", "Nie&nbsp;jedz.", "pl")["markup"].severity == WARNING
    msgid = "Visit <https://www.nhs.uk>."
    assert _messages(msgid, "Odwiedź <https://www.nhs.uk>.", "pl") == {}


def test_emphasis_for_strong_is_only_a_warning_since_both_print_bold():
    found = _messages("**Do not eat.**", "*Nie jedz.*", "pl")["markup"]
    assert found.severity == WARNING


def test_markdown_the_format_forbids_is_an_error():
    found = _messages("Do not eat.", "Nie jedz. ![x](x.png)", "pl")["markup"]
    assert found.severity == ERROR and "image" in found.message


def test_escaped_asterisk_in_the_source_may_stay():
    assert _messages("Marked \\* items.", "Elementy oznaczone \\*.", "pl") == {}


# --- kept terms ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code,msgstr",
    [
        ("pl", "Nie przerywaj przyjmowania warfaryny."),  # inflected
        ("ro", "Nu opriți warfarina."),
        ("cy", "Peidiwch â stopio Warffarin."),
        ("ur", "Warfarin لینا بند نہ کریں۔"),  # kept in Latin
        ("ar", "لا تتوقف عن تناول الوارفارين (Warfarin)."),
    ],
)
def test_kept_term_present_in_some_form(code, msgstr):
    assert "keep" not in _messages("Do not stop taking Warfarin.", msgstr, code, ("Warfarin",))


def test_kept_term_translated_away_in_latin_script():
    found = _messages("Do not stop taking Warfarin.", "Nie przerywaj przyjmowania heparyny.", "pl", ("Warfarin",))[
        "keep"
    ]
    assert found.severity == ERROR and "Warfarin is missing" in found.message


def test_transliterating_script_without_a_spelling_is_a_warning_not_an_error():
    found = _messages("Do not stop taking Warfarin.", "وارفرین لینا بند نہ کریں۔", "ur", ("Warfarin",))["keep"]
    assert found.severity == WARNING and "X-Keep-Terms" in found.message


def test_any_of_several_spellings_counts():
    keep = {"Warfarin": ("وارفرین", "وارفارین")}
    assert "keep" not in _messages("Do not stop taking Warfarin.", "وارفارین لینا بند نہ کریں۔", "ur", keep)
    assert _messages("Do not stop taking Warfarin.", "ہیپرین لینا بند نہ کریں۔", "ur", keep)["keep"].severity == ERROR


def test_kept_term_only_where_the_source_has_it():
    assert _messages("Do not eat.", "Nie jedz.", "pl", ("Warfarin",)) == {}


# --- unchanged -------------------------------------------------------------------------------


def test_names_numbers_and_allowed_strings_may_stay_english():
    assert _messages("Warfarin", "Warfarin", "pl", ("Warfarin",)) == {}
    assert _messages("www.nhs.uk", "www.nhs.uk", "ur") == {}
    assert _messages("MRI", "MRI", "pl") != {}
    assert check_entry("MRI", "MRI", "pl", allowed_unchanged=("MRI",)) == []


def test_short_fragments_inside_a_translation_are_not_untranslated_sentences():
    assert "unchanged" not in _messages(
        NICE, NICE_PL.replace("Przezskórna wertebroplastyka", "Percutaneous Vertebroplasty"), "pl"
    )


# --- punctuation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code,msgstr",
    [
        ("ur", "یہ محفوظ ہے۔"),
        ("ar", "إنه آمن."),
        ("zh_Hans", "这是安全的。"),
        ("ne", "यो सुरक्षित छ।"),
        ("pa", "ਇਹ ਸੁਰੱਖਿਅਤ ਹੈ।"),
        ("bn", "এটি নিরাপদ।"),
        ("pl", "To jest „bezpieczne”."),
        ("fr", "C’est sûr !"),
    ],
)
def test_each_script_ends_its_own_way(code, msgstr):
    msgid = "It is safe!" if code == "fr" else "It is safe."
    assert "punctuation" not in _messages(msgid, msgstr, code)


def test_locale_full_stop_expected():
    found = _messages("It is safe.", "یہ محفوظ ہے.", "ur")["punctuation"]
    assert found.severity == WARNING and "'۔'" in found.message


def test_translator_may_end_a_sentence_the_source_left_open():
    assert "punctuation" not in _messages("Patients can respond well", "Pacjenci mogą dobrze reagować.", "pl")


def test_question_becomes_statement():
    assert "punctuation" in _messages(WHAT, "Czym jest wertebroplastyka.", "pl")
    assert "punctuation" not in _messages(WHAT, "什么是椎体成形术？", "zh_Hans")
    assert "punctuation" not in _messages(WHAT, "ما هو رأب الفقرات؟", "ar")


# --- suppression flags -----------------------------------------------------------------------


def test_flag_silences_one_check_only():
    bad = "Oceniamy, że ryzyko wynosi 1 na 50"
    found = _messages(RISK, bad, "pl", flags=["ignore-numbers"])
    assert "numbers" not in found and "punctuation" in found


def test_unused_and_unknown_flags_are_reported():
    found = check_entry(
        RISK,
        "Oceniamy, że ryzyko wynosi 1 na 500.",
        "pl",
        flags=["ignore-numbers", "ignore-number", "ignore-placeholders"],
    )
    messages = sorted(f.message for f in found if f.check == "flags")
    assert len(messages) == 3 and all(f.severity == WARNING for f in found)
    assert any("ignore-numbers silences nothing" in m for m in messages)
    assert any("ignore-number is not a check" in m for m in messages)
    assert any("ignore-placeholders cannot be ignored" in m for m in messages)


def test_placeholders_cannot_be_silenced():
    found = _messages(PAGE, "Strona {page} z {strony}", "pl", flags=["ignore-placeholders"])
    assert found["placeholders"].severity == ERROR


def test_finding_text():
    found = check_entry(RISK, "Oceniamy, że ryzyko wynosi 1 na 50.", "pl")
    assert [str(f) for f in found] == [
        'error [numbers] "We consider the risk of this occurring…": 500 in the source, 50 in the translation'
    ]


def test_allowed_english_name_inside_a_sentence():
    msgid = "Further reading: Percutaneous Vertebroplasty for Spinal Fractures."
    msgstr = "Dalsza lektura: Percutaneous Vertebroplasty for Spinal Fractures."
    assert "unchanged" in _messages(msgid, msgstr, "pl")
    assert (
        check_entry(msgid, msgstr, "pl", allowed_unchanged=["Percutaneous Vertebroplasty for Spinal Fractures"]) == []
    )


def test_plain_text_shortcut_gives_the_runs_of_the_markdown_parser():
    from leaflets import catalogs, inline
    from leaflets.checks import _runs
    from leaflets.project import Project

    project = Project(Path(__file__).resolve().parent.parent)
    texts = {
        e.msgstr or e.msgid
        for code in project.locale_codes()[1:]
        for domain in ("RAD_0009", "common")
        for e in catalogs.load(catalogs.po_path(project.locales_dir, code, domain))
    }
    texts |= {
        "  a \t b  ",
        "a\u00a0 b",
        "",
        "   ",
        "a  \nb",
        "x_y",
        "a & b",
        "5 > 3",
        "wow!",
        "~~x~~",
        "a | b",
        "1. x",
        "# x",
        "- x",
        "+ x",
        "=== x",
        "www.nhs.uk",
        "https://nhs.uk",
        "a\u3000b",
        "a\u2028b",
    }
    for text in texts:
        assert _runs(text) == (inline.parse(text), ""), repr(text)
