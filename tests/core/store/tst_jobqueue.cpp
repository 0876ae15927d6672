// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// JobStore: sorting, filtering, counting, page helpers and reordering for the queue view.
#include <algorithm>

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "core/store/jobstore.h"
#include "tests/core/store/rawdatabase.h"
#include "tests/core/store/storetestutil.h"
#include "tests/support/tempdatadir.h"
#include "tests/support/teststore.h"

using namespace brieflow;

class TestJobQueue : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void sortOrders_data();
    void sortOrders();
    void pagingNeverRepeatsOrSkips();
    void defaultOrderPagesAcrossQueueAndHistory();
    void countMatchesTheFilter();
    void countsForSomeStatuses();
    void countsForSomeStatusesUseIndexRanges();
    void progressSumsUpSteps();
    void firstImageOfEachJob();
    void moveToTopKeepsTheirOrder();
    void moveBeforeAnotherJob();
    void moveBeforeItselfIsRefused();
    void deleteJobsRemovesEverything();

private:
    JobRecord makeJob(const QString &product, JobStatus status = JobStatus::Pending);
    QStringList queueOrder() const;

    std::unique_ptr<test::TempDataDir> m_dir;
    std::unique_ptr<JobStore> m_store;
};

void TestJobQueue::init()
{
    m_dir = std::make_unique<test::TempDataDir>();
    m_store = test::openTestStore(*m_dir);
    QVERIFY(m_store);
}

void TestJobQueue::cleanup()
{
    m_store.reset();
    m_dir.reset();
}

JobRecord TestJobQueue::makeJob(const QString &product, JobStatus status)
{
    const QByteArray payload =
        QJsonDocument(QJsonObject{{QStringLiteral("product_name"), product}}).toJson();
    auto job = m_store->createJob({QStringLiteral("campaign"),
                                   payload,
                                   {QStringLiteral("concept"), QStringLiteral("image")}});
    if (!job)
        return {};
    if (status != JobStatus::Pending) {
        if (!m_store->updateJobStatus(job->id, status, {}))
            return {};
        job->status = status;
    }
    return *job;
}

QStringList TestJobQueue::queueOrder() const
{
    JobQuery q;
    q.sort = JobSort::QueuePosition;
    q.limit = 0;
    const auto jobs = m_store->jobs(q);
    QStringList names;
    for (const JobRecord &job : jobs.value())
        names << QJsonDocument::fromJson(job.inputPayload)
                     .object()
                     .value(QStringLiteral("product_name"))
                     .toString();
    return names;
}

void TestJobQueue::sortOrders_data()
{
    QTest::addColumn<int>("sort");
    QTest::addColumn<bool>("descending");
    QTest::addColumn<QStringList>("expected");
    // Created in the order b, A, c, d (d failed, c succeeded, A processing, b pending).
    QTest::newRow("created ascending")
        << int(JobSort::Created) << false << test::strings({"b", "A", "c", "d"});
    QTest::newRow("created descending")
        << int(JobSort::Created) << true << test::strings({"d", "c", "A", "b"});
    QTest::newRow("product ascending, case-insensitive")
        << int(JobSort::Product) << false << test::strings({"A", "b", "c", "d"});
    QTest::newRow("product descending")
        << int(JobSort::Product) << true << test::strings({"d", "c", "b", "A"});
    QTest::newRow("status: processing, pending, failed, succeeded")
        << int(JobSort::Status) << false << test::strings({"A", "b", "d", "c"});
    QTest::newRow("status descending")
        << int(JobSort::Status) << true << test::strings({"c", "d", "b", "A"});
    QTest::newRow("queue position")
        << int(JobSort::QueuePosition) << false << test::strings({"b", "A", "c", "d"});
    QTest::newRow("default: queued in order, then newest first")
        << int(JobSort::Default) << false << test::strings({"b", "A", "d", "c"});
}

