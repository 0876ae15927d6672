// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// The daily budget against the real engine and sandbox: the text model costs nothing and the
// image model $10 a second of predict_time; each image runs 200 ms in the sandbox, so a job costs
// $2.00 and a little more (never less: predict_time is at least the run time). With a budget of
// $5.90 two jobs stay under it (< $2.95 each) and the third reaches it (>= $6.00): the fourth
// job's first step must wait in needs_attention ("budget_reached") without an intent, the rest
// stay pending, nothing fails — until the budget is raised or the day changes.
#include <QJsonDocument>
#include <QJsonObject>

#include "core/monitoring/pricetable.h"
#include "core/pipeline/steperror.h"
#include "tests/pipeline/enginerig.h"

using namespace brieflow;
using namespace brieflow::test;
using namespace std::chrono_literals;

namespace {

constexpr double kImageUsdPerSecond = 10.0;
constexpr double kBudget = 5.9; ///< reached by the third job
constexpr int kImageRunMs = 200;

sandbox::SandboxConfig pricedSandbox()
{
    auto config = sandbox::SandboxConfig::forTests();
    config.imageLatency = sandbox::LatencyDistribution::fixed(0, kImageRunMs);
    return config;
}

PriceTable testPrices()
{
    PriceTable prices; // fallback 0: the text model is free
    prices.setPrice(QStringLiteral("black-forest-labs/flux-schnell"), kImageUsdPerSecond);
    return prices;
}

int countEvents(const QList<EventRecord> &events, const QString &kind)
{
    return int(std::count_if(events.begin(), events.end(),
                             [&](const EventRecord &e) { return e.kind == kind; }));
}

/** Milliseconds from now to just after the next local midnight. */
qint64 msToNextMidnight()
{
    const QDateTime now = QDateTime::currentDateTime();
    return now.msecsTo(now.date().addDays(1).startOfDay());
}

} // namespace

class TestEngineBudget : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void pausesAtLimitAndResumesWhenRaised();
    void newDayResumes();
    void midnightTimerResumes();
    void noBudgetNeverPauses();

private:
    /** Five jobs, one at a time, until the budget stops the fourth. */
    void runToLimit(EngineRig &rig, QList<JobId> &jobs, int count, int limitJob);
};

