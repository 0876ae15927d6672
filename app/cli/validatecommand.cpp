// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// `validate FILE...` and `submit FILE...`: read briefs from JSON or CSV files, report every
// problem, and (submit) queue the valid ones.
#include <cstdio>

#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>

#include "cli.h"
#include "clioutput.h"
#include "core/app/jobsubmission.h"
#include "core/brief/briefcsv.h"
#include "core/brief/briefjson.h"
#include "core/store/jobstore.h"

namespace brieflow::cli {

namespace {

/** The briefs of one input file, each with its problems. */
struct FileBriefs {
    QString file;
    QString readError; ///< set when the file couldn't be read at all
    bool isCsv = false;
    BriefIssues fileIssues;  ///< problems with the whole file (CSV header, JSON syntax)
    QList<CsvBriefRow> rows; ///< CSV: one per data row; JSON: one row, number 0

    bool valid() const
    {
        if (!readError.isEmpty() || !fileIssues.isEmpty() || rows.isEmpty())
            return false;
        return std::all_of(rows.cbegin(), rows.cend(),
                           [](const CsvBriefRow &r) { return r.issues.isEmpty(); });
    }
};

constexpr qint64 maxInputBytes = 16 * 1024 * 1024;

bool looksLikeCsv(const QString &file, const QByteArray &data)
{
    const QString suffix = QFileInfo(file).suffix().toLower();
    if (suffix == QLatin1String("csv"))
        return true;
    if (suffix == QLatin1String("json"))
        return false;
    // No telling suffix (or stdin): JSON starts with '{' or '[' after whitespace / a BOM.
    QByteArray head = data.left(64);
    if (head.startsWith("\xEF\xBB\xBF"))
        head = head.mid(3);
    head = head.trimmed();
    return !(head.startsWith('{') || head.startsWith('['));
}

FileBriefs readBriefs(const QString &file)
{
    FileBriefs result;
    result.file = file;
    QFile f;
    const bool isStdin = file == QLatin1String("-");
    const bool opened = isStdin ? f.open(stdin, QIODevice::ReadOnly)
                                : (f.setFileName(file), f.open(QIODevice::ReadOnly));
    if (!opened || (!isStdin && QFileInfo(file).isDir())) {
        result.readError = QFileInfo(file).isDir() ? QStringLiteral("it is a folder, not a file")
                                                   : f.errorString();
        return result;
    }
    const QByteArray data = f.read(maxInputBytes + 1);
    if (data.size() > maxInputBytes) {
        result.readError = QStringLiteral("the file is larger than 16 MB; split it into smaller "
                                          "files");
        return result;
    }

    result.isCsv = looksLikeCsv(file, data);
    if (result.isCsv) {
        CsvBriefs csv = briefsFromCsv(data);
        result.fileIssues = csv.fileIssues;
        result.rows = csv.rows;
        if (result.rows.isEmpty() && result.fileIssues.isEmpty())
            result.fileIssues.append({QString(), QStringLiteral("The file has no briefs in it.")});
    } else {
        auto parsed = briefFromJson(data);
        if (parsed)
            result.rows.append({0, parsed.value(), {}});
        else
            result.rows.append({0, Brief(), parsed.error()});
    }
    return result;
}

QString issueLine(int row, const BriefIssue &issue)
{
    QString line;
    if (row > 0)
        line += QStringLiteral("row %1: ").arg(row);
    if (!issue.field.isEmpty())
        line += issue.field + QStringLiteral(": ");
    return line + issue.message;
}

void printText(const FileBriefs &briefs, bool showFileName)
{
    const QString prefix = showFileName ? briefs.file + QStringLiteral(": ") : QString();
    if (!briefs.readError.isEmpty()) {
        out(prefix + QStringLiteral("can't read the file: ") + briefs.readError);
        return;
    }
    for (const BriefIssue &issue : briefs.fileIssues)
        out(prefix + issueLine(0, issue));
    for (const CsvBriefRow &row : briefs.rows) {
        for (const BriefIssue &issue : row.issues)
            out(prefix + issueLine(row.row, issue));
    }
}

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

QList<FileBriefs> readAll(const QStringList &files)
{
    QList<FileBriefs> all;
    for (const QString &file : files)
        all.append(readBriefs(file));
    return all;
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

    const QList<FileBriefs> all = readAll(files);
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
                printText(b, files.size() > 1);
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

    const QList<FileBriefs> all = readAll(files);
    for (const FileBriefs &b : all) {
        if (!b.valid()) {
            printText(b, true);
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
            const QString source =
                b.isCsv ? QStringLiteral("%1, row %2").arg(b.file).arg(row.row) : b.file;
            auto job = submitBrief(*store.value(), row.brief, source);
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
