// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// `export`: the images of finished jobs as PNG, JPEG or WebP with their metadata, sidecars, an
// optional ZIP and PDF campaign sheets, into one folder.
#include <QCommandLineParser>
#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

#include "app/cli/cli.h"
#include "app/cli/clioutput.h"
#include "app/cli/jobview.h"
#include "app/cli/signals.h"
#include "core/export/exporter.h"
#include "core/export/exportnames.h"
#include "core/store/jobstore.h"

namespace brieflow::cli {

namespace {

QJsonArray toJsonArray(const QStringList &list)
{
    QJsonArray array;
    for (const QString &s : list)
        array.append(s);
    return array;
}

} // namespace

int exportCommand(const Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Export every image of the given jobs into a folder, with the generation metadata "
        "embedded (PNG text chunks, XMP in JPEG and WebP) and a JSON sidecar per image. Nothing "
        "is written outside the folder, no file is replaced unless you say so, and a failed or "
        "interrupted export leaves nothing behind."));
    parser.addPositionalArgument(QStringLiteral("JOB_ID"), QStringLiteral("Jobs to export."),
                                 QStringLiteral("JOB_ID..."));
    const QCommandLineOption to(QStringLiteral("to"),
                                QStringLiteral("The folder to export into (must exist)."),
                                QStringLiteral("DIR"));
    const QCommandLineOption format(QStringLiteral("format"),
                                    QStringLiteral("png (default), jpeg or webp."),
                                    QStringLiteral("FORMAT"), QStringLiteral("png"));
    const QCommandLineOption quality(
        QStringLiteral("quality"),
        QStringLiteral("1-100 for JPEG and WebP (default: keep a stored file of the same format "
                       "as it is, else 90)."),
        QStringLiteral("N"));
    const QCommandLineOption nameTemplate(
        QStringLiteral("template"),
        QStringLiteral("File names: {product}, {job}, {index}, {date}, {model} (default "
                       "{product}-{date}-{job}-{index})."),
        QStringLiteral("T"), ExportRequest{}.nameTemplate);
    const QCommandLineOption zip(QStringLiteral("zip"),
                                 QStringLiteral("Put everything into one ZIP file in the folder."));
    const QCommandLineOption zipName(QStringLiteral("zip-name"),
                                     QStringLiteral("The ZIP's file name (default: the first "
                                                    "product and its date)."),
                                     QStringLiteral("NAME"));
    const QCommandLineOption pdf(QStringLiteral("pdf"),
                                 QStringLiteral("Add a one-page PDF campaign sheet per job."));
    const QCommandLineOption noSidecars(QStringLiteral("no-sidecars"),
                                        QStringLiteral("No .json lineage file next to images."));
    const QCommandLineOption overwrite(QStringLiteral("overwrite"),
                                       QStringLiteral("Replace files that already exist."));
    const QCommandLineOption keepBoth(
        QStringLiteral("keep-both"),
        QStringLiteral("Keep existing files and write \"name (2).ext\" instead."));
    const QCommandLineOption skipExisting(QStringLiteral("skip-existing"),
                                          QStringLiteral("Leave existing files and skip them."));
    parser.addOptions({to, format, quality, nameTemplate, zip, zipName, pdf, noSidecars, overwrite,
                       keepBoth, skipExisting});
    const QString usage = QStringLiteral(
        "brieflow-cli export JOB_ID... --to DIR [--format png|jpeg|webp] [--quality N] "
        "[--template T] [--zip [--zip-name NAME]] [--pdf] [--no-sidecars] "
        "[--overwrite|--keep-both|--skip-existing]");
    if (auto code = parseCommand(parser, arguments, usage))
        return *code;

    const QStringList jobArgs = parser.positionalArguments().mid(1);
    if (jobArgs.isEmpty())
        return fail(UsageOrInvalid, QStringLiteral("export needs a job id (try export --help)"));
    if (!parser.isSet(to) || parser.value(to).trimmed().isEmpty())
        return fail(UsageOrInvalid, QStringLiteral("export needs --to DIR, the folder to export "
                                                   "into"));
    const QString folder = parser.value(to);
    if (!QFileInfo(folder).isDir())
        return fail(UsageOrInvalid,
                    QStringLiteral("there is no folder %1; create it first").arg(folder));

    ExportRequest request;
    request.folder = folder;
    const auto exportFormat = exportFormatFromString(parser.value(format).trimmed().toLower());
    if (!exportFormat)
        return fail(UsageOrInvalid, QStringLiteral("unknown format \"%1\"; use png, jpeg or webp")
                                        .arg(parser.value(format)));
    request.encode.format = *exportFormat;
    if (parser.isSet(quality)) {
        bool ok = false;
        request.encode.quality = parser.value(quality).toInt(&ok);
        if (!ok || request.encode.quality < 1 || request.encode.quality > 100)
            return fail(UsageOrInvalid, QStringLiteral("--quality needs a whole number from 1 to "
                                                       "100"));
    }
    request.nameTemplate = parser.value(nameTemplate);
    request.zip = parser.isSet(zip);
    if (parser.isSet(zipName) && !request.zip)
        return fail(UsageOrInvalid, QStringLiteral("--zip-name goes with --zip"));
    request.zipName = parser.value(zipName);
    request.pdfSheet = parser.isSet(pdf);
    request.sidecars = !parser.isSet(noSidecars);
    const int policies = int(parser.isSet(overwrite)) + int(parser.isSet(keepBoth))
                         + int(parser.isSet(skipExisting));
    if (policies > 1)
        return fail(UsageOrInvalid, QStringLiteral("choose one of --overwrite, --keep-both and "
                                                   "--skip-existing"));
    request.overwrite = parser.isSet(overwrite)      ? OverwritePolicy::Replace
                        : parser.isSet(keepBoth)     ? OverwritePolicy::KeepBoth
                        : parser.isSet(skipExisting) ? OverwritePolicy::Skip
                                                     : OverwritePolicy::Ask;

    int code = Success;
    auto store = openForReading(context, &code);
    if (code != Success)
        return code;
    if (!store)
        return fail(
            UsageOrInvalid,
            QStringLiteral("no job %1 (the queue is empty)").arg(jobArgs.first().trimmed()));

    // The jobs' images, job by job, in order.
    QList<JobId> seen;
    for (const QString &arg : jobArgs) {
        const JobId id(arg.trimmed().toLower());
        if (seen.contains(id))
            continue;
        seen << id;
        auto job = store->job(id);
        if (!job)
            return fail(DataUnavailable, job.error().message);
        if (!job.value())
            return fail(UsageOrInvalid, QStringLiteral("no job %1").arg(id.toString()));
        auto outputs = store->outputs(id);
        if (!outputs)
            return fail(DataUnavailable, outputs.error().message);
        int images = 0;
        for (const OutputRecord &output : outputs.value()) {
            if (output.mime.startsWith(QLatin1String("image/"))) {
                request.outputs << output.id;
                ++images;
            }
        }
        if (images == 0)
            return fail(UsageOrInvalid, QStringLiteral("job %1 has no images to export (it is %2)")
                                            .arg(id.toString(), toString(job.value()->status)));
    }

    auto planned = planExport(*store, request);
    if (!planned)
        return fail(UsageOrInvalid, planned.error());
    const ExportPlan &plan = planned.value();
    if (!plan.conflicts.isEmpty()) {
        if (context.json) {
            outJson(QJsonObject{{QStringLiteral("status"), QStringLiteral("conflicts")},
                                {QStringLiteral("folder"), plan.request.folder},
                                {QStringLiteral("conflicts"), toJsonArray(plan.conflicts)}});
        } else {
            err(QStringLiteral("brieflow-cli: %1 file(s) already exist in %2:")
                    .arg(plan.conflicts.size())
                    .arg(plan.request.folder));
            for (const QString &name : plan.conflicts)
                err(QStringLiteral("  ") + name);
            err(QStringLiteral("Nothing was written. Add --overwrite, --keep-both or "
                               "--skip-existing."));
        }
        return UsageOrInvalid;
    }

    ExportTask task(plan);
    QObject::connect(&task, &ExportTask::progress, &task,
                     [](int done, int total, const QString &name) {
                         if (!name.isEmpty())
                             err(QStringLiteral("[%1/%2] %3").arg(done + 1).arg(total).arg(name));
                     });
    // The export runs on its worker thread; this thread's event loop prints progress and turns
    // Ctrl+C into a clean cancel (nothing is left behind).
    ExportOutcome outcome;
    QEventLoop loop;
    QObject::connect(&task, &ExportTask::finished, &loop, [&](const ExportOutcome &result) {
        outcome = result;
        loop.quit();
    });
    onTerminationSignals(&task, [&task] {
        err(QStringLiteral("Canceling the export…"));
        task.cancel();
    });
    task.start();
    loop.exec();

    if (outcome.kind != ExportOutcome::Kind::Done) {
        if (context.json)
            outJson(QJsonObject{
                {QStringLiteral("status"), outcome.kind == ExportOutcome::Kind::Canceled
                                               ? QStringLiteral("canceled")
                                               : QStringLiteral("failed")},
                {QStringLiteral("folder"), plan.request.folder},
                {QStringLiteral("message"), describeOutcome(outcome, plan.request.folder)}});
        return fail(JobFailed, describeOutcome(outcome, plan.request.folder));
    }
    if (context.json) {
        outJson(QJsonObject{{QStringLiteral("status"), QStringLiteral("done")},
                            {QStringLiteral("folder"), plan.request.folder},
                            {QStringLiteral("images"), plan.images.size()},
                            {QStringLiteral("written"), toJsonArray(outcome.written)},
                            {QStringLiteral("skipped"), outcome.skipped}});
    } else {
        for (const QString &path : outcome.written)
            out(path);
        err(describeOutcome(outcome, plan.request.folder));
    }
    return Success;
}

} // namespace brieflow::cli