void TestEngineBudget::runToLimit(EngineRig &rig, QList<JobId> &jobs, int count, int limitJob)
{
    for (int i = 0; i < count; ++i) {
        jobs << rig.submit();
        QVERIFY(!jobs.last().isNull());
    }
    if (!rig.engine)
        rig.makeEngine();
    rig.engine->start();
    QTRY_COMPARE_WITH_TIMEOUT(rig.status(jobs.at(limitJob)), QStringLiteral("needs_attention"),
                              30'000);
    QTRY_COMPARE_WITH_TIMEOUT(rig.engine->activeJobs(), 0, 10'000);
}

void TestEngineBudget::pausesAtLimitAndResumesWhenRaised()
{
    EngineRig rig(pricedSandbox());
    rig.options.maxConcurrentJobs = 1;
    rig.options.prices = testPrices();
    rig.options.dailyBudgetUsd = kBudget;
    rig.options.queuePollInterval = 100ms;
    rig.makeEngine();
    QSignalSpy attention(rig.engine.get(), &PipelineEngine::attentionChanged);
    QList<JobId> jobs;
    runToLimit(rig, jobs, 5, 3);
    if (QTest::currentTestFailed())
        return;

    // Three jobs ran and paid; the fourth waits at the budget, the fifth was never started.
    for (int i = 0; i < 3; ++i)
        QCOMPARE(rig.status(jobs.at(i)), QStringLiteral("succeeded"));
    const StepRecord waiting = rig.step(jobs.at(3), QStringLiteral("concept"));
    QCOMPARE(toString(waiting.status), QStringLiteral("needs_attention"));
    QCOMPARE(waiting.errorType, QString(StepErrorType::BudgetReached));
    QCOMPARE(waiting.attemptCount, 0);                                   // no attempt used up
    QVERIFY(rig.calls(jobs.at(3), QStringLiteral("concept")).isEmpty()); // no intent
    QVERIFY2(waiting.errorMessage.contains(formatUsd(kBudget)), qPrintable(waiting.errorMessage));
    QVERIFY(waiting.errorMessage.contains(QStringLiteral("Settings ▸ Cost")));
    QCOMPARE(rig.status(jobs.at(4)), QStringLiteral("pending"));
    QCOMPARE(rig.server->stats().predictionsCreated, 9);

    const double spent =
        rig.store->spendSince(QDateTime::currentDateTime().date().startOfDay(), rig.options.prices)
            .value();
    QVERIFY2(spent >= kBudget && spent < 3 * 2.95, qPrintable(QString::number(spent)));
    QVERIFY2(waiting.errorMessage.contains(formatUsd(spent)), qPrintable(waiting.errorMessage));

    QCOMPARE(rig.engine->problem().errorType, QString(StepErrorType::BudgetReached));
    QVERIFY(!attention.isEmpty());
    QCOMPARE(attention.last().at(0).value<EngineProblem>().errorType,
             QString(StepErrorType::BudgetReached));

    // The queue stays paused: more queue reads start nothing.
    QTest::qWait(600);
    QCOMPARE(rig.server->stats().predictionsCreated, 9);
    QCOMPARE(rig.status(jobs.at(4)), QStringLiteral("pending"));

    // A budget raised but still below what was spent changes nothing.
    const qsizetype signals_ = attention.size();
    rig.engine->setCostSettings(rig.options.prices, 5.95);
    QTest::qWait(300);
    QCOMPARE(rig.status(jobs.at(3)), QStringLiteral("needs_attention"));
    QCOMPARE(rig.server->stats().predictionsCreated, 9);
    QVERIFY(attention.size() == signals_
            || !attention.last().at(0).value<EngineProblem>().isNull());

    // Raised enough: everything runs to the end, and nothing was counted as a failure.
    QSignalSpy idle(rig.engine.get(), &PipelineEngine::idle);
    rig.engine->setCostSettings(rig.options.prices, 100.0);
    QVERIFY(idle.wait(30'000));
    QVERIFY(attention.last().at(0).value<EngineProblem>().isNull());
    QVERIFY(rig.engine->problem().isNull());
    for (const JobId &job : std::as_const(jobs)) {
        QCOMPARE(rig.status(job), QStringLiteral("succeeded"));
        for (const StepRecord &step : rig.steps(job)) {
            if (step.name == QLatin1String("store"))
                continue;
            QCOMPARE(step.attemptCount, 1);
            const auto calls = rig.calls(job, step.name);
            QCOMPARE(calls.size(), 1);
            QVERIFY(calls.first().errorType.isEmpty());
        }
    }
    QCOMPARE(rig.server->stats().predictionsCreated, 15);
    const auto events = rig.store->events(jobs.at(3)).value();
    QCOMPARE(countEvents(events, QStringLiteral("needs_attention")), 1);
    QCOMPARE(countEvents(events, QStringLiteral("resumed")), 1);
    QCOMPARE(countEvents(events, QStringLiteral("step_failed")), 0);
    QCOMPARE(countEvents(events, QStringLiteral("retry_scheduled")), 0);
}

void TestEngineBudget::newDayResumes()
{
    EngineRig rig(pricedSandbox());
    auto offsetMs = std::make_shared<qint64>(0);
    rig.options.budgetClock = [offsetMs] {
        return QDateTime::currentDateTime().addMSecs(*offsetMs);
    };
    rig.options.maxConcurrentJobs = 1;
    rig.options.prices = testPrices();
    rig.options.dailyBudgetUsd = 0.5; // below one job: reached after the first
    rig.options.queuePollInterval = 100ms;
    QList<JobId> jobs;
    runToLimit(rig, jobs, 3, 1);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(rig.status(jobs.at(0)), QStringLiteral("succeeded"));
    QCOMPARE(rig.status(jobs.at(2)), QStringLiteral("pending"));
    QCOMPARE(rig.engine->problem().errorType, QString(StepErrorType::BudgetReached));

    // Tomorrow (for the engine): today's spending is nothing, the queue reads notice the day.
    QSignalSpy attention(rig.engine.get(), &PipelineEngine::attentionChanged);
    QSignalSpy idle(rig.engine.get(), &PipelineEngine::idle);
    *offsetMs = msToNextMidnight() + 1000;
    QVERIFY(idle.wait(30'000));
    QVERIFY(!attention.isEmpty());
    QVERIFY(attention.last().at(0).value<EngineProblem>().isNull());
    for (const JobId &job : std::as_const(jobs))
        QCOMPARE(rig.status(job), QStringLiteral("succeeded"));
    QCOMPARE(rig.server->stats().predictionsCreated, 9);
}

void TestEngineBudget::midnightTimerResumes()
{
    EngineRig rig(pricedSandbox());
    auto offsetMs = std::make_shared<qint64>(0);
    rig.options.budgetClock = [offsetMs] {
        return QDateTime::currentDateTime().addMSecs(*offsetMs);
    };
    rig.options.maxConcurrentJobs = 1;
    rig.options.prices = testPrices();
    rig.options.dailyBudgetUsd = 0.5;
    rig.options.queuePollInterval = 0ms; // only the midnight timer can notice the new day
    QList<JobId> jobs;
    runToLimit(rig, jobs, 2, 1);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(rig.server->stats().predictionsCreated, 3);

    // 800 ms before midnight; the same settings again make the engine look at the clock anew
    // (and stay paused: it is still today).
    *offsetMs = msToNextMidnight() - 800;
    rig.engine->setCostSettings(rig.options.prices, rig.options.dailyBudgetUsd);
    QTest::qWait(200);
    QCOMPARE(rig.status(jobs.at(1)), QStringLiteral("needs_attention"));
    QCOMPARE(rig.engine->problem().errorType, QString(StepErrorType::BudgetReached));

    QSignalSpy idle(rig.engine.get(), &PipelineEngine::idle);
    QVERIFY(idle.wait(20'000));
    QCOMPARE(rig.status(jobs.at(1)), QStringLiteral("succeeded"));
    QVERIFY(rig.engine->problem().isNull());
    QCOMPARE(rig.server->stats().predictionsCreated, 6);
}

void TestEngineBudget::noBudgetNeverPauses()
{
    // The same spending without a budget (0): nothing waits.
    EngineRig rig(pricedSandbox());
    rig.options.maxConcurrentJobs = 2;
    rig.options.prices = testPrices();
    rig.options.dailyBudgetUsd = 0;
    QList<JobId> jobs;
    for (int i = 0; i < 4; ++i)
        jobs << rig.submit();
    QVERIFY(rig.runUntilIdle(30'000));
    for (const JobId &job : std::as_const(jobs))
        QCOMPARE(rig.status(job), QStringLiteral("succeeded"));
    QVERIFY(rig.engine->problem().isNull());
}

QTEST_GUILESS_MAIN(TestEngineBudget)
#include "tst_enginebudget.moc"
