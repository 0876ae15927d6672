// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <atomic>
#include <memory>

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include "core/export/imagemetadata.h"
#include "core/export/lineage.h"
#include "core/util/result.h"

namespace brieflow {

class JobStore;

/** What happens to a file name that already exists in the target folder. */
enum class OverwritePolicy {
    Ask,      ///< nothing is written while there are conflicts: ExportPlan lists them
    Replace,  ///< replace the existing file (atomically: the old one stays until the new is whole)
    KeepBoth, ///< write "name (2).ext" instead
    Skip,     ///< leave the existing file and skip that image
};

/** What the user asked for. */
struct ExportRequest {
    QList<OutputId> outputs; ///< the images, in export order (jobs → their images, in order)
    QString folder;          ///< must exist; nothing is ever written outside it
    EncodeOptions encode;
    /// {product}, {job} (first 8 characters of the id), {index} (1-based, two digits), {date}
    /// (yyyy-MM-dd of the job), {model} (name part of the image model); extension added.
    QString nameTemplate = QStringLiteral("{product}-{date}-{job}-{index}");
    bool sidecars = true;  ///< a .json lineage sidecar next to each image
    bool zip = false;      ///< one ZIP bundle instead of loose files
    QString zipName;       ///< file name of the bundle (sanitised); empty: from the first product
    bool pdfSheet = false; ///< a one-page PDF campaign sheet (brief, concept, images) per job
    OverwritePolicy overwrite = OverwritePolicy::Ask;
};

/** One file the export will write, resolved before anything is written. */
struct PlannedFile {
    enum class Kind { Image, Sidecar, Sheet, Zip };

    QString name;        ///< relative to the folder (or inside the ZIP)
    OutputId output;     ///< null for a PDF sheet or a sidecar-less entry
    bool exists = false; ///< a file with this name is already in the folder
    Kind kind = Kind::Image;
    int image = -1;     ///< Image, Sidecar: index into ExportPlan::images
    JobId job;          ///< Sheet: the job it shows
    bool inZip = false; ///< an entry of the ZIP bundle, not a file in the folder
    bool skip = false;  ///< policy Skip and the file exists: left alone, not written
};

/**
 * An export resolved on the calling thread (it reads the store): the lineage of every image and
 * every file name, checked to stay inside the folder. conflicts is non-empty when the request's
 * policy is Ask and some names exist: ask the user, set a policy and plan again.
 */
struct ExportPlan {
    ExportRequest request; ///< folder made absolute and clean
    QList<ImageLineage> images;
    QStringList sourceFiles;  ///< the stored original of each image, parallel to images
    QList<PlannedFile> files; ///< images (each followed by its sidecar), sheets, then the ZIP
    QStringList conflicts;

    /** The files that will be written (not skipped): what progress counts. */
    int filesToWrite() const;
};

/**
 * Resolves @p request against @p store: errors for a missing folder, no images, an image or
 * its stored file that can't be found, a bad quality, or a name template with unknown
 * placeholders (named). KeepBoth numbers an image and its sidecar together ("name (2).png",
 * "name (2).json"); Skip marks each existing file skip; Replace refuses to replace a folder.
 */
Result<ExportPlan, QString> planExport(const JobStore &store, const ExportRequest &request);

/** How an export ended. */
struct ExportOutcome {
    enum class Kind { Done, Canceled, Failed };
    Kind kind = Kind::Done;
    QStringList written; ///< absolute paths (after Done only; a failed or canceled export
                         ///< removes everything it wrote)
    int skipped = 0;
    QString message; ///< for Failed: what happened and what to do (disk full names the folder)
};

/** "3 files written to …", "Export canceled; nothing was written.", or the failure message. */
QString describeOutcome(const ExportOutcome &outcome, const QString &folder);

/**
 * Runs an ExportPlan on a worker thread: decodes, encodes with metadata, writes sidecars, the
 * ZIP and the PDF sheet, reporting progress; cancel() stops at the next file. Every file is
 * written to a temporary name in the folder and renamed when whole; on a failure (a full disk)
 * or a cancel, everything this export wrote is removed. Emits finished() exactly once.
 */
class ExportTask final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ExportTask)

public:
    explicit ExportTask(ExportPlan plan, QObject *parent = nullptr);
    ~ExportTask() override; ///< cancels and waits
    void start();
    void cancel();
    bool isRunning() const;
    /** Runs on the calling thread (the CLI and tests); progress is still emitted. */
    ExportOutcome runSynchronously();

Q_SIGNALS:
    void progress(int done, int total, const QString &currentName);
    void finished(const brieflow::ExportOutcome &outcome);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace brieflow
