// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/briefinput.h"

#include <cstdio>

#include <QFile>
#include <QFileInfo>

#include "app/cli/clioutput.h"
#include "core/app/jobsubmission.h"
#include "core/brief/briefjson.h"
#include "core/store/jobstore.h"

namespace brieflow::cli {

namespace {

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

QString issueLine(int row, const BriefIssue &issue)
{
    QString line;
    if (row > 0)
        line += QStringLiteral("row %1: ").arg(row);
    if (!issue.field.isEmpty())
        line += issue.field + QStringLiteral(": ");
    return line + issue.message;
}

} // namespace

bool FileBriefs::valid() const
{
    if (!readError.isEmpty() || !fileIssues.isEmpty() || rows.isEmpty())
        return false;
    return std::all_of(rows.cbegin(), rows.cend(),
                       [](const CsvBriefRow &r) { return r.issues.isEmpty(); });
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

void printProblems(const FileBriefs &briefs, bool showFileName)
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

QList<FileBriefs> readAllBriefs(const QStringList &files)
{
    QList<FileBriefs> all;
    for (const QString &file : files)
        all.append(readBriefs(file));
    return all;
}

QString briefSource(const FileBriefs &briefs, const CsvBriefRow &row)
{
    return briefs.isCsv ? QStringLiteral("%1, row %2").arg(briefs.file).arg(row.row) : briefs.file;
}

Result<QList<JobRecord>, StoreError> queueBriefs(JobStore &store, const QList<FileBriefs> &all)
{
    auto batch = store.beginBatch();
    if (!batch)
        return brieflow::fail(batch.error());
    QList<JobRecord> jobs;
    for (const FileBriefs &b : all) {
        for (const CsvBriefRow &row : b.rows) {
            auto job = submitBrief(store, row.brief, briefSource(b, row));
            if (!job)
                return brieflow::fail(job.error());
            jobs.append(job.value());
        }
    }
    if (auto committed = batch->commit(); !committed)
        return brieflow::fail(committed.error());
    return jobs;
}

} // namespace brieflow::cli
