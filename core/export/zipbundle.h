// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <atomic>
#include <functional>

#include <QByteArray>
#include <QList>
#include <QString>

#include "core/export/exportfile.h"
#include "core/util/result.h"

namespace brieflow {

/** One file inside a ZIP bundle. */
struct ZipEntry {
    QString name; ///< a plain file name (no folders); sanitised again when written
    QByteArray data;
    bool compress = false; ///< deflate (JSON, PDF); images are stored as they are

    friend bool operator==(const ZipEntry &, const ZipEntry &) = default;
};

/**
 * Writes @p entries to a new ZIP file at @p path (which must not exist) with libzip: entries in
 * order, names as UTF-8, stored or deflated per entry, each with the current time. libzip writes
 * to a temporary file next to @p path and renames it when whole; on any failure (a full disk,
 * a cancel through @p canceled, checked while the data is written) the archive is discarded and
 * nothing is left at @p path or beside it. @p progress gets the fraction written (0–1).
 * Duplicate or unsafe entry names are an error.
 */
Result<void, ExportWriteError> writeZip(const QString &path, const QList<ZipEntry> &entries,
                                        const std::atomic_bool *canceled = nullptr,
                                        const std::function<void(double)> &progress = {});

/** Reads every entry of the ZIP at @p path (for tests and checks); `compress` says whether the
 *  entry is deflated. */
Result<QList<ZipEntry>, QString> readZip(const QString &path);

} // namespace brieflow
