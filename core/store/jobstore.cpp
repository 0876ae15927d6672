// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobstore.h"

#include <utility>

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QMutex>
#include <QThread>

#include "core/logging.h"
#include "core/store/connection.h"
#include "core/store/schema.h"

namespace brieflow {

namespace {

StoreError notUpgradedYet(const QString &file, int version, int target)
{
    return StoreError{
        StoreError::Kind::CannotOpen, file,
        QCoreApplication::translate("StoreError",
                                    "Brieflow can't read its job database at %1 yet: it has to be "
                                    "upgraded first. Restart Brieflow.")
            .arg(QDir::toNativeSeparators(file)),
        QStringLiteral("reader found schema version %1, expected %2").arg(version).arg(target)};
}

/**
 * Looks at an existing file through a read-only connection before anything opens it for
 * writing, so that a damaged, foreign or newer file is refused without a single byte of it (or
 * of its WAL) changing: a read-write connection could still checkpoint a WAL into it on close.
 */
Result<int, StoreError> inspectExisting(const QString &file, int target)
{
    auto connection = SqliteConnection::open(file, SqliteConnection::Access::ReadOnly);
    if (!connection)
        return fail(connection.error());
    SqliteConnection &db = *connection.value();
    if (const auto probed = db.probe(); !probed)
        return fail(probed.error());
    // quick_check reads every page (O(file size), ~80 ms for 64 MB here) and catches truncated
    // or overwritten files that the first query alone would not notice.
    if (QFileInfo(file).size() > 0) {
        if (const auto checked = db.check(true); !checked)
            return fail(checked.error());
    }
    const auto version = SchemaMigrator::readVersion(db);
    if (!version)
        return fail(version.error());
    if (*version > target)
        return fail(SchemaMigrator::newerSchemaError(file, *version, target));
    return version;
}

} // namespace

JobStore::JobStore(std::unique_ptr<SqliteConnection> connection, Mode mode, int fileSchemaVersion)
    : m_db(std::move(connection))
    , m_mode(mode)
    , m_fileSchemaVersion(fileSchemaVersion)
    , m_thread(QThread::currentThread())
{
    m_db->setTransactionObserver([this](bool committed) { settleEvents(committed); });
}

JobStore::~JobStore()
{
    assertOwnerThread();
    Q_ASSERT_X(!m_db->inTransaction(), "JobStore", "a Batch outlived its JobStore");
    m_db->setTransactionObserver({});
}

Result<std::unique_ptr<JobStore>, StoreError> JobStore::open(const QString &file, Mode mode)
{
    Q_ASSERT(SchemaMigrator::standard().targetVersion() == schemaVersion);
    return open(file, mode, SchemaMigrator::standard());
}

Result<std::unique_ptr<JobStore>, StoreError> JobStore::open(const QString &file, Mode mode,
                                                             const SchemaMigrator &migrator)
{
    const int target = migrator.targetVersion();
    if (mode == Mode::Reader) {
        auto connection = SqliteConnection::open(file, SqliteConnection::Access::ReadOnly);
        if (!connection)
            return fail(connection.error());
        std::unique_ptr<SqliteConnection> db = std::move(connection).value();
        if (const auto probed = db->probe(); !probed)
            return fail(probed.error());
        const auto version = SchemaMigrator::readVersion(*db);
        if (!version)
            return fail(version.error());
        if (*version > target)
            return fail(SchemaMigrator::newerSchemaError(file, *version, target));
        if (*version < target)
            return fail(notUpgradedYet(file, *version, target));
        return std::unique_ptr<JobStore>(new JobStore(std::move(db), mode, *version));
    }

    const QFileInfo info(file);
    if (info.exists() && !info.isDir()) {
        const auto inspected = inspectExisting(file, target);
        if (!inspected)
            return fail(inspected.error());
    }
    auto connection = SqliteConnection::open(file, SqliteConnection::Access::ReadWrite);
    if (!connection)
        return fail(connection.error());
    std::unique_ptr<SqliteConnection> db = std::move(connection).value();
    if (const auto probed = db->probe(); !probed)
        return fail(probed.error());
    if (const auto configured = db->configureWriter(); !configured)
        return fail(configured.error());
    const auto version = migrator.migrate(*db);
    if (!version)
        return fail(version.error());
    qCDebug(lcStore) << "opened" << file << "for writing at schema version" << *version;
    return std::unique_ptr<JobStore>(new JobStore(std::move(db), mode, *version));
}

QString JobStore::fileName() const
{
    return m_db->fileName();
}

void JobStore::assertOwnerThread() const
{
    Q_ASSERT_X(QThread::currentThread() == m_thread, "JobStore",
               "a JobStore must be used on the thread that opened it");
}

// --- batches ----------------------------------------------------------------------------------

JobStore::Batch::Batch(std::unique_ptr<WriteTransaction> transaction)
    : m_transaction(std::move(transaction))
{}

JobStore::Batch::Batch(Batch &&other) noexcept = default;
JobStore::Batch &JobStore::Batch::operator=(Batch &&other) noexcept = default;
JobStore::Batch::~Batch() = default;

Result<void, StoreError> JobStore::Batch::commit()
{
    Q_ASSERT(m_transaction && m_transaction->isActive());
    return m_transaction->commit();
}

void JobStore::Batch::rollback()
{
    if (m_transaction)
        m_transaction->rollback();
}

Result<JobStore::Batch, StoreError> JobStore::beginBatch(Durability durability)
{
    assertOwnerThread();
    auto begun = WriteTransaction::begin(*m_db, durability == Durability::Full
                                                    ? SqliteConnection::Synchronous::Full
                                                    : SqliteConnection::Synchronous::Normal);
    if (!begun)
        return fail(begun.error());
    return Batch(std::make_unique<WriteTransaction>(std::move(begun).value()));
}

// --- the event sink ---------------------------------------------------------------------------

namespace {

QMutex eventSinkMutex;
std::shared_ptr<const JobStore::EventSink> eventSink; // guarded by eventSinkMutex

std::shared_ptr<const JobStore::EventSink> currentEventSink()
{
    const QMutexLocker lock(&eventSinkMutex);
    return eventSink;
}

} // namespace

void JobStore::setEventSink(EventSink sink)
{
    auto installed = sink ? std::make_shared<const EventSink>(std::move(sink)) : nullptr;
    const QMutexLocker lock(&eventSinkMutex);
    eventSink = std::move(installed);
}

bool JobStore::hasEventSink()
{
    return currentEventSink() != nullptr;
}

void JobStore::settleEvents(bool committed)
{
    if (m_pendingEvents.isEmpty())
        return;
    const auto pending = std::exchange(m_pendingEvents, {});
    if (!committed)
        return;
    if (const auto sink = currentEventSink()) {
        for (const auto &[event, stepName] : pending)
            (*sink)(event, stepName);
    }
}

// --- maintenance --------------------------------------------------------------------------------

Result<void, StoreError> JobStore::integrityCheck() const
{
    assertOwnerThread();
    return m_db->check(false);
}

int JobStore::lastCommitSynchronous() const
{
    return m_db->lastCommitSynchronous();
}

Result<void, StoreError> JobStore::limitDatabaseSize(qint64 pages)
{
    assertOwnerThread();
    return m_db->setMaxPageCount(pages);
}

} // namespace brieflow
