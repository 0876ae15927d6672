// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// "Jobs recovered after a restart": the engine goes away while predictions are in flight (as
// after a crash: nothing more is written) and a new one takes the jobs up from the store. Each
// job taken up with work in flight gets exactly one "recovered" event per restart — a followed
// prediction with its id, an intent whose create never answered without one — and jobs with
// nothing in flight get none.
#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>

#include "core/pipeline/jobledger.h"
#include "tests/pipeline/enginerig.h"

using namespace brieflow;
using namespace brieflow::test;
using namespace std::chrono_literals;

namespace {

QList<EventRecord> recoveredEvents(EngineRig &rig, const JobId &job)
{
    QList<EventRecord> found;
    const QList<EventRecord> events = rig.store->events(job).value();
    for (const EventRecord &e : events) {
        if (e.kind == QLatin1String("recovered"))
            found << e;
    }
    return found;
}

bool hasInFlightCall(EngineRig &rig, const JobId &job)
{
    for (const StepRecord &step : rig.steps(job)) {
        if (step.status == StepStatus::Succeeded)
            continue;
        if (step.status != StepStatus::Processing)
            return false;
        const auto calls = rig.store->calls(step.id).value();
        if (calls.isEmpty())
            return false;
        const CallState state = calls.last().state;
        return state == CallState::Submitted || state == CallState::Creating
               || state == CallState::Unknown || state == CallState::Succeeded;
    }
    return false;
}

} // namespace

class TestEngineRecovery : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void oneRecoveredEventPerInFlightJobPerRestart();
};

void TestEngineRecovery::oneRecoveredEventPerInFlightJobPerRestart()
{
    auto config = sandbox::SandboxConfig::forTests();
    config.imageLatency =
        sandbox::LatencyDistribution::fixed(0, 4000); // long enough to crash twice
    EngineRig rig(config);
    rig.options.maxConcurrentJobs = 3;
    QList<JobId> jobs;
    for (int i = 0; i < 5; ++i)
        jobs << rig.submit();
    const JobId &intentOnly = jobs.at(3); // its create "never answered"
    const JobId &untouched = jobs.at(4);  // still pending at the first restart

    // Run until the first three jobs' images are being made.
    rig.makeEngine();
    rig.engine->start();
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (int i = 0; i < 3; ++i) {
                const auto calls = rig.calls(jobs.at(i), QStringLiteral("image"));
                if (calls.isEmpty() || calls.last().state != CallState::Submitted)
                    return false;
            }
            return true;
        }(),
        20'000);
    rig.engine.reset(); // "crash": the engine is gone, the store keeps what it wrote
    QVERIFY(rig.store->events(jobs.at(0)).value().size() > 0);
    for (const JobId &job : std::as_const(jobs))
        QVERIFY(recoveredEvents(rig, job).isEmpty()); // a first start recovers nothing

    // A fourth job died right after its intent was written (the create's answer never came).
    {
        JobLedger ledger(*rig.store);
        StepRecord first = rig.step(intentOnly, QStringLiteral("concept"));
        const QByteArray input = "{\"prompt\":\"lost\"}";
        const QString sha = QString::fromLatin1(
            QCryptographicHash::hash(input, QCryptographicHash::Sha256).toHex());
        QVERIFY(ledger.beginAttempt(first, input, QStringLiteral("meta/meta-llama-3-8b-instruct"),
                                    sha));
    }

    // Restart: every job with work in flight is noted once.
    rig.options.maxConcurrentJobs = 4;
    rig.makeEngine();
    rig.engine->start();
    QTRY_VERIFY_WITH_TIMEOUT(recoveredEvents(rig, intentOnly).size() == 1, 10'000);
    for (int i = 0; i < 3; ++i) {
        const JobId &job = jobs.at(i);
        QTRY_COMPARE_WITH_TIMEOUT(recoveredEvents(rig, job).size(), 1, 10'000);
        const EventRecord event = recoveredEvents(rig, job).first();
        const QJsonObject data = QJsonDocument::fromJson(event.data).object();
        const ProviderCallRecord call = rig.calls(job, QStringLiteral("image")).first();
        QCOMPARE(data.value(QStringLiteral("prediction_id")).toString(), call.predictionId);
        QCOMPARE(data.value(QStringLiteral("attempt")).toInt(), 1);
        QCOMPARE(event.stepId, call.stepId);
        QVERIFY(!event.message.isEmpty());
    }
    {
        const EventRecord event = recoveredEvents(rig, intentOnly).first();
        const QJsonObject data = QJsonDocument::fromJson(event.data).object();
        QCOMPARE(data.value(QStringLiteral("attempt")).toInt(), 1);
        QVERIFY(!data.contains(QStringLiteral("prediction_id"))); // none known
    }

    // A second crash while the images still run, and another restart: one more each.
    QVERIFY(rig.status(jobs.at(0)) == QStringLiteral("processing"));
    rig.engine.reset();
    QHash<JobId, int> expected;
    for (const JobId &job : std::as_const(jobs))
        expected.insert(job, int(recoveredEvents(rig, job).size())
                                 + (hasInFlightCall(rig, job) ? 1 : 0));
    for (int i = 0; i < 3; ++i)
        QCOMPARE(expected.value(jobs.at(i)), 2);
    QVERIFY(rig.runUntilIdle(30'000));
    for (const JobId &job : std::as_const(jobs)) {
        QCOMPARE(rig.status(job), QStringLiteral("succeeded"));
        QCOMPARE(int(recoveredEvents(rig, job).size()), expected.value(job));
    }
    QVERIFY(recoveredEvents(rig, untouched).size() <= 1);

    // A restart with nothing in flight recovers nothing.
    rig.engine.reset();
    QVERIFY(rig.runUntilIdle(10'000));
    for (const JobId &job : std::as_const(jobs))
        QCOMPARE(int(recoveredEvents(rig, job).size()), expected.value(job));
}

QTEST_GUILESS_MAIN(TestEngineRecovery)
#include "tst_enginerecovery.moc"
