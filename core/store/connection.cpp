// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "connection.h"

#include <atomic>

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSqlError>

#include "core/logging.h"

namespace brieflow {

namespace {

// The driver's own default, made explicit: how long a write waits for another connection's
// write lock before failing with Busy.
constexpr int busyTimeoutMs = 5000;

std::atomic<quint64> s_connectionCounter{0};

QString tr(const char *text)
{
    return QCoreApplication::translate("StoreError", text);
}

StoreError cannotOpen(const QString &file, const QString &message, const QString &detail)
{
    return StoreError{StoreError::Kind::CannotOpen, file, message, detail};
}

} // namespace

SqliteConnection::SqliteConnection(QString file, Access access)
    : m_file(std::move(file))
    , m_name(QStringLiteral("brieflow-store-") + QString::number(++s_connectionCounter))
    , m_access(access)
{}

SqliteConnection::~SqliteConnection()
{
    // Every QSqlQuery must be gone before the connection closes, and the QSqlDatabase handle
    // before removeDatabase(), or Qt warns that the connection is still in use.
    if (m_depth > 0)
        rollbackNow();
    m_statements.clear();
    const bool added = m_db.isValid();
    if (m_db.isOpen())
        m_db.close();
    m_db = QSqlDatabase();
    if (added)
        QSqlDatabase::removeDatabase(m_name);
}

Result<std::unique_ptr<SqliteConnection>, StoreError> SqliteConnection::open(const QString &file,
                                                                             Access access)
{
    const QString where = QDir::toNativeSeparators(file);
    if (file.isEmpty())
        return fail(cannotOpen(file, tr("Brieflow has no file name for its job database."), {}));
    const QFileInfo info(file);
    if (info.isDir()) {
        return fail(cannotOpen(file,
                               tr("Brieflow can't open its job database at %1 because that is a "
                                  "folder, not a file. Move the folder aside or choose another "
                                  "data folder.")
                                   .arg(where),
                               QStringLiteral("path is a directory")));
    }
    if (access == Access::ReadOnly && !info.exists()) {
        return fail(cannotOpen(
            file,
            tr("Brieflow can't open its job database at %1: the file doesn't exist.").arg(where),
            QStringLiteral("no such file (read-only open)")));
    }
    if (access == Access::ReadWrite && !QDir().mkpath(info.absolutePath())) {
        return fail(cannotOpen(file,
                               tr("Brieflow can't create the folder %1 for its job database. "
                                  "Check that the disk is available and that you may write there.")
                                   .arg(QDir::toNativeSeparators(info.absolutePath())),
                               QStringLiteral("mkpath failed")));
    }
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE"))) {
        return fail(makeStoreError(StoreError::Kind::CannotOpen, file,
                                   QStringLiteral("the Qt SQLite driver (QSQLITE) is missing")));
    }

    std::unique_ptr<SqliteConnection> connection(new SqliteConnection(file, access));
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection->m_name);
    db.setDatabaseName(file);
    QString options = QStringLiteral("QSQLITE_BUSY_TIMEOUT=") + QString::number(busyTimeoutMs);
    if (access == Access::ReadOnly)
        options += QStringLiteral(";QSQLITE_OPEN_READONLY");
    db.setConnectOptions(options);
    connection->m_db = db;
    if (!connection->m_db.open()) {
        StoreError error =
            connection->errorFrom(connection->m_db.lastError(), QStringLiteral("open"));
        if (error.kind == StoreError::Kind::Query)
            error = makeStoreError(StoreError::Kind::CannotOpen, file, error.detail);
        return fail(std::move(error));
    }
    return connection;
}

Result<void, StoreError> SqliteConnection::probe()
{
    const auto count = scalar(QStringLiteral("SELECT count(*) FROM sqlite_master"));
    if (!count)
        return fail(count.error());
    return {};
}

Result<void, StoreError> SqliteConnection::configureWriter()
{
    Q_ASSERT(m_depth == 0);
    const auto mode = scalar(QStringLiteral("PRAGMA journal_mode=WAL"));
    if (!mode)
        return fail(mode.error());
    if (mode->toString().compare(QStringLiteral("wal"), Qt::CaseInsensitive) != 0) {
        // Some network file systems can't do WAL; the store still works, but readers and the
        // writer then block each other.
        qCWarning(lcStore) << "WAL is not available for" << m_file << "- journal mode is"
                           << mode->toString();
    }
    for (const QString &pragma :
         {QStringLiteral("PRAGMA foreign_keys=ON"), QStringLiteral("PRAGMA synchronous=NORMAL")}) {
        const auto r = execDirect(pragma);
        if (!r)
            return r;
    }
    return {};
}

