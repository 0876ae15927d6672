// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include "core/store/storeerror.h"
#include "core/util/result.h"

namespace brieflow {

class SqliteConnection;

/** One step of the schema's history: the statements that take version - 1 to version. */
struct Migration {
    int version = 0;
    QString description;
    QStringList statements;
};

/**
 * Brings a database to the last version of an ordered list of migrations. All pending
 * migrations run in ONE `BEGIN IMMEDIATE` transaction together with the version bump in the
 * `meta` table, so a failure anywhere leaves the old version and the old data as they were.
 * JobStore uses standard(); tests inject their own lists.
 */
class SchemaMigrator {
public:
    /** @p migrations must be numbered 1, 2, 3, ... in order. */
    explicit SchemaMigrator(QList<Migration> migrations);
    /** The migrations of this version of Brieflow. */
    static const SchemaMigrator &standard();

    int targetVersion() const;
    const QList<Migration> &migrations() const { return m_migrations; }

    /**
     * The version stored in the file; 0 for an empty database. A database with tables but no
     * Brieflow `meta` table is Corrupt (it isn't ours).
     */
    static Result<int, StoreError> readVersion(SqliteConnection &connection);
    /** Runs the pending migrations; returns the version the file now has. */
    Result<int, StoreError> migrate(SqliteConnection &connection) const;

    /** The NewerSchema error, naming the file and both versions. */
    static StoreError newerSchemaError(const QString &file, int fileVersion, int supportedVersion);

private:
    QList<Migration> m_migrations;
};

} // namespace brieflow