void TestJobQueue::sortOrders()
{
    QFETCH(int, sort);
    QFETCH(bool, descending);
    QFETCH(QStringList, expected);
    QVERIFY(!makeJob(QStringLiteral("b")).id.isNull());
    QTest::qWait(2); // distinct created_at
    QVERIFY(!makeJob(QStringLiteral("A"), JobStatus::Processing).id.isNull());
    QTest::qWait(2);
    QVERIFY(!makeJob(QStringLiteral("c"), JobStatus::Succeeded).id.isNull());
    QTest::qWait(2);
    QVERIFY(!makeJob(QStringLiteral("d"), JobStatus::Failed).id.isNull());

    JobQuery q;
    q.sort = static_cast<JobSort>(sort);
    q.descending = descending;
    const auto jobs = m_store->jobs(q);
    VERIFY_OK(jobs);
    QStringList names;
    for (const JobRecord &job : jobs.value())
        names << QJsonDocument::fromJson(job.inputPayload)
                     .object()
                     .value(QStringLiteral("product_name"))
                     .toString();
    QCOMPARE(names, expected);
}

void TestJobQueue::pagingNeverRepeatsOrSkips()
{
    // Same product and (mostly) the same millisecond: only the tie-breaks order them.
    auto batch = m_store->beginBatch();
    VERIFY_OK(batch);
    QSet<QString> all;
    for (int i = 0; i < 50; ++i)
        all.insert(makeJob(QStringLiteral("same")).id.toString());
    VERIFY_OK(batch->commit());
    for (const JobSort sort : {JobSort::Default, JobSort::Created, JobSort::Product,
                               JobSort::Status, JobSort::QueuePosition}) {
        QSet<QString> seen;
        for (int offset = 0; offset < 50; offset += 7) {
            JobQuery q;
            q.sort = sort;
            q.limit = 7;
            q.offset = offset;
            const auto page = m_store->jobs(q);
            VERIFY_OK(page);
            for (const JobRecord &job : page.value()) {
                QVERIFY(!seen.contains(job.id.toString()));
                seen.insert(job.id.toString());
            }
        }
        QCOMPARE(seen, all);
    }
}

void TestJobQueue::defaultOrderPagesAcrossQueueAndHistory()
{
    QStringList expected;
    for (int i = 0; i < 12; ++i) {
        const auto status = i % 3 == 0 ? JobStatus::Succeeded : JobStatus::Pending;
        const QString name = QStringLiteral("job %1").arg(i, 2, 10, QLatin1Char('0'));
        QVERIFY(!makeJob(name, status).id.isNull());
        QTest::qWait(2);
    }
    VERIFY_OK(m_store->moveJobsToTop({m_store->jobs({}).value().at(5).id}));
    JobQuery all;
    all.limit = 0;
    all.text = QStringLiteral("job");
    const auto whole = m_store->jobs(all);
    VERIFY_OK(whole);
    QCOMPARE(whole->size(), 12);
    // Queued first in queue order (the moved one leads), then finished newest first.
    COMPARE_ENUM(whole->at(7).status, JobStatus::Pending);
    COMPARE_ENUM(whole->at(8).status, JobStatus::Succeeded);
    QCOMPARE(whole->at(8).createdAt > whole->at(9).createdAt, true);
    for (const int pageSize : {1, 5, 8}) {
        QList<JobRecord> paged;
        for (int offset = 0; offset < 12; offset += pageSize) {
            JobQuery page = all;
            page.limit = pageSize;
            page.offset = offset;
            const auto rows = m_store->jobs(page);
            VERIFY_OK(rows);
            paged += rows.value();
        }
        QCOMPARE(paged, whole.value());
    }
}

void TestJobQueue::countMatchesTheFilter()
{
    makeJob(QStringLiteral("TrailLite"));
    makeJob(QStringLiteral("TrailLite 2"), JobStatus::Failed);
    makeJob(QStringLiteral("NoteKeeper"), JobStatus::Failed);
    JobQuery q;
    QCOMPARE(m_store->countJobs(q).value(), 3);
    q.text = QStringLiteral("trail");
    QCOMPARE(m_store->countJobs(q).value(), 2);
    q.status = JobStatus::Failed;
    QCOMPARE(m_store->countJobs(q).value(), 1);
    q.limit = 0;
    QCOMPARE(m_store->jobs(q).value().size(), 1);
    q.text = QStringLiteral("50%_off");
    QCOMPARE(m_store->countJobs(q).value(), 0);
}

