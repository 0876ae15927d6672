// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QStringList>
#include <QVariant>

#include "core/store/storeerror.h"
#include "core/util/result.h"

namespace brieflow {

/**
 * One QSQLITE connection and everything SQLite-specific about using it: connect options,
 * PRAGMAs, `BEGIN IMMEDIATE` transactions, the synchronous policy, the prepared-statement cache
 * and the mapping of driver errors to StoreError. A PostgreSQL dialect would replace this class
 * (and the DDL in schema.cpp), not the queries' callers. Used by one thread only; not a QObject.
 */
class SqliteConnection {
public:
    enum class Access { ReadWrite, ReadOnly };
    /** PRAGMA synchronous levels as SQLite numbers them. */
    enum class Synchronous { Off = 0, Normal = 1, Full = 2 };

    /** Opens @p file; ReadOnly refuses a missing file. Runs no statement yet. */
    static Result<std::unique_ptr<SqliteConnection>, StoreError> open(const QString &file,
                                                                      Access access);
    ~SqliteConnection();
    SqliteConnection(const SqliteConnection &) = delete;
    SqliteConnection &operator=(const SqliteConnection &) = delete;

    const QString &fileName() const { return m_file; }
    bool isReadOnly() const { return m_access == Access::ReadOnly; }

    /** Reads the schema so a garbage file fails now ("file is not a database" → Corrupt). */
    Result<void, StoreError> probe();
    /** WAL, foreign keys, synchronous=NORMAL. Writers only; must run outside a transaction. */
    Result<void, StoreError> configureWriter();
    /** PRAGMA quick_check / integrity_check; Corrupt with the report unless it says "ok". */
    Result<void, StoreError> check(bool quick);

    /** A cached prepared statement for @p sql, with its bound values cleared. */
    Result<QSqlQuery *, StoreError> prepared(const QString &sql);
    /** Executes a prepared statement; on failure the statement leaves the cache. */
    Result<void, StoreError> exec(QSqlQuery *query, const QString &sql);
    /** Runs a cached statement and returns the first column of its first row, if any. */
    Result<QVariant, StoreError> cached(const QString &sql);
    /** Runs a one-off statement (DDL, PRAGMA) without caching it. */
    Result<void, StoreError> execDirect(const QString &sql);
    /** The first column of the first row of a one-off statement; invalid when no row. */
    Result<QVariant, StoreError> scalar(const QString &sql);
    /** Call after iterating a result: maps an error that ended next() early. */
    Result<void, StoreError> checkFetch(QSqlQuery *query, const QString &sql);

    /** A StoreError for this file, remembered as the connection's last error. */
    StoreError error(StoreError::Kind kind, const QString &detail = {});
    StoreError errorFrom(const QSqlError &sqlError, const QString &context = {});

    bool inTransaction() const { return m_depth > 0; }
    /** The PRAGMA synchronous level read inside the last committed transaction, or -1. */
    int lastCommitSynchronous() const { return m_lastCommitSynchronous; }
    /** SQLite's max_page_count: caps the file size, which makes writes fail like a full disk. */
    Result<void, StoreError> setMaxPageCount(qint64 pages);
    /** Called each time the outermost write transaction ends: with true once its COMMIT
     *  succeeded, with false when it was rolled back or its commit failed. One observer; an
     *  empty function removes it. */
    void setTransactionObserver(std::function<void(bool committed)> observer)
    {
        m_observer = std::move(observer);
    }

private:
    friend class WriteTransaction;
    SqliteConnection(QString file, Access access);

    Result<void, StoreError> beginWrite(Synchronous level);
    Result<void, StoreError> commitWrite();
    void abortWrite();
    void rollbackNow();
    void restoreNormalSync();
    void dropStaleStatements();

    QString m_file;
    QString m_name;
    Access m_access;
    QSqlDatabase m_db;
    std::unordered_map<QString, std::unique_ptr<QSqlQuery>> m_statements;
    QStringList m_stale; // failed statements, dropped at the next prepared() call
    int m_depth = 0;
    Synchronous m_level = Synchronous::Normal;
    std::optional<StoreError> m_doomed; // an inner write failed: the outer one must not commit
    StoreError m_lastError;
    int m_lastCommitSynchronous = -1;
    std::function<void(bool committed)> m_observer;
    void transactionEnded(bool committed)
    {
        if (m_observer)
            m_observer(committed);
    }
};

/**
 * RAII write transaction: `BEGIN IMMEDIATE` (never QSqlDatabase::transaction(), which issues a
 * deferred BEGIN that can fail with SQLITE_BUSY_SNAPSHOT in WAL despite the busy timeout), and
 * ROLLBACK unless commit() succeeded. Nested transactions join the outer one; if an inner one
 * is abandoned the whole transaction is rolled back at once and the outer commit() fails.
 * Synchronous::Full sets `PRAGMA synchronous=FULL` before BEGIN and NORMAL again after COMMIT
 * (SQLite refuses to change it inside a transaction), so a nested Full inside a Normal
 * transaction is an error.
 */
class WriteTransaction {
public:
    static Result<WriteTransaction, StoreError>
    begin(SqliteConnection &connection,
          SqliteConnection::Synchronous level = SqliteConnection::Synchronous::Normal);
    WriteTransaction(WriteTransaction &&other) noexcept;
    WriteTransaction &operator=(WriteTransaction &&other) noexcept;
    WriteTransaction(const WriteTransaction &) = delete;
    WriteTransaction &operator=(const WriteTransaction &) = delete;
    ~WriteTransaction();

    Result<void, StoreError> commit();
    void rollback();
    bool isActive() const { return m_connection != nullptr; }

private:
    explicit WriteTransaction(SqliteConnection *connection)
        : m_connection(connection)
    {}
    SqliteConnection *m_connection = nullptr;
};

} // namespace brieflow