Result<void, StoreError> SqliteConnection::check(bool quick)
{
    const QString sql =
        quick ? QStringLiteral("PRAGMA quick_check") : QStringLiteral("PRAGMA integrity_check");
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (!query.exec(sql))
        return fail(errorFrom(query.lastError(), sql));
    QStringList report;
    while (query.next())
        report << query.value(0).toString();
    if (query.lastError().isValid())
        return fail(errorFrom(query.lastError(), sql));
    if (report == QStringList{QStringLiteral("ok")})
        return {};
    if (report.size() > 20)
        report = report.mid(0, 20) << QStringLiteral("...");
    return fail(error(StoreError::Kind::Corrupt, sql + QStringLiteral(": ") + report.join(u"; ")));
}

Result<QSqlQuery *, StoreError> SqliteConnection::prepared(const QString &sql)
{
    dropStaleStatements();
    auto it = m_statements.find(sql);
    if (it != m_statements.end() && it->second)
        return it->second.get();
    auto query = std::make_unique<QSqlQuery>(m_db);
    query->setForwardOnly(true);
    if (!query->prepare(sql))
        return fail(errorFrom(query->lastError(), sql));
    QSqlQuery *raw = query.get();
    if (it != m_statements.end())
        it->second = std::move(query);
    else
        m_statements.emplace(sql, std::move(query));
    return raw;
}

Result<void, StoreError> SqliteConnection::exec(QSqlQuery *query, const QString &sql)
{
    if (query->exec())
        return {};
    const StoreError e = errorFrom(query->lastError(), sql);
    // Qt finalizes the statement on some failures; prepare it afresh next time. The query object
    // stays alive (the caller still holds it) until then.
    query->finish();
    m_stale.push_back(sql);
    return fail(e);
}

Result<void, StoreError> SqliteConnection::checkFetch(QSqlQuery *query, const QString &sql)
{
    if (!query->lastError().isValid())
        return {};
    const StoreError e = errorFrom(query->lastError(), sql);
    query->finish();
    m_stale.push_back(sql);
    return fail(e);
}

Result<void, StoreError> SqliteConnection::execDirect(const QString &sql)
{
    QSqlQuery query(m_db);
    if (!query.exec(sql))
        return fail(errorFrom(query.lastError(), sql));
    return {};
}

Result<QVariant, StoreError> SqliteConnection::cached(const QString &sql)
{
    const auto query = prepared(sql);
    if (!query)
        return fail(query.error());
    QSqlQuery *q = query.value();
    if (const auto ran = exec(q, sql); !ran)
        return fail(ran.error());
    QVariant value;
    if (q->next())
        value = q->value(0);
    if (const auto fetched = checkFetch(q, sql); !fetched)
        return fail(fetched.error());
    q->finish();
    return value;
}

Result<QVariant, StoreError> SqliteConnection::scalar(const QString &sql)
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (!query.exec(sql))
        return fail(errorFrom(query.lastError(), sql));
    QVariant value;
    if (query.next())
        value = query.value(0);
    if (query.lastError().isValid())
        return fail(errorFrom(query.lastError(), sql));
    return value;
}

StoreError SqliteConnection::error(StoreError::Kind kind, const QString &detail)
{
    m_lastError = makeStoreError(kind, m_file, detail);
    return m_lastError;
}

StoreError SqliteConnection::errorFrom(const QSqlError &sqlError, const QString &context)
{
    m_lastError = storeErrorFromSql(sqlError, m_file, context);
    qCWarning(lcStore).noquote() << m_name << m_lastError.logText();
    return m_lastError;
}

Result<void, StoreError> SqliteConnection::setMaxPageCount(qint64 pages)
{
    return execDirect(QStringLiteral("PRAGMA max_page_count=") + QString::number(pages));
}

void SqliteConnection::dropStaleStatements()
{
    for (const QString &sql : m_stale)
        m_statements.erase(sql);
    m_stale.clear();
}

// --- transactions ---------------------------------------------------------------------------

