# Слова бота українською. Ключі ті самі, що в en.ftl; `текст у зворотних лапках` показується як код.

## Відповіді

answer-truncated = Ваше запитання довге, тож я шукав лише за першими { $chars } символами.
answer-reports-in-english = Звіти англійською, тож я шукав імена й назви з вашого запитання латиницею (Покровськ → Pokrovsk). Запитання англійською знайде більше.
answer-not-found = Я не знайшов цього у звітах.
answer-unsure = Не впевнений, що це відповідь — найближчі уривки:
answer-not-found-topics = Вони, наприклад, про: { $topics }.
inline-unsure-title = Можливо, не відповідає
answer-not-found-hint = Спробуйте переформулювати словами, якими писали б звіти, або подивіться /sources, про що вони.
answer-no-more = Більше жоден уривок зі звітів не відповідає на це запитання.
answer-more-results = Ще результати ({ $from }–{ $to }):
answer-context = Контекст (цитований уривок виділено жирним):
answer-empty-question = Напишіть запитання після команди, наприклад: /ask What was agreed about air defense?

## Кнопки

button-context = Контекст { $n }
button-more = Ще результати
button-expired = Ця кнопка застаріла. Поставте запитання ще раз.
button-passage-gone = Цього уривка вже немає в індексі. Поставте запитання ще раз, щоб отримати свіжі результати.

## Команди (меню в Telegram)

command-ask = Поставити запитання про звіти
command-help = Як питати: у приватному чаті, у групах і inline
command-sources = Список проіндексованих звітів, найновіші першими
command-about = Статистика індексу й модель
unknown-command = Я не знаю такої команди. Я знаю /ask, /help, /sources, /latest і /about.

## /help

help-intro = Я відповідаю на запитання про теку звітів, цитуючи їх слово в слово. Під кожною цитатою — її джерело (номер звіту, назва й абзац ¶), а речення, що відповідає, виділено жирним. Я ніколи не пишу відповідей сам: якщо у звітах цього немає, я так і скажу.
help-ask-title = Як питати
help-ask =
    • У цьому чаті просто надішліть запитання, наприклад `What did NATO promise about air defense?`
    • `/ask <запитання>` працює в будь-якому чаті. Запитання в підписі до фото чи файлу теж підходить.
    • Під відповіддю «Контекст N» показує абзаци навколо цитати N, а «Ще результати» — наступні уривки.
help-groups-title = У групах
help-groups =
    • Використовуйте `/ask <запитання>`, згадайте { $bot } із запитанням або відповідайте на моє повідомлення.
    • Коли в Telegram увімкнено режим приватності (типово), у групах я бачу лише команди й відповіді на мої повідомлення, тож /ask — найнадійніший спосіб.
help-inline-title = Inline
help-inline =
    • У будь-якому чаті наберіть `{ $bot } <запитання>` і виберіть цитату, щоб надіслати її.
help-language = Звіти англійською, а цитати наведено як є. Найкраще питати англійською; у запитаннях українською чи російською я шукаю імена й назви, які ви згадуєте.
help-footer = /sources — список проіндексованих звітів, найновіші першими; /latest — найновіший звіт; /about — подробиці індексу.
help-admins-title = Адміністраторам
help-admins =
    • Надішліть у цей чат файл PDF, Word (.docx), вебсторінку (.html), Markdown або текст, щоб додати його як звіт.
    • /sources показує кнопку «Видалити» біля кожного звіту; /reindex перебудовує індекс.

## Inline

inline-help-title = Поставте запитання про звіти
inline-help-body = Я цитую звіти слово в слово, з джерелами. Наберіть `{ $bot } <запитання>` у будь-якому чаті або напишіть мені напряму.
inline-not-found-title = У звітах цього немає
inline-not-found-body = Я не знайшов цього у звітах.

## /sources і /about

sources-none = Звітів в індексі ще немає.
sources-header = { $count ->
        [one] { $count } звіт в індексі
        [few] { $count } звіти в індексі
       *[other] { $count } звітів в індексі
    }, найновіші першими:
about-title = Про цей індекс
about-body =
    Звітів: { $reports }
    Уривків: { $passages }
    Модель ембедингів: { $model }, розмірність { $dims }
    Індекс побудовано: { $builtAt }
    Збірка: { $buildId }
about-model-offline = { $model } (вбудована офлайн-модель)
about-index-folder = Тека індексу: { $dir }
about-profile-fitted = Ваги пошуку: профіль { $profile }, підібраний для цієї моделі
about-profile-unfitted = Ваги пошуку: профіль { $profile }, не підібраний для цієї моделі (підібрати власний: npm run eval -- fit-ranker --model { $model } --write)

