"""Text material of the replica: headlines, sentences, date phrases, attributions.

Sentences hold no date unless they are built by a ``DatePhrase`` that reports what it wrote, so
the generator knows every date mention of every body (``dates_mentioned`` of the ground truth).
The traps of site.md are here on purpose: phone numbers, ``№ 136`` without a date, ``5G``,
``4 тыс. объектов``, money and percentages must not become dates.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

GENITIVE = {
    "ru": ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
           "октября", "ноября", "декабря"],
    "be": ["студзеня", "лютага", "сакавіка", "красавіка", "мая", "чэрвеня", "ліпеня", "жніўня",
           "верасня", "кастрычніка", "лістапада", "снежня"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
}
NOMINATIVE_RU = ["Январь", "Февраль", "Март", "Апрель", "Май", "Июнь", "Июль", "Август",
                 "Сентябрь", "Октябрь", "Ноябрь", "Декабрь"]
LOCATIVE = {
    "ru": ["январе", "феврале", "марте", "апреле", "мае", "июне", "июле", "августе", "сентябре",
           "октябре", "ноябре", "декабре"],
    "be": ["студзені", "лютым", "сакавіку", "красавіку", "маі", "чэрвені", "ліпені", "жніўні",
           "верасні", "кастрычніку", "лістападзе", "снежні"],
}
WEEKDAYS_RU = ["Понедельник", "Вторник", "Среда", "Четверг", "Пятница", "Суббота", "Воскресенье"]

TOPICS = {
    "ru": [
        "Минсвязи и РУП «Белтелеком» подвели итоги работы отрасли",
        "Министр связи и информатизации провел прием граждан",
        "В Минске прошел форум «ТИБО»",
        "Коллегия Министерства связи и информатизации рассмотрела итоги года",
        "Развитие сетей 5G обсудили на совещании в Минсвязи",
        "Белпочта расширяет сеть почтовых отделений",
        "Глава Минсвязи поздравляет со Всемирным днем почты",
        "Поздравление с Днем работников связи",
        "Состоялось заседание межведомственной комиссии по информатизации",
        "Минсвязи информирует о проведении конкурса",
        "О ходе реализации Государственной программы «Цифровое развитие Беларуси»",
        "Делегация Минсвязи посетила Республику Корея",
        "В регионах продолжается модернизация сетей широкополосного доступа",
        "Итоги республиканского конкурса «Лучший по профессии»",
        "Электронное правительство: новые сервисы для граждан",
        "О мерах по обеспечению информационной безопасности",
        "Открытие центра обработки данных в Гомельской области",
        "Минсвязи разъясняет порядок регистрации доменных имен",
    ],
    "be": [
        "Міністр сувязі і інфарматызацыі правёў прыём грамадзян",
        "У Мінску адбыўся форум «ТІБО»",
        "Віншаванне з Днём работнікаў сувязі",
        "Аб ходзе рэалізацыі Дзяржаўнай праграмы «Лічбавае развіццё Беларусі»",
        "Белпошта пашырае сетку паштовых аддзяленняў",
        "Калегія Міністэрства сувязі і інфарматызацыі разгледзела вынікі года",
    ],
    "en": [
        "Minister of Communications and Informatization held a reception of citizens",
        "TIBO forum took place in Minsk",
        "Congratulations on the Day of Communication Workers",
        "Progress of the State Program Digital Development of Belarus",
        "Belpochta expands its network of post offices",
        "The Ministry discussed the development of 5G networks",
    ],
}

# Sentences with no date in them; some carry numbers that a careless date finder would take.
FILLER = {
    "ru": [
        "В мероприятии приняли участие представители организаций отрасли связи.",
        "Особое внимание было уделено вопросам качества услуг электросвязи.",
        "Участники обсудили перспективы внедрения технологий 5G на территории республики.",
        "По итогам встречи достигнута договоренность о дальнейшем сотрудничестве.",
        "К сетям широкополосного доступа подключено более 4 тыс. объектов социальной сферы.",
        "Объем экспорта услуг вырос на 12,5 % по сравнению с прошлым годом.",
        "Стоимость проекта составляет 1,5 млн рублей.",
        "Справки по телефону +375 (17) 287 87 06.",
        "Документ зарегистрирован под № 136 в установленном порядке.",
        "Министр отметил важность подготовки квалифицированных кадров для отрасли.",
        "Предложения принимаются по адресу: 220030, г. Минск, пр-т Независимости, 10.",
        "Доля абонентов, использующих мобильный интернет, превысила 80 %.",
        "В работе коллегии приняли участие руководители 6 областных филиалов.",
        "Белтелеком обеспечивает доступ к сети Интернет со скоростью до 1 Гбит/с.",
        "Эта страна - лидер на мировом пространстве, поэтому у нее есть чему поучиться.",
        "Особое внимание уделено защите персональных данных граждан.",
        "Версия 2.5.1 программного обеспечения установлена на 350 рабочих местах.",
        "Заявки направляются на электронный адрес mpt@mpt.gov.by.",
    ],
    "be": [
        "У мерапрыемстве прынялі ўдзел прадстаўнікі арганізацый галіны сувязі.",
        "Асаблівая ўвага была нададзена пытанням якасці паслуг электрасувязі.",
        "Удзельнікі абмеркавалі перспектывы ўкаранення тэхналогій 5G.",
        "Да сетак шырокапалоснага доступу падключана больш за 4 тыс. аб'ектаў.",
        "Даведкі па тэлефоне +375 (17) 287 87 06.",
    ],
    "en": [
        "Representatives of the communications industry took part in the event.",
        "Particular attention was paid to the quality of telecommunication services.",
        "The participants discussed the prospects for the introduction of 5G technologies.",
        "More than 4 thousand social facilities are connected to broadband networks.",
        "For information, call +375 (17) 287 87 06.",
    ],
}


@dataclass(frozen=True)
class Mention:
    text: str
    date: str
    kind: str


@dataclass(frozen=True)
class Sentence:
    text: str
    mentions: tuple[Mention, ...] = ()


def _iso(d: dt.date) -> str:
    return d.isoformat()


def _legal_ru(rng: random.Random, pub: dt.date) -> Sentence:
    act = pub - dt.timedelta(days=rng.randint(30, 2000))
    number = rng.choice(["136", "5-З", "1/2345", "66", "235"])
    form = rng.choice(["г.", "года"])
    phrase = f"от {act.day} {GENITIVE['ru'][act.month - 1]} {act.year} {form} № {number}"
    doc = rng.choice(["постановлением Совета Министров Республики Беларусь",
                      "приказом Министерства связи и информатизации", "Указом Президента"])
    return Sentence(f"Работа ведется в соответствии с {doc} {phrase}.",
                    (Mention(phrase, _iso(act), "legal_act"),))


def _legal_numeric_ru(rng: random.Random, pub: dt.date) -> Sentence:
    act = pub - dt.timedelta(days=rng.randint(30, 4000))
    phrase = f"от {act:%d.%m.%Y} № {rng.randint(10, 999)}"
    return Sentence(f"Положение утверждено постановлением {phrase}.",
                    (Mention(phrase, _iso(act), "legal_act"),))


def _year_range_ru(rng: random.Random, pub: dt.date) -> Sentence:
    start = pub.year + rng.randint(-2, 1)
    end = start + rng.choice([2, 4, 5, 6])
    dash = rng.choice(["-", " – ", "–"])
    phrase = f"на {start}{dash}{end} годы"
    return Sentence(f"Утверждена программа развития отрасли {phrase}.",
                    (Mention(phrase, f"{start}/{end}", "range"),))


def _month_range_ru(rng: random.Random, pub: dt.date) -> Sentence:
    first = pub.month % 12 + 1  # the month after publication, in the same or next year
    second = first % 12 + 1
    year1 = pub.year + (1 if first < pub.month else 0)
    year2 = year1 + (1 if second < first else 0)
    if year1 != year2:  # "в декабре-январе" spans a year: keep the example simple
        return _plain_date_ru(rng, pub)
    phrase = f"в {LOCATIVE['ru'][first - 1]}-{LOCATIVE['ru'][second - 1]}"
    return Sentence(f"Первые решения планируется принять {phrase}.",
                    (Mention(phrase, f"{year1}-{first:02d}/{year2}-{second:02d}", "range"),))


def _plain_date_ru(rng: random.Random, pub: dt.date) -> Sentence:
    day = pub + dt.timedelta(days=rng.randint(3, 60))
    year_form = rng.choice(["года", "г."])
    phrase = f"{day.day} {GENITIVE['ru'][day.month - 1]} {day.year} {year_form}"
    return Sentence(f"Следующее заседание состоится {phrase} в Минске.",
                    (Mention(phrase, _iso(day), "date"),))


def _yearless_ru(rng: random.Random, pub: dt.date) -> Sentence:
    # Near the publication date, so the year nearest to it is the true one; crosses New Year
    # when the article is from late December or early January.
    day = pub + dt.timedelta(days=rng.randint(-20, 20))
    phrase = f"{day.day} {GENITIVE['ru'][day.month - 1]}"
    return Sentence(f"Прием документов продлится до {phrase} включительно.",
                    (Mention(phrase, _iso(day), "date"),))


def _numeric_ru(rng: random.Random, pub: dt.date) -> Sentence:
    day = pub - dt.timedelta(days=rng.randint(400, 6000))
    phrase = f"{day:%d.%m.%Y}"
    return Sentence(f"Сеть была введена в эксплуатацию {phrase}.",
                    (Mention(phrase, _iso(day), "date"),))


def _month_ru(rng: random.Random, pub: dt.date) -> Sentence:
    month = (pub.month - 2) % 12 + 1  # the month before publication
    year = pub.year - (1 if month > pub.month else 0)
    phrase = f"в {LOCATIVE['ru'][month - 1]} {year} года"
    return Sentence(f"Аналогичная встреча прошла {phrase}.",
                    (Mention(phrase, f"{year}-{month:02d}", "month"),))


def _day_range_ru(rng: random.Random, pub: dt.date) -> Sentence:
    start = pub + dt.timedelta(days=rng.randint(5, 40))
    end = start + dt.timedelta(days=rng.randint(1, 10))
    if end.month != start.month:
        return _plain_date_ru(rng, pub)
    phrase = f"с {start.day} по {end.day} {GENITIVE['ru'][end.month - 1]} {end.year} года"
    return Sentence(f"Выставка будет работать {phrase}.",
                    (Mention(phrase, f"{_iso(start)}/{_iso(end)}", "range"),))


def _legal_be(rng: random.Random, pub: dt.date) -> Sentence:
    act = pub - dt.timedelta(days=rng.randint(30, 2000))
    number = rng.randint(1, 400)
    phrase = f"ад {act.day} {GENITIVE['be'][act.month - 1]} {act.year} года № {number}"
    return Sentence(f"Праца вядзецца ў адпаведнасці з пастановай {phrase}.",
                    (Mention(phrase, _iso(act), "legal_act"),))


def _plain_date_be(rng: random.Random, pub: dt.date) -> Sentence:
    day = pub + dt.timedelta(days=rng.randint(3, 60))
    phrase = f"{day.day} {GENITIVE['be'][day.month - 1]} {day.year} года"
    return Sentence(f"Наступнае пасяджэнне адбудзецца {phrase}.",
                    (Mention(phrase, _iso(day), "date"),))


def _legal_en(rng: random.Random, pub: dt.date) -> Sentence:
    act = pub - dt.timedelta(days=rng.randint(30, 2000))
    number = rng.randint(1, 400)
    phrase = f"dated {GENITIVE['en'][act.month - 1]} {act.day}, {act.year} No. {number}"
    return Sentence(f"The work is carried out in accordance with Resolution {phrase}.",
                    (Mention(phrase, _iso(act), "legal_act"),))


def _plain_date_en(rng: random.Random, pub: dt.date) -> Sentence:
    day = pub + dt.timedelta(days=rng.randint(3, 60))
    phrase = f"{day.day} {GENITIVE['en'][day.month - 1]} {day.year}"
    return Sentence(f"The next meeting will take place on {phrase}.",
                    (Mention(phrase, _iso(day), "date"),))


DATE_SENTENCES: dict[str, list[Callable[[random.Random, dt.date], Sentence]]] = {
    "ru": [_legal_ru, _legal_numeric_ru, _year_range_ru, _month_range_ru, _plain_date_ru,
           _yearless_ru, _numeric_ru, _month_ru, _day_range_ru],
    "be": [_legal_be, _plain_date_be],
    "en": [_legal_en, _plain_date_en],
}

LIST_ITEMS = {
    "ru": ["обеспечение доступности услуг связи", "развитие электронных услуг",
           "модернизация почтовой инфраструктуры", "подготовка кадров для ИКТ-отрасли",
           "внедрение технологий 5G", "повышение качества обслуживания абонентов"],
    "be": ["развіццё электронных паслуг", "мадэрнізацыя паштовай інфраструктуры",
           "падрыхтоўка кадраў"],
    "en": ["development of electronic services", "modernization of postal infrastructure",
           "training of specialists"],
}
TABLE_HEADERS = {"ru": ["Показатель", "Значение"], "be": ["Паказчык", "Значэнне"],
                 "en": ["Indicator", "Value"]}
TABLE_ROWS = {
    "ru": [["Абоненты сотовой связи, млн", "11,8"], ["Доля оптических линий, %", "95"],
           ["Почтовые отделения", "3 100"], ["Рост экспорта, %", "12,5"]],
    "be": [["Абаненты сотавай сувязі, млн", "11,8"], ["Паштовыя аддзяленні", "3 100"]],
    "en": [["Mobile subscribers, million", "11.8"], ["Post offices", "3,100"]],
}
HEADINGS = {"ru": "Основные направления работы", "be": "Асноўныя напрамкі работы",
            "en": "Main areas of work"}
IMAGE_ALTS = {"ru": ["Участники совещания", "Министр связи и информатизации", "Фото пресс-службы"],
              "be": ["Удзельнікі нарады"], "en": ["Participants of the meeting"]}
ATTACHMENT_TITLES = ["Постановление Совета Министров № 136", "Положение о конкурсе",
                     "Перечень документов", "Отчет о работе отрасли"]

# Attribution paragraphs: (html template, expected raw text, name, url); {u} is the link.
ATTRIBUTIONS: dict[str, list[tuple[str, str, str, str | None]]] = {
    "ru": [
        ('Использована информация с сайта: <a href="{u}">{u}</a>',
         "Использована информация с сайта: {u}", "belta.by", "http://www.belta.by"),
        ('Источник: <a href="{u}">БЕЛТА</a>', "Источник: БЕЛТА", "БЕЛТА",
         "https://www.belta.by/society/view/123456/"),
        ("По информации пресс-службы Совета Министров.",
         "По информации пресс-службы Совета Министров.", "пресс-службы Совета Министров", None),
        ('Использована информация с сайта: <a href="{u}">{u}</a>',
         "Использована информация с сайта: {u}", "sb.by", "https://www.sb.by"),
    ],
    "be": [
        ('Крыніца: <a href="{u}">БЕЛТА</a>', "Крыніца: БЕЛТА", "БЕЛТА", "https://blr.belta.by"),
    ],
    "en": [
        ('Source: <a href="{u}">BelTA</a>', "Source: BelTA", "BelTA", "https://eng.belta.by"),
    ],
}
PHOTO_CREDITS = {"ru": ("Фото: пресс-служба Минсвязи", "пресс-служба Минсвязи"),
                 "be": ("Фота: прэс-служба Мінсувязі", "прэс-служба Мінсувязі"),
                 "en": ("Photo: press service of the Ministry", "press service of the Ministry")}
CAPTIONS = {"ru": ["Во время совещания", "Участники форума"], "be": ["Падчас нарады"],
            "en": ["During the meeting"]}
READ_MORE = {"ru": "Подробности тут", "be": "Падрабязнасці тут", "en": "Read more here"}
TRANSLIT = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіў",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r",
     "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya", "i", "u"],
    strict=True,
))


def slugify(title: str, limit: int = 100) -> str:
    """Pathauto's alias: transliterated, lower case, words joined by ``-``, cut to ``limit``
    characters at a word boundary (the seed's alias ends at "…v-oblasti-elektronnogo")."""
    words: list[str] = []
    for raw in title.lower().split():
        word = "".join(TRANSLIT.get(ch, ch if ch.isascii() and ch.isalnum() else " ")
                       for ch in raw)
        words.extend(w for w in word.split() if w)
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > limit:
            break
        slug = candidate
    return slug
