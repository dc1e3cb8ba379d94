# The bot's own words, in English (the default: any key missing elsewhere falls back to these).
# `text in backticks` is shown as code, only in messages that take no report text.
# A line of a multiline message must not start with [, * or . (Fluent syntax).
# Every key here must also be in uk.ftl and ru.ftl (tests/unit/i18n/locales.test.ts checks).

## Answers

answer-truncated = Your question was long, so I searched only its first { $chars } characters.
answer-reports-in-english = The reports are in English, so I searched for the names in your question in Latin letters (Покровськ → Pokrovsk). Asking in English finds more.
answer-not-found = I couldn't find this in the reports.
answer-unsure = Not sure these answer it — the closest passages:
answer-not-found-topics = They cover, for example, { $topics }.
inline-unsure-title = Not sure it answers
answer-not-found-hint = Try rephrasing with words the reports would use, or see /sources for what they cover.
answer-no-more = No more passages in the reports answer this question.
answer-more-results = More results ({ $from }–{ $to }):
answer-context = Context (the quoted passage in bold):
answer-empty-question = Please type your question after the command, e.g. /ask What was agreed about air defense?

## Buttons

button-context = Context { $n }
button-more = More results
button-expired = This button has expired. Please ask your question again.
button-passage-gone = That passage is no longer in the index. Please ask again for fresh results.

## Commands (the menu Telegram shows)

command-ask = Ask a question about the reports
command-help = How to ask, in private, in groups and inline
command-sources = List the indexed reports, newest first
command-about = Index statistics and model
unknown-command = I don't know that command. I know /ask, /help, /sources, /latest and /about.

## /help

help-intro = I answer questions about a folder of reports by quoting them word for word. Every quote shows its source (report number, title and paragraph ¶) and the sentence that answers you is in bold. I never write answers myself: if the reports don't say it, I tell you so.
help-ask-title = Ask
help-ask =
    • In this chat, just send your question, e.g. `What did NATO promise about air defense?`
    • `/ask <question>` works in any chat. A question in the caption of a photo or file works too.
    • Under an answer, “Context N” shows the paragraphs around quote N and “More results” shows the next passages.
help-groups-title = In groups
help-groups =
    • Use `/ask <question>`, mention { $bot } with your question, or reply to one of my messages.
    • With Telegram's privacy mode on (the default), I only see commands and replies to my messages in groups, so /ask is the reliable way.
help-inline-title = Inline
help-inline =
    • In any chat, type `{ $bot } <question>` and pick a quote to send it.
help-language = The reports are in English and quotes are shown as written. Ask in English for the best results; in Ukrainian or Russian I search for the names you mention.
help-footer = /sources lists the indexed reports, newest first; /latest shows the newest one; /about shows index details.
help-admins-title = Admins
help-admins =
    • Send a PDF, Word (.docx), web page (.html), Markdown or text file in this chat to add it as a report.
    • /sources shows a Remove button per report; /reindex rebuilds the index.

## Inline mode

inline-help-title = Type a question about the reports
inline-help-body = I quote the reports word for word, with sources. Type `{ $bot } <question>` in any chat, or message me directly.
inline-not-found-title = Not in the reports
inline-not-found-body = I couldn't find this in the reports.

## /sources and /about

sources-none = No reports are indexed yet.
sources-header = { $count } indexed { $count ->
        [one] report
       *[other] reports
    }, newest first:
about-title = About this index
about-body =
    Reports: { $reports }
    Passages: { $passages }
    Embedding model: { $model }, { $dims } dimensions
    Index built: { $builtAt }
    Build: { $buildId }
about-model-offline = { $model } (built-in offline model)
about-index-folder = Index folder: { $dir }
about-profile-fitted = Search weights: the { $profile } profile, fitted for this model
about-profile-unfitted = Search weights: the { $profile } profile, not fitted for this model (fit its own: npm run eval -- fit-ranker --model { $model } --write)

