"""Writes this corpus's question files (questions/*.jsonl), as corpora/multilingual/make_questions.py does for the
first multilingual corpus: every fact asked in Ukrainian, Russian and English, one file per row of
eval/multilingual-b.toml ("uk-en": Ukrainian questions, English reports).

    python eval/corpora/multilingual-b/make_questions.py
"""
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))
from language_rows import write_all  # noqa: E402  (eval/corpora/language_rows.py)

D = {  # sentences as the documents write them
 "en-ferry": ("en-ferry.md", {
   "capacity": "The ferry Dunai-2 can carry 24 cars and 150 passengers on each crossing, the operator Bessarabia Lines said.",
   "ticket": "A one-way ticket costs 12 euros for a passenger and 45 euros for a car.",
   "crossing": "The crossing takes about 90 minutes, and the ferry will sail twice a day, at 8:00 and 16:00.",
   "why": "The route was suspended in 2022 when the border checkpoint in Izmail was closed for reconstruction, the company's director Ivan Petrescu said.",
 }),
 "uk-ferry": ("uk-ferry.md", {
   "capacity": "Пором «Дунай-2» може перевезти за один рейс 24 автомобілі та 150 пасажирів, повідомив оператор «Бессарабські лінії».",
   "ticket": "Квиток в один бік коштує 12 євро для пасажира і 45 євро для автомобіля.",
   "crossing": "Переправа триває близько 90 хвилин, пором ходитиме двічі на день — о 8:00 та 16:00.",
   "why": "Рейси припинили у 2022 році, коли пункт пропуску в Ізмаїлі закрили на реконструкцію, розповів директор компанії Іван Петреску.",
 }),
 "uk-metro": ("uk-metro.md", {
   "opened": "Станцію метро «Університет» у Харкові знову відкрили для пасажирів 7 жовтня після семи місяців ремонту.",
   "replaced": "Під час робіт замінили два ескалатори та систему вентиляції, повідомив директор метрополітену Андрій Зубенко.",
   "cost": "Ремонт коштував 86 мільйонів гривень, з яких половину виділила міська рада.",
   "hours": "Станція працюватиме з 5:30 до 23:00, а в години пік потяги курсуватимуть кожні чотири хвилини.",
 }),
 "ru-metro": ("ru-metro.md", {
   "opened": "Станцию метро «Университет» в Харькове вновь открыли для пассажиров 7 октября после семи месяцев ремонта.",
   "replaced": "Во время работ заменили два эскалатора и систему вентиляции, сообщил директор метрополитена Андрей Зубенко.",
   "cost": "Ремонт обошёлся в 86 миллионов гривен, половину из которых выделил городской совет.",
   "hours": "Станция будет работать с 5:30 до 23:00, а в часы пик поезда будут ходить каждые четыре минуты.",
 }),
 "en-tram": ("en-tram.md", {
   "length": "The line is 2.1 kilometres long and has four stops, the city's transport department said.",
   "cost": "Construction cost 42 million euros, of which 30 million came from European Union funds.",
   "frequency": "Trams on the new line will run every six minutes during the day.",
   "passengers": "The city expects about 6,000 passengers a day, deputy mayor Kalle Tamm said.",
 }),
 "ru-tram": ("ru-tram.md", {
   "length": "Длина линии — 2,1 километра, на ней четыре остановки, сообщил городской департамент транспорта.",
   "cost": "Строительство обошлось в 42 миллиона евро, из которых 30 миллионов выделил Европейский союз.",
   "frequency": "Днём трамваи на новой линии будут ходить каждые шесть минут.",
   "passengers": "Город ожидает около 6000 пассажиров в день, заявил вице-мэр Калле Тамм.",
 }),
}
STORY_DOCS = {"ferry": ["en-ferry", "uk-ferry"], "metro": ["uk-metro", "ru-metro"], "tram": ["en-tram", "ru-tram"]}

