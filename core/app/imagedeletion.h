// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QStringList>

#include "core/store/storeerror.h"
#include "core/util/ids.h"
#include "core/util/result.h"

namespace brieflow {

class JobStore;

/** What deleteImages() did. */
struct ImageDeletion {
    int deleted = 0;      ///< image records removed (ids that didn't exist don't count)
    int filesRemoved = 0; ///< files removed from disk (a file another image uses stays)
    /// Files no record refers to any more that could not be removed (left on disk as orphans).
    QStringList filesNotRemoved;
};

/**
 * Deletes images: their records first (JobStore::deleteOutputs(): the rows, their entries in
 * their steps' and jobs' output payloads and an "output_deleted" event per job, in one
 * transaction), then every file that no remaining record refers to. Outputs are stored by
 * content, so a file another image still uses stays.
 *
 * The records stay consistent whatever happens to the files: once the transaction has
 * committed the images are gone from the store, even if a file can't be removed (it is then
 * listed in filesNotRemoved — an orphan on disk, never a record without its file). A store error
 * means nothing was deleted and no file was touched. @p writer must be the store's writer, on
 * its thread.
 */
Result<ImageDeletion, StoreError> deleteImages(JobStore &writer, const QList<OutputId> &ids);

} // namespace brieflow
