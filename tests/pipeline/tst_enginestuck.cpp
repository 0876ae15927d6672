// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Stuck steps through the real engine and the real sandbox over loopback: a model whose run
// time jumps far past its learned history is flagged with the right reason; nothing is flagged
// from guesses without history; a prediction running past its timeout (the sandbox ignoring
// Cancel-After) is flagged; keep waiting snoozes the flag for a full threshold; retry now
// cancels the stuck prediction at the sandbox before one new prediction finishes the step —
// asked in-process and, through the database, by another process.
#include <QElapsedTimer>
#include <QTest>

#include "core/pipeline/jobactions.h"
#include "core/sandbox/prediction.h"
#include "tests/pipeline/enginerig.h"

using namespace brieflow;
using test::EngineRig;

namespace {

constexpr int fastMs = 60;     ///< the usual run time the tests teach the engine
constexpr int stuckMs = 20000; ///< a run that never ends within a test

/** Waits (spinning the event loop) until @p condition holds or @p timeoutMs passed. */
template<typename Condition>
bool waitFor(Condition condition, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (!condition()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QTest::qWait(10);
    }
    return true;
}

} // namespace

class TestEngineStuck : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void runTimeFarPastHistoryIsFlagged();
    void noHistoryMeansNoGuess();
    void pastTheTimeoutIsFlagged();
    void keepWaitingSnoozesForAFullThreshold();
    void retryCancelsTheStuckPredictionFirst();
    void retryRequestedFromAnotherProcess();
    void retryOfARunningJobThatIsNotStuckIsRefused();

private:
    /** A rig with short thresholds: history ×3, at least 800 ms; checks every 40 ms. */
    void makeRig(sandbox::SandboxConfig config = sandbox::SandboxConfig::forTests());
    /** Runs one job through at the fast speed, so the engine learns every model's run time. */
    void learnHistory();
    QList<const sandbox::Prediction *> predictionsOf(const QList<ProviderCallRecord> &calls) const;

    std::unique_ptr<EngineRig> m_rig;
};

void TestEngineStuck::init()
{
    makeRig();
}

void TestEngineStuck::cleanup()
{
    m_rig.reset();
}

void TestEngineStuck::makeRig(sandbox::SandboxConfig config)
{
    m_rig.reset();
    config.textLatency = sandbox::LatencyDistribution::fixed(0, fastMs);
    config.imageLatency = sandbox::LatencyDistribution::fixed(0, fastMs);
    m_rig = std::make_unique<EngineRig>(config);
    m_rig->options.stuckCheckInterval = std::chrono::milliseconds(40);
    m_rig->options.stuckRunTimeFactor = 3.0;
    m_rig->options.stuckRunTimeFloor = std::chrono::milliseconds(800);
    m_rig->options.stuckStartingFloor = std::chrono::milliseconds(800);
    m_rig->options.stuckTimeoutGrace = std::chrono::milliseconds(200);
}

void TestEngineStuck::learnHistory()
{
    const JobId first = m_rig->submit();
    QVERIFY(m_rig->runUntilIdle());
    QCOMPARE(m_rig->status(first), QStringLiteral("succeeded"));
    QVERIFY(!m_rig->job(first).isStuck());
    QVERIFY(!m_rig->store->recentRunTimes(QStringLiteral("black-forest-labs/flux-schnell"), 5)
                 .value()
                 .isEmpty());
}

QList<const sandbox::Prediction *>
TestEngineStuck::predictionsOf(const QList<ProviderCallRecord> &calls) const
{
    QList<const sandbox::Prediction *> out;
    for (const ProviderCallRecord &call : calls) {
        if (const sandbox::Prediction *p = m_rig->server->prediction(call.predictionId))
            out << p;
    }
    return out;
}

void TestEngineStuck::runTimeFarPastHistoryIsFlagged()
{
    learnHistory();
    m_rig->server->setLatency(QStringLiteral("image"),
                              sandbox::LatencyDistribution::fixed(0, stuckMs));
    const JobId job = m_rig->submit();
    m_rig->engine->wake();
    // Not flagged while the image step is within its usual time and the floor.
    QVERIFY(waitFor(
        [&] {
            return m_rig->stepStatus(job, QStringLiteral("image")) == QLatin1String("processing");
        },
        5000));
    QTest::qWait(300);
    QVERIFY(!m_rig->job(job).isStuck());
    QVERIFY(waitFor([&] { return m_rig->job(job).isStuck(); }, 5000));

    const StepRecord image = m_rig->step(job, QStringLiteral("image"));
    QVERIFY(image.isStuck());
    QVERIFY2(image.stuckReason.startsWith(QStringLiteral("Running for ")),
             qPrintable(image.stuckReason));
    QVERIFY2(image.stuckReason.contains(QStringLiteral("this model usually takes about")),
             qPrintable(image.stuckReason));
    QCOMPARE(image.stuckThresholdMs, 800); // 3 × ~60 ms is under the floor
    QCOMPARE(m_rig->job(job).stuckReason, image.stuckReason);
    // Earlier steps, fast as usual, are not flagged.
    QVERIFY(!m_rig->step(job, QStringLiteral("concept")).isStuck());
    const auto events = m_rig->store->events(job).value();
    QVERIFY(std::any_of(events.begin(), events.end(),
                        [](const EventRecord &e) { return e.kind == QLatin1String("stuck"); }));
    QVERIFY(m_rig->engine->cancel(job));
}

