// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include "core/app/jobsubmission.h"
#include "core/store/jobstore.h"
#include "tests/support/tempdatadir.h"
#include "ui/models/jobtablemodel.h"

using namespace brieflow;
using brieflow::ui::JobTableModel;

namespace {

Brief briefFor(const QString &product)
{
    Brief b;
    b.productName = product;
    b.audience = QStringLiteral("Busy parents");
    b.valueProposition = QStringLiteral("Saves ten minutes every morning.");
    return b;
}

} // namespace

class TestJobTableModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void emptyStoreHasNoRows();
    void showsJobsWithProductAndStatus();
    void reloadPicksUpNewJobs();
    void statusTextHasAWordForEveryState_data();
    void statusTextHasAWordForEveryState();

private:
    std::unique_ptr<test::TempDataDir> m_dir;
    std::unique_ptr<JobStore> m_store;
};

void TestJobTableModel::init()
{
    m_dir = std::make_unique<test::TempDataDir>();
    auto store =
        JobStore::open(m_dir->filePath(QStringLiteral("jobs.sqlite3")), JobStore::Mode::Writer);
    QVERIFY2(store.ok(), store ? "" : qPrintable(store.error().message));
    m_store = std::move(store).value();
}

void TestJobTableModel::cleanup()
{
    m_store.reset();
    m_dir.reset();
}

void TestJobTableModel::emptyStoreHasNoRows()
{
    JobTableModel model(*m_store);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.columnCount(), int(JobTableModel::ColumnCount));
    QVERIFY(model.lastError().isEmpty());
}

void TestJobTableModel::showsJobsWithProductAndStatus()
{
    QVERIFY(submitBrief(*m_store, briefFor(QStringLiteral("Café Ñandú")), {}).ok());
    QVERIFY(submitBrief(*m_store, briefFor(QStringLiteral("NoteKeeper")), {}).ok());
    JobTableModel model(*m_store);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 2);
    QStringList products;
    for (int row = 0; row < model.rowCount(); ++row) {
        products << model.index(row, JobTableModel::Product).data().toString();
        QCOMPARE(model.index(row, JobTableModel::Status).data(JobTableModel::RawValueRole).toInt(),
                 int(JobStatus::Pending));
        QVERIFY(model.index(row, JobTableModel::Status)
                    .data()
                    .toString()
                    .contains(QStringLiteral("pending")));
        QVERIFY(isSortableId(model.index(row, 0).data(JobTableModel::JobIdRole).toString()));
        QVERIFY(model.index(row, JobTableModel::Created)
                    .data(JobTableModel::RawValueRole)
                    .toDateTime()
                    .isValid());
    }
    products.sort();
    QCOMPARE(products, QStringList({QStringLiteral("Café Ñandú"), QStringLiteral("NoteKeeper")}));
}

void TestJobTableModel::reloadPicksUpNewJobs()
{
    JobTableModel model(*m_store);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &JobTableModel::modelReset);
    QVERIFY(submitBrief(*m_store, briefFor(QStringLiteral("TrailLite 2")), {}).ok());
    QCOMPARE(model.rowCount(), 0);
    model.reload();
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, JobTableModel::Product).data().toString(),
             QStringLiteral("TrailLite 2"));
}

void TestJobTableModel::statusTextHasAWordForEveryState_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("word");
    QTest::newRow("pending") << int(JobStatus::Pending) << QStringLiteral("pending");
    QTest::newRow("processing") << int(JobStatus::Processing) << QStringLiteral("processing");
    QTest::newRow("succeeded") << int(JobStatus::Succeeded) << QStringLiteral("done");
    QTest::newRow("failed") << int(JobStatus::Failed) << QStringLiteral("failed");
    QTest::newRow("canceled") << int(JobStatus::Canceled) << QStringLiteral("canceled");
    QTest::newRow("needs attention")
        << int(JobStatus::NeedsAttention) << QStringLiteral("needs attention");
}

void TestJobTableModel::statusTextHasAWordForEveryState()
{
    QFETCH(int, status);
    QFETCH(QString, word);
    QVERIFY(JobTableModel::statusText(static_cast<JobStatus>(status)).contains(word));
}

QTEST_MAIN(TestJobTableModel)
#include "tst_jobtablemodel.moc"
