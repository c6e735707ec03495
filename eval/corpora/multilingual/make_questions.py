"""Writes this corpus's question files (questions/*.jsonl) from the sentences of its reports, one file per row of
eval/multilingual.toml: every question is asked in Ukrainian, Russian and English, and each row asks the questions
of one language over the reports of one language ("uk-en": Ukrainian questions, English reports).

    python eval/corpora/multilingual/make_questions.py
"""
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))
from language_rows import write_all  # noqa: E402  (eval/corpora/language_rows.py)

D = {  # sentences as the documents write them
 "en-tartus": ("en-tartus.txt", {
   "ships": 'In particular, on December 8, the frigate "Admiral Hryhorovych" of the Black Sea Fleet of Russia and the cargo ship "Engineer Trubin" of the Northern Fleet left the Syrian port of Tartus in the Mediterranean Sea.',
   "turkey": "According to media reports, Russia has asked Turkey to help organize the safe withdrawal of its troops from Syria.",
   "turkey0": "For this, the Russian Federation turned to Turkey.",
   "bases": "According to CNN Turk, Russia wants to maintain control over the bases in Tartus and Khmeimim.",
   "weapons": "Russia is also transferring remnants of weapons and equipment by military aircraft from the Khmeimim air base, the intelligence agency adds.",
   "early": "It is still too early to judge.",
 }),
 "uk-tartus": ("uk-tartus.md", {
   "ships": "Зокрема, 8 грудня фрегат «Адмірал Григорович» Чорноморського флоту Росії та вантажне судно «Інженер Трубін» Північного флоту покинули сирійський порт Тартус у Середземному морі.",
   "turkey": "За даними ЗМІ, Росія попросила Туреччину допомогти організувати безпечне виведення своїх військ із Сирії.",
   "turkey0": "Для цього Росія звернулася до Туреччини.",
   "bases": "Як повідомляє CNN Türk, Росія хоче зберегти контроль над базами в Тартусі та Хмеймімі.",
   "weapons": "Росія також вивозить залишки зброї та техніки військовими літаками з авіабази Хмеймім, додає розвідка.",
   "early": "«Поки що зарано судити. Усі ці аспекти будуть темою переговорів з тими, хто прийде до влади в Сирії», - сказав Пєсков.",
 }),
 "ru-tartus": ("ru-tartus.md", {
   "ships": "По данным украинской разведки, 8 декабря фрегат «Адмирал Григорович» Черноморского флота и грузовое судно «Инженер Трубин» Северного флота покинули сирийский порт Тартус в Средиземном море.",
   "turkey": "По данным СМИ, Россия попросила Турцию помочь организовать безопасный вывод своих войск из Сирии.",
   "turkey0": "С этой целью Россия обратилась к Турции.",
   "bases": "Как сообщает CNN Türk, Россия хочет сохранить контроль над базами в Тартусе и Хмеймиме.",
   "weapons": "Кроме того, Россия вывозит остатки оружия и техники военными самолётами с авиабазы Хмеймим, сообщает разведка.",
   "early": "«Пока рано судить. Все эти аспекты станут темой переговоров с теми, кто придёт к власти в Сирии», — сказал Песков.",
 }),
 "uk-terminal": ("uk-terminal.md", {
   "opened": "У порту Чорноморськ 14 листопада запрацював новий зерновий термінал компанії «Південь Агро».",
   "capacity": "Його потужність — 3 мільйони тонн зерна на рік.",
   "cost": "Будівництво тривало два роки й коштувало 120 мільйонів доларів, повідомила директорка термінала Олена Марченко.",
   "panamax": "«Ми зможемо завантажувати одночасно два судна типу Panamax», - сказала Марченко.",
   "jobs": "На терміналі працюватимуть 450 людей.",
   "first": "Перше судно, балкер «Сонячний берег», прийняло 60 тисяч тонн кукурудзи для Єгипту.",
 }),
 "en-terminal": ("en-terminal.md", {
   "opened": "A new grain terminal built by Pivden Agro began operating at the port of Chornomorsk on November 14, with capacity to handle 3 million tonnes of grain a year.",
   "capacity": "A new grain terminal built by Pivden Agro began operating at the port of Chornomorsk on November 14, with capacity to handle 3 million tonnes of grain a year.",
   "cost": "The terminal took two years to build and cost $120 million, its director Olena Marchenko said.",
   "panamax": "Marchenko said it can load two Panamax vessels at the same time.",
   "jobs": "The terminal will employ 450 people.",
   "first": "The first vessel to load there, the bulk carrier Sonyachnyi Bereh, took on 60,000 tonnes of corn bound for Egypt.",
 }),
 "ru-heating": ("ru-heating.md", {
   "how_many": "Около 4000 жителей Нарвы остались без отопления после аварии на теплотрассе 3 декабря, сообщает городская управа.",
   "where": "Трубу прорвало на улице Кренгольми ночью, когда температура опустилась до минус 12 градусов.",
   "when_back": "«Ремонтные бригады работают круглосуточно, тепло вернётся в дома к четвергу», — заявил мэр Нарвы Алексей Воронин.",
   "centres": "Для жителей открыли два пункта обогрева — в спортзале гимназии и в здании вокзала.",
   "cost": "По словам Воронина, участку теплотрассы больше 40 лет, а его замена обойдётся городу в 2,5 миллиона евро.",
 }),
 "en-heating": ("en-heating.md", {
   "how_many": "About 4,000 residents of the Estonian border city of Narva were left without heating after a pipe burst on December 3, the city government said.",
   "where": "The pipe broke overnight on Kreenholmi Street as temperatures fell to minus 12 degrees Celsius.",
   "when_back": "Repair crews are working around the clock and heat should return to homes by Thursday, Narva mayor Aleksei Voronin said.",
   "centres": "Two warming centres have opened, in a school gym and in the railway station building.",
   "cost": "Voronin said the section of pipe is more than 40 years old and replacing it will cost the city 2.5 million euros.",
 }),
 "uk-football": ("uk-football.md", {
   "score": "«Металург» переміг «Зорю» з рахунком 3:1 у матчі 15-го туру, що відбувся 1 грудня у Львові.",
   "scorer": "Двічі відзначився нападник Дмитро Савчук, ще один гол забив захисник Артем Гнатюк.",
   "empty": "Гра проходила без глядачів через повітряну тривогу, яка тривала майже годину перед стартовим свистком.",
   "coach": "«Ми довго чекали в роздягальні, але хлопці не втратили концентрацію», - сказав головний тренер «Металурга» Віктор Ляшко.",
   "table": "Після перемоги «Металург» набрав 31 очко і піднявся на друге місце в таблиці.",
 }),
 "ru-football": ("ru-football.md", {
   "score": "«Металлург» обыграл «Зарю» со счётом 3:1 в матче 15-го тура, который прошёл 1 декабря во Львове.",
   "scorer": "Дважды отличился нападающий Дмитрий Савчук, ещё один мяч забил защитник Артём Гнатюк.",
   "empty": "Матч прошёл без зрителей из-за воздушной тревоги, которая длилась почти час перед стартовым свистком.",
   "coach": "«Мы долго ждали в раздевалке, но ребята не потеряли концентрацию», — сказал главный тренер «Металлурга» Виктор Ляшко.",
   "table": "После победы «Металлург» набрал 31 очко и поднялся на второе место в турнирной таблице.",
 }),
}
STORY_DOCS = {"tartus": ["en-tartus", "uk-tartus", "ru-tartus"], "terminal": ["uk-terminal", "en-terminal"],
              "heating": ["ru-heating", "en-heating"], "football": ["uk-football", "ru-football"]}

