// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// JobStore batches (several writes in one transaction) and what a failed write does to them.
#include <QTest>

#include "core/store/jobstore.h"
#include "tests/core/store/storetestutil.h"
#include "tests/support/tempdatadir.h"
#include "tests/support/teststore.h"

using namespace brieflow;

namespace {

// A payload a real pipeline produces: non-ASCII, escapes, emoji, nesting.
const QByteArray unicodeJson = QByteArrayLiteral(
    "{\"prompt\":\"Gr\xc3\xbc\xc3\x9f"
    "e aus K\xc3\xb6ln \xe2\x80\x94 \xf0\x9f\x9a\x80\",\"n\":[1,2.5,null,true,{\"x\":{}}]}");

} // namespace

class TestStoreBatch : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void batchCommitsTogether();
    void batchRollsBackWhenDropped();
    void failedWriteDoomsTheBatch();
    void intentNeedsAFullBatch();
    void fullDiskIsAnErrorNotACrash();

private:
    JobRecord makeJob(const QByteArray &payload = {});

    std::unique_ptr<test::TempDataDir> m_dir;
    std::unique_ptr<JobStore> m_store;
};

void TestStoreBatch::init()
{
    m_dir = std::make_unique<test::TempDataDir>();
    QVERIFY(m_dir->isValid());
    m_store = test::openTestStore(*m_dir);
    QVERIFY(m_store);
}

void TestStoreBatch::cleanup()
{
    m_store.reset();
    m_dir.reset();
}

JobRecord TestStoreBatch::makeJob(const QByteArray &payload)
{
    const auto job = m_store->createJob({QStringLiteral("campaign"),
                                         payload,
                                         {QStringLiteral("concept"), QStringLiteral("image")}});
    if (!job) {
        qWarning().noquote() << job.error().logText();
        return {};
    }
    return *job;
}

void TestStoreBatch::batchCommitsTogether()
{
    auto batch = m_store->beginBatch();
    VERIFY_OK(batch);
    const JobRecord a = makeJob();
    const JobRecord b = makeJob();
    VERIFY_OK(m_store->appendEvent(a.id, StepId(), QStringLiteral("k"), QStringLiteral("m")));
    auto reader = test::openTestStore(*m_dir, JobStore::Mode::Reader);
    QVERIFY(reader);
    QCOMPARE(reader->jobs({})->size(), 0); // not committed yet
    VERIFY_OK(batch->commit());
    QCOMPARE(reader->jobs({})->size(), 2);
    QCOMPARE(reader->events(a.id)->size(), 2);
    QVERIFY(reader->job(b.id)->has_value());
}

void TestStoreBatch::batchRollsBackWhenDropped()
{
    const JobRecord before = makeJob();
    {
        auto batch = m_store->beginBatch();
        VERIFY_OK(batch);
        makeJob();
        VERIFY_OK(m_store->deleteJob(before.id));
    }
    QCOMPARE(m_store->jobs({})->size(), 1);
    QVERIFY(m_store->job(before.id)->has_value());
    // The store writes normally afterwards.
    makeJob();
    QCOMPARE(m_store->jobs({})->size(), 2);
}

void TestStoreBatch::failedWriteDoomsTheBatch()
{
    auto batch = m_store->beginBatch();
    VERIFY_OK(batch);
    const JobRecord job = makeJob();
    QVERIFY(!m_store->updateJobStatus(JobId::generate(), JobStatus::Failed, QString()));
    // Everything in the batch is gone already, later writes fail, and so does commit().
    const auto later = m_store->createJob({QStringLiteral("w"), {}, {}});
    QVERIFY(!later);
    COMPARE_ENUM(later.error().kind, StoreError::Kind::NotFound);
    const auto committed = batch->commit();
    QVERIFY(!committed);
    QVERIFY(!m_store->job(job.id)->has_value());
    QCOMPARE(m_store->jobs({})->size(), 0);
    makeJob();
    QCOMPARE(m_store->jobs({})->size(), 1);
}

void TestStoreBatch::intentNeedsAFullBatch()
{
    const JobRecord job = makeJob();
    const StepId step = m_store->steps(job.id)->first().id;
    {
        auto batch = m_store->beginBatch(JobStore::Durability::Normal);
        VERIFY_OK(batch);
        QVERIFY(
            !m_store->recordCallIntent(job.id, step, 1, QStringLiteral("m"), QStringLiteral("h")));
    }
    auto batch = m_store->beginBatch(JobStore::Durability::Full);
    VERIFY_OK(batch);
    VERIFY_OK(m_store->recordCallIntent(job.id, step, 1, QStringLiteral("m"), QStringLiteral("h")));
    VERIFY_OK(m_store->updateJobStatus(job.id, JobStatus::Processing, QStringLiteral("concept")));
    VERIFY_OK(batch->commit());
    QCOMPARE(m_store->lastCommitSynchronous(), 2);
    QCOMPARE(m_store->calls(step)->size(), 1);
}

void TestStoreBatch::fullDiskIsAnErrorNotACrash()
{
    const JobRecord kept = makeJob(unicodeJson);
    // Cap the file at its current size: any write that needs a new page fails with SQLITE_FULL.
    VERIFY_OK(m_store->limitDatabaseSize(1));
    const auto refused = m_store->createJob({QStringLiteral("w"), QByteArray(256 * 1024, 'x'), {}});
    QVERIFY(!refused);
    COMPARE_ENUM(refused.error().kind, StoreError::Kind::DiskFull);
    QVERIFY(refused.error().message.contains(m_store->fileName()));
    QVERIFY(refused.error().message.contains(QStringLiteral("full")));

    // Nothing half-written; reads still work; after space is freed, writes work again.
    QCOMPARE(m_store->jobs({})->size(), 1);
    QCOMPARE(m_store->job(kept.id)->value().inputPayload, unicodeJson);
    VERIFY_OK(m_store->limitDatabaseSize(1'000'000));
    VERIFY_OK(m_store->createJob({QStringLiteral("w"), QByteArray(256 * 1024, 'x'), {}}));
    QCOMPARE(m_store->jobs({})->size(), 2);
    VERIFY_OK(m_store->integrityCheck());
}

QTEST_GUILESS_MAIN(TestStoreBatch)
#include "tst_storebatch.moc"
