// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

class QSqlError;

namespace brieflow {

/**
 * Why a JobStore call failed. `message` is a complete sentence for the user that names the
 * database file and says what they can do; `detail` is the driver's text for the log. The UI
 * shows `message`, never `detail`.
 */
struct StoreError {
    enum class Kind {
        CannotOpen,      ///< missing file (reader), a folder at the path, no permission
        Corrupt,         ///< damaged file, or not a Brieflow database at all
        NewerSchema,     ///< written by a newer Brieflow; left untouched
        MigrationFailed, ///< upgrade failed and was rolled back; the file is as it was
        ReadOnly,        ///< a write on a Reader, or the file/folder is read-only
        Busy,            ///< another process held the write lock past the busy timeout
        DiskFull,
        Io,
        NotFound,   ///< the job/step/call named in the call does not exist
        Constraint, ///< the write contradicts the data (unknown parent, append-only log, ...)
        Query,      ///< anything else: a bug or an unexpected driver failure
    };

    Kind kind = Kind::Query;
    QString file;
    QString message;
    QString detail;

    /** "Kind: message [detail]", for logs and test failure output. */
    QString logText() const;
};

/** "CannotOpen", "Corrupt", ...: the enumerator name, for logs. */
QString toString(StoreError::Kind kind);

/** The default user sentence for @p kind about the database at @p file. */
QString storeErrorMessage(StoreError::Kind kind, const QString &file);

/** A StoreError of @p kind with the default sentence for it. */
StoreError makeStoreError(StoreError::Kind kind, const QString &file, const QString &detail = {});

/**
 * The kind for an SQLite result code as QSqlError::nativeErrorCode() reports it (extended codes
 * included, e.g. "778" for SQLITE_IOERR_WRITE). Unknown or empty codes are Kind::Query.
 */
StoreError::Kind storeErrorKindForSqliteCode(const QString &nativeErrorCode);

/** Maps a QtSql error from the database at @p file; @p context says what was being done. */
StoreError storeErrorFromSql(const QSqlError &error, const QString &file,
                             const QString &context = {});

} // namespace brieflow
