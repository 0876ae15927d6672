// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// The Monitoring view (offscreen) over a real job database seeded through JobStore's public
// API (monitorseed.h): the headline figures, tables and charts equal hand-computed values, the
// empty state teaches, a failure row shows exactly its jobs in the queue, the stuck actions
// reach the engine, the LagMonitor's coarse buckets, and a screenshot for review.
#include <algorithm>
#include <cmath>

#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>
#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSeries>
#include <QtCharts/QBarSet>
#include <QtCharts/QChart>
#include <QtCharts/QHorizontalStackedBarSeries>
#include <QtCharts/QStackedBarSeries>

#include "core/settings.h"
#include "tests/support/tempdatadir.h"
#include "tests/support/teststore.h"
#include "tests/ui/monitor/monitorseed.h"
#include "ui/mainwindow.h"
#include "ui/monitor/monitorcards.h"
#include "ui/monitor/monitorcharts.h"
#include "ui/monitor/monitorformat.h"
#include "ui/monitor/monitorpanel.h"
#include "ui/monitor/monitortables.h"
#include "ui/queue/jobtablemodel.h"
#include "ui/queue/queuepanel.h"
#include "ui/shell/lagmonitor.h"

using namespace brieflow;
using brieflow::ui::FigureCard;
using brieflow::ui::LagMonitor;
using brieflow::ui::MonitorPanel;
using brieflow::ui::MonitorTables;
namespace fmt = brieflow::ui::monitorformat;

namespace {

QString cell(const QTableWidget *table, int row, int column)
{
    const QTableWidgetItem *item = table->item(row, column);
    return item ? item->text() : QStringLiteral("<none>");
}

/** Nearest-rank percentile of @p values (sorted here). */
qint64 nearestRank(QList<qint64> values, double p)
{
    std::sort(values.begin(), values.end());
    const auto rank = static_cast<qsizetype>(std::ceil(p * double(values.size())));
    return values.at(std::max<qsizetype>(rank, 1) - 1);
}

QList<qreal> setValues(const QBarSet *set)
{
    QList<qreal> v;
    for (int i = 0; i < set->count(); ++i)
        v << set->at(i);
    return v;
}

} // namespace

class TestMonitorPanel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void lagMonitorCoarseBuckets();
    void showsSeededFigures();
    void durationsKeepQueueStartingAndRunningApart();
    void chartsCarryTheFigures();
    void emptyDatabaseTeaches();
    void failureRowShowsExactlyItsJobsInTheQueue();
    void stuckActionsAreAskedFor();
    void rateLimitStateCountsDown();
    void storeErrorIsShownInPlainWords();
    void screenshot();

private:
    /** A panel over the database, on "Today", shown and loaded. */
    std::unique_ptr<MonitorPanel> loadedPanel(LagMonitor *lag = nullptr);

    std::unique_ptr<test::TempDataDir> m_dir;
    std::unique_ptr<JobStore> m_store;
    std::unique_ptr<Settings> m_settings;
};

void TestMonitorPanel::init()
{
    m_dir = std::make_unique<test::TempDataDir>();
    QCOMPARE(m_dir->paths().ensureExists(), QString());
    m_store = test::openTestStore(*m_dir);
    QVERIFY(m_store);
    m_settings = std::make_unique<Settings>(m_dir->paths().settingsFile());
    m_settings->setValue(Settings::ModelPrices, test::seedPrices().toJson());
    m_settings->setValue(Settings::DailyBudgetUsd, 0.5);
}

void TestMonitorPanel::cleanup()
{
    m_settings.reset();
    m_store.reset();
    m_dir.reset();
}

