// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QAbstractItemModelTester>
#include <QItemSelectionModel>
#include <QMimeData>
#include <QSignalSpy>
#include <QTest>

#include "core/store/jobstore.h"
#include "tests/support/tempdatadir.h"
#include "tests/support/teststore.h"
#include "tests/ui/queue/queuetestutil.h"
#include "ui/queue/jobtablemodel.h"
#include "ui/queue/thumbnailcache.h"

using namespace brieflow;
using brieflow::ui::JobTableModel;

class TestJobTableModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void emptyStoreHasNoRows();
    void showsJobsWithProductAndStatus();
    void lazyLoadingGrowsByPages();
    void sortingMatchesSql_data();
    void sortingMatchesSql();
    void filteringMatchesSql();
    void refreshUpdatesInPlaceAndKeepsSelection();
    void refreshMovesFinishedJobsAndKeepsSelection();
    void refreshReadsOnlyTheChangedRows();
    void refreshLaterCoalesces();
    void dropReordersTheQueue();
    void onlyPendingJobsDragInQueueOrder();
    void thumbnailsArriveFromTheCache();
    void statusTextHasAWordForEveryState_data();
    void statusTextHasAWordForEveryState();
    void firstPageBenchmark();

private:
    QList<JobId> rowIds(const JobTableModel &model) const;
    std::unique_ptr<test::TempDataDir> m_dir;
    std::unique_ptr<JobStore> m_writer;
    std::unique_ptr<JobStore> m_reader;
};

void TestJobTableModel::init()
{
    m_dir = std::make_unique<test::TempDataDir>();
    m_writer = test::openTestStore(*m_dir);
    QVERIFY(m_writer);
    m_reader = test::openTestStore(*m_dir, JobStore::Mode::Reader);
    QVERIFY(m_reader);
}

void TestJobTableModel::cleanup()
{
    m_reader.reset();
    m_writer.reset();
    m_dir.reset();
}

QList<JobId> TestJobTableModel::rowIds(const JobTableModel &model) const
{
    QList<JobId> ids;
    for (int row = 0; row < model.rowCount(); ++row)
        ids << model.jobId(row);
    return ids;
}

static QList<JobId> idsOf(const QList<JobRecord> &jobs)
{
    QList<JobId> ids;
    for (const JobRecord &job : jobs)
        ids << job.id;
    return ids;
}

void TestJobTableModel::emptyStoreHasNoRows()
{
    JobTableModel model(*m_reader);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.columnCount(), int(JobTableModel::ColumnCount));
    QVERIFY(!model.canFetchMore({}));
    QVERIFY(model.lastError().isEmpty());
}

void TestJobTableModel::showsJobsWithProductAndStatus()
{
    QVERIFY(submitBrief(*m_writer, test::briefFor(QStringLiteral("Café Ñandú")), {}).ok());
    QVERIFY(submitBrief(*m_writer, test::briefFor(QStringLiteral("NoteKeeper")), {}).ok());
    JobTableModel model(*m_reader);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 2);
    QStringList products;
    for (int row = 0; row < model.rowCount(); ++row) {
        products << model.index(row, JobTableModel::Product).data().toString();
        QCOMPARE(model.index(row, JobTableModel::Status).data(JobTableModel::RawValueRole).toInt(),
                 int(JobStatus::Pending));
        QCOMPARE(model.index(row, JobTableModel::Status).data().toString(),
                 QStringLiteral("Pending"));
        QVERIFY(!model.index(row, JobTableModel::Status)
                     .data(Qt::DecorationRole)
                     .value<QIcon>()
                     .isNull());
        QCOMPARE(model.index(row, JobTableModel::Progress).data().toString(),
                 QStringLiteral("0 of 4"));
        QCOMPARE(model.index(row, JobTableModel::Created).data().toString(),
                 QStringLiteral("just now"));
        QVERIFY(
            !model.index(row, JobTableModel::Created).data(Qt::ToolTipRole).toString().isEmpty());
        QVERIFY(isSortableId(model.index(row, 0).data(JobTableModel::JobIdRole).toString()));
    }
    // Queue order: the first submitted runs first.
    QCOMPARE(products, QStringList({QStringLiteral("Café Ñandú"), QStringLiteral("NoteKeeper")}));
}

