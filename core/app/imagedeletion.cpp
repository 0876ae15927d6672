// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "imagedeletion.h"

#include <QFile>
#include <QLoggingCategory>

#include "core/logging.h"
#include "core/store/jobstore.h"

namespace brieflow {

Result<ImageDeletion, StoreError> deleteImages(JobStore &writer, const QList<OutputId> &ids)
{
    ImageDeletion outcome;
    QStringList files;
    {
        // What exists and its deletion in one transaction: the count is what was deleted.
        auto batch = writer.beginBatch();
        if (!batch)
            return fail(batch.error());
        for (const OutputId &id : ids) {
            const auto existing = writer.output(id);
            if (!existing)
                return fail(existing.error());
            if (existing->has_value())
                ++outcome.deleted;
        }
        auto unreferenced = writer.deleteOutputs(ids);
        if (!unreferenced)
            return fail(unreferenced.error());
        if (auto committed = batch->commit(); !committed)
            return fail(committed.error());
        files = std::move(unreferenced).value();
    }
    // The records are gone for good from here: a file that can't be removed is reported, not
    // an error.
    for (const QString &path : std::as_const(files)) {
        QFile file(path);
        if (file.remove()) {
            ++outcome.filesRemoved;
        } else if (QFile::exists(path)) {
            qCWarning(lcApp) << "could not remove deleted image" << path << file.errorString();
            outcome.filesNotRemoved << path;
        }
    }
    return outcome;
}

} // namespace brieflow
