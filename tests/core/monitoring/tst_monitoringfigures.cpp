// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// JobStore::monitoringFigures() and its neighbours on a seeded database whose every figure was
// computed by hand (the comments give the arithmetic). The seed: eight jobs over two UTC days
// (one more before the range), each call's intent, provider times, predict_time and end set.
#include <QTest>

#include "core/monitoring/eta.h"
#include "core/store/jobstore.h"
#include "core/store/schema.h"
#include "tests/core/monitoring/monitoringseed.h"
#include "tests/core/store/storetestutil.h"
#include "tests/support/tempdatadir.h"
#include "tests/support/teststore.h"

using namespace brieflow;

namespace {

const QString L = QStringLiteral("meta/meta-llama-3-8b-instruct");
const QString F = QStringLiteral("black-forest-labs/flux-schnell");
const QString X = QStringLiteral("acme/other:abc123");

const QDateTime T0(QDate(2026, 11, 30), QTime(0, 0), Qt::UTC);

QDateTime at(const QDateTime &base, double seconds)
{
    return base.addMSecs(qint64(seconds * 1000));
}

PriceTable prices()
{
    PriceTable table;
    table.setPrice(L, 0.001);
    table.setPrice(F, 0.01);
    table.setPrice(QStringLiteral("acme/other"), 0.05); // X, by its name without the version
    table.setFallbackPerSecond(0.1);
    return table;
}

} // namespace

class TestMonitoringFigures : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void completionAndDays();
    void failuresByStepErrorAndModel();
    void jobsBehindAFailureRow();
    void durationsNearestRank();
    void retriesPredictionsOutputs();
    void recoveredStuckWebhooks();
    void cost();
    void spendSinceAndJobCosts();
    void stepHistoryAndEta();
    void jobsAheadAndIdsFilter();
    void emptyRange();
    void partialQuarterHoursAndTwoConnections();
    void migrationFrom6FillsTimings();
    void deletingAJobTakesItsCallsOutOfTheCounts(); // last: it changes the seed

private:
    MonitoringQuery range() const
    {
        MonitoringQuery q;
        q.from = T0;
        q.to = T0.addDays(2);
        q.prices = prices();
        return q;
    }

    std::unique_ptr<test::TempDataDir> m_dir;
    std::unique_ptr<JobStore> m_store;
    QHash<QString, JobRecord> m_jobs;
};

