// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <functional>
#include <thread>

#include <QElapsedTimer>
#include <QSemaphore>
#include <QTest>

#include "core/store/jobstore.h"
#include "tests/core/store/storetestutil.h"
#include "tests/support/tempdatadir.h"
#include "tests/support/teststore.h"

using namespace brieflow;

namespace {

/**
 * A thread that owns a Reader JobStore and runs one task at a time on it, synchronously from the
 * caller's point of view. The store is opened, used and destroyed on that thread only.
 */
class ReaderThread {
public:
    explicit ReaderThread(const QString &file)
        : m_thread([this, file] { run(file); })
    {
        m_done.acquire(); // opened (or failed to)
    }
    ~ReaderThread()
    {
        post(nullptr);
        m_thread.join();
    }
    bool isOpen() const { return m_store != nullptr; }
    QString openError() const { return m_openError; }

    /** Runs @p task on the reader thread and waits for it. */
    void post(std::function<void(JobStore &)> task)
    {
        m_task = std::move(task);
        m_quit = !m_task;
        m_go.release();
        m_done.acquire();
    }

private:
    void run(const QString &file)
    {
        auto opened = JobStore::open(file, JobStore::Mode::Reader);
        if (opened)
            m_store = std::move(opened).value();
        else
            m_openError = opened.error().logText();
        m_done.release();
        for (;;) {
            m_go.acquire();
            if (m_quit)
                break;
            if (m_store)
                m_task(*m_store);
            m_done.release();
        }
        m_store.reset();
        m_done.release();
    }

    std::unique_ptr<JobStore> m_store;
    QString m_openError;
    std::function<void(JobStore &)> m_task;
    bool m_quit = false;
    QSemaphore m_go;
    QSemaphore m_done;
    std::thread m_thread;
};

} // namespace

class TestStoreConcurrency : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void readerSeesLastCommitWithoutBlocking();
    void readersOnSeveralThreadsWhileWriting();
    void synchronousLevelPerWrite_data();
    void synchronousLevelPerWrite();
    void secondWriterWaitsThenFailsBusy();
};

void TestStoreConcurrency::readerSeesLastCommitWithoutBlocking()
{
    test::TempDataDir dir;
    auto writer = test::openTestStore(dir);
    QVERIFY(writer);
    const auto first = writer->createJob({QStringLiteral("w"), {}, {QStringLiteral("s")}});
    VERIFY_OK(first);

    ReaderThread reader(dir.paths().databaseFile());
    QVERIFY2(reader.isOpen(), qPrintable(reader.openError()));

    // Open a write transaction on the writer and leave it open.
    auto batch = writer->beginBatch();
    VERIFY_OK(batch);
    const auto second = writer->createJob({QStringLiteral("w"), {}, {QStringLiteral("s")}});
    VERIFY_OK(second);
    VERIFY_OK(writer->updateJobStatus(first->id, JobStatus::Processing, QStringLiteral("s")));

    qint64 elapsedMs = -1;
    QList<JobRecord> seen;
    bool readOk = false;
    reader.post([&](JobStore &store) {
        QElapsedTimer timer;
        timer.start();
        const auto jobs = store.jobs({});
        elapsedMs = timer.elapsed();
        readOk = jobs.ok();
        if (jobs)
            seen = *jobs;
    });
    QVERIFY(readOk);
    qInfo() << "read during an open write transaction took" << elapsedMs << "ms";
    // "A few ms": far below the 5 s busy timeout a blocked reader would wait. Generous for a
    // loaded 2-core CI machine.
    QVERIFY2(elapsedMs < 250, qPrintable(QString::number(elapsedMs)));
    QCOMPARE(seen.size(), 1);
    QCOMPARE(seen.first().id, first->id);
    COMPARE_ENUM(seen.first().status, JobStatus::Pending); // the uncommitted update is invisible

    VERIFY_OK(batch->commit());
    reader.post([&](JobStore &store) {
        const auto jobs = store.jobs({});
        readOk = jobs.ok();
        if (jobs)
            seen = *jobs;
    });
    QVERIFY(readOk);
    QCOMPARE(seen.size(), 2);
    QCOMPARE(seen.at(0).id, first->id);
    COMPARE_ENUM(seen.at(0).status, JobStatus::Processing);
    QCOMPARE(seen.at(1).id, second->id);
}

