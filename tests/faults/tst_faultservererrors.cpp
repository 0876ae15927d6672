// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// F5 (reliability-performance.md §8, issue 7 §5): 500/502/503/504 on reads and on creates.
// Reads (GET of a prediction, the reconciliation's list) get a 5xx instead of their answer.
// Creates get one either instead of being handled (nothing was created: the engine must find no
// match and send again) or after being handled (a gateway lost the answer of a create that did
// happen: the engine must adopt it, never send it again). Every status on every kind, at random
// with fixed probabilities, with the product's client (default retry delays). Pass: every job
// succeeds, 0 duplicates (the sandbox created each input once), no orphan predictions, and the
// injected faults are counted (CI: some dozens; BRIEFLOW_FAULTS_LONG=1: ≥ 1,000).
//
// The engine's reconciliation settle delay is shortened here (the sandbox lists a prediction at
// once, so waiting 10 s per unclear create would only make the run long; the adoption time is
// tst_faultcreate's subject, with the default timing).
#include <QTest>

#include "core/pipeline/jobstatus.h"
#include "tests/faults/faultrig.h"

using namespace brieflow;
using namespace brieflow::test;
using sandbox::FaultKind;
using sandbox::FaultRule;

namespace {

const QList<int> statuses{500, 502, 503, 504};
constexpr double readProbability = 0.05;   ///< per status: 20 % of the reads fail
constexpr double createProbability = 0.03; ///< per status and kind: 24 % of the creates fail

} // namespace

class TestFaultServerErrors : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void serverErrorsOnReadsAndCreates();
};

void TestFaultServerErrors::serverErrorsOnReadsAndCreates()
{
    const int minimumFaults = faultsCount(36, 1000);
    EngineRig rig;
    rig.options.reconcileSettle = std::chrono::milliseconds(200);
    rig.options.maxConcurrentJobs = 6;
    for (const int status : statuses) {
        FaultRule read;
        read.kind = FaultKind::HttpError;
        read.method = QStringLiteral("GET");
        read.path = QStringLiteral("/v1/predictions*");
        read.count = -1;
        read.status = status;
        read.probability = readProbability;
        rig.server->addFault(read);
        for (const bool after : {false, true}) {
            FaultRule create;
            create.kind = FaultKind::HttpError;
            create.method = QStringLiteral("POST");
            create.path = QStringLiteral("/v1/models/*/predictions");
            create.count = -1;
            create.status = status;
            create.afterHandling = after;
            create.probability = createProbability;
            rig.server->addFault(create);
        }
    }

    // Jobs in rounds until enough faults were injected (bounded by a round limit).
    QList<JobId> jobs;
    QElapsedTimer elapsed;
    elapsed.start();
    const int perRound = faultsCount(8, 40);
    const QString httpError = sandbox::faultKindName(FaultKind::HttpError);
    int rounds = 0;
    while (rig.server->stats().faultsInjected.value(httpError) < minimumFaults) {
        QVERIFY2(rounds < faultsCount(8, 60), "too few faults injected; probabilities too low?");
        ++rounds;
        for (int i = 0; i < perRound; ++i)
            jobs << submitVariant(rig, static_cast<int>(jobs.size()));
        makeEngineWithClient(rig);
        QVERIFY(rig.runUntilIdle(perRound * 60'000));
        rig.engine.reset();
    }
    const qint64 wallMs = elapsed.elapsed();
    rig.server->clearFaults();

    const sandbox::StatsSnapshot &stats = rig.server->stats();
    int onReads = 0, onCreatesBefore = 0, onCreatesAfter = 0;
    QJsonObject perStatus;
    for (auto it = stats.faultDetails.cbegin(); it != stats.faultDetails.cend(); ++it) {
        // "http_error 503 POST /v1/…", "http_error 503 after handling POST /v1/…"
        const QStringList parts = it.key().split(QLatin1Char(' '));
        if (parts.value(0) != httpError)
            continue;
        const bool after = it.key().contains(QLatin1String(" after handling "));
        const bool post = it.key().contains(QLatin1String(" POST "));
        (post ? (after ? onCreatesAfter : onCreatesBefore) : onReads) += it.value();
        perStatus.insert(parts.value(1), perStatus.value(parts.value(1)).toInt() + it.value());
    }
    int failedJobs = 0, transientFailures = 0, notCreatedCalls = 0, adopted = 0;
    QStringList problems;
    for (const JobId &id : std::as_const(jobs)) {
        const JobRecord job = rig.job(id);
        if (job.status != JobStatus::Succeeded) {
            ++failedJobs;
            problems << QStringLiteral("job %1 is %2 (%3: %4)")
                            .arg(id.toString(), toString(job.status), job.errorType,
                                 job.errorMessage);
        }
        for (const StepRecord &step : rig.steps(id)) {
            const QList<ProviderCallRecord> calls = rig.store->calls(step.id).value();
            for (const ProviderCallRecord &call : calls) {
                if (call.errorType == QLatin1String("not_created"))
                    ++notCreatedCalls;
                else if (!call.errorType.isEmpty() && call.state != CallState::Succeeded)
                    ++transientFailures; // any other failed attempt came from a 5xx here
            }
        }
        const QList<EventRecord> events = rig.store->events(id).value();
        for (const EventRecord &e : events)
            adopted += e.kind == QLatin1String("prediction_adopted") ? 1 : 0;
    }
    const CreateAudit audit = CreateAudit::of(rig, jobs);
    const int injected = onReads + onCreatesBefore + onCreatesAfter;

    QJsonObject report{
        {QStringLiteral("faults_injected"), injected},
        {QStringLiteral("on_reads"), onReads},
        {QStringLiteral("on_creates_before_handling"), onCreatesBefore},
        {QStringLiteral("on_creates_after_handling"), onCreatesAfter},
        {QStringLiteral("per_status"), perStatus},
        {QStringLiteral("jobs"), static_cast<int>(jobs.size())},
        {QStringLiteral("failed_jobs"), failedJobs},
        {QStringLiteral("attempts_failed_by_transient_errors"), transientFailures},
        {QStringLiteral("calls_not_created_then_sent_again"), notCreatedCalls},
        {QStringLiteral("predictions_adopted"), adopted},
        {QStringLiteral("reconcile_settle_ms"), qint64(rig.options.reconcileSettle.count())},
        {QStringLiteral("wall_ms"), wallMs},
    };
    audit.addTo(report);
    printFaultReport(QStringLiteral("server_errors"), report);
    for (const QString &p : std::as_const(problems))
        qWarning("%s", qPrintable(p));

    QVERIFY(injected >= minimumFaults);
    QVERIFY(onReads > 0 && onCreatesBefore > 0 && onCreatesAfter > 0);
    QCOMPARE(failedJobs, 0);
    QCOMPARE(transientFailures, 0);
    QCOMPARE(audit.duplicates, 0);
    QVERIFY(audit.clean());
    // Every create answered 5xx before handling was found missing and sent again once; every
    // one answered after handling was adopted.
    QCOMPARE(notCreatedCalls, onCreatesBefore);
    QCOMPARE(adopted, onCreatesAfter);
}

QTEST_GUILESS_MAIN(TestFaultServerErrors)
#include "tst_faultservererrors.moc"