void TestMonitoringFigures::initTestCase()
{
    m_dir = std::make_unique<test::TempDataDir>();
    m_store = test::openTestStore(*m_dir);
    QVERIFY(m_store);
    test::MonitoringSeed seed(*m_store, m_store->fileName());
    using S = test::MonitoringSeed::Call;

    // J1 (day 0, 01:00), succeeded: concept 10 s in our queue, 2 s starting, 4 s running,
    // ends at +18 s; image prompt queue 2, starting 1, predict 2, total 7; images queue 1,
    // starting 5, predict 3, total 11.
    const QDateTime t1 = T0.addSecs(3600);
    const JobRecord j1 = seed.job(t1, QStringLiteral("TrailLite"), QStringLiteral("runners"));
    seed.call(
        seed.step(j1, 0),
        S{1, L, CallState::Succeeded, at(t1, 10), at(t1, 11), at(t1, 13), 4.0, at(t1, 18), {}});
    seed.finishStep(seed.step(j1, 0), StepStatus::Succeeded, 1, at(t1, 18));
    seed.call(
        seed.step(j1, 1),
        S{1, L, CallState::Succeeded, at(t1, 20), at(t1, 21), at(t1, 22), 2.0, at(t1, 25), {}});
    seed.finishStep(seed.step(j1, 1), StepStatus::Succeeded, 1, at(t1, 25));
    seed.call(
        seed.step(j1, 2),
        S{1, F, CallState::Succeeded, at(t1, 26), at(t1, 27), at(t1, 32), 3.0, at(t1, 36), {}});
    seed.finishStep(seed.step(j1, 2), StepStatus::Succeeded, 1, at(t1, 36));
    seed.jobStatus(j1, JobStatus::Succeeded);

    // J2 (day 0, 02:00; the same brief as J1), succeeded after a concept retry: attempt 1's
    // output expired (predict 1 s, ends +9 s); attempt 2 ready at +9 s: queue 6, starting 1,
    // predict 6, ends +24 (total 15); image prompt queue 6, starting 1, predict 3, total 11;
    // images queue 5, starting 2, predict 4, total 13.
    const QDateTime t2 = T0.addSecs(7200);
    const JobRecord j2 = seed.job(t2, QStringLiteral("TrailLite"), QStringLiteral("runners"));
    seed.call(seed.step(j2, 0), S{1, L, CallState::Failed, at(t2, 5), at(t2, 5), at(t2, 6), 1.0,
                                  at(t2, 9), QStringLiteral("output_expired")});
    seed.call(
        seed.step(j2, 0),
        S{2, L, CallState::Succeeded, at(t2, 15), at(t2, 16), at(t2, 17), 6.0, at(t2, 24), {}});
    seed.finishStep(seed.step(j2, 0), StepStatus::Succeeded, 2, at(t2, 24));
    seed.call(
        seed.step(j2, 1),
        S{1, L, CallState::Succeeded, at(t2, 30), at(t2, 30), at(t2, 31), 3.0, at(t2, 35), {}});
    seed.finishStep(seed.step(j2, 1), StepStatus::Succeeded, 1, at(t2, 35));
    seed.call(
        seed.step(j2, 2),
        S{1, F, CallState::Succeeded, at(t2, 40), at(t2, 41), at(t2, 43), 4.0, at(t2, 48), {}});
    seed.finishStep(seed.step(j2, 2), StepStatus::Succeeded, 1, at(t2, 48));
    seed.jobStatus(j2, JobStatus::Succeeded);

    // J3 (day 1, 01:00), failed: concept on X (queue 2, starting 1, predict 2, total 6), image
    // prompt (queue 2, starting 1, predict 1, total 5), images rejected twice (2 s each).
    const QDateTime t3 = T0.addDays(1).addSecs(3600);
    const JobRecord j3 = seed.job(t3, QStringLiteral("NoteKeeper"), QStringLiteral("students"));
    seed.call(seed.step(j3, 0),
              S{1, X, CallState::Succeeded, at(t3, 2), at(t3, 2), at(t3, 3), 2.0, at(t3, 6), {}});
    seed.finishStep(seed.step(j3, 0), StepStatus::Succeeded, 1, at(t3, 6));
    seed.call(seed.step(j3, 1),
              S{1, L, CallState::Succeeded, at(t3, 8), at(t3, 8), at(t3, 9), 1.0, at(t3, 11), {}});
    seed.finishStep(seed.step(j3, 1), StepStatus::Succeeded, 1, at(t3, 11));
    seed.call(seed.step(j3, 2), S{1, F, CallState::Failed, at(t3, 12), at(t3, 12), at(t3, 13), 2.0,
                                  at(t3, 16), QStringLiteral("output_rejected")});
    seed.call(seed.step(j3, 2), S{2, F, CallState::Failed, at(t3, 20), at(t3, 20), at(t3, 21), 2.0,
                                  at(t3, 25), QStringLiteral("output_rejected")});
    seed.finishStep(seed.step(j3, 2), StepStatus::Failed, 2, at(t3, 25),
                    QStringLiteral("output_rejected"));
    seed.jobStatus(j3, JobStatus::Failed);

    // J4 (day 1, 02:00), canceled: its prediction ended without a predict_time (unpriced).
    const QDateTime t4 = T0.addDays(1).addSecs(7200);
    const JobRecord j4 = seed.job(t4, QStringLiteral("Café Ñandú"), QStringLiteral("locals"));
    seed.call(seed.step(j4, 0),
              S{1, L, CallState::Canceled, at(t4, 1), {}, {}, std::nullopt, at(t4, 3), {}});
    seed.finishStep(seed.step(j4, 0), StepStatus::Canceled, 1, at(t4, 3));
    seed.jobStatus(j4, JobStatus::Canceled);

    // J5 (day 1, 03:00), pending.
    const JobRecord j5 =
        seed.job(T0.addDays(1).addSecs(3 * 3600), QStringLiteral("Pending"), QStringLiteral("a"));

    // J6: before the range (T0 − 1 h): a 100 s concept that no figure of the range may count.
    const QDateTime t6 = T0.addSecs(-3600);
    const JobRecord j6 = seed.job(t6, QStringLiteral("Old"), QStringLiteral("b"));
    seed.call(
        seed.step(j6, 0),
        S{1, L, CallState::Succeeded, at(t6, 1), at(t6, 1), at(t6, 1), 100.0, at(t6, 101), {}});
    seed.finishStep(seed.step(j6, 0), StepStatus::Succeeded, 1, at(t6, 101));
    seed.jobStatus(j6, JobStatus::Succeeded);
    seed.event(j6, QStringLiteral("recovered"), T0.addSecs(-60));

    // J7 (day 1, 04:00), processing: its concept is running (in flight), flagged stuck, and it
    // was recovered twice after restarts (one job).
    const QDateTime t7 = T0.addDays(1).addSecs(4 * 3600);
    const JobRecord j7 = seed.job(t7, QStringLiteral("Running"), QStringLiteral("c"));
    {
        StepRecord running = seed.step(j7, 0);
        auto intent = m_store->recordCallIntent(j7.id, running.id, 1, L, QStringLiteral("sha-j7"));
        QVERIFY(intent);
        ProviderCallRecord call = *intent;
        call.predictionId = QStringLiteral("p-j7");
        call.state = CallState::Submitted;
        VERIFY_OK(m_store->updateCall(call));
        seed.exec(QStringLiteral("UPDATE provider_calls SET created_at = %1 WHERE id = '%2'")
                      .arg(at(t7, 1).toMSecsSinceEpoch())
                      .arg(call.id.toString()));
        running.status = StepStatus::Processing;
        running.attemptCount = 1;
        running.startedAt = at(t7, 1);
        VERIFY_OK(m_store->updateStep(running));
        seed.jobStatus(j7, JobStatus::Processing);
        QVERIFY(m_store->setStepStuck(running.id, QStringLiteral("seeded stuck"), 1000).value());
    }
    seed.event(j7, QStringLiteral("recovered"), at(t7, 30));
    seed.event(j7, QStringLiteral("recovered"), at(t7, 40));

    // J8 (day 1, 05:00), failed without any call (a workflow error in its concept step).
    const QDateTime t8 = T0.addDays(1).addSecs(5 * 3600);
    const JobRecord j8 = seed.job(t8, QStringLiteral("Broken"), QStringLiteral("d"));
    seed.finishStep(seed.step(j8, 0), StepStatus::Failed, 0, at(t8, 1),
                    QStringLiteral("workflow_error"));
    seed.jobStatus(j8, JobStatus::Failed);

    // Webhook deliveries: 8 in the range, 1 before it.
    auto delivery = [this](const QString &outcome, const QString &reason, const QDateTime &when) {
        VERIFY_OK(m_store->recordWebhookDelivery({when, outcome, reason, {}, {}}));
    };
    for (int i = 0; i < 3; ++i)
        delivery(WebhookOutcomeVerified, {}, T0.addSecs(100 + i));
    delivery(WebhookOutcomeDuplicate, {}, T0.addSecs(200));
    delivery(WebhookOutcomeLate, {}, T0.addSecs(300));
    delivery(WebhookOutcomeRejected, QStringLiteral("bad_signature"), T0.addSecs(400));
    delivery(WebhookOutcomeRejected, QStringLiteral("bad_signature"), T0.addSecs(401));
    delivery(WebhookOutcomeRejected, QStringLiteral("stale"), T0.addSecs(500));
    delivery(WebhookOutcomeDroppedPolled, {}, T0.addSecs(600));
    delivery(WebhookOutcomeVerified, {}, T0.addSecs(-60));

    m_jobs = {{QStringLiteral("J1"), j1}, {QStringLiteral("J2"), j2}, {QStringLiteral("J3"), j3},
              {QStringLiteral("J4"), j4}, {QStringLiteral("J5"), j5}, {QStringLiteral("J6"), j6},
              {QStringLiteral("J7"), j7}, {QStringLiteral("J8"), j8}};
}

