// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <atomic>
#include <functional>

#include <QByteArray>
#include <QString>
#include <QStringList>

#include "core/util/result.h"

namespace brieflow {

/** Why writing an exported file failed. */
struct ExportWriteError {
    enum class Kind {
        DiskFull, ///< ENOSPC, EDQUOT or EFBIG: no room for the file
        Canceled, ///< the user canceled
        Other,
    };
    Kind kind = Kind::Other;
    QString message; ///< what failed, with the system's words (the path named)
};

/** DiskFull for ENOSPC, EDQUOT and EFBIG, else Other. */
ExportWriteError::Kind writeErrorKind(int errnoValue);

/**
 * A name in @p folder that nothing uses yet, hidden and recognisable as ours:
 * ".brieflow-export-<random>.part" (@p suffix is added before ".part").
 */
QString temporaryExportName(const QString &folder, const QString &suffix = {});

/**
 * Writes @p data to a new temporary file in @p folder in chunks of 1 MiB (checking @p canceled
 * between chunks), flushes and syncs it, and returns its path. The file is created with mode
 * 0666 minus the umask, like any new file. On failure or cancel the temporary file is removed.
 */
Result<QString, ExportWriteError> writeTemporaryFile(const QString &folder, const QByteArray &data,
                                                     const std::atomic_bool *canceled = nullptr);

/**
 * The files of one export that are not yet under their final names, and the final names they
 * took. publish() moves a temporary file to its name: without @p replace it never replaces a
 * file (a name taken meanwhile is an error), with @p replace it replaces atomically and keeps
 * the old file (as a hard link or copy) until commit(). rollback() removes every temporary file
 * and every published file and puts replaced files back; the destructor rolls back unless
 * commit() was called.
 */
class ExportTransaction {
public:
    ExportTransaction() = default;
    ~ExportTransaction();
    ExportTransaction(const ExportTransaction &) = delete;
    ExportTransaction &operator=(const ExportTransaction &) = delete;

    /** Remembers a temporary file so that rollback() removes it. */
    void addTemporary(const QString &path);
    Result<void, ExportWriteError> publish(const QString &temporaryPath, const QString &finalPath,
                                           bool replace);
    /** Drops the kept copies of replaced files; the export is done. */
    void commit();
    void rollback();
    QStringList published() const { return m_published; }

private:
    struct Replaced {
        QString finalPath;
        QString backupPath;
    };
    QStringList m_temporary;
    QStringList m_published;
    QList<Replaced> m_replaced;
    bool m_done = false;
};

} // namespace brieflow
