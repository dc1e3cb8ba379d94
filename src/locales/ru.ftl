# Слова бота по-русски. Ключи те же, что в en.ftl; `текст в обратных кавычках` показывается как код.

## Ответы

answer-truncated = Ваш вопрос длинный, поэтому я искал только по первым { $chars } символам.
answer-reports-in-english = Отчёты на английском, поэтому я искал имена и названия из вашего вопроса латиницей (Покровск → Pokrovsk). Вопрос на английском найдёт больше.
answer-not-found = Я не нашёл этого в отчётах.
answer-unsure = Не уверен, что это ответ — ближайшие отрывки:
answer-not-found-topics = Они, например, о: { $topics }.
inline-unsure-title = Возможно, не отвечает
answer-not-found-hint = Попробуйте переформулировать словами, которыми писали бы отчёты, или посмотрите /sources, о чём они.
answer-no-more = Больше ни один отрывок из отчётов не отвечает на этот вопрос.
answer-more-results = Ещё результаты ({ $from }–{ $to }):
answer-context = Контекст (цитируемый отрывок выделен жирным):
answer-empty-question = Напишите вопрос после команды, например: /ask What was agreed about air defense?

## Кнопки

button-context = Контекст { $n }
button-more = Ещё результаты
button-expired = Эта кнопка устарела. Задайте вопрос ещё раз.
button-passage-gone = Этого отрывка уже нет в индексе. Задайте вопрос ещё раз, чтобы получить свежие результаты.

## Команды (меню в Telegram)

command-ask = Задать вопрос об отчётах
command-help = Как спрашивать: в личном чате, в группах и inline
command-sources = Список проиндексированных отчётов, новые первыми
command-about = Статистика индекса и модель
unknown-command = Я не знаю такой команды. Я знаю /ask, /help, /sources, /latest и /about.

## /help

help-intro = Я отвечаю на вопросы о папке отчётов, цитируя их слово в слово. Под каждой цитатой — её источник (номер отчёта, название и абзац ¶), а предложение, которое отвечает, выделено жирным. Я никогда не пишу ответы сам: если в отчётах этого нет, я так и скажу.
help-ask-title = Как спрашивать
help-ask =
    • В этом чате просто отправьте вопрос, например `What did NATO promise about air defense?`
    • `/ask <вопрос>` работает в любом чате. Вопрос в подписи к фото или файлу тоже подходит.
    • Под ответом «Контекст N» показывает абзацы вокруг цитаты N, а «Ещё результаты» — следующие отрывки.
help-groups-title = В группах
help-groups =
    • Используйте `/ask <вопрос>`, упомяните { $bot } с вопросом или ответьте на моё сообщение.
    • Когда в Telegram включён режим приватности (по умолчанию), в группах я вижу только команды и ответы на мои сообщения, так что /ask — самый надёжный способ.
help-inline-title = Inline
help-inline =
    • В любом чате наберите `{ $bot } <вопрос>` и выберите цитату, чтобы отправить её.
help-language = Отчёты на английском, а цитаты приводятся как есть. Лучше всего спрашивать по-английски; в вопросах на украинском или русском я ищу имена и названия, которые вы упоминаете.
help-footer = /sources — список проиндексированных отчётов, новые первыми; /latest — самый новый отчёт; /about — подробности индекса.
help-admins-title = Администраторам
help-admins =
    • Отправьте в этот чат файл PDF, Word (.docx), веб-страницу (.html), Markdown или текст, чтобы добавить его как отчёт.
    • /sources показывает кнопку «Удалить» у каждого отчёта; /reindex перестраивает индекс.

## Inline

inline-help-title = Задайте вопрос об отчётах
inline-help-body = Я цитирую отчёты слово в слово, с источниками. Наберите `{ $bot } <вопрос>` в любом чате или напишите мне напрямую.
inline-not-found-title = В отчётах этого нет
inline-not-found-body = Я не нашёл этого в отчётах.

## /sources и /about

sources-none = Отчётов в индексе пока нет.
sources-header = { $count ->
        [one] { $count } отчёт в индексе
        [few] { $count } отчёта в индексе
       *[other] { $count } отчётов в индексе
    }, новые первыми:
about-title = Об этом индексе
about-body =
    Отчётов: { $reports }
    Отрывков: { $passages }
    Модель эмбеддингов: { $model }, размерность { $dims }
    Индекс построен: { $builtAt }
    Сборка: { $buildId }
about-model-offline = { $model } (встроенная офлайн-модель)
about-index-folder = Папка индекса: { $dir }
about-profile-fitted = Веса поиска: профиль { $profile }, подобранный для этой модели
about-profile-unfitted = Веса поиска: профиль { $profile }, не подобранный для этой модели (подобрать свой: npm run eval -- fit-ranker --model { $model } --write)