void TestMonitoringFigures::completionAndDays()
{
    const auto figures = m_store->monitoringFigures(range());
    VERIFY_OK(figures);
    const CompletionFigures &c = figures->completion;
    // J1–J5, J7, J8 (J6 is before the range).
    QCOMPARE(c.jobs, 7);
    QCOMPARE(c.succeeded, 2);
    QCOMPARE(c.failed, 2);
    QCOMPARE(c.canceled, 1);
    QCOMPARE(c.needsAttention, 0);
    QCOMPARE(c.active, 2);
    QCOMPARE(c.rate().value(), 0.5); // 2 ÷ (2 + 2)
    QCOMPARE(figures->days.size(), 2);
    QCOMPARE(figures->days[0].day, QDate(2026, 11, 30));
    QCOMPARE(figures->days[0].created, 2);
    QCOMPARE(figures->days[0].succeeded, 2);
    QCOMPARE(figures->days[1].day, QDate(2026, 12, 1));
    QCOMPARE(figures->days[1].created, 5);
    QCOMPARE(figures->days[1].failed, 2);

    // Local days: at UTC+10 J5 (day 1, 03:00 UTC) … everything moves by 10 h; J1 and J2 stay on
    // 11-30 (11:00, 12:00), J3–J8 (11:00–15:00 on 12-01).
    MonitoringQuery shifted = range();
    shifted.utcOffsetSeconds = 10 * 3600;
    const auto local = m_store->monitoringFigures(shifted);
    VERIFY_OK(local);
    QCOMPARE(local->days.size(), 2);
    // At UTC−2 J1 (01:00) and J2 (02:00) fall on 11-29 and 11-30.
    shifted.utcOffsetSeconds = -2 * 3600;
    const auto west = m_store->monitoringFigures(shifted);
    VERIFY_OK(west);
    QCOMPARE(west->days.size(), 3);
    QCOMPARE(west->days[0].day, QDate(2026, 11, 29));
    QCOMPARE(west->days[0].created, 1);
}

void TestMonitoringFigures::failuresByStepErrorAndModel()
{
    const auto figures = m_store->monitoringFigures(range());
    VERIFY_OK(figures);
    const QList<FailureRow> &f = figures->failures;
    QCOMPARE(f.size(), 3);
    // Most attempts first, then by step and error type.
    QCOMPARE(f[0].step, QStringLiteral("images"));
    QCOMPARE(f[0].errorType, QStringLiteral("output_rejected"));
    QCOMPARE(f[0].model, F);
    QCOMPARE(f[0].attempts, 2);
    QCOMPARE(f[0].jobs, 1);
    QCOMPARE(f[0].jobsFailed, 1);
    QCOMPARE(f[0].last, at(T0.addDays(1).addSecs(3600), 25));
    QCOMPARE(f[1].step, QStringLiteral("concept"));
    QCOMPARE(f[1].errorType, QStringLiteral("output_expired"));
    QCOMPARE(f[1].model, L);
    QCOMPARE(f[1].attempts, 1);
    QCOMPARE(f[1].jobsFailed, 0); // J2 succeeded in the end
    QCOMPARE(f[2].step, QStringLiteral("concept"));
    QCOMPARE(f[2].errorType, QStringLiteral("workflow_error"));
    QCOMPARE(f[2].model, QString());
    QCOMPARE(f[2].attempts, 1);
    QCOMPARE(f[2].jobsFailed, 1);
}

