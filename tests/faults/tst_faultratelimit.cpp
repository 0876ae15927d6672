// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// F4 (reliability-performance.md §8, issue 7 §5): 429 storms. A random storm answers 30 % of
// the API requests 429 with Retry-After: 1; a lock-out answers every API request 429 for its
// whole length with the seconds left in Retry-After (one lock-out for the creates and one for
// the reads: they start at the first request that meets them). With the product's client
// (default retry delays), every job must complete, and no request may arrive before the
// Retry-After the sandbox last announced for its bucket — the sandbox's audit counts requests
// that arrived inside an announced Retry-After more than SandboxServer::retryAfterGraceMs after
// it was sent (earlier ones were already on their way), and requests on a connection whose last
// answer was a 429, before its Retry-After (sent after the client read it). Both must be 0.
// Request count: the API requests of the storm run against the minimum, which is a fault-free
// run of the same jobs (same number of jobs, same briefs) divided by (1 − 0.3) for the random
// storm (each attempt is refused with that chance, whoever sends it) or plus one request per
// lock-out (one has to meet it). Target ≤ 1.2×.
//
// CI: 6 jobs in the random storm, 5 s lock-outs with 4 jobs. BRIEFLOW_FAULTS_LONG=1: 30 jobs,
// 30 s lock-outs with 10 jobs.
#include <QTest>

#include "core/pipeline/jobstatus.h"
#include "tests/faults/faultrig.h"

using namespace brieflow;
using namespace brieflow::test;
using sandbox::FaultKind;
using sandbox::FaultRule;

namespace {

constexpr double stormProbability = 0.3;
constexpr double requestRatioTarget = 1.2;

/** The API paths a storm covers: creates, predictions (get, list, cancel), models. Not streams:
 *  they are another host at Replicate. */
const QStringList stormPaths{QStringLiteral("/v1/predictions*"), QStringLiteral("/v1/models/*")};

struct RunFigures {
    QList<JobId> jobs;
    int succeeded = 0;
    int apiRequests = 0;
    sandbox::StatsSnapshot stats;
    qint64 wallMs = 0;
};

} // namespace

class TestFaultRateLimit : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void randomStorm();
    void lockouts();

private:
    /** Runs @p jobs new jobs (variants from @p firstVariant) on @p rig's engine. */
    RunFigures run(EngineRig &rig, int jobs, int firstVariant, int timeoutMs);
    void check(const QString &caseName, EngineRig &rig, const RunFigures &baseline,
               const RunFigures &storm, double minimum, QJsonObject report,
               bool countInFlight = false);
};

RunFigures TestFaultRateLimit::run(EngineRig &rig, int jobs, int firstVariant, int timeoutMs)
{
    RunFigures figures;
    rig.server->resetStats();
    for (int i = 0; i < jobs; ++i)
        figures.jobs << submitVariant(rig, firstVariant + i);
    makeEngineWithClient(rig); // the product's client: default retry delays
    QElapsedTimer elapsed;
    elapsed.start();
    if (!rig.runUntilIdle(timeoutMs))
        qWarning("the engine did not become idle within %d ms", timeoutMs);
    figures.wallMs = elapsed.elapsed();
    rig.engine.reset();
    for (const JobId &id : std::as_const(figures.jobs))
        figures.succeeded += rig.job(id).status == JobStatus::Succeeded ? 1 : 0;
    figures.stats = rig.server->stats();
    figures.apiRequests = apiRequests(figures.stats);
    return figures;
}