## Відмови й помилки

non-text-hint = Я читаю лише текст. Напишіть запитання повідомленням або в підписі до фото чи файлу.
access-refused = Вибачте, це приватний бот. Попросіть власника додати ваш id користувача Telegram, якщо вам потрібен доступ.
rate-limited = Ви питаєте швидше, ніж я встигаю відповідати. Зачекайте хвилину й запитайте знову.
error-generic = Вибачте, під час відповіді щось пішло не так. Спробуйте ще раз.
error-query = Я не зміг це знайти. Поставте коротке запитання словами.
error-index = Індекс звітів зараз недоступний. Спробуйте трохи згодом.
error-search = Пошук тимчасово недоступний. Спробуйте трохи згодом.

## Адміністрування: /reindex

reindex-refused = Вибачте, перебудовувати індекс можуть лише адміністратори бота.
reindex-unavailable = Перебудова індексу в цьому боті недоступна.
reindex-running = Перебудова вже триває. Повідомлення вище показує, наскільки вона просунулася.
reindex-title = Перебудова індексу…
reindex-starting = Починаю збірку.
reindex-phase-read = Читаю звіти
reindex-phase-embed = Обчислюю ембединги уривків
reindex-phase-index = Індексую вектори
reindex-phase-write = Записую й перевіряю індекс
reindex-progress = { $phase }: { $done }/{ $total } ({ $percent }%)
reindex-done = Перебудову завершено.
reindex-done-detail = Відповіді тепер надходять із нового індексу.
reindex-summary =
    Звітів: { $reports }
    Уривків: { $passages } (дублікатів вилучено: { $duplicates })
    Векторів використано повторно: { $reused }, обчислено: { $embedded }, вилучено: { $removed }
    Тривало { $seconds } с. Збірка: { $buildId }
reindex-skipped = Пропущено файлів: { $count }:
reindex-skipped-more = …і ще { $count }
reindex-locked = Перебудову не розпочато:
reindex-locked-detail = інша збірка саме зараз записує індекс (наприклад, npm run build-index).
reindex-locked-retry = Спробуйте /reindex ще раз, коли вона завершиться. Відповідаю далі зі збірки { $buildId }.
reindex-failed = Перебудова не вдалася:
reindex-still-serving = Відповідаю далі зі збірки { $buildId }.
reload-failed = Не вдалося завантажити новий індекс.
reload-keeps-serving = Відповідаю далі зі збірки { $buildId }.

## /sources, /latest

sources-report = Report { $number }
sources-no-date = без дати
sources-passages = { $passages ->
        [one] { $passages } уривок
        [few] { $passages } уривки
       *[other] { $passages } уривків
    }
about-reports-folder = Тека звітів: { $dir }
command-latest = Найновіший звіт і його ключові уривки
latest-title = Найновіший звіт:
latest-no-dates = Жоден звіт не має дати, тож я не можу сказати, який найновіший.
latest-dates-hint = Дати беруться з самих файлів (метадані PDF, Word чи вебсторінки, front matter у Markdown), з дати в перших рядках або з файлу <файл>.meta.json поруч.

## Адміністраторам: додавання і видалення звітів

report-change-unchanged = Тека звітів та індекс не змінилися.
report-change-done = Відтепер відповіді беруться з нового індексу.
upload-admins-only = Дякую! Але додавати звіти можуть лише адміністратори бота. Попросіть когось із них додати цей файл.
upload-unavailable = У цьому боті додавати звіти не можна.
upload-expired = Час на це завантаження минув. Надішліть файл ще раз.
upload-not-added = Не додано:
upload-added = Додано:
upload-also-dropped = Примітка: { $file } більше не індексується: { $reason }.
upload-adding = Додаю { $file }…
upload-exists = У теці звітів уже є { $file }
upload-replace-question = Замінити його надісланим файлом?
upload-button-replace = Замінити
upload-button-keep = Залишити старий
upload-kept-old = Залишено старий { $file }; надісланий файл відкинуто.
remove-button = Видалити { $number }
remove-newer = ‹ Новіші
remove-older = Старіші ›
remove-admins-only = Видаляти звіти можуть лише адміністратори бота.
remove-gone = Цього звіту вже немає в індексі.
remove-cancelled = Залишено. Нічого не видалено.
remove-confirm-title = Видалити
remove-confirm-detail = Файл буде видалено з теки звітів, а індекс перебудовано.
remove-button-yes = Так, видалити
remove-button-cancel = Скасувати
remove-removing = Видаляю { $file }…
remove-not-removed = Не видалено:
remove-removed = Видалено:
remove-left = Залишилося звітів: { $count }; відтепер відповіді беруться з нового індексу.
