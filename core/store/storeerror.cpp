// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "storeerror.h"

#include <QCoreApplication>
#include <QDir>
#include <QSqlError>

namespace brieflow {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("StoreError", text);
}

// Primary SQLite result codes (sqlite3.h); the extended code keeps the primary in its low byte.
enum SqliteCode : int {
    SqlitePerm = 3,
    SqliteBusy = 5,
    SqliteLocked = 6,
    SqliteReadOnly = 8,
    SqliteIoErr = 10,
    SqliteCorrupt = 11,
    SqliteFull = 13,
    SqliteCantOpen = 14,
    SqliteConstraint = 19,
    SqliteAuth = 23,
    SqliteNotADb = 26,
    SqliteConstraintForeignKey = 787, // extended: the referenced job or step doesn't exist
};

} // namespace

QString StoreError::logText() const
{
    QString text = toString(kind) + QStringLiteral(": ") + message;
    if (!detail.isEmpty())
        text += QStringLiteral(" [") + detail + QLatin1Char(']');
    return text;
}

QString toString(StoreError::Kind kind)
{
    switch (kind) {
    case StoreError::Kind::CannotOpen:
        return QStringLiteral("CannotOpen");
    case StoreError::Kind::Corrupt:
        return QStringLiteral("Corrupt");
    case StoreError::Kind::NewerSchema:
        return QStringLiteral("NewerSchema");
    case StoreError::Kind::MigrationFailed:
        return QStringLiteral("MigrationFailed");
    case StoreError::Kind::ReadOnly:
        return QStringLiteral("ReadOnly");
    case StoreError::Kind::Busy:
        return QStringLiteral("Busy");
    case StoreError::Kind::DiskFull:
        return QStringLiteral("DiskFull");
    case StoreError::Kind::Io:
        return QStringLiteral("Io");
    case StoreError::Kind::NotFound:
        return QStringLiteral("NotFound");
    case StoreError::Kind::Constraint:
        return QStringLiteral("Constraint");
    case StoreError::Kind::Query:
        return QStringLiteral("Query");
    }
    return QStringLiteral("Query");
}

QString storeErrorMessage(StoreError::Kind kind, const QString &file)
{
    const QString where = QDir::toNativeSeparators(file);
    switch (kind) {
    case StoreError::Kind::CannotOpen:
        return tr("Brieflow can't open its job database at %1. Check that the folder exists and "
                  "that you are allowed to read and write it.")
            .arg(where);
    case StoreError::Kind::Corrupt:
        return tr("Brieflow can't read its job database at %1: the file is damaged or isn't a "
                  "Brieflow database. It was left as it is; move it aside to start with an empty "
                  "queue.")
            .arg(where);
    case StoreError::Kind::NewerSchema:
        return tr("The job database at %1 was written by a newer version of Brieflow. It was left "
                  "as it is; update Brieflow, or move the file aside to start with an empty queue.")
            .arg(where);
    case StoreError::Kind::MigrationFailed:
        return tr("Brieflow couldn't upgrade its job database at %1. Nothing was changed; the file "
                  "is as it was before.")
            .arg(where);
    case StoreError::Kind::ReadOnly:
        return tr("Brieflow can't save changes to its job database at %1 because it is open "
                  "read-only. Check the permissions of the file and its folder.")
            .arg(where);
    case StoreError::Kind::Busy:
        return tr("The job database at %1 is locked by another program, perhaps another copy of "
                  "Brieflow. Close it and try again.")
            .arg(where);
    case StoreError::Kind::DiskFull:
        return tr("The disk holding the job database at %1 is full, so the last change wasn't "
                  "saved. Free some space and try again.")
            .arg(where);
    case StoreError::Kind::Io:
        return tr("Brieflow couldn't read or write its job database at %1 because of a disk or "
                  "file-system error. The last change wasn't saved.")
            .arg(where);
    case StoreError::Kind::NotFound:
        return tr("What Brieflow asked for is no longer in the job database at %1; it may have "
                  "been deleted.")
            .arg(where);
    case StoreError::Kind::Constraint:
        return tr("The job database at %1 refused a change that contradicts the data already in "
                  "it. This is a bug in Brieflow; the change wasn't saved.")
            .arg(where);
    case StoreError::Kind::Query:
        break;
    }
    return tr("Brieflow hit an unexpected problem with its job database at %1. The last change "
              "wasn't saved.")
        .arg(where);
}

StoreError makeStoreError(StoreError::Kind kind, const QString &file, const QString &detail)
{
    return StoreError{kind, file, storeErrorMessage(kind, file), detail};
}

StoreError::Kind storeErrorKindForSqliteCode(const QString &nativeErrorCode)
{
    bool ok = false;
    const int code = nativeErrorCode.toInt(&ok);
    if (!ok)
        return StoreError::Kind::Query;
    if (code == SqliteConstraintForeignKey)
        return StoreError::Kind::NotFound;
    switch (code & 0xff) {
    case SqliteBusy:
    case SqliteLocked:
        return StoreError::Kind::Busy;
    case SqliteReadOnly:
        return StoreError::Kind::ReadOnly;
    case SqliteIoErr:
        return StoreError::Kind::Io;
    case SqliteCorrupt:
    case SqliteNotADb:
        return StoreError::Kind::Corrupt;
    case SqliteFull:
        return StoreError::Kind::DiskFull;
    case SqlitePerm:
    case SqliteAuth:
    case SqliteCantOpen:
        return StoreError::Kind::CannotOpen;
    case SqliteConstraint:
        return StoreError::Kind::Constraint;
    default:
        return StoreError::Kind::Query;
    }
}

StoreError storeErrorFromSql(const QSqlError &error, const QString &file, const QString &context)
{
    QString detail = error.text();
    if (!error.nativeErrorCode().isEmpty())
        detail += QStringLiteral(" (SQLite code ") + error.nativeErrorCode() + QLatin1Char(')');
    if (!context.isEmpty())
        detail = context + QStringLiteral(": ") + detail;
    return makeStoreError(storeErrorKindForSqliteCode(error.nativeErrorCode()), file, detail);
}

} // namespace brieflow