void TestJobQueue::countsForSomeStatuses()
{
    makeJob(QStringLiteral("A"));
    makeJob(QStringLiteral("B"));
    makeJob(QStringLiteral("C"), JobStatus::Processing);
    makeJob(QStringLiteral("D"), JobStatus::Failed);
    makeJob(QStringLiteral("E"), JobStatus::Succeeded);
    makeJob(QStringLiteral("F"), JobStatus::NeedsAttention);
    const auto counts = m_store->jobCountsFor(
        {JobStatus::Pending, JobStatus::Processing, JobStatus::Failed, JobStatus::Canceled});
    QVERIFY(counts);
    QCOMPARE(counts->size(), 4); // only those asked for, zero included
    QCOMPARE(counts->value(JobStatus::Pending), 2);
    QCOMPARE(counts->value(JobStatus::Processing), 1);
    QCOMPARE(counts->value(JobStatus::Failed), 1);
    QCOMPARE(counts->value(JobStatus::Canceled), 0);
    QVERIFY(!counts->contains(JobStatus::Succeeded));

    // The same figures as the full GROUP BY.
    const auto all = m_store->jobCounts();
    QVERIFY(all);
    const auto some = m_store->jobCountsFor(
        {JobStatus::Processing, JobStatus::NeedsAttention, JobStatus::Succeeded});
    QVERIFY(some);
    for (auto it = some->cbegin(); it != some->cend(); ++it)
        QCOMPARE(it.value(), all->value(it.key()));
    QVERIFY(m_store->jobCountsFor({})->isEmpty());
}

void TestJobQueue::countsForSomeStatusesUseIndexRanges()
{
    // The statements of JobStore::jobCountsFor(), word for word: neither may read the table.
    makeJob(QStringLiteral("A"));
    test::RawDatabase raw(m_store->fileName());
    QVERIFY(raw.isOpen());
    const QString queued =
        raw.column(QStringLiteral("EXPLAIN QUERY PLAN SELECT status = 'processing', count(*) FROM "
                                  "jobs WHERE status IN ('pending', 'processing') GROUP BY 1"),
                   3)
            .join(u'\n');
    QVERIFY2(queued.contains(QStringLiteral("INDEX jobs_runnable"))
                 || queued.contains(QStringLiteral("INDEX jobs_status_queue")),
             qPrintable(queued));
    const QString failed =
        raw.column(QStringLiteral("EXPLAIN QUERY PLAN SELECT count(*) FROM jobs WHERE status = "
                                  "'failed'"),
                   3)
            .join(u'\n');
    QVERIFY2(failed.contains(QStringLiteral("COVERING INDEX jobs_status_queue (status=?)")),
             qPrintable(failed));
}

void TestJobQueue::progressSumsUpSteps()
{
    const JobRecord job = makeJob(QStringLiteral("p"));
    const JobRecord other = makeJob(QStringLiteral("q"));
    auto steps = m_store->steps(job.id).value();
    steps[0].status = StepStatus::Succeeded;
    steps[0].attemptCount = 2;
    steps[0].startedAt = QDateTime::fromMSecsSinceEpoch(1000, Qt::UTC);
    steps[0].completedAt = QDateTime::fromMSecsSinceEpoch(5000, Qt::UTC);
    steps[1].status = StepStatus::Processing;
    steps[1].attemptCount = 1;
    steps[1].startedAt = QDateTime::fromMSecsSinceEpoch(6000, Qt::UTC);
    VERIFY_OK(m_store->updateStep(steps[0]));
    VERIFY_OK(m_store->updateStep(steps[1]));

    const auto progress = m_store->jobProgress({job.id, other.id, JobId::generate()});
    VERIFY_OK(progress);
    QCOMPARE(progress->size(), 2);
    const JobProgress p = progress->value(job.id);
    QCOMPARE(p.steps, 2);
    QCOMPARE(p.stepsSucceeded, 1);
    QCOMPARE(p.attempts, 3);
    QCOMPARE(p.maxAttempts, 2);
    QCOMPARE(p.firstStartedAt.toMSecsSinceEpoch(), 1000);
    QCOMPARE(p.lastCompletedAt.toMSecsSinceEpoch(), 5000);
    QCOMPARE(progress->value(other.id).stepsSucceeded, 0);
}

