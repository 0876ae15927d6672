// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/export/exporter.h"

#include <QDir>
#include <QFileInfo>
#include <QThread>

#include "core/export/campaignsheet.h"
#include "core/export/exportfile.h"
#include "core/export/exportnames.h"
#include "core/export/zipbundle.h"
#include "core/store/jobstore.h"

namespace brieflow {

namespace {

QString join(const QString &folder, const QString &name)
{
    return folder + QLatin1Char('/') + name;
}

/** A name in the folder is taken by a file, a folder or a symbolic link (even a broken one). */
bool nameExists(const QString &folder, const QString &name)
{
    const QFileInfo info(join(folder, name));
    return info.exists() || info.isSymLink();
}

/** Image + its sidecar, a sheet, or the ZIP: files that are numbered together for KeepBoth. */
struct Group {
    QString stem;
    QStringList extensions;
    QList<PlannedFile> files; ///< names filled in from stem and extensions
};

void applyPolicy(const QString &folder, OverwritePolicy policy, Group &group, UniqueNames &names,
                 ExportPlan &plan)
{
    bool anyExists = false;
    for (PlannedFile &file : group.files) {
        file.exists = !file.inZip && nameExists(folder, file.name);
        anyExists = anyExists || file.exists;
    }
    if (!anyExists)
        return;
    switch (policy) {
    case OverwritePolicy::Ask:
        for (const PlannedFile &file : std::as_const(group.files)) {
            if (file.exists)
                plan.conflicts << file.name;
        }
        break;
    case OverwritePolicy::Replace:
        break;
    case OverwritePolicy::Skip:
        for (PlannedFile &file : group.files)
            file.skip = file.exists;
        break;
    case OverwritePolicy::KeepBoth:
        for (int n = 2;; ++n) {
            bool free = true;
            for (const QString &ext : std::as_const(group.extensions)) {
                const QString candidate = numberedName(group.stem, ext, n);
                free = free && !names.isTaken(candidate) && !nameExists(folder, candidate);
            }
            if (!free)
                continue;
            for (qsizetype i = 0; i < group.files.size(); ++i) {
                PlannedFile &file = group.files[i];
                file.name = numberedName(group.stem, group.extensions.at(i), n);
                file.exists = false;
                names.insert(file.name);
            }
            break;
        }
        break;
    }
}

} // namespace

int ExportPlan::filesToWrite() const
{
    int count = 0;
    for (const PlannedFile &file : files)
        count += file.skip ? 0 : 1;
    return count;
}

Result<ExportPlan, QString> planExport(const JobStore &store, const ExportRequest &request)
{
    ExportPlan plan;
    plan.request = request;
    const QFileInfo folderInfo(request.folder);
    if (request.folder.isEmpty() || !folderInfo.isDir())
        return fail(QStringLiteral("The folder %1 doesn't exist; choose an existing folder.")
                        .arg(request.folder));
    const QString folder = QDir::cleanPath(folderInfo.absoluteFilePath());
    plan.request.folder = folder;
    if (request.outputs.isEmpty())
        return fail(QStringLiteral("Nothing to export: choose at least one image."));
    const int quality = request.encode.quality;
    if (quality != -1 && (quality < 1 || quality > 100))
        return fail(QStringLiteral("The quality must be between 1 and 100, not %1.").arg(quality));
    if (request.zip && !request.zipName.isEmpty() && request.zipName.trimmed().isEmpty())
        return fail(QStringLiteral("The ZIP needs a name."));

    // The images: lineage and stored file, each once, in request order.
    QList<OutputId> seen;
    for (const OutputId &id : request.outputs) {
        if (seen.contains(id))
            continue;
        seen << id;
        auto lineage = lineageForOutput(store, id);
        if (!lineage)
            return fail(QStringLiteral("Image %1 can't be exported: %2")
                            .arg(id.toString(), lineage.error()));
        auto output = store.output(id);
        if (!output)
            return fail(output.error().message);
        if (!output.value())
            return fail(QStringLiteral("There is no image %1.").arg(id.toString()));
        const QString file = output.value()->filePath;
        if (!QFileInfo(file).isReadable())
            return fail(QStringLiteral("The stored file of image %1 of \"%2\" is missing: %3")
                            .arg(lineage->index)
                            .arg(lineage->brief.productName, file));
        plan.images << lineage.value();
        plan.sourceFiles << file;
    }

    const QString ext = fileExtension(request.encode.format);
    const QStringList imageExts =
        request.sidecars ? QStringList{ext, QStringLiteral("json")} : QStringList{ext};
    UniqueNames names;
    QList<Group> groups;
    for (qsizetype i = 0; i < plan.images.size(); ++i) {
        const ImageLineage &lineage = plan.images.at(i);
        NameFields fields;
        fields.product = lineage.brief.productName;
        fields.job = lineage.jobId;
        fields.index = lineage.index;
        fields.date = lineage.jobCreatedAt.toLocalTime().date();
        fields.model = lineage.imageModel();
        auto expanded = expandNameTemplate(request.nameTemplate, fields);
        if (!expanded)
            return fail(expanded.error());
        const QString safe = sanitizeFileName(expanded.value(), ext);
        const QString stem = names.claimStem(splitExtension(safe).first, imageExts);
        Group group{stem, imageExts, {}};
        PlannedFile image;
        image.kind = PlannedFile::Kind::Image;
        image.name = stem + QLatin1Char('.') + ext;
        image.output = lineage.outputId;
        image.image = static_cast<int>(i);
        image.inZip = request.zip;
        group.files << image;
        if (request.sidecars) {
            PlannedFile sidecar = image;
            sidecar.kind = PlannedFile::Kind::Sidecar;
            sidecar.name = stem + QStringLiteral(".json");
            group.files << sidecar;
        }
        groups << group;
    }
    if (request.pdfSheet) {
        QList<JobId> jobs;
        for (const ImageLineage &lineage : std::as_const(plan.images)) {
            if (jobs.contains(lineage.jobId))
                continue;
            jobs << lineage.jobId;
            const QString safe =
                sanitizeFileName(lineage.brief.productName + QLatin1Char('-')
                                     + lineage.jobId.toString().left(8) + QStringLiteral("-sheet"),
                                 QStringLiteral("pdf"));
            const QString stem =
                names.claimStem(splitExtension(safe).first, {QStringLiteral("pdf")});
            PlannedFile sheet;
            sheet.kind = PlannedFile::Kind::Sheet;
            sheet.name = stem + QStringLiteral(".pdf");
            sheet.job = lineage.jobId;
            sheet.inZip = request.zip;
            groups << Group{stem, {QStringLiteral("pdf")}, {sheet}};
        }
    }
    if (request.zip) {
        QString wanted = request.zipName.trimmed();
        if (wanted.endsWith(QStringLiteral(".zip"), Qt::CaseInsensitive))
            wanted.chop(4);
        if (wanted.isEmpty()) {
            const ImageLineage &first = plan.images.first();
            wanted =
                first.brief.productName + QLatin1Char('-')
                + first.jobCreatedAt.toLocalTime().date().toString(QStringLiteral("yyyy-MM-dd"));
        }
        const QString safe = sanitizeFileName(wanted, QStringLiteral("zip"));
        const QString stem = splitExtension(safe).first;
        // The bundle lives in the folder, its entries inside it: their names don't meet.
        UniqueNames zipNames;
        zipNames.insert(safe);
        PlannedFile zip;
        zip.kind = PlannedFile::Kind::Zip;
        zip.name = safe;
        groups << Group{stem, {QStringLiteral("zip")}, {zip}};
        Group &zipGroup = groups.last();
        applyPolicy(folder, request.overwrite, zipGroup, zipNames, plan);
    } else {
        for (Group &group : groups)
            applyPolicy(folder, request.overwrite, group, names, plan);
    }

    for (const Group &group : std::as_const(groups)) {
        for (const PlannedFile &file : group.files) {
            if (!staysInsideFolder(folder, file.name))
                return fail(
                    QStringLiteral("\"%1\" would not stay inside %2.").arg(file.name, folder));
            if (file.exists && !file.skip && !file.inZip
                && request.overwrite == OverwritePolicy::Replace
                && QFileInfo(join(folder, file.name)).isDir())
                return fail(QStringLiteral("%1 is a folder in %2; it can't be replaced by a file.")
                                .arg(file.name, folder));
            plan.files << file;
        }
    }
    return plan;
}

QString describeOutcome(const ExportOutcome &outcome, const QString &folder)
{
    switch (outcome.kind) {
    case ExportOutcome::Kind::Done: {
        QString text =
            outcome.written.size() == 1
                ? QStringLiteral("1 file written to %1").arg(folder)
                : QStringLiteral("%1 files written to %2").arg(outcome.written.size()).arg(folder);
        if (outcome.skipped > 0)
            text += QStringLiteral("; %1 existing file(s) skipped").arg(outcome.skipped);
        return text + QLatin1Char('.');
    }
    case ExportOutcome::Kind::Canceled:
        return QStringLiteral("Export canceled; nothing was written.");
    case ExportOutcome::Kind::Failed:
        return outcome.message;
    }
    return outcome.message;
}

// --- ExportTask -------------------------------------------------------------------------------

struct ExportTask::Private {
    ExportPlan plan;
    std::atomic_bool canceled{false};
    QThread *thread = nullptr;
    ExportOutcome result;
    bool finishedEmitted = false;
    bool started = false;

