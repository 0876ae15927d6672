// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// `validate FILE...` and `submit FILE...`: read briefs from JSON or CSV files, report every
// problem, and (submit) queue the valid ones.
#include <QCommandLineParser>

#include "app/cli/briefinput.h"
#include "app/cli/cli.h"
#include "app/cli/clioutput.h"
#include "core/app/jobsubmission.h"
#include "core/store/jobstore.h"

namespace brieflow::cli {

namespace {

QJsonObject toJson(const FileBriefs &briefs)
{
    QJsonObject object{{QStringLiteral("file"), briefs.file},
                       {QStringLiteral("valid"), briefs.valid()}};
    if (!briefs.readError.isEmpty())
        object.insert(QStringLiteral("read_error"), briefs.readError);
    if (briefs.isCsv) {
        object.insert(QStringLiteral("file_issues"), issuesToJson(briefs.fileIssues));
        QJsonArray rows;
        for (const CsvBriefRow &row : briefs.rows) {
            rows.append(QJsonObject{{QStringLiteral("row"), row.row},
                                    {QStringLiteral("product_name"), row.brief.productName},
                                    {QStringLiteral("valid"), row.issues.isEmpty()},
                                    {QStringLiteral("issues"), issuesToJson(row.issues)}});
        }
        object.insert(QStringLiteral("rows"), rows);
    } else if (!briefs.rows.isEmpty()) {
        object.insert(QStringLiteral("issues"), issuesToJson(briefs.rows.first().issues));
    }
    return object;
}

QString summary(const FileBriefs &briefs)
{
    if (!briefs.isCsv)
        return QStringLiteral("%1: valid brief for \"%2\"")
            .arg(briefs.file, briefs.rows.first().brief.productName);
    const auto n = briefs.rows.size();
    return QStringLiteral("%1: %2 valid brief%3")
        .arg(briefs.file)
        .arg(n)
        .arg(n == 1 ? QString() : QStringLiteral("s"));
}

} // namespace

int validateCommand(const Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Check briefs without queueing them. A .csv file holds one brief per row "
                       "under a header row; anything else is read as one JSON brief; - reads "
                       "standard input. Prints one line per problem (\"field: message\", or "
                       "\"row N: field: message\" for CSV, where row 1 is the header) and exits "
                       "0 when every brief is valid, 2 when not."));
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Brief files."),
                                 QStringLiteral("FILE..."));
    if (auto code =
            parseCommand(parser, arguments, QStringLiteral("brieflow-cli validate FILE...")))
        return *code;
    const QStringList files = parser.positionalArguments().mid(1);
    if (files.isEmpty())
        return fail(UsageOrInvalid, QStringLiteral("validate needs a file (try validate --help)"));

    const QList<FileBriefs> all = readAllBriefs(files);
    const bool allValid =
        std::all_of(all.cbegin(), all.cend(), [](const FileBriefs &b) { return b.valid(); });
    if (context.json) {
        QJsonArray array;
        for (const FileBriefs &b : all)
            array.append(toJson(b));
        outJson(QJsonObject{{QStringLiteral("valid"), allValid}, {QStringLiteral("files"), array}});
    } else {
        for (const FileBriefs &b : all) {
            if (b.valid())
                out(summary(b));
            else
                printProblems(b, files.size() > 1);
        }
    }
    return allValid ? Success : UsageOrInvalid;
}

int submitCommand(const Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Validate briefs and add them to the queue as pending jobs. Nothing is "
                       "queued unless every brief in every file is valid; the problems are "
                       "printed as by validate."));
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Brief files."),
                                 QStringLiteral("FILE..."));
    if (auto code = parseCommand(parser, arguments, QStringLiteral("brieflow-cli submit FILE...")))
        return *code;
    const QStringList files = parser.positionalArguments().mid(1);
    if (files.isEmpty())
        return fail(UsageOrInvalid, QStringLiteral("submit needs a file (try submit --help)"));

    const QList<FileBriefs> all = readAllBriefs(files);
    for (const FileBriefs &b : all) {
        if (!b.valid()) {
            printProblems(b, true);
            return fail(UsageOrInvalid, QStringLiteral("nothing was queued"));
        }
    }

    if (const QString dir = context.paths.ensureExists(); !dir.isEmpty())
        return fail(DataUnavailable, QStringLiteral("can't create the folder %1").arg(dir));
    auto store = JobStore::open(context.paths.databaseFile(), JobStore::Mode::Writer);
    if (!store)
        return fail(DataUnavailable, store.error().message);

    QJsonArray queued;
    for (const FileBriefs &b : all) {
        for (const CsvBriefRow &row : b.rows) {
            auto job = submitBrief(*store.value(), row.brief, briefSource(b, row));
            if (!job)
                return fail(DataUnavailable, job.error().message);
            if (context.json)
                queued.append(jobToJson(job.value()));
            else
                out(QStringLiteral("queued %1  %2").arg(job->id.toString(), row.brief.productName));
        }
    }
    if (context.json)
        outJson(QJsonObject{{QStringLiteral("queued"), queued}});
    return Success;
}

} // namespace brieflow::cli