void TestStoreConcurrency::readersOnSeveralThreadsWhileWriting()
{
    test::TempDataDir dir;
    auto writer = test::openTestStore(dir);
    QVERIFY(writer);
    VERIFY_OK(writer->createJob({QStringLiteral("w"), {}, {QStringLiteral("s")}}));

    // Three threads each read repeatedly while this thread writes 200 jobs, one commit each.
    // Every read must succeed and see a non-decreasing number of jobs.
    std::atomic<bool> stop{false};
    std::atomic<int> failures{0};
    std::atomic<int> reads{0};
    const QString file = dir.paths().databaseFile();
    std::vector<std::thread> threads;
    for (int t = 0; t < 3; ++t) {
        threads.emplace_back([&] {
            auto opened = JobStore::open(file, JobStore::Mode::Reader);
            if (!opened) {
                ++failures;
                return;
            }
            qsizetype last = 0;
            while (!stop) {
                const auto jobs = opened.value()->jobs(JobQuery{{}, {}, 0, 0});
                if (!jobs || jobs->size() < last)
                    ++failures;
                else
                    last = jobs->size();
                ++reads;
            }
        });
    }
    QString writeError;
    for (int i = 0; i < 200 && writeError.isEmpty(); ++i) {
        const auto created = writer->createJob({QStringLiteral("w"), {}, {QStringLiteral("s")}});
        if (!created)
            writeError = created.error().logText();
    }
    stop = true;
    for (std::thread &thread : threads)
        thread.join();
    QVERIFY2(writeError.isEmpty(), qPrintable(writeError));
    qInfo() << "concurrent reads:" << reads.load();
    QCOMPARE(failures.load(), 0);
    QVERIFY(reads.load() > 0);
}

void TestStoreConcurrency::synchronousLevelPerWrite_data()
{
    QTest::addColumn<int>("operation");
    QTest::addColumn<int>("expected"); // PRAGMA synchronous read inside the transaction

    QTest::newRow("call intent commits at FULL") << 0 << 2;
    QTest::newRow("call update commits at NORMAL") << 1 << 1;
    QTest::newRow("job creation commits at NORMAL") << 2 << 1;
    QTest::newRow("event append commits at NORMAL") << 3 << 1;
    QTest::newRow("write right after an intent is back at NORMAL") << 4 << 1;
    QTest::newRow("Full batch commits at FULL") << 5 << 2;
}

void TestStoreConcurrency::synchronousLevelPerWrite()
{
    QFETCH(int, operation);
    QFETCH(int, expected);
    test::TempDataDir dir;
    auto store = test::openTestStore(dir);
    QVERIFY(store);
    const auto job = store->createJob({QStringLiteral("w"), {}, {QStringLiteral("s")}});
    VERIFY_OK(job);
    const StepId step = store->steps(job->id)->first().id;
    const auto intent =
        store->recordCallIntent(job->id, step, 1, QStringLiteral("m"), QStringLiteral("h"));
    VERIFY_OK(intent);
    QCOMPARE(store->lastCommitSynchronous(), 2);

    switch (operation) {
    case 0:
        VERIFY_OK(
            store->recordCallIntent(job->id, step, 2, QStringLiteral("m"), QStringLiteral("h")));
        break;
    case 1: {
        ProviderCallRecord call = *intent;
        call.state = CallState::Submitted;
        VERIFY_OK(store->updateCall(call));
        break;
    }
    case 2:
        VERIFY_OK(store->createJob({QStringLiteral("w"), {}, {}}));
        break;
    case 3:
        VERIFY_OK(store->appendEvent(job->id, step, QStringLiteral("k"), QStringLiteral("m")));
        break;
    case 4:
        VERIFY_OK(
            store->recordCallIntent(job->id, step, 2, QStringLiteral("m"), QStringLiteral("h")));
        VERIFY_OK(store->updateJobStatus(job->id, JobStatus::Processing, QStringLiteral("s")));
        break;
    case 5: {
        auto batch = store->beginBatch(JobStore::Durability::Full);
        VERIFY_OK(batch);
        VERIFY_OK(store->updateJobStatus(job->id, JobStatus::Processing, QStringLiteral("s")));
        VERIFY_OK(batch->commit());
        break;
    }
    }
    QCOMPARE(store->lastCommitSynchronous(), expected);
}

void TestStoreConcurrency::secondWriterWaitsThenFailsBusy()
{
    // Two writers on one file (e.g. two app instances): the second waits for the write lock up
    // to the busy timeout, then reports Busy instead of failing instantly or hanging.
    test::TempDataDir dir;
    auto first = test::openTestStore(dir);
    QVERIFY(first);
    auto second = test::openTestStore(dir);
    QVERIFY(second);
    auto batch = first->beginBatch();
    VERIFY_OK(batch);
    VERIFY_OK(first->createJob({QStringLiteral("w"), {}, {}}));

    QElapsedTimer timer;
    timer.start();
    const auto blocked = second->createJob({QStringLiteral("w"), {}, {}});
    const qint64 waited = timer.elapsed();
    QVERIFY(!blocked);
    COMPARE_ENUM(blocked.error().kind, StoreError::Kind::Busy);
    QVERIFY(blocked.error().message.contains(dir.paths().databaseFile()));
    qInfo() << "second writer gave up after" << waited << "ms";
    QVERIFY(waited >= 4000);

    VERIFY_OK(batch->commit());
    VERIFY_OK(second->createJob({QStringLiteral("w"), {}, {}}));
    QCOMPARE(second->jobs({})->size(), 2);
}

QTEST_GUILESS_MAIN(TestStoreConcurrency)
#include "tst_storeconcurrency.moc"