## Отказы и ошибки

non-text-hint = Я читаю только текст. Напишите вопрос сообщением или в подписи к фото или файлу.
access-refused = Извините, это частный бот. Попросите владельца добавить ваш id пользователя Telegram, если вам нужен доступ.
rate-limited = Вы спрашиваете быстрее, чем я успеваю отвечать. Подождите минуту и спросите снова.
error-generic = Извините, при ответе что-то пошло не так. Попробуйте ещё раз.
error-query = Я не смог это найти. Задайте короткий вопрос словами.
error-index = Индекс отчётов сейчас недоступен. Попробуйте чуть позже.
error-search = Поиск временно недоступен. Попробуйте чуть позже.

## Администрирование: /reindex

reindex-refused = Извините, перестраивать индекс могут только администраторы бота.
reindex-unavailable = Перестройка индекса в этом боте недоступна.
reindex-running = Перестройка уже идёт. Сообщение выше показывает, насколько она продвинулась.
reindex-title = Перестройка индекса…
reindex-starting = Начинаю сборку.
reindex-phase-read = Читаю отчёты
reindex-phase-embed = Вычисляю эмбеддинги отрывков
reindex-phase-index = Индексирую векторы
reindex-phase-write = Записываю и проверяю индекс
reindex-progress = { $phase }: { $done }/{ $total } ({ $percent }%)
reindex-done = Перестройка завершена.
reindex-done-detail = Ответы теперь приходят из нового индекса.
reindex-summary =
    Отчётов: { $reports }
    Отрывков: { $passages } (удалено дубликатов: { $duplicates })
    Векторов использовано повторно: { $reused }, вычислено: { $embedded }, удалено: { $removed }
    Заняло { $seconds } с. Сборка: { $buildId }
reindex-skipped = Пропущено файлов: { $count }:
reindex-skipped-more = …и ещё { $count }
reindex-locked = Перестройка не начата:
reindex-locked-detail = другая сборка прямо сейчас записывает индекс (например, npm run build-index).
reindex-locked-retry = Попробуйте /reindex ещё раз, когда она завершится. Продолжаю отвечать из сборки { $buildId }.
reindex-failed = Перестройка не удалась:
reindex-still-serving = Продолжаю отвечать из сборки { $buildId }.
reload-failed = Не удалось загрузить новый индекс.
reload-keeps-serving = Продолжаю отвечать из сборки { $buildId }.

## /sources, /latest

sources-report = Report { $number }
sources-no-date = без даты
sources-passages = { $passages ->
        [one] { $passages } отрывок
        [few] { $passages } отрывка
       *[other] { $passages } отрывков
    }
about-reports-folder = Папка отчётов: { $dir }
command-latest = Самый новый отчёт и его ключевые отрывки
latest-title = Самый новый отчёт:
latest-no-dates = Ни у одного отчёта нет даты, поэтому я не могу сказать, какой из них самый новый.
latest-dates-hint = Даты берутся из самих файлов (метаданные PDF, Word или веб-страницы, front matter в Markdown), из даты в первых строках или из файла <файл>.meta.json рядом.

## Администраторам: добавление и удаление отчётов

report-change-unchanged = Папка отчётов и индекс не изменились.
report-change-done = Теперь ответы берутся из нового индекса.
upload-admins-only = Спасибо! Но добавлять отчёты могут только администраторы бота. Попросите кого-нибудь из них добавить этот файл.
upload-unavailable = В этом боте добавлять отчёты нельзя.
upload-expired = Время на эту загрузку истекло. Отправьте файл ещё раз.
upload-not-added = Не добавлено:
upload-added = Добавлено:
upload-also-dropped = Примечание: { $file } больше не индексируется: { $reason }.
upload-adding = Добавляю { $file }…
upload-exists = В папке отчётов уже есть { $file }
upload-replace-question = Заменить его присланным файлом?
upload-button-replace = Заменить
upload-button-keep = Оставить старый
upload-kept-old = Оставлен старый { $file }; присланный файл отброшен.
remove-button = Удалить { $number }
remove-newer = ‹ Новее
remove-older = Старше ›
remove-admins-only = Удалять отчёты могут только администраторы бота.
remove-gone = Этого отчёта уже нет в индексе.
remove-cancelled = Оставлено. Ничего не удалено.
remove-confirm-title = Удалить
remove-confirm-detail = Файл будет удалён из папки отчётов, а индекс перестроен.
remove-button-yes = Да, удалить
remove-button-cancel = Отмена
remove-removing = Удаляю { $file }…
remove-not-removed = Не удалено:
remove-removed = Удалено:
remove-left = Осталось отчётов: { $count }; теперь ответы берутся из нового индекса.
