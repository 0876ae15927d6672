// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QAction>
#include <QComboBox>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QToolButton>

#include "core/store/jobstore.h"
#include "tests/support/tempdatadir.h"
#include "tests/support/teststore.h"
#include "tests/ui/queue/queuetestutil.h"
#include "ui/queue/jobtablemodel.h"
#include "ui/queue/queuepanel.h"

using namespace brieflow;
using brieflow::ui::JobTableModel;
using brieflow::ui::QueuePanel;

class TestQueuePanel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void emptyStateSaysWhatToDo();
    void retryAndCancelActOnTheSelection();
    void deleteAsksWithTheCountAndKeepsRunningJobs();
    void moveToTopReordersTheStore();
    void duplicateEmitsTheBrief();
    void pauseToggle();
    void searchAndStatusFilter();
    void ctrlFFocusesTheSearch();
    void currentJobFollowsTheSelection();

private:
    void select(QueuePanel &panel, const QList<int> &rows);
    std::unique_ptr<test::TempDataDir> m_dir;
    std::unique_ptr<JobStore> m_writer;
    std::unique_ptr<JobStore> m_reader;
};

void TestQueuePanel::init()
{
    m_dir = std::make_unique<test::TempDataDir>();
    m_writer = test::openTestStore(*m_dir);
    QVERIFY(m_writer);
    m_reader = test::openTestStore(*m_dir, JobStore::Mode::Reader);
    QVERIFY(m_reader);
}

void TestQueuePanel::cleanup()
{
    m_reader.reset();
    m_writer.reset();
    m_dir.reset();
}

void TestQueuePanel::select(QueuePanel &panel, const QList<int> &rows)
{
    QItemSelectionModel *selection = panel.view()->selectionModel();
    selection->clearSelection();
    for (const int row : rows)
        selection->select(panel.model()->index(row, 0),
                          QItemSelectionModel::Select | QItemSelectionModel::Rows);
}

void TestQueuePanel::emptyStateSaysWhatToDo()
{
    QueuePanel panel(*m_reader, m_writer.get(), nullptr);
    QCOMPARE(panel.emptyStateText(),
             QStringLiteral("No jobs yet — write a brief on the left, or import a CSV."));
    const JobRecord job = test::addJob(*m_writer, QStringLiteral("First"));
    panel.refresh({job.id});
    QVERIFY(panel.emptyStateText().isEmpty());
    panel.model()->setTextFilter(QStringLiteral("nothing like it"));
    QVERIFY(panel.emptyStateText().contains(QStringLiteral("No jobs match")));
}

void TestQueuePanel::retryAndCancelActOnTheSelection()
{
    QVERIFY(test::addJobs(*m_writer, 4));
    QueuePanel panel(*m_reader, m_writer.get(), nullptr);
    JobTableModel *model = panel.model();
    model->sort(JobTableModel::Created, Qt::AscendingOrder); // stable rows whatever the state
    const QList<JobId> ids{model->jobId(0), model->jobId(1), model->jobId(2), model->jobId(3)};
    QVERIFY(test::setStatus(*m_writer, ids[0], JobStatus::Failed));
    QVERIFY(test::setStatus(*m_writer, ids[1], JobStatus::Canceled));
    QVERIFY(test::setStatus(*m_writer, ids[2], JobStatus::Processing));
    panel.refresh(ids);

    QSignalSpy retried(&panel, &QueuePanel::retryRequested);
    QSignalSpy canceled(&panel, &QueuePanel::cancelRequested);
    select(panel, {0, 1, 2, 3});
    QAction *retry = panel.action(QueuePanel::Action::Retry);
    QAction *cancel = panel.action(QueuePanel::Action::Cancel);
    QVERIFY(retry->isEnabled());
    QCOMPARE(retry->text(), QStringLiteral("Retry 2"));
    retry->trigger();
    QCOMPARE(retried.count(), 1);
    const auto requests = retried.at(0).at(0).value<QList<RetryRequest>>();
    QCOMPARE(requests.size(), 2);
    QCOMPARE(requests.at(0).job, ids[0]);
    QCOMPARE(requests.at(1).job, ids[1]);
    QVERIFY(requests.at(0).fromStep.isEmpty()); // the engine takes the step that stopped
    QVERIFY(!requests.at(0).editedInput);
    cancel->trigger();
    QCOMPARE(canceled.at(0).at(0).value<QList<JobId>>(), (QList<JobId>{ids[2], ids[3]}));

    select(panel, {3});
    QVERIFY(!retry->isEnabled());
    QVERIFY(cancel->isEnabled());
}

