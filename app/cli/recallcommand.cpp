// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// `recall`: read an exported image's embedded lineage (re-import) and print the brief, concept
// and prompt that made it; --submit queues the brief again, --from-prompt from its image prompt.
#include <QCommandLineParser>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include "app/cli/cli.h"
#include "app/cli/clioutput.h"
#include "core/app/jobsubmission.h"
#include "core/brief/brief.h"
#include "core/export/imagemetadata.h"
#include "core/store/jobstore.h"

namespace brieflow::cli {

namespace {

void printField(const QString &label, const QString &value)
{
    if (value.isEmpty())
        return;
    if (value.contains(QLatin1Char('\n'))) {
        out(label + QLatin1Char(':'));
        for (const QString &line : value.split(QLatin1Char('\n')))
            out(QStringLiteral("  ") + line);
    } else {
        out(QStringLiteral("%1: %2").arg(label, value));
    }
}

void printLineage(const QString &file, const ImageLineage &l)
{
    out(QStringLiteral("Recalled from %1").arg(file));
    out(QString());
    printField(QStringLiteral("Product"), l.brief.productName);
    printField(QStringLiteral("Audience"), l.brief.audience);
    printField(QStringLiteral("Value proposition"), l.brief.valueProposition);
    printField(QStringLiteral("Tone"), l.brief.tone);
    printField(QStringLiteral("Brand notes"), l.brief.brandNotes);
    printField(QStringLiteral("Images"),
               QStringLiteral("%1 × %2, %3")
                   .arg(l.brief.image.count)
                   .arg(l.brief.image.aspectRatio, l.brief.image.outputFormat));
    out(QString());
    printField(QStringLiteral("Concept"), l.conceptText);
    printField(QStringLiteral("Image prompt"), l.imagePrompt);
    out(QString());
    for (const ModelUse &m : l.models)
        out(QStringLiteral("Model (%1): %2%3")
                .arg(m.step, m.modelRef,
                     m.version.isEmpty() ? QString() : QStringLiteral(" @ ") + m.version));
    if (l.seed)
        printField(QStringLiteral("Seed"), QString::number(*l.seed));
    printField(QStringLiteral("Job"), l.jobId.toString());
    printField(QStringLiteral("Image"), QStringLiteral("%1 of %2").arg(l.index).arg(l.count));
    printField(QStringLiteral("Made with"), l.generator);
}

} // namespace

int recallCommand(const Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Read the brief, concept and image prompt embedded in an image exported by Brieflow "
        "(PNG, JPEG or WebP) and print them; optionally queue them as a new job."));
    parser.addPositionalArgument(QStringLiteral("IMAGE"), QStringLiteral("An exported image."));
    const QCommandLineOption submit(QStringLiteral("submit"),
                                    QStringLiteral("Queue the recalled brief as a new job."));
    const QCommandLineOption fromPrompt(
        QStringLiteral("from-prompt"),
        QStringLiteral("With --submit: start the new job at the images, with the recalled "
                       "concept and image prompt (only the images are generated)."));
    parser.addOptions({submit, fromPrompt});
    if (auto code =
            parseCommand(parser, arguments,
                         QStringLiteral("brieflow-cli recall IMAGE [--submit [--from-prompt]]")))
        return *code;
    const QStringList args = parser.positionalArguments().mid(1);
    if (args.size() != 1)
        return fail(UsageOrInvalid, QStringLiteral("recall needs exactly one image file"));
    if (parser.isSet(fromPrompt) && !parser.isSet(submit))
        return fail(UsageOrInvalid, QStringLiteral("--from-prompt goes with --submit"));
    const QString file = args.first();
    if (!QFileInfo(file).isFile())
        return fail(UsageOrInvalid, QStringLiteral("there is no file %1").arg(file));

    auto metadata = readEmbeddedMetadata(file);
    if (!metadata)
        return fail(UsageOrInvalid, metadata.error());
    if (!metadata->lineage) {
        QString message = QStringLiteral("%1 carries no Brieflow metadata to recall").arg(file);
        if (!metadata->digitalSourceType.isEmpty())
            message += QStringLiteral(" (it is marked as %1)").arg(metadata->digitalSourceType);
        return fail(UsageOrInvalid, message);
    }
    const ImageLineage &lineage = *metadata->lineage;

    QJsonObject result;
    if (context.json) {
        result.insert(QStringLiteral("file"), file);
        result.insert(QStringLiteral("lineage"),
                      QJsonDocument::fromJson(lineageToJson(lineage)).object());
    } else {
        printLineage(file, lineage);
    }

    if (parser.isSet(submit)) {
        const BriefIssues issues = validateBrief(lineage.brief);
        if (!issues.isEmpty()) {
            for (const BriefIssue &issue : issues)
                err(issue.field.isEmpty() ? issue.message
                                          : issue.field + QStringLiteral(": ") + issue.message);
            return fail(UsageOrInvalid, QStringLiteral("the recalled brief is not valid; nothing "
                                                       "was queued"));
        }
        if (const QString dir = context.paths.ensureExists(); !dir.isEmpty())
            return fail(DataUnavailable, QStringLiteral("can't create the folder %1").arg(dir));
        auto store = JobStore::open(context.paths.databaseFile(), JobStore::Mode::Writer);
        if (!store)
            return fail(DataUnavailable, store.error().message);
        const QString source = QStringLiteral("recalled from %1 (job %2)")
                                   .arg(QFileInfo(file).fileName(), lineage.jobId.toString());
        auto job = parser.isSet(fromPrompt)
                       ? submitFromImagePrompt(*store.value(), lineage.brief, lineage.conceptText,
                                               lineage.imagePrompt, source)
                       : submitBrief(*store.value(), lineage.brief, source);
        if (!job)
            return fail(job.error().kind == StoreError::Kind::Constraint ? UsageOrInvalid
                                                                         : DataUnavailable,
                        job.error().message);
        if (context.json)
            result.insert(QStringLiteral("queued"), jobToJson(job.value()));
        else
            out(QStringLiteral("\nqueued %1  %2%3")
                    .arg(job->id.toString(), lineage.brief.productName,
                         parser.isSet(fromPrompt) ? QStringLiteral(" (from the image prompt)")
                                                  : QString()));
    }
    if (context.json)
        outJson(result);
    return Success;
}

} // namespace brieflow::cli