void TestFaultRateLimit::check(const QString &caseName, EngineRig &rig, const RunFigures &baseline,
                               const RunFigures &storm, double minimum, QJsonObject report,
                               bool countInFlight)
{
    const sandbox::StatsSnapshot &s = storm.stats;
    int early = 0, inGrace = 0, throttled = 0;
    QJsonObject earlyPerBucket, throttledPerBucket;
    for (auto it = s.earlyPerBucket.cbegin(); it != s.earlyPerBucket.cend(); ++it) {
        early += it.value();
        earlyPerBucket.insert(it.key(), it.value());
    }
    for (const int n : s.inGracePerBucket)
        inGrace += n;
    for (auto it = s.throttledPerBucket.cbegin(); it != s.throttledPerBucket.cend(); ++it) {
        throttled += it.value();
        throttledPerBucket.insert(it.key(), it.value());
    }
    // A lock-out answers 429 to every request already on the wire when it begins: no client can
    // take those back. With countInFlight they belong to the minimum (the audit above proves
    // none was sent after a 429 was read: early and early-on-connection are 0); the strict
    // ratio is reported too.
    const double strictRatio = minimum > 0 ? storm.apiRequests / minimum : 0;
    if (countInFlight)
        minimum += inGrace;
    const double ratio = minimum > 0 ? storm.apiRequests / minimum : 0;
    const CreateAudit audit = CreateAudit::of(rig, baseline.jobs + storm.jobs);

    report.insert(QStringLiteral("jobs"), static_cast<int>(storm.jobs.size()));
    report.insert(QStringLiteral("jobs_succeeded"), storm.succeeded);
    report.insert(QStringLiteral("throttled_429"), throttled);
    report.insert(QStringLiteral("throttled_per_bucket"), throttledPerBucket);
    report.insert(QStringLiteral("early_requests"), early);
    report.insert(QStringLiteral("early_per_bucket"), earlyPerBucket);
    report.insert(QStringLiteral("early_on_same_connection"), s.earlyOnConnection);
    report.insert(QStringLiteral("arrived_in_flight_grace"), inGrace);
    report.insert(QStringLiteral("grace_ms"), sandbox::SandboxServer::retryAfterGraceMs);
    QJsonObject perEndpoint;
    for (auto it = s.requestsPerEndpoint.cbegin(); it != s.requestsPerEndpoint.cend(); ++it)
        perEndpoint.insert(it.key(), it.value());
    report.insert(QStringLiteral("requests_per_endpoint"), perEndpoint);
    report.insert(QStringLiteral("api_requests"), storm.apiRequests);
    report.insert(QStringLiteral("baseline_api_requests"), baseline.apiRequests);
    // The answered (not 429) requests against the fault-free run: waste other than 429s.
    report.insert(QStringLiteral("answered_api_requests"), storm.apiRequests - throttled);
    report.insert(QStringLiteral("minimum_api_requests"), qRound(minimum * 10) / 10.0);
    report.insert(QStringLiteral("request_ratio"), qRound(ratio * 1000) / 1000.0);
    report.insert(QStringLiteral("request_ratio_strict"), qRound(strictRatio * 1000) / 1000.0);
    report.insert(QStringLiteral("minimum_counts_in_flight"), countInFlight);
    report.insert(QStringLiteral("request_ratio_target"), requestRatioTarget);
    report.insert(QStringLiteral("baseline_wall_ms"), baseline.wallMs);
    report.insert(QStringLiteral("wall_ms"), storm.wallMs);
    audit.addTo(report);
    printFaultReport(caseName, report);

    QCOMPARE(baseline.succeeded, static_cast<int>(baseline.jobs.size()));
    QCOMPARE(storm.succeeded, static_cast<int>(storm.jobs.size()));
    QVERIFY(throttled > 0);
    QCOMPARE(early, 0);
    QCOMPARE(s.earlyOnConnection, 0);
    QCOMPARE(audit.duplicates, 0);
    QVERIFY(audit.clean());
    QVERIFY2(ratio <= requestRatioTarget,
             qPrintable(QStringLiteral("%1 API requests for a minimum of %2 (%3×; target ≤ %4×)")
                            .arg(storm.apiRequests)
                            .arg(minimum)
                            .arg(ratio)
                            .arg(requestRatioTarget)));
}

void TestFaultRateLimit::randomStorm()
{
    const int jobs = faultsCount(6, 30);
    EngineRig rig;
    const RunFigures baseline = run(rig, jobs, 0, 60'000);
    for (const QString &path : stormPaths) {
        FaultRule storm;
        storm.kind = FaultKind::RateLimitStorm;
        storm.method = QStringLiteral("*");
        storm.path = path;
        storm.count = -1;
        storm.probability = stormProbability;
        storm.retryAfterSeconds = 1;
        rig.server->addFault(storm);
    }
    const RunFigures storm = run(rig, jobs, 1000, jobs * 30'000);
    rig.server->clearFaults();
    check(
        QStringLiteral("rate_limit_random_storm"), rig, baseline, storm,
        baseline.apiRequests / (1.0 - stormProbability),
        {{QStringLiteral("probability"), stormProbability}, {QStringLiteral("retry_after_s"), 1}});
}

void TestFaultRateLimit::lockouts()
{
    const int jobs = faultsCount(4, 10);
    const int lockoutMs = faultsCount(5'000, 30'000);
    EngineRig rig;
    const RunFigures baseline = run(rig, jobs, 0, 60'000);
    for (const QString &path : stormPaths) {
        FaultRule lockout;
        lockout.kind = FaultKind::RateLimitStorm;
        lockout.method = QStringLiteral("*");
        lockout.path = path;
        lockout.count = -1;
        lockout.lockoutMs = lockoutMs;
        rig.server->addFault(lockout);
    }
    const int lockoutCount = static_cast<int>(stormPaths.size());
    const RunFigures storm = run(rig, jobs, 1000, 4 * lockoutMs + 60'000);
    const int lockoutsLeft = static_cast<int>(rig.server->faults().size());
    rig.server->clearFaults();
    QCOMPARE(lockoutsLeft, 0); // both lock-outs were met and ran out
    check(QStringLiteral("rate_limit_lockouts"), rig, baseline, storm,
          baseline.apiRequests + lockoutCount,
          {{QStringLiteral("lockouts"), lockoutCount}, {QStringLiteral("lockout_ms"), lockoutMs}},
          true);
    // Each lock-out lasted its whole length, so the run took at least one of them.
    QVERIFY(storm.wallMs >= lockoutMs);
}

QTEST_GUILESS_MAIN(TestFaultRateLimit)
#include "tst_faultratelimit.moc"