void TestEngineStuck::noHistoryMeansNoGuess()
{
    m_rig->server->setLatency(QStringLiteral("image"),
                              sandbox::LatencyDistribution::fixed(0, stuckMs));
    m_rig->options.stuckRunTimeFloor = std::chrono::milliseconds(100);
    m_rig->makeEngine();
    // The text models learn their times within this job; the image model has no history.
    const JobId job = m_rig->submit();
    m_rig->engine->start();
    QVERIFY(waitFor(
        [&] {
            return m_rig->stepStatus(job, QStringLiteral("image")) == QLatin1String("processing");
        },
        5000));
    QTest::qWait(1200); // far more than the floor and 3× any text run
    QVERIFY(!m_rig->job(job).isStuck());
    QVERIFY(!m_rig->step(job, QStringLiteral("image")).isStuck());
    QVERIFY(m_rig->engine->cancel(job));
}

void TestEngineStuck::pastTheTimeoutIsFlagged()
{
    sandbox::SandboxConfig config = sandbox::SandboxConfig::forTests();
    config.quirks.ignoreDeadlines = true; // Replicate should stop it; this one doesn't
    makeRig(config);
    for (StepDefinition &step : m_rig->workflow.steps) {
        if (step.name == QLatin1String("image"))
            step.timeout = std::chrono::seconds(5); // the least Cancel-After allows
    }
    m_rig->makeEngine();
    m_rig->server->setLatency(QStringLiteral("image"),
                              sandbox::LatencyDistribution::fixed(0, stuckMs));
    const JobId job = m_rig->submit();
    m_rig->engine->start();
    // Not flagged before the limit and its grace, although the image model has no history.
    QVERIFY(waitFor(
        [&] {
            return m_rig->stepStatus(job, QStringLiteral("image")) == QLatin1String("processing");
        },
        5000));
    QTest::qWait(4000);
    QVERIFY(!m_rig->job(job).isStuck());
    QVERIFY(waitFor([&] { return m_rig->job(job).isStuck(); }, 4000));
    const StepRecord image = m_rig->step(job, QStringLiteral("image"));
    QVERIFY2(image.stuckReason.contains(QStringLiteral("past this step's 5 s limit")),
             qPrintable(image.stuckReason));
    QVERIFY2(image.stuckReason.contains(QStringLiteral("Replicate should have stopped it")),
             qPrintable(image.stuckReason));
    QCOMPARE(image.stuckThresholdMs, 5200);
    // The create carried the deadline; the sandbox reports it but ran on.
    const auto calls = m_rig->calls(job, QStringLiteral("image"));
    QCOMPARE(calls.size(), 1);
    const sandbox::Prediction *p = m_rig->server->prediction(calls.first().predictionId);
    QVERIFY(p);
    QVERIFY(p->deadlineNs > 0);
    QCOMPARE(p->status, sandbox::Status::Processing);
    QVERIFY(m_rig->engine->cancel(job));
}

void TestEngineStuck::keepWaitingSnoozesForAFullThreshold()
{
    learnHistory();
    m_rig->server->setLatency(QStringLiteral("image"),
                              sandbox::LatencyDistribution::fixed(0, stuckMs));
    const JobId job = m_rig->submit();
    m_rig->engine->wake();
    QVERIFY(waitFor([&] { return m_rig->job(job).isStuck(); }, 8000));

    QElapsedTimer snoozed;
    snoozed.start();
    const auto kept = m_rig->engine->keepWaiting(job);
    QVERIFY2(kept, kept ? "" : qPrintable(kept.error().message));
    QCOMPARE(*kept, 1);
    QVERIFY(!m_rig->job(job).isStuck());
    const StepRecord image = m_rig->step(job, QStringLiteral("image"));
    QVERIFY(image.stuckSnoozedUntil.isValid());
    // Not flagged again before a full threshold (800 ms) has passed…
    while (snoozed.elapsed() < 650) {
        QVERIFY2(!m_rig->job(job).isStuck(), "flagged again during the snooze");
        QTest::qWait(20);
    }
    // …and flagged again after it.
    QVERIFY(waitFor([&] { return m_rig->job(job).isStuck(); }, 3000));
    QVERIFY(snoozed.elapsed() >= 790);
    const auto events = m_rig->store->events(job).value();
    QVERIFY(std::any_of(events.begin(), events.end(), [](const EventRecord &e) {
        return e.kind == QLatin1String("keep_waiting");
    }));
    // Keep waiting on a job that is not stuck is refused.
    QVERIFY(m_rig->engine->keepWaiting(job));
    QVERIFY(!m_rig->engine->keepWaiting(job));
    QVERIFY(m_rig->engine->cancel(job));
}