void TestMonitoringFigures::jobsBehindAFailureRow()
{
    const auto rejected = m_store->jobsWithFailure(range(), QStringLiteral("images"),
                                                   QStringLiteral("output_rejected"), F);
    VERIFY_OK(rejected);
    QCOMPARE(*rejected, QList<JobId>{m_jobs[QStringLiteral("J3")].id});
    const auto noCall = m_store->jobsWithFailure(range(), QStringLiteral("concept"),
                                                 QStringLiteral("workflow_error"), {});
    VERIFY_OK(noCall);
    QCOMPARE(*noCall, QList<JobId>{m_jobs[QStringLiteral("J8")].id});
    const auto none = m_store->jobsWithFailure(range(), QStringLiteral("images"),
                                               QStringLiteral("output_rejected"), L);
    VERIFY_OK(none);
    QVERIFY(none->isEmpty());
}

void TestMonitoringFigures::durationsNearestRank()
{
    const auto figures = m_store->monitoringFigures(range());
    VERIFY_OK(figures);
    const QList<DurationRow> &d = figures->durations;
    QCOMPARE(d.size(), 4);
    auto row = [&](const QString &step, const QString &model) -> const DurationRow * {
        for (const DurationRow &r : d) {
            if (r.step == step && r.model == model)
                return &r;
        }
        return nullptr;
    };
    // By step order, then model: concept X ("acme…") before concept L ("meta…").
    QCOMPARE(d[0].step, QStringLiteral("concept"));
    QCOMPARE(d[0].model, X);
    QCOMPARE(d[3].step, QStringLiteral("images"));

    // concept × L: J1 (queue 10, starting 2, running 4, total 18) and J2's second attempt
    // (6, 1, 6, 15): n = 2 → p50 is rank 1, p95 rank 2.
    const DurationRow *c = row(QStringLiteral("concept"), L);
    QVERIFY(c);
    QCOMPARE(c->queue.samples, 2);
    QCOMPARE(c->queue.p50Ms, 6000);
    QCOMPARE(c->queue.p95Ms, 10000);
    QCOMPARE(c->starting.p50Ms, 1000);
    QCOMPARE(c->starting.p95Ms, 2000);
    QCOMPARE(c->running.p50Ms, 4000);
    QCOMPARE(c->running.p95Ms, 6000);
    QCOMPARE(c->total.p50Ms, 15000);
    QCOMPARE(c->total.p95Ms, 18000);

    // image_prompt × L: J1 (2, 1, 2, 7), J2 (6, 1, 3, 11), J3 (2, 1, 1, 5): n = 3 → ranks 2, 3.
    const DurationRow *p = row(QStringLiteral("image_prompt"), L);
    QVERIFY(p);
    QCOMPARE(p->queue.samples, 3);
    QCOMPARE(p->queue.p50Ms, 2000);
    QCOMPARE(p->queue.p95Ms, 6000);
    QCOMPARE(p->starting.p50Ms, 1000);
    QCOMPARE(p->starting.p95Ms, 1000);
    QCOMPARE(p->running.p50Ms, 2000);
    QCOMPARE(p->running.p95Ms, 3000);
    QCOMPARE(p->total.p50Ms, 7000);
    QCOMPARE(p->total.p95Ms, 11000);

    // images × F: J1 (1, 5, 3, 11), J2 (5, 2, 4, 13); J3's rejected attempts don't count.
    const DurationRow *i = row(QStringLiteral("images"), F);
    QVERIFY(i);
    QCOMPARE(i->total.samples, 2);
    QCOMPARE(i->queue.p50Ms, 1000);
    QCOMPARE(i->queue.p95Ms, 5000);
    QCOMPARE(i->starting.p50Ms, 2000);
    QCOMPARE(i->starting.p95Ms, 5000);
    QCOMPARE(i->running.p50Ms, 3000);
    QCOMPARE(i->running.p95Ms, 4000);
    QCOMPARE(i->total.p50Ms, 11000);
    QCOMPARE(i->total.p95Ms, 13000);

    const DurationRow *x = row(QStringLiteral("concept"), X);
    QVERIFY(x);
    QCOMPARE(x->total.samples, 1);
    QCOMPARE(x->queue.p50Ms, 2000);
    QCOMPARE(x->queue.p95Ms, 2000);
    QCOMPARE(x->total.p95Ms, 6000);
}