void TestJobTableModel::lazyLoadingGrowsByPages()
{
    QVERIFY(test::addJobs(*m_writer, 1000));
    JobTableModel model(*m_reader);
    QCOMPARE(model.totalCount(), 1000);
    QCOMPARE(model.rowCount(), JobTableModel::pageSize);
    QVERIFY(model.canFetchMore({}));
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.fetchMore({});
    QCOMPARE(model.rowCount(), 2 * JobTableModel::pageSize);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), JobTableModel::pageSize);
    QCOMPARE(inserted.at(0).at(2).toInt(), 2 * JobTableModel::pageSize - 1);
    // The tester fetches too (it calls fetchMore() whenever it looks at the model).
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    while (model.canFetchMore({})) {
        const int before = model.rowCount();
        model.fetchMore({});
        QCOMPARE(model.rowCount(), qMin(1000, before + JobTableModel::pageSize));
    }
    QCOMPARE(model.rowCount(), 1000);
    JobQuery all;
    all.limit = 0;
    QCOMPARE(rowIds(model), idsOf(m_reader->jobs(all).value()));
}

void TestJobTableModel::sortingMatchesSql_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<int>("order");
    QTest::addColumn<int>("sort");
    QTest::newRow("product ↑") << int(JobTableModel::Product) << int(Qt::AscendingOrder)
                               << int(JobSort::Product);
    QTest::newRow("product ↓") << int(JobTableModel::Product) << int(Qt::DescendingOrder)
                               << int(JobSort::Product);
    QTest::newRow("status ↑") << int(JobTableModel::Status) << int(Qt::AscendingOrder)
                              << int(JobSort::Status);
    QTest::newRow("created ↓") << int(JobTableModel::Created) << int(Qt::DescendingOrder)
                               << int(JobSort::Created);
    QTest::newRow("progress: queue order")
        << int(JobTableModel::Progress) << int(Qt::AscendingOrder) << int(JobSort::Default);
}

void TestJobTableModel::sortingMatchesSql()
{
    QFETCH(int, column);
    QFETCH(int, order);
    QFETCH(int, sort);
    QVERIFY(test::addJobs(*m_writer, 450));
    // Mixed states and names so that every order differs.
    JobQuery q;
    q.limit = 0;
    const QList<JobRecord> jobs = m_writer->jobs(q).value();
    for (int i = 0; i < jobs.size(); i += 3)
        QVERIFY(test::setStatus(*m_writer, jobs.at(i).id, static_cast<JobStatus>((i / 3) % 6)));
    JobTableModel model(*m_reader);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.sort(column, static_cast<Qt::SortOrder>(order));
    while (model.canFetchMore({}))
        model.fetchMore({});
    JobQuery truth;
    truth.limit = 0;
    truth.sort = static_cast<JobSort>(sort);
    truth.descending = order == Qt::DescendingOrder && truth.sort != JobSort::Default;
    QCOMPARE(rowIds(model), idsOf(m_reader->jobs(truth).value()));
    QCOMPARE(model.query().sort, truth.sort);
}

void TestJobTableModel::filteringMatchesSql()
{
    QVERIFY(test::addJobs(*m_writer, 300));
    JobQuery q;
    q.limit = 0;
    const QList<JobRecord> jobs = m_writer->jobs(q).value();
    for (int i = 0; i < jobs.size(); i += 2)
        QVERIFY(test::setStatus(*m_writer, jobs.at(i).id, JobStatus::Failed));
    JobTableModel model(*m_reader);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setStatusFilter(JobStatus::Failed);
    QCOMPARE(model.totalCount(), 150);
    model.setTextFilter(QStringLiteral("Product 0001"));
    JobQuery truth;
    truth.limit = 0;
    truth.status = JobStatus::Failed;
    truth.text = QStringLiteral("Product 0001");
    const QList<JobRecord> expected = m_reader->jobs(truth).value();
    QCOMPARE(model.totalCount(), static_cast<int>(expected.size()));
    QCOMPARE(model.totalCount(), 50); // 000100..000199, every other one
    QCOMPARE(rowIds(model), idsOf(expected));
    model.setStatusFilter(std::nullopt);
    model.setTextFilter({});
    QCOMPARE(model.totalCount(), 300);
}