Result<void, StoreError> SqliteConnection::beginWrite(Synchronous level)
{
    if (m_access == Access::ReadOnly)
        return fail(
            error(StoreError::Kind::ReadOnly, QStringLiteral("write on a read-only store")));
    if (m_depth > 0) {
        if (m_doomed)
            return fail(*m_doomed);
        if (level == Synchronous::Full && m_level != Synchronous::Full) {
            // A programming error; treat it like any failed write inside the transaction.
            rollbackNow();
            m_doomed = error(StoreError::Kind::Query,
                             QStringLiteral("a synchronous=FULL write can't join a transaction "
                                            "that began at NORMAL"));
            return fail(*m_doomed);
        }
        ++m_depth;
        return {};
    }
    m_lastError = StoreError{};
    if (level == Synchronous::Full) {
        const auto r = cached(QStringLiteral("PRAGMA synchronous=FULL"));
        if (!r)
            return fail(r.error());
    }
    const auto begun = cached(QStringLiteral("BEGIN IMMEDIATE"));
    if (!begun) {
        if (level == Synchronous::Full)
            restoreNormalSync();
        return fail(begun.error());
    }
    m_depth = 1;
    m_level = level;
    m_doomed.reset();
    return {};
}

Result<void, StoreError> SqliteConnection::commitWrite()
{
    Q_ASSERT(m_depth > 0);
    if (m_depth > 1) {
        --m_depth;
        if (m_doomed)
            return fail(*m_doomed);
        return {};
    }
    m_depth = 0;
    const Synchronous level = m_level;
    m_level = Synchronous::Normal;
    if (m_doomed) {
        StoreError doomed = *m_doomed;
        m_doomed.reset();
        if (level == Synchronous::Full)
            restoreNormalSync();
        transactionEnded(false);
        return fail(std::move(doomed));
    }
    // Observed inside the transaction, so tests can see which level the commit really used.
    const auto sync = cached(QStringLiteral("PRAGMA synchronous"));
    const auto committed = cached(QStringLiteral("COMMIT"));
    if (!committed) {
        // After SQLITE_FULL/IOERR SQLite may already have rolled back; make sure it has.
        rollbackNow();
    } else {
        m_lastCommitSynchronous = sync ? sync->toInt() : -1;
    }
    if (level == Synchronous::Full)
        restoreNormalSync();
    transactionEnded(bool(committed));
    if (!committed)
        return fail(committed.error());
    return {};
}

void SqliteConnection::abortWrite()
{
    Q_ASSERT(m_depth > 0);
    if (m_depth > 1) {
        --m_depth;
        if (!m_doomed) {
            // Roll back everything now: after some errors SQLite has already done so itself, and
            // further writes must not run outside the transaction the caller thinks is open.
            rollbackNow();
            StoreError doomed = m_lastError;
            if (doomed.message.isEmpty())
                doomed = makeStoreError(StoreError::Kind::Query, m_file);
            doomed.detail = QStringLiteral("an earlier write in this transaction failed, so all "
                                           "of it was rolled back: ")
                            + doomed.detail;
            m_doomed = doomed;
        }
        return;
    }
    m_depth = 0;
    if (!m_doomed)
        rollbackNow();
    m_doomed.reset();
    if (m_level == Synchronous::Full)
        restoreNormalSync();
    m_level = Synchronous::Normal;
    transactionEnded(false);
}

void SqliteConnection::rollbackNow()
{
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("ROLLBACK"))) {
        // "no transaction is active" after SQLite rolled back on its own is expected.
        qCDebug(lcStore) << m_name << "ROLLBACK:" << query.lastError().text();
    }
}

void SqliteConnection::restoreNormalSync()
{
    const auto r = cached(QStringLiteral("PRAGMA synchronous=NORMAL"));
    if (!r)
        qCWarning(lcStore).noquote()
            << "could not restore synchronous=NORMAL:" << r.error().logText();
}

Result<WriteTransaction, StoreError> WriteTransaction::begin(SqliteConnection &connection,
                                                             SqliteConnection::Synchronous level)
{
    const auto begun = connection.beginWrite(level);
    if (!begun)
        return fail(begun.error());
    return WriteTransaction(&connection);
}

WriteTransaction::WriteTransaction(WriteTransaction &&other) noexcept
    : m_connection(std::exchange(other.m_connection, nullptr))
{}

WriteTransaction &WriteTransaction::operator=(WriteTransaction &&other) noexcept
{
    if (this != &other) {
        rollback();
        m_connection = std::exchange(other.m_connection, nullptr);
    }
    return *this;
}

WriteTransaction::~WriteTransaction()
{
    rollback();
}

Result<void, StoreError> WriteTransaction::commit()
{
    Q_ASSERT(m_connection);
    SqliteConnection *connection = std::exchange(m_connection, nullptr);
    return connection->commitWrite();
}

void WriteTransaction::rollback()
{
    if (SqliteConnection *connection = std::exchange(m_connection, nullptr))
        connection->abortWrite();
}

} // namespace brieflow