void TestMonitoringFigures::retriesPredictionsOutputs()
{
    const auto figures = m_store->monitoringFigures(range());
    VERIFY_OK(figures);
    // J2's concept (2 attempts, succeeded) and J3's images (2 attempts, failed).
    QCOMPARE(figures->retries.stepsRetried, 2);
    QCOMPARE(figures->retries.retriedSucceeded, 1);
    QCOMPARE(figures->retries.rate().value(), 0.5);
    // Intents: J1 3 + J2 4 + J3 4 + J4 1 + J7 1.
    const PredictionFigures &p = figures->predictions;
    QCOMPARE(p.intents, 13);
    QCOMPARE(p.created, 13);
    QCOMPARE(p.succeeded, 8); // J1 3, J2 3, J3 2
    QCOMPARE(p.failed, 3);    // J2 1, J3 2
    QCOMPARE(p.canceled, 1);  // J4
    QCOMPARE(p.inFlight, 1);  // J7
    QCOMPARE(figures->outputs.validationFailures, 2);
    QCOMPARE(figures->outputs.missing, 0);
    QCOMPARE(figures->outputs.expired, 1);
}

void TestMonitoringFigures::recoveredStuckWebhooks()
{
    const auto figures = m_store->monitoringFigures(range());
    VERIFY_OK(figures);
    QCOMPARE(figures->jobsRecovered, 1); // J7 twice; J6's was before the range
    QCOMPARE(figures->stuckNow, 1);
    const WebhookFigures &w = figures->webhooks;
    QCOMPARE(w.received, 8);
    QCOMPARE(w.verified, 3);
    QCOMPARE(w.duplicates, 1);
    QCOMPARE(w.late, 1);
    QCOMPARE(w.rejected, 3);
    QCOMPARE(w.rejectedBy.size(), 2);
    QCOMPARE(w.rejectedBy[0].reason, QStringLiteral("bad_signature"));
    QCOMPARE(w.rejectedBy[0].count, 2);
    QCOMPARE(w.rejectedBy[1].reason, QStringLiteral("stale"));
    QCOMPARE(w.rejectedBy[1].count, 1);
    QCOMPARE(w.droppedThenPolled, 1);
}