void TestEngineStuck::retryCancelsTheStuckPredictionFirst()
{
    learnHistory();
    m_rig->server->setLatency(QStringLiteral("image"),
                              sandbox::LatencyDistribution::fixed(0, stuckMs));
    const JobId job = m_rig->submit();
    m_rig->engine->wake();
    QVERIFY(waitFor([&] { return m_rig->job(job).isStuck(); }, 8000));
    const QString stuckId = m_rig->calls(job, QStringLiteral("image")).constLast().predictionId;

    // The new attempt runs at the usual speed again.
    m_rig->server->setLatency(QStringLiteral("image"),
                              sandbox::LatencyDistribution::fixed(0, fastMs));
    RetryRequest request;
    request.job = job;
    const auto retried = m_rig->engine->retry(request);
    QVERIFY2(retried, retried ? "" : qPrintable(retried.error().message));
    QVERIFY(m_rig->runUntilIdle());
    QCOMPARE(m_rig->status(job), QStringLiteral("succeeded"));
    QVERIFY(!m_rig->job(job).isStuck());

    const auto calls = m_rig->calls(job, QStringLiteral("image"));
    QCOMPARE(calls.size(), 2);
    QCOMPARE(calls.at(0).predictionId, stuckId);
    QCOMPARE(toString(calls.at(0).state), QStringLiteral("canceled"));
    QCOMPARE(calls.at(0).errorType, QString(StuckRetryErrorType));
    QCOMPARE(toString(calls.at(1).state), QStringLiteral("succeeded"));
    // At the sandbox: the stuck one canceled, exactly one succeeded, and the new one created
    // only after the old one had ended (never two live predictions for the step).
    const auto predictions = predictionsOf(calls);
    QCOMPARE(predictions.size(), 2);
    QCOMPARE(predictions.at(0)->status, sandbox::Status::Canceled);
    QCOMPARE(predictions.at(1)->status, sandbox::Status::Succeeded);
    QVERIFY(predictions.at(1)->createdNs >= predictions.at(0)->completedNs);
    int imageSucceeded = 0;
    for (const sandbox::Prediction *p : m_rig->server->predictions()) {
        if (p->model->fullName() == QLatin1String("black-forest-labs/flux-schnell")
            && p->status == sandbox::Status::Succeeded)
            ++imageSucceeded;
    }
    QCOMPARE(imageSucceeded, 2); // the history job's and this job's new attempt
    QCOMPARE(m_rig->store->outputs(job).value().size() > 0, true);
}

void TestEngineStuck::retryRequestedFromAnotherProcess()
{
    learnHistory();
    m_rig->server->setLatency(QStringLiteral("image"),
                              sandbox::LatencyDistribution::fixed(0, stuckMs));
    const JobId job = m_rig->submit();
    m_rig->engine->wake();
    QVERIFY(waitFor([&] { return m_rig->job(job).isStuck(); }, 8000));
    m_rig->server->setLatency(QStringLiteral("image"),
                              sandbox::LatencyDistribution::fixed(0, fastMs));

    // What `brieflow-cli retry JOB` does while a worker runs: a request in the database, on
    // its own connection.
    {
        auto other = JobStore::open(m_rig->dir.paths().databaseFile(), JobStore::Mode::Writer);
        QVERIFY(other);
        const auto requested = requestStuckRetry(**other, job);
        QVERIFY2(requested, requested ? "" : qPrintable(requested.error().message));
    }
    QVERIFY(m_rig->runUntilIdle());
    QCOMPARE(m_rig->status(job), QStringLiteral("succeeded"));
    const auto calls = m_rig->calls(job, QStringLiteral("image"));
    QCOMPARE(calls.size(), 2);
    const auto predictions = predictionsOf(calls);
    QCOMPARE(predictions.size(), 2);
    QCOMPARE(predictions.at(0)->status, sandbox::Status::Canceled);
    QCOMPARE(predictions.at(1)->status, sandbox::Status::Succeeded);
    QVERIFY(m_rig->store->stuckRetryRequests().value().isEmpty());
}

void TestEngineStuck::retryOfARunningJobThatIsNotStuckIsRefused()
{
    m_rig->server->setLatency(QStringLiteral("image"),
                              sandbox::LatencyDistribution::fixed(0, stuckMs));
    m_rig->makeEngine();
    const JobId job = m_rig->submit();
    m_rig->engine->start();
    QVERIFY(waitFor(
        [&] {
            return m_rig->stepStatus(job, QStringLiteral("image")) == QLatin1String("processing");
        },
        5000));
    RetryRequest request;
    request.job = job;
    const auto refused = m_rig->engine->retry(request);
    QVERIFY(!refused);
    QCOMPARE(refused.error().kind, ActionError::Kind::NotAllowed);
    QCOMPARE(m_rig->calls(job, QStringLiteral("image")).size(), 1);
    QVERIFY(m_rig->engine->cancel(job));
}

QTEST_GUILESS_MAIN(TestEngineStuck)
#include "tst_enginestuck.moc"