void TestJobTableModel::refreshUpdatesInPlaceAndKeepsSelection()
{
    QVERIFY(test::addJobs(*m_writer, 5));
    JobTableModel model(*m_reader);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QItemSelectionModel selection(&model);
    const JobId selected = model.jobId(2);
    selection.select(model.index(2, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    selection.setCurrentIndex(model.index(2, 0), QItemSelectionModel::NoUpdate);

    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    // A running job's step moves on: its row updates in place.
    const JobId running = model.jobId(0);
    QVERIFY(
        test::setStatus(*m_writer, running, JobStatus::Processing, QStringLiteral("image_prompt")));
    auto steps = m_writer->steps(running).value();
    steps[0].status = StepStatus::Succeeded;
    steps[0].attemptCount = 2;
    QVERIFY(m_writer->updateStep(steps[0]).ok());
    model.refresh({running});
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 0);
    QCOMPARE(model.index(0, JobTableModel::Status).data().toString(), QStringLiteral("Processing"));
    QCOMPARE(model.index(0, JobTableModel::Step).data().toString(), QStringLiteral("Image prompt"));
    QCOMPARE(model.index(0, JobTableModel::Progress).data(JobTableModel::ProgressRole).toDouble(),
             0.25);
    QCOMPARE(model.index(0, JobTableModel::Attempts).data().toString(), QStringLiteral("2"));

    // A new job appears at the end of the queue without a reset.
    const JobRecord added = test::addJob(*m_writer, QStringLiteral("Newcomer"));
    model.refresh({added.id});
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(model.rowCount(), 6);
    QCOMPARE(model.jobId(5), added.id);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(selection.selectedRows().size(), 1);
    QCOMPARE(model.jobId(selection.selectedRows().at(0).row()), selected);
    QCOMPARE(model.jobId(selection.currentIndex().row()), selected);
}

void TestJobTableModel::refreshMovesFinishedJobsAndKeepsSelection()
{
    QVERIFY(test::addJobs(*m_writer, 4));
    JobTableModel model(*m_reader);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QItemSelectionModel selection(&model);
    const JobId selected = model.jobId(3);
    selection.select(model.index(3, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    // The first job finishes: it leaves the queued section and goes below the waiting ones.
    const JobId done = model.jobId(0);
    QVERIFY(test::setStatus(*m_writer, done, JobStatus::Succeeded));
    model.refresh({done});
    QCOMPARE(reset.count(), 0);
    QCOMPARE(model.jobId(3), done);
    QCOMPARE(model.index(3, JobTableModel::Status).data().toString(), QStringLiteral("Done"));
    QCOMPARE(model.jobId(selection.selectedRows().at(0).row()), selected);
    QCOMPARE(selection.selectedRows().at(0).row(), 2);
    // A deleted job goes.
    QVERIFY(m_writer->deleteJob(done).ok());
    model.refresh({done});
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.totalCount(), 3);
    QCOMPARE(model.jobId(selection.selectedRows().at(0).row()), selected);
}

void TestJobTableModel::refreshReadsOnlyTheChangedRows()
{
    QVERIFY(test::addJobs(*m_writer, 250));
    JobTableModel model(*m_reader);
    QCOMPARE(model.rowCount(), JobTableModel::pageSize);
    const auto before = model.readStats();

    // A loaded job starts and moves on a step: one row read, no window re-read.
    const JobId running = model.jobId(3);
    QVERIFY(test::setStatus(*m_writer, running, JobStatus::Processing, QStringLiteral("concept")));
    model.refresh({running});
    QCOMPARE(model.readStats().rowsRead, before.rowsRead + 1);
    QCOMPARE(model.readStats().windowReads, before.windowReads);
    QCOMPARE(model.index(3, JobTableModel::Status).data().toString(), QStringLiteral("Processing"));

    // A pending job below the loaded rows starts: nothing in the window changes.
    JobQuery everything;
    everything.limit = 0;
    const auto all = m_reader->jobs(everything);
    QVERIFY(all);
    const JobId below = all->at(240).id;
    QCOMPARE(model.rowOf(below), -1);
    QVERIFY(test::setStatus(*m_writer, below, JobStatus::Processing, QStringLiteral("concept")));
    model.refresh({below});
    QCOMPARE(model.readStats().windowReads, before.windowReads);
    QCOMPARE(model.rowCount(), JobTableModel::pageSize);

    // A job finishing leaves the queue section: that is a move, one window re-read.
    QVERIFY(test::setStatus(*m_writer, running, JobStatus::Succeeded));
    model.refresh({running});
    QCOMPARE(model.readStats().windowReads, before.windowReads + 1);
    QVERIFY(model.rowOf(running) != 3);
}

void TestJobTableModel::refreshLaterCoalesces()
{
    QVERIFY(test::addJobs(*m_writer, 5));
    JobTableModel model(*m_reader);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const auto before = model.readStats();
    const JobId a = model.jobId(0);
    const JobId b = model.jobId(1);
    QVERIFY(test::setStatus(*m_writer, a, JobStatus::Processing, QStringLiteral("concept")));
    model.refreshLater({a});
    QVERIFY(test::setStatus(*m_writer, b, JobStatus::Failed));
    model.refreshLater({a, b});
    model.refreshLater({b});
    // Nothing is read until the interval is up.
    QVERIFY(model.hasPendingRefresh());
    QCOMPARE(model.readStats().rowsRead, before.rowsRead);
    QCOMPARE(model.index(0, JobTableModel::Status).data().toString(), QStringLiteral("Pending"));

    // Then each changed row is read once, and the move happens in one window re-read.
    QTRY_VERIFY(!model.hasPendingRefresh());
    QCOMPARE(model.readStats().rowsRead, before.rowsRead + 2);
    QCOMPARE(model.readStats().windowReads, before.windowReads + 1);
    QCOMPARE(model.index(0, JobTableModel::Status).data().toString(), QStringLiteral("Processing"));
    QCOMPARE(model.jobId(model.rowCount() - 1), b); // failed: below the queue
}

void TestJobTableModel::dropReordersTheQueue()
{
    QVERIFY(test::addJobs(*m_writer, 4));
    JobTableModel model(*m_reader);
    model.setWriter(m_writer.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QList<JobId> before = rowIds(model);
    QSignalSpy reordered(&model, &JobTableModel::jobsReordered);
    // Drag the last two jobs to the top (dropped between the header and row 0).
    std::unique_ptr<QMimeData> data(model.mimeData(
        {model.index(3, JobTableModel::Product), model.index(2, JobTableModel::Product)}));
    QVERIFY(data);
    QVERIFY(model.canDropMimeData(data.get(), Qt::MoveAction, 0, 0, {}));
    QVERIFY(model.dropMimeData(data.get(), Qt::MoveAction, 0, 0, {}));
    QCOMPARE(reordered.count(), 1);
    const QList<JobId> expected{before[2], before[3], before[0], before[1]};
    JobQuery queue;
    queue.sort = JobSort::QueuePosition;
    QCOMPARE(idsOf(m_reader->jobs(queue).value()), expected);
    QCOMPARE(rowIds(model), expected);
    // Dropped onto a row: before it.
    data.reset(model.mimeData({model.index(0, 0)}));
    QVERIFY(model.dropMimeData(data.get(), Qt::MoveAction, -1, -1, model.index(3, 0)));
    QCOMPARE(idsOf(m_reader->jobs(queue).value()),
             (QList<JobId>{before[3], before[0], before[2], before[1]}));
    QCOMPARE(rowIds(model), idsOf(m_reader->jobs(queue).value()));
}

void TestJobTableModel::onlyPendingJobsDragInQueueOrder()
{
    QVERIFY(test::addJobs(*m_writer, 3));
    JobTableModel model(*m_reader);
    QVERIFY(!(model.flags(model.index(0, 0)) & Qt::ItemIsDragEnabled)); // no writer
    model.setWriter(m_writer.get());
    QVERIFY(model.flags(model.index(0, 0)) & Qt::ItemIsDragEnabled);
    QVERIFY(test::setStatus(*m_writer, model.jobId(0), JobStatus::Processing));
    model.refresh({model.jobId(0)});
    QVERIFY(!(model.flags(model.index(0, 0)) & Qt::ItemIsDragEnabled));
    QVERIFY(model.flags(model.index(0, 0)) & Qt::ItemIsDropEnabled);
    model.sort(JobTableModel::Product, Qt::AscendingOrder);
    QVERIFY(!model.isInQueueOrder());
    QVERIFY(!(model.flags(model.index(1, 0)) & Qt::ItemIsDragEnabled));
}

void TestJobTableModel::thumbnailsArriveFromTheCache()
{
    const JobRecord job = test::addJob(*m_writer, QStringLiteral("Pictured"));
    const QString file = m_dir->filePath(QStringLiteral("picture.png"));
    QVERIFY(test::writeImage(file, QSize(640, 360), Qt::darkCyan));
    OutputRecord output;
    output.jobId = job.id;
    output.kind = QStringLiteral("image");
    output.filePath = file;
    output.sha256 = QStringLiteral("ab12cd");
    output.mime = QStringLiteral("image/png");
    QVERIFY(m_writer->addOutput(output).ok());

    ui::ThumbnailCache cache(m_dir->filePath(QStringLiteral("cache")));
    JobTableModel model(*m_reader);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setThumbnailCache(&cache);
    const QModelIndex thumb = model.index(0, JobTableModel::Thumbnail);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QVERIFY(thumb.data(Qt::DecorationRole).isNull()); // being decoded
    QTRY_VERIFY(!changed.isEmpty());
    const QImage image = thumb.data(Qt::DecorationRole).value<QImage>();
    QVERIFY(!image.isNull());
    QVERIFY(image.width() <= JobTableModel::thumbnailEdge * 2);
    QVERIFY(!cache.workedOnThread(QThread::currentThread()));
    QCOMPARE(cache.decodeCount(), 1);
}

void TestJobTableModel::statusTextHasAWordForEveryState_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("word");
    QTest::newRow("pending") << int(JobStatus::Pending) << QStringLiteral("Pending");
    QTest::newRow("processing") << int(JobStatus::Processing) << QStringLiteral("Processing");
    QTest::newRow("succeeded") << int(JobStatus::Succeeded) << QStringLiteral("Done");
    QTest::newRow("failed") << int(JobStatus::Failed) << QStringLiteral("Failed");
    QTest::newRow("canceled") << int(JobStatus::Canceled) << QStringLiteral("Canceled");
    QTest::newRow("needs attention")
        << int(JobStatus::NeedsAttention) << QStringLiteral("Needs attention");
}

void TestJobTableModel::statusTextHasAWordForEveryState()
{
    QFETCH(int, status);
    QFETCH(QString, word);
    QCOMPARE(JobTableModel::statusText(static_cast<JobStatus>(status)), word);
}

void TestJobTableModel::firstPageBenchmark()
{
    // BRIEFLOW_UI_BENCH_JOBS=100000 for the real figure; a small smoke run otherwise.
    bool ok = false;
    int jobs = qEnvironmentVariableIntValue("BRIEFLOW_UI_BENCH_JOBS", &ok);
    if (!ok || jobs <= 0)
        jobs = 3000;
    for (int from = 0; from < jobs; from += 10'000)
        QVERIFY(test::addJobs(*m_writer, qMin(10'000, jobs - from), from));
    JobQuery q;
    q.limit = 0;
    const QList<JobRecord> all = m_writer->jobs(q).value();
    {
        auto batch = m_writer->beginBatch();
        QVERIFY(batch);
        for (int i = 0; i < all.size(); i += 2) // half finished, as in a long-used install
            QVERIFY(test::setStatus(*m_writer, all.at(i).id, JobStatus::Succeeded));
        QVERIFY(batch->commit().ok());
    }
    for (const auto &[name, sort] :
         {std::pair("default", JobSort::Default), std::pair("product", JobSort::Product),
          std::pair("status", JobSort::Status), std::pair("created", JobSort::Created)}) {
        JobQuery query;
        query.sort = sort;
        const auto timing = JobTableModel::measureFirstPage(*m_reader, query);
        QCOMPARE(timing.rows, qMin(jobs, int(JobTableModel::pageSize)));
        QCOMPARE(timing.total, jobs);
        qInfo().noquote() << QStringLiteral(
                                 "{\"benchmark\":\"queue_first_page\",\"sort\":\"%1\",\"jobs\":%2,"
                                 "\"rows\":%3,\"ms\":%4}")
                                 .arg(QLatin1String(name))
                                 .arg(timing.total)
                                 .arg(timing.rows)
                                 .arg(static_cast<double>(timing.nsecs) / 1e6, 0, 'f', 2);
    }
}

QTEST_MAIN(TestJobTableModel)
#include "tst_jobtablemodel.moc"