    ExportOutcome run(ExportTask *task);
    Result<QByteArray, QString> produce(const PlannedFile &file) const;
    ExportOutcome failed(const ExportWriteError &error) const;
    ExportOutcome failed(const QString &what) const;
};

ExportOutcome ExportTask::Private::failed(const ExportWriteError &error) const
{
    ExportOutcome outcome;
    const QString folder = plan.request.folder;
    switch (error.kind) {
    case ExportWriteError::Kind::Canceled:
        outcome.kind = ExportOutcome::Kind::Canceled;
        outcome.message = QStringLiteral("Export canceled; nothing was written.");
        return outcome;
    case ExportWriteError::Kind::DiskFull:
        outcome.kind = ExportOutcome::Kind::Failed;
        outcome.message = QStringLiteral("The disk is full: %1. Nothing was exported; free some "
                                         "space in %2 and try again.")
                              .arg(error.message, folder);
        return outcome;
    case ExportWriteError::Kind::Other:
        break;
    }
    return failed(error.message);
}

ExportOutcome ExportTask::Private::failed(const QString &what) const
{
    ExportOutcome outcome;
    outcome.kind = ExportOutcome::Kind::Failed;
    outcome.message = QStringLiteral("The export failed: %1. Nothing was exported to %2.")
                          .arg(what, plan.request.folder);
    return outcome;
}

Result<QByteArray, QString> ExportTask::Private::produce(const PlannedFile &file) const
{
    switch (file.kind) {
    case PlannedFile::Kind::Image: {
        auto bytes = encodeWithMetadata(plan.sourceFiles.at(file.image), plan.images.at(file.image),
                                        plan.request.encode);
        if (!bytes)
            return fail(QStringLiteral("%1: %2").arg(file.name, bytes.error()));
        return bytes.value();
    }
    case PlannedFile::Kind::Sidecar:
        return lineageToJson(plan.images.at(file.image));
    case PlannedFile::Kind::Sheet: {
        CampaignSheet sheet;
        for (qsizetype i = 0; i < plan.images.size(); ++i) {
            if (plan.images.at(i).jobId == file.job) {
                sheet.images << plan.images.at(i);
                sheet.imageFiles << plan.sourceFiles.at(i);
            }
        }
        auto pdf = renderCampaignSheet(sheet);
        if (!pdf)
            return fail(QStringLiteral("%1: %2").arg(file.name, pdf.error()));
        return pdf.value();
    }
    case PlannedFile::Kind::Zip:
        break;
    }
    return fail(QStringLiteral("%1 is not made this way").arg(file.name));
}

ExportOutcome ExportTask::Private::run(ExportTask *task)
{
    const QString folder = plan.request.folder;
    if (!plan.conflicts.isEmpty())
        return failed(QStringLiteral("%1 already exist(s); choose to replace, keep both or skip")
                          .arg(plan.conflicts.join(QStringLiteral(", "))));
    const int total = plan.filesToWrite();
    int done = 0;
    int skipped = 0;
    ExportTransaction transaction;
    QList<ZipEntry> entries;
    QList<std::pair<QString, const PlannedFile *>> toPublish; // temporary file → planned file
    const PlannedFile *zipFile = nullptr;
    const ExportWriteError canceledError{ExportWriteError::Kind::Canceled, QString()};

    for (const PlannedFile &file : std::as_const(plan.files)) {
        if (file.skip) {
            ++skipped;
            continue;
        }
        if (file.kind == PlannedFile::Kind::Zip) {
            zipFile = &file;
            continue;
        }
        if (canceled.load())
            return failed(canceledError);
        Q_EMIT task->progress(done, total, file.name);
        auto bytes = produce(file);
        if (!bytes)
            return failed(bytes.error());
        if (file.inZip) {
            entries << ZipEntry{file.name, std::move(bytes).value(),
                                file.kind == PlannedFile::Kind::Sidecar};
        } else {
            auto temporary = writeTemporaryFile(folder, bytes.value(), &canceled);
            if (!temporary)
                return failed(temporary.error());
            transaction.addTemporary(temporary.value());
            toPublish << std::pair{temporary.value(), &file};
        }
        ++done;
    }

    if (zipFile) {
        if (canceled.load())
            return failed(canceledError);
        Q_EMIT task->progress(done, total, zipFile->name);
        const QString temporary = temporaryExportName(folder, QStringLiteral("-zip"));
        transaction.addTemporary(temporary);
        auto written = writeZip(temporary, entries, &canceled);
        if (!written)
            return failed(written.error());
        toPublish << std::pair{temporary, zipFile};
        ++done;
    }

    // Everything is whole on disk under temporary names: now give the files their names.
    if (canceled.load())
        return failed(canceledError);
    for (const auto &[temporary, file] : std::as_const(toPublish)) {
        auto published = transaction.publish(temporary, join(folder, file->name),
                                             plan.request.overwrite == OverwritePolicy::Replace);
        if (!published)
            return failed(published.error());
    }
    transaction.commit();
    Q_EMIT task->progress(total, total, QString());

    ExportOutcome outcome;
    outcome.kind = ExportOutcome::Kind::Done;
    outcome.written = transaction.published();
    outcome.skipped = skipped;
    return outcome;
}

ExportTask::ExportTask(ExportPlan plan, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    d->plan = std::move(plan);
}

ExportTask::~ExportTask()
{
    cancel();
    if (d->thread) {
        d->thread->wait();
        delete d->thread;
    }
}

void ExportTask::start()
{
    Q_ASSERT_X(!d->started, "ExportTask::start", "an ExportTask runs once");
    if (d->started)
        return;
    d->started = true;
    d->thread = QThread::create([this] { d->result = d->run(this); });
    d->thread->setObjectName(QStringLiteral("export"));
    // finished() comes from this object's thread once the worker is done.
    connect(d->thread, &QThread::finished, this, [this] {
        if (d->finishedEmitted)
            return;
        d->finishedEmitted = true;
        Q_EMIT finished(d->result);
    });
    d->thread->start(QThread::LowPriority);
}

void ExportTask::cancel()
{
    d->canceled.store(true);
}

bool ExportTask::isRunning() const
{
    return d->thread && d->thread->isRunning();
}

ExportOutcome ExportTask::runSynchronously()
{
    Q_ASSERT_X(!d->started, "ExportTask::runSynchronously", "an ExportTask runs once");
    d->started = true;
    d->result = d->run(this);
    d->finishedEmitted = true;
    Q_EMIT finished(d->result);
    return d->result;
}

} // namespace brieflow