std::unique_ptr<MonitorPanel> TestMonitorPanel::loadedPanel(LagMonitor *lag)
{
    auto panel = std::make_unique<MonitorPanel>(m_store->fileName(), m_settings.get(), lag);
    panel->setRange(MonitorPanel::Range::Today);
    QSignalSpy refreshed(panel.get(), &MonitorPanel::refreshed);
    panel->resize(1320, 900);
    panel->show();
    if (!refreshed.wait(10'000) && refreshed.isEmpty())
        return nullptr;
    // A refresh asked for meanwhile (the range) must land too.
    while (panel->isLoading() && refreshed.wait(10'000)) {
    }
    return panel;
}

void TestMonitorPanel::lagMonitorCoarseBuckets()
{
    LagMonitor lag;
    for (qint64 ns : {0LL, 999'999LL, 1'000'000LL, 3'999'999LL, 4'000'000LL, 16'000'000LL,
                      49'999'999LL, 50'000'000LL, 100'000'000LL, 5'000'000'000LL})
        lag.record(ns);
    const auto b = lag.coarseBuckets();
    // <1: 0, 0.999 · 1–4: 1, 3.999 · 4–16: 4 · 16–50: 16, 49.999 · 50–100: 50 · ≥100: 100, 5000
    QCOMPARE(b[0], 2);
    QCOMPARE(b[1], 2);
    QCOMPARE(b[2], 1);
    QCOMPARE(b[3], 2);
    QCOMPARE(b[4], 1);
    QCOMPARE(b[5], 2);
}

void TestMonitorPanel::showsSeededFigures()
{
    QVERIFY(test::MonitorSeeder(*m_store).seed());
    auto panel = loadedPanel();
    QVERIFY(panel);
    QCOMPARE(panel->errorText(), QString());
    QCOMPARE(panel->emptyStateText(), QString());

    // 2 succeeded, 2 failed, 1 still running: 2 ÷ 4.
    QCOMPARE(panel->completionCard()->value(), QStringLiteral("50%"));
    QCOMPARE(panel->completionCard()->detail(), QStringLiteral("2 succeeded out of 4 that ended."));
    QCOMPARE(panel->jobsCard()->value(), QStringLiteral("5"));
    QCOMPARE(panel->jobsCard()->detail(),
             QStringLiteral("2 succeeded · 2 failed · 1 waiting or running"));
    // model_error ×2, network ×1, policy_refusal ×1.
    QCOMPARE(panel->failuresCard()->value(), QStringLiteral("4"));
    QCOMPARE(panel->failuresCard()->detail(), QStringLiteral("In 3 groups — see Failures below."));
    // trail1 0.043 + cafe 0.003 + notes 0.004 + trail2 0.053.
    QCOMPARE(panel->spendCard()->value(), formatUsd(0.103));
    QCOMPARE(
        panel->spendCard()->detail(),
        QStringLiteral("Today %1 of the %2 daily budget.").arg(formatUsd(0.103), formatUsd(0.5)));
    QCOMPARE(panel->stuckCard()->value(), QStringLiteral("1"));

    // Failures, most attempts first, then by step.
    const QTableWidget *f = panel->tables()->failuresTable();
    QCOMPARE(f->rowCount(), 3);
    const QStringList expected[] = {
        {QStringLiteral("image"), MonitorTables::errorTypeLabel(QStringLiteral("model_error")),
         test::flux, QStringLiteral("2"), QStringLiteral("1"), QStringLiteral("1")},
        {QStringLiteral("concept"), MonitorTables::errorTypeLabel(QStringLiteral("network")),
         test::llama, QStringLiteral("1"), QStringLiteral("1"), QStringLiteral("0")},
        {QStringLiteral("image"), MonitorTables::errorTypeLabel(QStringLiteral("policy_refusal")),
         test::flux, QStringLiteral("1"), QStringLiteral("1"), QStringLiteral("1")},
    };
    for (int r = 0; r < 3; ++r) {
        for (int c = 0; c < 6; ++c)
            QCOMPARE(cell(f, r, c), expected[r].at(c));
    }
    QCOMPARE(f->item(0, MonitorTables::FailError)->toolTip(), QStringLiteral("model_error"));

    // Reliability: cafe's image and trail2's concept were retried, trail2's worked.
    const MonitorTables *t = panel->tables();
    QCOMPARE(t->retriesCard()->value(), QStringLiteral("50%"));
    QCOMPARE(t->retriesCard()->detail(), QStringLiteral("Retried steps that succeeded: 1 of 2."));
    // 15 attempts, 14 with a prediction (not trail2's network one), 10 succeeded, 4 failed, the
    // stuck one in flight.
    QCOMPARE(t->predictionsCard()->value(), QStringLiteral("10 of 14"));
    QCOMPARE(t->predictionsCard()->detail(),
             QStringLiteral("Attempts 15 · created at the provider 14 · failed 4 · canceled 0 · "
                            "in flight 1"));
    QCOMPARE(t->recoveredCard()->value(), QStringLiteral("2"));
    QCOMPARE(t->webhooksCard()->value(), QStringLiteral("10 received"));
    QCOMPARE(t->webhooksCard()->detail(),
             QStringLiteral("Verified 5 · duplicates 1 · late 1 · rejected 3 (bad_signature 2, "
                            "stale 1) · ended without a delivery, seen by polling 1"));
    QCOMPARE(t->outputsCard()->value(), QStringLiteral("0"));

    // Cost per brief: the two TrailLite jobs share a brief.
    const QTableWidget *b = t->briefsTable();
    QCOMPARE(b->rowCount(), 3);
    QCOMPARE(cell(b, 0, 0), QStringLiteral("TrailLite 2"));
    QCOMPARE(cell(b, 0, 2), QStringLiteral("2"));
    QCOMPARE(cell(b, 0, 3), formatUsd(0.096));
    QCOMPARE(cell(b, 1, 0), QStringLiteral("NoteKeeper"));
    QCOMPARE(cell(b, 1, 3), formatUsd(0.004));
    QCOMPARE(cell(b, 2, 0), QStringLiteral("Café Ñandú"));
    QCOMPARE(cell(b, 2, 3), formatUsd(0.003));
    QTableWidget *j = t->costlyJobsTable();
    QCOMPARE(j->rowCount(), 4);
    QCOMPARE(cell(j, 0, 2), formatUsd(0.053));
    QCOMPARE(cell(j, 1, 2), formatUsd(0.043));

    // Stuck now, with the engine's reason.
    const QTableWidget *s = panel->stuckTable();
    QVERIFY(s->isVisible());
    QCOMPARE(s->rowCount(), 1);
    QCOMPARE(cell(s, 0, 0), QStringLiteral("Lumen Desk"));
    QCOMPARE(cell(s, 0, 1), QStringLiteral("concept"));
    QCOMPARE(cell(s, 0, 3), test::stuckReason);

    // Double-clicking a costly job opens it.
    QSignalSpy open(panel.get(), &MonitorPanel::showJobRequested);
    const QPoint costly = j->visualItemRect(j->item(0, 0)).center();
    QTest::mouseClick(j->viewport(), Qt::LeftButton, {}, costly);
    QTest::mouseDClick(j->viewport(), Qt::LeftButton, {}, costly);
    QCOMPARE(open.size(), 1);
}

void TestMonitorPanel::durationsKeepQueueStartingAndRunningApart()
{
    const auto jobs = test::MonitorSeeder(*m_store).seed();
    QVERIFY(jobs);
    auto panel = loadedPanel();
    QVERIFY(panel);
    const QTableWidget *d = panel->tables()->durationsTable();
    QCOMPARE(d->rowCount(), 3);
    using T = MonitorTables;
    // The workflow's order.
    QCOMPARE(cell(d, 0, T::DurStep), QStringLiteral("concept"));
    QCOMPARE(cell(d, 1, T::DurStep), QStringLiteral("image_prompt"));
    QCOMPARE(cell(d, 2, T::DurStep), QStringLiteral("image"));
    QCOMPARE(cell(d, 2, T::DurModel), test::flux);
    QCOMPARE(cell(d, 0, T::DurSamples), QStringLiteral("4"));
    QCOMPARE(cell(d, 2, T::DurSamples), QStringLiteral("2"));
    // Running = predict_time: concept 2, 2, 3, 2 s; image 4, 5 s.
    QCOMPARE(cell(d, 0, T::DurRunningP50), fmt::duration(2000));
    QCOMPARE(cell(d, 0, T::DurRunningP95), fmt::duration(3000));
    QCOMPARE(cell(d, 2, T::DurRunningP50), fmt::duration(4000));
    QCOMPARE(cell(d, 2, T::DurRunningP95), fmt::duration(5000));
    // Starting = the provider's created_at → started_at: concept 500, 400, 800, 600 ms.
    QCOMPARE(cell(d, 0, T::DurStartingP50), QStringLiteral("500 ms"));
    QCOMPARE(cell(d, 0, T::DurStartingP95), QStringLiteral("800 ms"));
    QCOMPARE(cell(d, 1, T::DurStartingP50), QStringLiteral("300 ms"));
    QCOMPARE(cell(d, 2, T::DurStartingP50), fmt::duration(1500));
    QCOMPARE(cell(d, 2, T::DurStartingP95), fmt::duration(2500));

    // Our queue and the total from the records as stored: the concept step could start when
    // its job was created (trail2's second attempt when its first ended).
    QList<qint64> queue;
    QList<qint64> total;
    for (const JobId &id : {jobs->trail1, jobs->cafe, jobs->notes, jobs->trail2}) {
        const JobRecord job = m_store->job(id).value().value();
        const StepRecord conceptStep = m_store->steps(id).value().first();
        const auto calls = m_store->calls(conceptStep.id).value();
        QDateTime ready = job.createdAt;
        for (const ProviderCallRecord &c : calls) {
            if (c.state != CallState::Succeeded) {
                ready = std::max(ready, c.completedAt);
                continue;
            }
            queue << ready.msecsTo(c.createdAt);
            total << ready.msecsTo(c.completedAt);
        }
    }
    QCOMPARE(queue.size(), 4);
    QCOMPARE(cell(d, 0, T::DurQueueP50), fmt::duration(nearestRank(queue, 0.5)));
    QCOMPARE(cell(d, 0, T::DurQueueP95), fmt::duration(nearestRank(queue, 0.95)));
    QCOMPARE(cell(d, 0, T::DurTotalP50), fmt::duration(nearestRank(total, 0.5)));
    QCOMPARE(cell(d, 0, T::DurTotalP95), fmt::duration(nearestRank(total, 0.95)));
}

void TestMonitorPanel::chartsCarryTheFigures()
{
    QVERIFY(test::MonitorSeeder(*m_store).seed());
    LagMonitor lag;
    lag.record(500'000);     // < 1 ms
    lag.record(20'000'000);  // 16–50
    lag.record(120'000'000); // ≥ 100
    auto panel = loadedPanel(&lag);
    QVERIFY(panel);

    // Jobs per day (today only): succeeded 2, failed 2, other (the running one) 1.
    QChart *jobs = panel->charts()->jobsPerDayChart();
    QCOMPARE(jobs->series().size(), 1);
    auto *stack = qobject_cast<QStackedBarSeries *>(jobs->series().first());
    QVERIFY(stack);
    QCOMPARE(stack->barSets().size(), 3);
    QCOMPARE(setValues(stack->barSets().at(0)), QList<qreal>{2});
    QCOMPARE(setValues(stack->barSets().at(1)), QList<qreal>{1 + 1});
    QCOMPARE(setValues(stack->barSets().at(2)), QList<qreal>{1});
    auto *days = qobject_cast<QBarCategoryAxis *>(jobs->axes(Qt::Horizontal).first());
    QVERIFY(days);
    QCOMPARE(days->categories(), QStringList{ui::MonitorCharts::dayLabel(QDate::currentDate())});
    QVERIFY(!days->titleText().isEmpty());
    QVERIFY(!jobs->axes(Qt::Vertical).first()->titleText().isEmpty());

    // Spend per day.
    auto *cost = qobject_cast<QBarSeries *>(panel->charts()->costPerDayChart()->series().first());
    QVERIFY(cost);
    QCOMPARE(cost->barSets().first()->count(), 1);
    QVERIFY(qAbs(cost->barSets().first()->at(0) - 0.103) < 1e-9);

    // Median time per step, stacked: our queue, starting, running; the first step on top.
    auto *dur = qobject_cast<QHorizontalStackedBarSeries *>(
        panel->charts()->durationChart()->series().first());
    QVERIFY(dur);
    QCOMPARE(dur->barSets().size(), 3);
    QCOMPARE(setValues(dur->barSets().at(2)), (QList<qreal>{4.0, 1.0, 2.0})); // running
    QCOMPARE(setValues(dur->barSets().at(1)), (QList<qreal>{1.5, 0.3, 0.5})); // starting

    // The lag histogram.
    auto *beats = qobject_cast<QBarSeries *>(panel->charts()->lagChart()->series().first());
    QVERIFY(beats);
    QCOMPARE(setValues(beats->barSets().first()), (QList<qreal>{1, 0, 0, 1, 0, 1}));
}

void TestMonitorPanel::emptyDatabaseTeaches()
{
    auto panel = loadedPanel();
    QVERIFY(panel);
    QVERIFY2(panel->emptyStateText().startsWith(QStringLiteral("No jobs in this range yet — ")),
             qPrintable(panel->emptyStateText()));
    QVERIFY(!panel->charts()->isVisible());
    QVERIFY(!panel->stuckTable()->isVisible());
    QCOMPARE(panel->completionCard()->value(), QStringLiteral("—"));
    QCOMPARE(panel->errorText(), QString());
    panel->setRange(MonitorPanel::Range::AllTime);
    QSignalSpy refreshed(panel.get(), &MonitorPanel::refreshed);
    QVERIFY(refreshed.wait(10'000));
    QVERIFY(panel->emptyStateText().startsWith(QStringLiteral("No jobs yet — ")));
}

void TestMonitorPanel::failureRowShowsExactlyItsJobsInTheQueue()
{
    const auto jobs = test::MonitorSeeder(*m_store).seed();
    QVERIFY(jobs);
    ui::MainWindow window(*m_store, *m_settings, m_dir->paths());
    window.resize(1400, 900);
    window.show();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    MonitorPanel *panel = window.monitorPanel();
    QVERIFY(panel);
    QSignalSpy refreshed(panel, &MonitorPanel::refreshed);
    // Ctrl+3 shows the Monitor.
    QTest::keyClick(&window, Qt::Key_3, Qt::ControlModifier);
    QCOMPARE(window.currentPage(), ui::MainWindow::Page::Monitor);
    QVERIFY(refreshed.wait(10'000));
    QTRY_VERIFY_WITH_TIMEOUT(!panel->isLoading(), 10'000);
    QTableWidget *failures = panel->tables()->failuresTable();
    QCOMPARE(failures->rowCount(), 3);

    // The model_error row (image, flux): the café job only.
    failures->selectRow(0);
    QVERIFY(panel->tables()->showJobsButton()->isEnabled());
    QTest::mouseClick(panel->tables()->showJobsButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(window.currentPage(), ui::MainWindow::Page::Create, 10'000);
    ui::JobTableModel *model = window.jobModel();
    QTRY_COMPARE(model->query().ids, QList<JobId>{jobs->cafe});
    QCOMPARE(model->rowCount(), 1);
    QCOMPARE(model->jobId(0), jobs->cafe);

    // The network row (concept, llama): trail2 only, by double-click this time.
    QTest::keyClick(&window, Qt::Key_3, Qt::ControlModifier);
    const QPoint network = failures->visualItemRect(failures->item(1, 0)).center();
    QTest::mouseClick(failures->viewport(), Qt::LeftButton, {}, network);
    QTest::mouseDClick(failures->viewport(), Qt::LeftButton, {}, network);
    QTRY_COMPARE_WITH_TIMEOUT(window.currentPage(), ui::MainWindow::Page::Create, 10'000);
    QTRY_COMPARE(model->query().ids, QList<JobId>{jobs->trail2});
    QCOMPARE(model->rowCount(), 1);
    QCOMPARE(model->jobId(0), jobs->trail2);
    window.queuePanel()->showAllJobs();
    QCOMPARE(model->rowCount(), 5);
}

void TestMonitorPanel::stuckActionsAreAskedFor()
{
    const auto jobs = test::MonitorSeeder(*m_store).seed();
    QVERIFY(jobs);
    auto panel = loadedPanel();
    QVERIFY(panel);
    QSignalSpy cancel(panel.get(), &MonitorPanel::cancelRequested);
    QSignalSpy retry(panel.get(), &MonitorPanel::retryRequested);
    QSignalSpy keep(panel.get(), &MonitorPanel::keepWaitingRequested);
    QVERIFY(panel->stuckCancelButton()->isEnabled());
    QTest::mouseClick(panel->stuckCancelButton(), Qt::LeftButton);
    QTest::mouseClick(panel->stuckRetryButton(), Qt::LeftButton);
    QTest::mouseClick(panel->stuckKeepWaitingButton(), Qt::LeftButton);
    QCOMPARE(cancel.size(), 1);
    QCOMPARE(cancel.first().first().value<QList<JobId>>(), QList<JobId>{jobs->stuck});
    QCOMPARE(retry.size(), 1);
    const auto requests = retry.first().first().value<QList<RetryRequest>>();
    QCOMPARE(requests.size(), 1);
    QCOMPARE(requests.first().job, jobs->stuck);
    QVERIFY(requests.first().fromStep.isEmpty()); // the stuck step, as the job pane asks
    QCOMPARE(keep.size(), 1);
    QCOMPARE(keep.first().first().value<JobId>(), jobs->stuck);
}

void TestMonitorPanel::rateLimitStateCountsDown()
{
    auto panel = loadedPanel();
    QVERIFY(panel);
    QCOMPARE(panel->rateLimitText(), QStringLiteral("Rate limit: not rate limited."));
    panel->setRateLimited(12'000, RateLimitReason::Throttled);
    QCOMPARE(panel->rateLimitText(),
             QStringLiteral("Rate limit: Replicate asked Brieflow to slow down — resuming in 12 "
                            "s."));
    panel->setRateLimited(1'000, RateLimitReason::LowCredit);
    QVERIFY(panel->rateLimitText().contains(QStringLiteral("credit is low")));
    QTRY_VERIFY_WITH_TIMEOUT(panel->rateLimitText().startsWith(
                                 QStringLiteral("Rate limit: not rate limited. Replicate last")),
                             5000);
}

void TestMonitorPanel::storeErrorIsShownInPlainWords()
{
    MonitorPanel panel(m_dir->filePath(QStringLiteral("missing/brieflow.sqlite3")),
                       m_settings.get(), nullptr);
    QSignalSpy refreshed(&panel, &MonitorPanel::refreshed);
    panel.show();
    QVERIFY(refreshed.wait(10'000));
    QVERIFY2(panel.errorText().startsWith(QStringLiteral("Brieflow couldn't read the job "
                                                         "database: ")),
             qPrintable(panel.errorText()));
    QVERIFY(!panel.snapshot());
}

void TestMonitorPanel::screenshot()
{
    QVERIFY(test::MonitorSeeder(*m_store).seed());
    LagMonitor lag;
    for (int i = 0; i < 4000; ++i)
        lag.record(i % 50 == 0 ? 6'000'000 : 300'000);
    lag.record(22'000'000);
    auto panel = loadedPanel(&lag);
    QVERIFY(panel);
    panel->setRateLimited(12'000, RateLimitReason::Throttled);
    panel->resize(1400, 900);
    QTest::qWait(50);
    const QString out = qEnvironmentVariable("BRIEFLOW_MONITOR_SCREENSHOT");
    if (out.isEmpty())
        QSKIP("set BRIEFLOW_MONITOR_SCREENSHOT=file.png to save a screenshot");
    QVERIFY(panel->grab().save(out));
    // The whole page, scrolled content included.
    auto *scroll = panel->findChild<QScrollArea *>();
    QVERIFY(scroll);
    QVERIFY(scroll->widget()->grab().save(
        QString(out).replace(QStringLiteral(".png"), QStringLiteral("-full.png"))));
}

QTEST_MAIN(TestMonitorPanel)
#include "tst_monitorpanel.moc"