## Refusals and errors

non-text-hint = I can only read text. Please type your question as a message, or as the caption of a photo or file.
access-refused = Sorry, this bot is private. Ask its owner to add your Telegram user id if you need access.
rate-limited = You're asking faster than I can answer. Please wait a minute and ask again.
error-generic = Sorry, something went wrong while answering. Please try again.
error-query = I couldn't search for that. Please ask a short question in words.
error-index = The reports index isn't available right now. Please try again in a little while.
error-search = Search is temporarily unavailable. Please try again in a little while.

## Admin: /reindex

reindex-refused = Sorry, only the bot's admins can rebuild the index.
reindex-unavailable = Rebuilding the index is not available in this bot.
reindex-running = A reindex is already running. Its progress message above shows how far it is.
reindex-title = Reindexing…
reindex-starting = Starting the build.
reindex-phase-read = Reading reports
reindex-phase-embed = Embedding passages
reindex-phase-index = Indexing vectors
reindex-phase-write = Writing and checking the index
reindex-progress = { $phase }: { $done }/{ $total } ({ $percent }%)
reindex-done = Reindex done.
reindex-done-detail = Answers now come from the new index.
reindex-summary =
    Reports: { $reports }
    Passages: { $passages } (duplicates removed: { $duplicates })
    Vectors reused: { $reused }, embedded: { $embedded }, removed: { $removed }
    Took { $seconds } s. Build: { $buildId }
reindex-skipped = Skipped { $count } { $count ->
        [one] file
       *[other] files
    }:
reindex-skipped-more = …and { $count } more
reindex-locked = Reindex not started:
reindex-locked-detail = another build is writing the index right now (for example npm run build-index).
reindex-locked-retry = Try /reindex again when it has finished. Still answering from build { $buildId }.
reindex-failed = Reindex failed:
reindex-still-serving = Still answering from build { $buildId }.
reload-failed = A new index could not be loaded.
reload-keeps-serving = I keep answering from build { $buildId }.

## /sources, /latest

sources-report = Report { $number }
sources-no-date = no date
sources-passages = { $passages } { $passages ->
        [one] passage
       *[other] passages
    }
about-reports-folder = Reports folder: { $dir }
command-latest = The newest report and its key passages
latest-title = Latest report:
latest-no-dates = None of the reports has a date, so I cannot tell which one is the latest.
latest-dates-hint = Dates come from the files themselves (PDF, Word or web-page metadata, Markdown front matter), a date in their first lines, or a <file>.meta.json sidecar.

## Admin: adding and removing reports

report-change-unchanged = The reports folder and the index are unchanged.
report-change-done = Answers now come from the new index.
upload-admins-only = Thanks! Only the bot's admins can add reports, though. Ask one of them to add this file.
upload-unavailable = Adding reports is not available in this bot.
upload-expired = This upload has expired. Please send the file again.
upload-not-added = Not added:
upload-added = Added:
upload-also-dropped = Note: { $file } is no longer indexed: { $reason }.
upload-adding = Adding { $file }…
upload-exists = The reports folder already has { $file }
upload-replace-question = Replace it with the file you sent?
upload-button-replace = Replace it
upload-button-keep = Keep the old one
upload-kept-old = Kept the old { $file }; the file you sent was discarded.
remove-button = Remove { $number }
remove-newer = ‹ Newer
remove-older = Older ›
remove-admins-only = Only the bot's admins can remove reports.
remove-gone = That report is no longer indexed.
remove-cancelled = Kept. Nothing was removed.
remove-confirm-title = Remove
remove-confirm-detail = This deletes the file from the reports folder and rebuilds the index.
remove-button-yes = Yes, remove it
remove-button-cancel = Cancel
remove-removing = Removing { $file }…
remove-not-removed = Not removed:
remove-removed = Removed:
remove-left = { $count } { $count ->
        [one] report
       *[other] reports
    } left; answers now come from the new index.