void TestJobQueue::firstImageOfEachJob()
{
    const JobRecord a = makeJob(QStringLiteral("a"));
    const JobRecord b = makeJob(QStringLiteral("b"));
    const JobRecord none = makeJob(QStringLiteral("none"));
    auto add = [this](const JobId &job, const QString &sha, const QString &mime, qint64 ms) {
        OutputRecord o;
        o.jobId = job;
        o.kind = QStringLiteral("image");
        o.filePath = QStringLiteral("/tmp/") + sha;
        o.sha256 = sha;
        o.mime = mime;
        o.createdAt = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
        return m_store->addOutput(o).ok();
    };
    QVERIFY(add(a.id, QStringLiteral("a2"), QStringLiteral("image/png"), 2000));
    QVERIFY(add(a.id, QStringLiteral("a1"), QStringLiteral("image/webp"), 1000));
    QVERIFY(add(b.id, QStringLiteral("btext"), QStringLiteral("text/plain"), 500));
    QVERIFY(add(b.id, QStringLiteral("b1"), QStringLiteral("image/jpeg"), 3000));
    const auto first = m_store->firstImageOutputs({a.id, b.id, none.id});
    VERIFY_OK(first);
    QCOMPARE(first->size(), 2);
    QCOMPARE(first->value(a.id).sha256, QStringLiteral("a1"));
    QCOMPARE(first->value(b.id).sha256, QStringLiteral("b1"));
    QVERIFY(m_store->firstImageOutputs({}).value().isEmpty());
}

void TestJobQueue::moveToTopKeepsTheirOrder()
{
    QList<JobId> ids;
    for (const char *name : {"a", "b", "c", "d", "e"})
        ids << makeJob(QString::fromLatin1(name)).id;
    VERIFY_OK(m_store->moveJobsToTop({ids[3], ids[1]}));
    QCOMPARE(queueOrder(), test::strings({"b", "d", "a", "c", "e"}));
    VERIFY_OK(m_store->moveJobsToTop({ids[4], JobId::generate()}));
    QCOMPARE(queueOrder(), test::strings({"e", "b", "d", "a", "c"}));
    // New jobs still go to the end.
    makeJob(QStringLiteral("f"));
    QCOMPARE(queueOrder().constLast(), QStringLiteral("f"));
}

void TestJobQueue::moveBeforeAnotherJob()
{
    QList<JobId> ids;
    for (const char *name : {"a", "b", "c", "d", "e"})
        ids << makeJob(QString::fromLatin1(name)).id;
    VERIFY_OK(m_store->moveJobsBefore({ids[4], ids[0]}, ids[2]));
    QCOMPARE(queueOrder(), test::strings({"b", "a", "e", "c", "d"}));
    VERIFY_OK(m_store->moveJobsBefore({ids[1]}, JobId()));
    QCOMPARE(queueOrder(), test::strings({"a", "e", "c", "d", "b"}));
    VERIFY_OK(m_store->moveJobsBefore({ids[3]}, ids[0]));
    QCOMPARE(queueOrder(), test::strings({"d", "a", "e", "c", "b"}));
    const auto missing = m_store->moveJobsBefore({ids[3]}, JobId::generate());
    QVERIFY(!missing);
    QVERIFY(missing.error().kind == StoreError::Kind::NotFound);
    QCOMPARE(queueOrder(), test::strings({"d", "a", "e", "c", "b"}));
}

void TestJobQueue::moveBeforeItselfIsRefused()
{
    const JobRecord a = makeJob(QStringLiteral("a"));
    const auto refused = m_store->moveJobsBefore({a.id}, a.id);
    QVERIFY(!refused);
    QVERIFY(refused.error().kind == StoreError::Kind::Constraint);
}

void TestJobQueue::deleteJobsRemovesEverything()
{
    const JobRecord a = makeJob(QStringLiteral("a"));
    const JobRecord b = makeJob(QStringLiteral("b"));
    const JobRecord c = makeJob(QStringLiteral("c"));
    VERIFY_OK(m_store->appendEvent(a.id, {}, QStringLiteral("note"), QStringLiteral("x")));
    const auto deleted = m_store->deleteJobs({a.id, c.id, JobId::generate()});
    VERIFY_OK(deleted);
    QCOMPARE(*deleted, 2);
    QCOMPARE(queueOrder(), test::strings({"b"}));
    QVERIFY(m_store->events(a.id).value().isEmpty());
    QVERIFY(m_store->steps(c.id).value().isEmpty());
    QCOMPARE(m_store->jobsWithIds({a.id, b.id}).value().size(), 1);
}

QTEST_GUILESS_MAIN(TestJobQueue)
#include "tst_jobqueue.moc"