void TestQueuePanel::deleteAsksWithTheCountAndKeepsRunningJobs()
{
    QVERIFY(test::addJobs(*m_writer, 3));
    QueuePanel panel(*m_reader, m_writer.get(), nullptr);
    JobTableModel *model = panel.model();
    model->sort(JobTableModel::Created, Qt::AscendingOrder);
    const QList<JobId> ids{model->jobId(0), model->jobId(1), model->jobId(2)};
    QVERIFY(test::setStatus(*m_writer, ids[0], JobStatus::Succeeded));
    QVERIFY(test::setStatus(*m_writer, ids[1], JobStatus::Failed));
    panel.refresh(ids);
    QString asked;
    bool answer = false;
    panel.setConfirm([&](const QString &, const QString &text) {
        asked = text;
        return answer;
    });
    QSignalSpy deleted(&panel, &QueuePanel::jobsDeleted);
    select(panel, {0, 1, 2});
    panel.action(QueuePanel::Action::Delete)->trigger();
    QVERIFY(asked.contains(QStringLiteral("Delete 2 jobs")));
    QVERIFY(asked.contains(QStringLiteral("1 job still waiting or running will be kept")));
    QCOMPARE(deleted.count(), 0); // said no
    QCOMPARE(m_reader->countJobs({}).value(), 3);
    answer = true;
    panel.action(QueuePanel::Action::Delete)->trigger();
    QCOMPARE(deleted.count(), 1);
    QCOMPARE(m_reader->countJobs({}).value(), 1);
    QCOMPARE(model->rowCount(), 1);
    QCOMPARE(model->jobId(0), ids[2]);
}

void TestQueuePanel::moveToTopReordersTheStore()
{
    QVERIFY(test::addJobs(*m_writer, 4));
    QueuePanel panel(*m_reader, m_writer.get(), nullptr);
    const JobId last = panel.model()->jobId(3);
    select(panel, {3});
    QVERIFY(panel.action(QueuePanel::Action::MoveToTop)->isEnabled());
    panel.action(QueuePanel::Action::MoveToTop)->trigger();
    JobQuery queue;
    queue.sort = JobSort::QueuePosition;
    QCOMPARE(m_reader->jobs(queue).value().at(0).id, last);
    QCOMPARE(panel.model()->jobId(0), last);
    QCOMPARE(panel.selectedJobIds(), QList<JobId>{last});
}

void TestQueuePanel::duplicateEmitsTheBrief()
{
    test::addJob(*m_writer, QStringLiteral("Original"));
    QueuePanel panel(*m_reader, m_writer.get(), nullptr);
    QSignalSpy duplicated(&panel, &QueuePanel::duplicateRequested);
    select(panel, {0});
    panel.action(QueuePanel::Action::Duplicate)->trigger();
    QCOMPARE(duplicated.count(), 1);
    QCOMPARE(duplicated.at(0).at(0).value<Brief>().productName, QStringLiteral("Original"));
}

void TestQueuePanel::pauseToggle()
{
    QueuePanel panel(*m_reader, m_writer.get(), nullptr);
    QSignalSpy toggled(&panel, &QueuePanel::pauseToggled);
    panel.pauseButton()->click();
    QCOMPARE(toggled.count(), 1);
    QCOMPARE(toggled.at(0).at(0).toBool(), true);
    QCOMPARE(panel.pauseButton()->text(), QStringLiteral("Resume"));
    panel.setPaused(false); // the engine's state: shown, not echoed back
    QCOMPARE(toggled.count(), 1);
    QCOMPARE(panel.pauseButton()->text(), QStringLiteral("Pause"));
}

void TestQueuePanel::searchAndStatusFilter()
{
    QVERIFY(test::addJobs(*m_writer, 30));
    QueuePanel panel(*m_reader, m_writer.get(), nullptr);
    panel.searchField()->setText(QStringLiteral("Product 00001"));
    QTRY_COMPARE(panel.model()->totalCount(), 10);
    panel.statusFilter()->setCurrentIndex(
        panel.statusFilter()->findData(static_cast<int>(JobStatus::Failed)));
    QCOMPARE(panel.model()->totalCount(), 0);
    QVERIFY(panel.emptyStateText().contains(QStringLiteral("No jobs match")));
    panel.statusFilter()->setCurrentIndex(0);
    QCOMPARE(panel.model()->totalCount(), 10);
}

void TestQueuePanel::ctrlFFocusesTheSearch()
{
    test::addJob(*m_writer, QStringLiteral("Focus"));
    QueuePanel panel(*m_reader, m_writer.get(), nullptr);
    panel.show();
    QVERIFY(QTest::qWaitForWindowActive(&panel));
    panel.view()->setFocus();
    QTRY_VERIFY(panel.view()->hasFocus());
    QTest::keyClick(panel.view(), Qt::Key_F, Qt::ControlModifier);
    QTRY_VERIFY(panel.searchField()->hasFocus());
}

void TestQueuePanel::currentJobFollowsTheSelection()
{
    QVERIFY(test::addJobs(*m_writer, 2));
    QueuePanel panel(*m_reader, m_writer.get(), nullptr);
    QSignalSpy current(&panel, &QueuePanel::currentJobChanged);
    panel.selectJob(panel.model()->jobId(1));
    QCOMPARE(current.count(), 1);
    QCOMPARE(current.at(0).at(0).value<JobId>(), panel.model()->jobId(1));
    QCOMPARE(panel.currentJobId(), panel.model()->jobId(1));
}

QTEST_MAIN(TestQueuePanel)
#include "tst_queuepanel.moc"