void TestMonitoringFigures::cost()
{
    const auto figures = m_store->monitoringFigures(range());
    VERIFY_OK(figures);
    const CostFigures &c = figures->cost;
    // J1: 4 × 0.001 + 2 × 0.001 + 3 × 0.01 = 0.036
    // J2: (1 + 6 + 3) × 0.001 + 4 × 0.01 = 0.050
    // J3: 2 × 0.05 (X) + 1 × 0.001 + (2 + 2) × 0.01 = 0.141
    QCOMPARE(qRound64(c.totalUsd * 1e6), 227'000);
    QCOMPARE(c.predictSeconds, 30.0); // 4+2+3 + 1+6+3+4 + 2+1+2+2
    QCOMPARE(c.pricedCalls, 11);
    QCOMPARE(c.unpricedCalls, 1); // J4's canceled prediction
    QCOMPARE(c.jobsWithCost, 5);  // the jobs that ended: J1, J2 (succeeded), J3, J8, J4
    QCOMPARE(qRound64(c.perJobUsd().value() * 1e6), qRound64(0.227 / 5 * 1e6));
    QCOMPARE(qRound64(figures->days[0].costUsd * 1e6), 86'000);
    QCOMPARE(qRound64(figures->days[1].costUsd * 1e6), 141'000);
    QCOMPARE(c.topJobs.size(), 3);
    QCOMPARE(c.topJobs[0].job, m_jobs[QStringLiteral("J3")].id);
    QCOMPARE(c.topJobs[0].product, QStringLiteral("NoteKeeper"));
    QCOMPARE(c.topJobs[1].job, m_jobs[QStringLiteral("J2")].id);
    QCOMPARE(c.topJobs[2].job, m_jobs[QStringLiteral("J1")].id);
    QCOMPARE(qRound64(c.topJobs[2].usd * 1e6), 36'000);
    QCOMPARE(c.topBriefs.size(), 2);
    QCOMPARE(c.topBriefs[0].product, QStringLiteral("NoteKeeper"));
    QCOMPARE(c.topBriefs[1].product, QStringLiteral("TrailLite"));
    QCOMPARE(c.topBriefs[1].audience, QStringLiteral("runners"));
    QCOMPARE(c.topBriefs[1].jobs, 2);
    QCOMPARE(qRound64(c.topBriefs[1].usd * 1e6), 86'000);

    MonitoringQuery one = range();
    one.topJobs = 1;
    one.topBriefs = 1;
    const auto limited = m_store->monitoringFigures(one);
    VERIFY_OK(limited);
    QCOMPARE(limited->cost.topJobs.size(), 1);
    QCOMPARE(limited->cost.topBriefs.size(), 1);
}

void TestMonitoringFigures::spendSinceAndJobCosts()
{
    const auto today = m_store->spendSince(T0.addDays(1), prices());
    VERIFY_OK(today);
    QCOMPARE(qRound64(*today * 1e6), 141'000); // J3 only
    const auto all = m_store->spendSince(T0.addDays(-1), prices());
    VERIFY_OK(all);
    QCOMPARE(qRound64(*all * 1e6), 327'000); // + J6's 100 s × 0.001
    const auto defaults = m_store->spendSince(T0.addDays(1), PriceTable::defaults());
    VERIFY_OK(defaults);
    // With the defaults X costs the fallback 0.0014/s: 2 × 0.0014 + 1 × 0.000025 + 4 × 0.003.
    QCOMPARE(qRound64(*defaults * 1e9), qRound64((2 * 0.0014 + 0.000025 + 4 * 0.003) * 1e9));

    // A table with only a fallback price (every model at it).
    PriceTable flat;
    flat.setFallbackPerSecond(0.5);
    const auto fallbackOnly = m_store->spendSince(T0.addDays(1), flat);
    VERIFY_OK(fallbackOnly);
    QCOMPARE(*fallbackOnly, (2 + 1 + 2 + 2) * 0.5); // J3's 7 s of predict_time
    MonitoringQuery flatRange = range();
    flatRange.prices = flat;
    const auto flatFigures = m_store->monitoringFigures(flatRange);
    VERIFY_OK(flatFigures);
    QCOMPARE(flatFigures->cost.totalUsd, 30 * 0.5);
    QCOMPARE(flatFigures->cost.topJobs.size(), 3);

    const auto costs =
        m_store->jobCosts({m_jobs[QStringLiteral("J1")].id, m_jobs[QStringLiteral("J3")].id,
                           m_jobs[QStringLiteral("J5")].id},
                          prices());
    VERIFY_OK(costs);
    QCOMPARE(costs->size(), 2);
    QCOMPARE(qRound64(costs->value(m_jobs[QStringLiteral("J1")].id) * 1e6), 36'000);
    QCOMPARE(qRound64(costs->value(m_jobs[QStringLiteral("J3")].id) * 1e6), 141'000);
}

void TestMonitoringFigures::stepHistoryAndEta()
{
    const auto history = m_store->stepHistory(20);
    VERIFY_OK(history);
    auto find = [&](const QString &step, const QString &model) -> std::optional<StepHistory> {
        for (const StepHistory &h : *history) {
            if (h.step == step && h.model == model)
                return h;
        }
        return std::nullopt;
    };
    // Not limited to a range: J6 counts. concept × L totals 15, 18, 101 s → median 18 s;
    // predict 4, 6, 100 → 6.
    const auto concept_ = find(QStringLiteral("concept"), L);
    QVERIFY(concept_);
    QCOMPARE(concept_->samples, 3);
    QCOMPARE(concept_->medianTotalMs, 18000);
    QCOMPARE(concept_->medianPredictSeconds, 6.0);
    const auto prompt = find(QStringLiteral("image_prompt"), L);
    QVERIFY(prompt);
    QCOMPARE(prompt->medianTotalMs, 7000);
    QCOMPARE(prompt->medianPredictSeconds, 2.0);
    const auto images = find(QStringLiteral("images"), F);
    QVERIFY(images);
    QCOMPARE(images->medianTotalMs, 11000); // 11, 13 → rank 1
    QCOMPARE(images->medianPredictSeconds, 3.0);
    QCOMPARE(history->size(), 4); // + concept × X

    // The most recent sample only: concept × L is J2's 15 s.
    const auto latest = m_store->stepHistory(1);
    VERIFY_OK(latest);
    for (const StepHistory &h : *latest) {
        if (h.step == QStringLiteral("concept") && h.model == L)
            QCOMPARE(h.medianTotalMs, 15000);
    }

    const QStringList order = {QStringLiteral("concept"), QStringLiteral("image_prompt"),
                               QStringLiteral("images"), QStringLiteral("store")};
    const QHash<QString, QString> models = {{QStringLiteral("concept"), L},
                                            {QStringLiteral("image_prompt"), L},
                                            {QStringLiteral("images"), F},
                                            {QStringLiteral("store"), QString()}};
    const EtaEstimator eta(*history, models, order, 2);
    QCOMPARE(eta.jobMs().value(), 36000); // 18 + 7 + 11 s; the store step counts as instant
    const QList<StepRecord> pending = m_store->steps(m_jobs[QStringLiteral("J5")].id).value();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QCOMPARE(eta.remainingMs(pending, 0, now).value(), 36000);
    QCOMPARE(eta.remainingMs(pending, 1, now).value(), 36000); // 1 ahead, 2 at a time
    QCOMPARE(eta.remainingMs(pending, 3, now).value(), 72000); // one round of 36 s first
    QList<StepRecord> running = pending;
    running[0].status = StepStatus::Processing;
    running[0].startedAt = now.addSecs(-5);
    QCOMPARE(eta.remainingMs(running, 0, now).value(), 31000); // 13 s left of 18, + 7 + 11
    running[0].startedAt = now.addSecs(-60);
    QCOMPARE(eta.remainingMs(running, 0, now).value(), 1800 + 18000); // past: a tenth left
    // A model without history: no estimate rather than a guess.
    QHash<QString, QString> unknown = models;
    unknown[QStringLiteral("images")] = QStringLiteral("someone/new-model");
    const EtaEstimator blind(*history, unknown, order, 2);
    QVERIFY(!blind.jobMs());
    QVERIFY(!blind.remainingMs(pending, 0, now));
    QCOMPARE(formatEta(std::nullopt), QStringLiteral("no estimate yet"));
    QCOMPARE(formatEta(36000), QStringLiteral("about 36 s"));
    QCOMPARE(formatEta(72000), QStringLiteral("about 1 min"));
    QCOMPARE(formatEta(qint64(80) * 60 * 1000), QStringLiteral("about 1 h 20 min"));

    // One more job costs each step's median predict_time × price: 6 × 0.001 + 2 × 0.001 +
    // 3 × 0.01.
    const auto estimate = estimateJobCost(*history, models, order, prices());
    QVERIFY(estimate);
    QCOMPARE(qRound64(*estimate * 1e6), 38'000);
    QVERIFY(!estimateJobCost(*history, unknown, order, prices()));
}

void TestMonitoringFigures::jobsAheadAndIdsFilter()
{
    // Runnable in queue order: J5 (pending), J7 (processing).
    const auto ahead =
        m_store->jobsAhead({m_jobs[QStringLiteral("J5")].id, m_jobs[QStringLiteral("J7")].id,
                            m_jobs[QStringLiteral("J1")].id});
    VERIFY_OK(ahead);
    QCOMPARE(ahead->size(), 2);
    QCOMPARE(ahead->value(m_jobs[QStringLiteral("J5")].id), 0);
    QCOMPARE(ahead->value(m_jobs[QStringLiteral("J7")].id), 1);

    JobQuery only;
    only.ids = {m_jobs[QStringLiteral("J1")].id, m_jobs[QStringLiteral("J8")].id};
    const auto jobs = m_store->jobs(only);
    VERIFY_OK(jobs);
    QCOMPARE(jobs->size(), 2);
    QCOMPARE(m_store->countJobs(only).value(), 2);
    only.status = JobStatus::Failed;
    QCOMPARE(m_store->countJobs(only).value(), 1);
}

void TestMonitoringFigures::partialQuarterHoursAndTwoConnections()
{
    // A range starting 15 s into J1 (its concept's intent at +10 s falls out; the rest of J1
    // is in) and ending 25 s into J3 (its second rejected attempt at +20 s is in): the partial
    // quarter hours at both ends are read from the calls themselves.
    MonitoringQuery edge = range();
    edge.from = at(T0.addSecs(3600), 15);
    edge.to = at(T0.addDays(1).addSecs(3600), 21);
    const auto figures = m_store->monitoringFigures(edge);
    VERIFY_OK(figures);
    // J1 2, J2 4, J3 4 (its calls at +2 … +20 s).
    QCOMPARE(figures->predictions.intents, 10);
    QCOMPARE(figures->predictions.succeeded, 2 + 3 + 2);
    QCOMPARE(figures->outputs.validationFailures, 2);
    // J1 without its concept: 0.036 − 0.004; J2 0.050; J3 0.141.
    QCOMPARE(qRound64(figures->cost.totalUsd * 1e6), 223'000);
    edge.to = at(T0.addDays(1).addSecs(3600), 19);
    const auto earlier = m_store->monitoringFigures(edge);
    VERIFY_OK(earlier);
    QCOMPARE(earlier->predictions.intents, 9);
    QCOMPARE(earlier->outputs.validationFailures, 1);

    // Webhook deliveries inside one hour, the range cutting it at both ends: T0 + 150 s to
    // T0 + 450 s holds the duplicate (200 s), the late one (300 s) and two rejected (400, 401 s).
    MonitoringQuery hooks = range();
    hooks.from = T0.addSecs(150);
    hooks.to = T0.addSecs(450);
    const auto cut = m_store->monitoringFigures(hooks);
    VERIFY_OK(cut);
    QCOMPARE(cut->webhooks.received, 4);
    QCOMPARE(cut->webhooks.verified, 0);
    QCOMPARE(cut->webhooks.duplicates, 1);
    QCOMPARE(cut->webhooks.late, 1);
    QCOMPARE(cut->webhooks.rejected, 2);
    QCOMPARE(cut->webhooks.droppedThenPolled, 0);

    // readMonitoringFigures() on two connections gives the same figures as one.
    const auto both = readMonitoringFigures(m_store->fileName(), range());
    VERIFY_OK(both);
    const auto one = m_store->monitoringFigures(range());
    VERIFY_OK(one);
    QCOMPARE(both->durations.size(), one->durations.size());
    for (qsizetype i = 0; i < one->durations.size(); ++i) {
        QCOMPARE(both->durations[i].step, one->durations[i].step);
        QCOMPARE(both->durations[i].total.p95Ms, one->durations[i].total.p95Ms);
        QCOMPARE(both->durations[i].queue.p50Ms, one->durations[i].queue.p50Ms);
    }
    QCOMPARE(both->cost.topJobs.size(), 3);
    QCOMPARE(both->cost.topJobs[0].job, one->cost.topJobs[0].job);
    QCOMPARE(both->cost.totalUsd, one->cost.totalUsd);
    QCOMPARE(both->failures.size(), one->failures.size());
    QCOMPARE(both->webhooks.received, one->webhooks.received);
    QCOMPARE(both->completion.jobs, one->completion.jobs);
    const auto missing =
        readMonitoringFigures(m_store->fileName() + QStringLiteral(".gone"), range());
    QVERIFY(!missing);
}

void TestMonitoringFigures::emptyRange()
{
    MonitoringQuery q = range();
    q.from = T0.addYears(-1);
    q.to = T0.addYears(-1).addDays(1);
    const auto figures = m_store->monitoringFigures(q);
    VERIFY_OK(figures);
    QCOMPARE(figures->completion.jobs, 0);
    QVERIFY(!figures->completion.rate());
    QVERIFY(figures->days.isEmpty());
    QVERIFY(figures->failures.isEmpty());
    QVERIFY(figures->durations.isEmpty());
    QVERIFY(!figures->retries.rate());
    QCOMPARE(figures->cost.totalUsd, 0.0);
    QVERIFY(!figures->cost.perJobUsd());
    QCOMPARE(figures->webhooks.received, 0);
    QCOMPARE(figures->stuckNow, 1); // "now", whatever the range
}

void TestMonitoringFigures::migrationFrom6FillsTimings()
{
    const QString file = m_dir->paths().databaseFile() + QStringLiteral(".v6");
    {
        const SchemaMigrator v6(SchemaMigrator::standard().migrations().mid(0, 6));
        auto store = JobStore::open(file, JobStore::Mode::Writer, v6);
        VERIFY_OK(store);
        QCOMPARE((*store)->fileSchemaVersion(), 6);
    }
    {
        test::RawDatabase raw(file);
        QVERIFY(raw.exec(QStringLiteral(
            "INSERT INTO jobs (id, workflow_type, status, queue_position, created_at, "
            "updated_at) VALUES ('j', 'w', 'succeeded', 1, 1000, 1000)")));
        QVERIFY(raw.exec(QStringLiteral(
            "INSERT INTO job_steps (id, job_id, step_name, ordinal, status, attempt_count, "
            "completed_at) VALUES ('s', 'j', 'concept', 0, 'succeeded', 1, 9000)")));
        QVERIFY(raw.exec(QStringLiteral(
            "INSERT INTO provider_calls (id, job_id, step_id, attempt, model_ref, input_sha256, "
            "prediction_id, state, metrics, created_at, updated_at, completed_at) VALUES "
            "('c', 'j', 's', 1, 'meta/meta-llama-3-8b-instruct', 'x', 'p', 'succeeded', "
            "'{\"predict_time\":2.5,\"created_at\":\"1970-01-01T00:00:02.000Z\","
            "\"started_at\":\"1970-01-01T00:00:03.500Z\"}', 1500, 1500, 9000)")));
    }
    auto opened = JobStore::open(file, JobStore::Mode::Writer);
    VERIFY_OK(opened);
    QCOMPARE((*opened)->fileSchemaVersion(), JobStore::schemaVersion);
    MonitoringQuery q;
    q.from = QDateTime::fromMSecsSinceEpoch(0, Qt::UTC);
    q.to = QDateTime::fromMSecsSinceEpoch(10'000, Qt::UTC);
    q.prices = prices();
    const auto figures = (*opened)->monitoringFigures(q);
    VERIFY_OK(figures);
    QCOMPARE(figures->durations.size(), 1);
    QCOMPARE(figures->durations[0].starting.p50Ms, 1500); // 3.5 s − 2 s
    QCOMPARE(figures->durations[0].running.p50Ms, 2500);
    QCOMPARE(figures->durations[0].queue.p50Ms, 500);       // intent 1.5 s − job 1 s
    QCOMPARE(figures->durations[0].total.p50Ms, 8000);      // 9 s − 1 s
    QCOMPARE(qRound64(figures->cost.totalUsd * 1e6), 2500); // 2.5 s × 0.001
    VERIFY_OK((*opened)->integrityCheck());
}

void TestMonitoringFigures::deletingAJobTakesItsCallsOutOfTheCounts()
{
    // The quarter-hour counts are kept by triggers; deleting J3 (its calls go by cascade) must
    // take its 4 attempts, 2 rejected outputs and $0.141 out of them.
    VERIFY_OK(m_store->deleteJob(m_jobs[QStringLiteral("J3")].id));
    const auto figures = m_store->monitoringFigures(range());
    VERIFY_OK(figures);
    QCOMPARE(figures->predictions.intents, 9);
    QCOMPARE(figures->predictions.failed, 1);
    QCOMPARE(figures->outputs.validationFailures, 0);
    QCOMPARE(qRound64(figures->cost.totalUsd * 1e6), 86'000);
    QCOMPARE(figures->days.size(), 2);
    QCOMPARE(figures->days[1].costUsd, 0.0);
}

QTEST_GUILESS_MAIN(TestMonitoringFigures)
#include "tst_monitoringfigures.moc"