# (story, fact, answers in any language, type, {lang: question})
Q = [
 ("tartus", "ships", ["December 8", "8 грудня", "8 декабря", "Admiral Hryhorovych", "Адмірал Григорович", "Адмирал Григорович"], "what",
  {"uk": "Які кораблі покинули Тартус?", "ru": "Какие корабли ушли из Тартуса?", "en": "Which Russian ships left Tartus?"}),
 ("tartus", "turkey", ["Turkey", "Туреччин", "Турци"], "who",
  {"uk": "Кого Москва попросила допомогти вивести війська із Сирії?", "ru": "Кого Россия попросила помочь с выводом войск из Сирии?", "en": "Who did Russia ask to help withdraw its troops from Syria?"}),
 ("tartus", "bases", ["Tartus", "Тартус", "Khmeimim", "Хмеймім", "Хмеймим"], "what",
  {"uk": "Над якими базами Росія хоче зберегти контроль?", "ru": "Какие базы Россия хочет сохранить?", "en": "Which bases does Russia want to keep control of?"}),
 ("tartus", "weapons", ["Khmeimim", "Хмеймім", "Хмеймим"], "where",
  {"uk": "Звідки Росія вивозить зброю літаками?", "ru": "Откуда Россия вывозит оружие самолётами?", "en": "From which air base is Russia flying out weapons?"}),
 ("terminal", "capacity", ["3 million", "3 мільйони", "3 миллиона"], "number",
  {"uk": "Яка потужність нового зернового термінала в Чорноморську?", "ru": "Какова мощность нового зернового терминала в Черноморске?", "en": "How much grain can the new Chornomorsk terminal handle a year?"}),
 ("terminal", "cost", ["120 мільйонів", "$120 million", "120"], "number",
  {"uk": "Скільки коштувало будівництво термінала?", "ru": "Сколько стоило строительство зернового терминала?", "en": "How much did the grain terminal cost to build?"}),
 ("terminal", "first", ["Egypt", "Єгипт", "Sonyachnyi Bereh", "Сонячний берег"], "what",
  {"uk": "Куди повезе кукурудзу перше судно з нового термінала?", "ru": "Куда отправилось первое судно с кукурузой из нового терминала?", "en": "Where was the first ship from the new terminal taking its corn?"}),
 ("terminal", "jobs", ["450"], "number",
  {"uk": "Скільки людей працюватиме на зерновому терміналі?", "ru": "Сколько человек будет работать на новом зерновом терминале?", "en": "How many people will the new grain terminal employ?"}),
 ("heating", "how_many", ["4000", "4,000"], "number",
  {"uk": "Скільки мешканців Нарви залишилися без опалення?", "ru": "Сколько жителей Нарвы остались без отопления?", "en": "How many Narva residents lost heating?"}),
 ("heating", "when_back", ["четвергу", "Thursday"], "when",
  {"uk": "Коли в Нарві повернуть тепло в будинки?", "ru": "Когда в Нарве вернут тепло в дома?", "en": "When will heat be back in Narva homes?"}),
 ("heating", "centres", ["пункта обогрева", "warming centres", "спортзале", "school gym"], "where",
  {"uk": "Де в Нарві відкрили пункти обігріву?", "ru": "Где в Нарве открыли пункты обогрева?", "en": "Where have warming centres opened in Narva?"}),
 ("heating", "cost", ["2,5 миллиона евро", "2.5 million euros"], "number",
  {"uk": "Скільки коштуватиме заміна теплотраси в Нарві?", "ru": "Во сколько обойдётся замена теплотрассы в Нарве?", "en": "How much will replacing the Narva heating pipe cost?"}),
 ("football", "score", ["3:1"], "number",
  {"uk": "З яким рахунком «Металург» обіграв «Зорю»?", "ru": "С каким счётом «Металлург» обыграл «Зарю»?", "en": "What was the score when Metalurh beat Zorya?"}),
 ("football", "scorer", ["Савчук"], "who",
  {"uk": "Хто забив два голи за «Металург»?", "ru": "Кто забил два гола за «Металлург»?", "en": "Who scored twice for Metalurh against Zorya?"}),
 ("football", "empty", ["повітряну тривогу", "воздушной тревоги"], "why",
  {"uk": "Чому матч «Металурга» і «Зорі» пройшов без глядачів?", "ru": "Почему матч «Металлурга» и «Зари» прошёл без зрителей?", "en": "Why were there no spectators at the Metalurh match?"}),
 ("football", "table", ["друге місце", "второе место", "31"], "what",
  {"uk": "Яке місце в таблиці посідає «Металург» після перемоги?", "ru": "Какое место в таблице занял «Металлург» после победы?", "en": "Where is Metalurh in the league table after the win?"}),
]
OFF = {"uk": ["Скільки варити яйце некруто?", "Який фільм отримав Оскар минулого року?"],
       "ru": ["Сколько варить яйцо всмятку?", "Какой фильм получил Оскар в прошлом году?"],
       "en": ["How long do I boil an egg for a runny yolk?", "Which film won the Oscar last year?"]}
NEAR = {"uk": ["Скільки коштуватиме другий зерновий термінал у Чорноморську?"],
        "ru": ["Сколько зрителей пришло на матч «Металлурга» и «Зари»?"],
        "en": ["How many sailors were on the frigate Admiral Hryhorovych?"]}


if __name__ == "__main__":
    write_all(HERE, {"prefix": "ml", "asked_on": "2024-12-12", "docs": D, "story_docs": STORY_DOCS, "questions": Q,
                     "off": OFF, "near": NEAR})