# (story, fact, answers in any language, type, {lang: question})
Q = [
 ("ferry", "capacity", ["24"], "number",
  {"uk": "Скільки автомобілів може перевезти пором «Дунай-2»?", "ru": "Сколько машин может перевезти паром «Дунай-2»?", "en": "How many cars can the Dunai-2 ferry carry?"}),
 ("ferry", "ticket", ["12 euros", "12 євро", "45"], "number",
  {"uk": "Скільки коштує квиток на пором з Ізмаїла до Тулчі?", "ru": "Сколько стоит билет на паром из Измаила в Тулчу?", "en": "How much is a ticket on the Izmail to Tulcea ferry?"}),
 ("ferry", "crossing", ["90"], "number",
  {"uk": "Скільки триває переправа з Ізмаїла до Тулчі?", "ru": "Сколько длится переправа из Измаила в Тулчу?", "en": "How long does the ferry crossing from Izmail to Tulcea take?"}),
 ("ferry", "why", ["reconstruction", "реконструкцію"], "why",
  {"uk": "Чому у 2022 році припинили поромні рейси з Ізмаїла?", "ru": "Почему в 2022 году прекратили паромные рейсы из Измаила?", "en": "Why was the Izmail ferry suspended in 2022?"}),
 ("metro", "opened", ["7 жовтня", "7 октября"], "when",
  {"uk": "Коли знову відкрили станцію метро «Університет» у Харкові?", "ru": "Когда снова открыли станцию метро «Университет» в Харькове?", "en": "When did Kharkiv's Universytet metro station reopen?"}),
 ("metro", "replaced", ["ескалатори", "эскалатора"], "what",
  {"uk": "Що замінили під час ремонту станції «Університет»?", "ru": "Что заменили во время ремонта станции «Университет»?", "en": "What was replaced during the repair of Universytet station?"}),
 ("metro", "cost", ["86"], "number",
  {"uk": "Скільки коштував ремонт станції метро «Університет»?", "ru": "Сколько стоил ремонт станции метро «Университет»?", "en": "How much did the repair of the Universytet metro station cost?"}),
 ("metro", "hours", ["23:00"], "when",
  {"uk": "До котрої години працюватиме станція «Університет»?", "ru": "До скольки будет работать станция «Университет»?", "en": "Until what time will Universytet station be open?"}),
 ("tram", "length", ["2.1", "2,1"], "number",
  {"uk": "Яка довжина нової трамвайної лінії в Таллінні?", "ru": "Какова длина новой трамвайной линии в Таллине?", "en": "How long is Tallinn's new tram line?"}),
 ("tram", "cost", ["42"], "number",
  {"uk": "Скільки коштувало будівництво трамвайної лінії до порту в Таллінні?", "ru": "Сколько стоило строительство трамвайной линии до порта в Таллине?", "en": "How much did the tram line to Tallinn's port cost to build?"}),
 ("tram", "frequency", ["six minutes", "шесть минут"], "number",
  {"uk": "Як часто ходитимуть трамваї на новій лінії в Таллінні?", "ru": "Как часто будут ходить трамваи на новой линии в Таллине?", "en": "How often will trams run on the new Tallinn line?"}),
 ("tram", "passengers", ["6,000", "6000"], "number",
  {"uk": "Скільки пасажирів на день очікують на новій трамвайній лінії в Таллінні?", "ru": "Сколько пассажиров в день ожидают на новой трамвайной линии в Таллине?", "en": "How many passengers a day does Tallinn expect on the new tram line?"}),
]
OFF = {"uk": ["Як пересадити орхідею?", "Скільки калорій у банані?"],
       "ru": ["Как пересадить орхидею?", "Сколько калорий в банане?"],
       "en": ["How do I repot an orchid?", "How many calories are in a banana?"]}
NEAR = {"uk": ["Скільки коштує квиток на трамвай у Таллінні?"],
        "ru": ["Сколько пассажиров перевёз паром «Дунай-2» за первую неделю?"],
        "en": ["How many stations does the Kharkiv metro have?"]}


if __name__ == "__main__":
    write_all(HERE, {"prefix": "mlb", "asked_on": "2024-12-12", "docs": D, "story_docs": STORY_DOCS, "questions": Q,
                     "off": OFF, "near": NEAR})
