// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// The kill-the-worker test (reliability-performance.md §8 F1, issue 4 §5): `brieflow-cli worker`
// runs the queue against the sandbox (in this process, small real latencies) and is SIGKILLed at
// random moments, again and again; a third of the kills are aimed inside the create window (the
// sandbox created the prediction and holds its answer back). Then one last worker runs to the
// end, and the test checks: no job lost, exactly one sandbox prediction per provider-call record
// with a prediction id (no duplicates, no orphans), integrity_check after every kill, no partial
// files left, every output byte for byte what the sandbox served. Prints the counts as JSON.
//
// CI runs 50 kills (≈ 1 min). BRIEFLOW_FAULTS_LONG=1 (the fault suite's long run,
// scripts/run-faults --long) runs 1,000; BRIEFLOW_CRASH_KILLS=N runs N (it wins over both);
// BRIEFLOW_CRASH_SEED=S repeats a run (the seed is printed). The counts are printed as one JSON
// line starting with "FAULTS " like every case of the fault suite (label `faults`).
#include <cstdio>

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <QTimer>

#include "core/app/jobsubmission.h"
#include "core/brief/briefjson.h"
#include "core/sandbox/sandboxserver.h"
#include "core/store/jobstore.h"
#include "tests/support/tempdatadir.h"
#include "tests/support/teststore.h"

using namespace brieflow;
using namespace brieflow::test;

namespace {

constexpr int holdMs = 400;        ///< how long an aimed run's creates are held by the sandbox
constexpr int uniformMaxMs = 1500; ///< uniform kills land in [0, this) after the worker starts
constexpr int keepQueued = 6;      ///< top the queue up when fewer jobs than this are unfinished

QString fileSha256(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&file);
    return QString::fromLatin1(hash.result().toHex());
}

std::optional<Brief> exampleBrief(const QString &name)
{
    QFile file(QStringLiteral(BRIEFLOW_EXAMPLES_DIR "/") + name);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    auto brief = briefFromJson(file.readAll());
    if (!brief)
        return std::nullopt;
    return *brief;
}

} // namespace

class TestEngineCrash : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void killedWorkerLosesNothingAndNeverPaysTwice();

private:
    enum class Ending { Killed, Exited, TimedOut };
    struct RunResult {
        Ending ending = Ending::Exited;
        bool aimedHit = false; ///< an aimed run was killed while the sandbox held a create
        int exitCode = 0;
    };

    /** Runs one worker; kills it per @p aimed / @p killAfterMs (< 0: never). */
    RunResult runWorker(bool aimed, int killAfterMs, int timeoutMs);
    /** Queues @p count jobs from the example briefs (every batch has an identical pair). */
    bool submitBatch(JobStore &store, int count);

    TempDataDir m_dir;
    std::unique_ptr<sandbox::SandboxServer> m_server;
    QRandomGenerator m_random;
    quint32 m_seed = 0;
    int m_batch = 0;
    QString m_log;
};

void TestEngineCrash::initTestCase()
{
    bool ok = false;
    const uint fromEnv = qEnvironmentVariable("BRIEFLOW_CRASH_SEED").toUInt(&ok);
    m_seed = ok ? fromEnv : QRandomGenerator::global()->generate();
    m_random.seed(m_seed);
    std::printf("tst_enginecrash seed: %u (repeat with BRIEFLOW_CRASH_SEED=%u)\n", m_seed, m_seed);
    std::fflush(stdout);

    sandbox::SandboxConfig config = sandbox::SandboxConfig::forTests();
    config.seed = m_seed;
    // Small but real model times, so kills land while predictions run.
    config.textLatency = {0, 10, 5, 30};
    config.imageLatency = {0, 20, 10, 40};
    config.rateLimits.enabled = false;
    m_server = std::make_unique<sandbox::SandboxServer>(config);
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    m_log = m_dir.filePath(QStringLiteral("workers.log"));
}

bool TestEngineCrash::submitBatch(JobStore &store, int count)
{
    static const QStringList examples{QStringLiteral("brief.json"),
                                      QStringLiteral("brief-cafe-nandu.json"),
                                      QStringLiteral("brief-notekeeper-minimal.json")};
    for (int i = 0; i < count; ++i) {
        auto brief = exampleBrief(examples.at(i % examples.size()));
        if (!brief)
            return false;
        // Jobs 0 and 1 of a batch are the identical pair (the hard case for reconciliation);
        // the others differ in their brand notes, so their inputs differ at every step.
        const int variant = ++m_batch;
        if (i >= 2)
            brief->brandNotes += QStringLiteral("\nCampaign wave %1.").arg(variant);
        else if (i == 1)
            brief = exampleBrief(examples.at(0));
        if (!brief || !submitBrief(store, *brief, QStringLiteral("tst_enginecrash")))
            return false;
    }
    return true;
}

TestEngineCrash::RunResult TestEngineCrash::runWorker(bool aimed, int killAfterMs, int timeoutMs)
{
    RunResult result;
    m_server->clearFaults();
    if (aimed) {
        sandbox::FaultRule hold;
        hold.kind = sandbox::FaultKind::Delay;
        hold.method = QStringLiteral("POST");
        hold.path = QStringLiteral("/v1/models/*/predictions");
        hold.count = -1;
        hold.delayMs = holdMs;
        m_server->addFault(hold);
    }
    const QString delayKey = sandbox::faultKindName(sandbox::FaultKind::Delay);
    const int holdsBefore = m_server->stats().faultsInjected.value(delayKey);

    QProcess worker;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("BRIEFLOW_DATA_DIR"));
    env.insert(QStringLiteral("REPLICATE_API_TOKEN"), QStringLiteral("crash-test-token"));
    env.insert(QStringLiteral("BRIEFLOW_RECONCILE_SETTLE_MS"), QStringLiteral("150"));
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    worker.setProcessEnvironment(env);
    worker.setProcessChannelMode(QProcess::MergedChannels);
    worker.setStandardOutputFile(m_log, QIODevice::Append);
    worker.setProgram(QStringLiteral(BRIEFLOW_CLI_BINARY));
    worker.setArguments({QStringLiteral("--data-dir"), m_dir.path(), QStringLiteral("--api-base"),
                         m_server->baseUrl().toString(), QStringLiteral("worker"),
                         QStringLiteral("--until-idle")});

    QEventLoop loop;
    QTimer tick;
    tick.setInterval(1);
    QElapsedTimer clock;
    qint64 killAt = aimed ? -1 : killAfterMs;
    QObject::connect(&worker, &QProcess::finished, &loop, &QEventLoop::quit);
    QObject::connect(&worker, &QProcess::errorOccurred, &loop,
                     [&loop](QProcess::ProcessError error) {
                         if (error == QProcess::FailedToStart)
                             loop.quit();
                     });
    QObject::connect(&tick, &QTimer::timeout, &loop, [&] {
        const qint64 now = clock.elapsed();
        if (aimed && killAt < 0) {
            if (m_server->stats().faultsInjected.value(delayKey) > holdsBefore) {
                // The sandbox created a prediction and holds its answer: die inside that window.
                killAt = now + m_random.bounded(holdMs * 85 / 100);
                result.aimedHit = true;
            } else if (now > 5'000) {
                killAt = now; // no create came (the run only reconciled or followed)
            }
        }
        if (killAt >= 0 && now >= killAt && worker.state() == QProcess::Running) {
            result.ending = Ending::Killed;
            worker.kill();
        } else if (now > timeoutMs && worker.state() == QProcess::Running) {
            result.ending = Ending::TimedOut;
            worker.kill();
        }
    });
    clock.start();
    worker.start();
    tick.start();
    if (worker.state() != QProcess::NotRunning)
        loop.exec();
    tick.stop();
    worker.waitForFinished(10'000);
    if (result.ending == Ending::Exited)
        result.exitCode = worker.exitStatus() == QProcess::NormalExit ? worker.exitCode() : -1;
    m_server->clearFaults();
    return result;
}

void TestEngineCrash::killedWorkerLosesNothingAndNeverPaysTwice()
{
    bool ok = false;
    int kills = qEnvironmentVariableIntValue("BRIEFLOW_CRASH_KILLS", &ok);
    const bool longRun = qEnvironmentVariableIntValue("BRIEFLOW_FAULTS_LONG") == 1;
    if (!ok || kills <= 0)
        kills = longRun ? 1000 : 50;

    QElapsedTimer elapsed;
    elapsed.start();
    {
        auto store = openTestStore(m_dir);
        QVERIFY(store);
        QVERIFY(submitBatch(*store, 12));
    }

    int killed = 0, aimedKills = 0, aimedHits = 0, exitedEarly = 0, integrityFailures = 0;
    int runs = 0;
    while (killed < kills) {
        QVERIFY2(runs < kills * 3, "the worker keeps ending before it is killed");
        ++runs;
        const bool aimed = killed % 3 == 2;
        const RunResult run =
            runWorker(aimed, static_cast<int>(m_random.bounded(uniformMaxMs)), 60'000);
        QVERIFY(run.ending != Ending::TimedOut);
        if (run.ending == Ending::Killed) {
            ++killed;
            if (aimed) {
                ++aimedKills;
                if (run.aimedHit)
                    ++aimedHits;
            }
        } else {
            ++exitedEarly;
        }
        // Between runs only: the database is whole, and the queue stays busy.
        auto store = openTestStore(m_dir);
        QVERIFY(store);
        if (const auto check = store->integrityCheck(); !check) {
            ++integrityFailures;
            qWarning("integrity_check failed after run %d: %s", runs,
                     qPrintable(check.error().message));
        }
        const auto counts = store->jobCounts();
        QVERIFY(counts);
        const int unfinished =
            counts->value(JobStatus::Pending) + counts->value(JobStatus::Processing);
        if (unfinished < keepQueued && killed < kills)
            QVERIFY(submitBatch(*store, keepQueued));
    }

    // The last worker runs to the end.
    const RunResult last = runWorker(false, -1, 120'000);
    QCOMPARE(int(last.ending), int(Ending::Exited));

    auto store = openTestStore(m_dir, JobStore::Mode::Reader);
    QVERIFY(store);
    if (!store->integrityCheck())
        ++integrityFailures;
    JobQuery all;
    all.limit = 0;
    const auto jobs = store->jobs(all);
    QVERIFY(jobs);

    int lost = 0, callRows = 0, rowsWithPrediction = 0, notCreated = 0, unknownIds = 0;
    int sharedIds = 0, outputsChecked = 0, outputMismatches = 0;
    QSet<QString> predictionIds;
    QStringList problems;
    for (const JobRecord &job : *jobs) {
        if (job.status != JobStatus::Succeeded) {
            ++lost;
            problems << QStringLiteral("job %1 is %2 (%3: %4)")
                            .arg(job.id.toString(), toString(job.status), job.errorType,
                                 job.errorMessage);
        }
        const auto steps = store->steps(job.id);
        QVERIFY(steps);
        QString imagePrediction;
        for (const StepRecord &step : *steps) {
            const auto calls = store->calls(step.id);
            QVERIFY(calls);
            for (const ProviderCallRecord &call : *calls) {
                ++callRows;
                if (call.errorType == QLatin1String("not_created"))
                    ++notCreated;
                if (call.predictionId.isEmpty()) {
                    if (isUnsettled(call.state))
                        problems << QStringLiteral("call %1 is still %2")
                                        .arg(call.id.toString(), toString(call.state));
                    continue;
                }
                ++rowsWithPrediction;
                if (predictionIds.contains(call.predictionId)) {
                    ++sharedIds;
                    problems
                        << QStringLiteral("prediction %1 is recorded twice").arg(call.predictionId);
                }
                predictionIds.insert(call.predictionId);
                if (!m_server->prediction(call.predictionId)) {
                    ++unknownIds;
                    problems << QStringLiteral("prediction %1 unknown to the sandbox")
                                    .arg(call.predictionId);
                }
                if (step.name == QLatin1String("image") && call.state == CallState::Succeeded)
                    imagePrediction = call.predictionId;
            }
        }
        // Every output is what the sandbox served for the image step's prediction.
        const auto outputs = store->outputs(job.id);
        QVERIFY(outputs);
        const auto *served = m_server->prediction(imagePrediction);
        if (job.status == JobStatus::Succeeded && (!served || outputs->isEmpty())) {
            ++outputMismatches;
            problems << QStringLiteral("job %1 has no served image").arg(job.id.toString());
            continue;
        }
        if (!served)
            continue;
        if (outputs->size() != served->files.size()) {
            ++outputMismatches;
            problems << QStringLiteral("job %1 has %2 outputs for %3 served files")
                            .arg(job.id.toString())
                            .arg(outputs->size())
                            .arg(served->files.size());
            continue;
        }
        for (qsizetype i = 0; i < outputs->size(); ++i) {
            const OutputRecord &o = outputs->at(i);
            ++outputsChecked;
            if (o.sha256 != served->files.at(i).sha256 || fileSha256(o.filePath) != o.sha256) {
                ++outputMismatches;
                problems << QStringLiteral("output %1 differs from what the sandbox served")
                                .arg(o.filePath);
            }
        }
    }
    const int created = m_server->stats().predictionsCreated;
    // Paid predictions no call record owns, plus records sharing one prediction.
    const int duplicates = qMax(0, created - static_cast<int>(predictionIds.size())) + sharedIds;

    const QDir partial(m_dir.paths().outputsDir() + QStringLiteral("/.partial"));
    const int strays =
        partial.exists()
            ? static_cast<int>(partial.entryList(QDir::Files | QDir::Hidden | QDir::System).size())
            : 0;
    // Temporary files anywhere else in the data folder (QSaveFile / QTemporaryFile leftovers).
    int strayTemporaries = 0;
    QDirIterator walk(m_dir.path(), QDir::Files | QDir::Hidden | QDir::System,
                      QDirIterator::Subdirectories);
    while (walk.hasNext()) {
        const QString name = walk.next().section(QLatin1Char('/'), -1);
        if (walk.filePath().contains(QLatin1String("/.partial/")))
            continue;
        if (name.endsWith(QLatin1String(".part")) || name.endsWith(QLatin1String(".tmp"))
            || name.startsWith(QLatin1String("qt_temp."))
            || name.contains(QRegularExpression(QStringLiteral("\\.[A-Za-z0-9]{6}$")))) {
            ++strayTemporaries;
            problems << QStringLiteral("stray temporary file %1").arg(walk.filePath());
        }
    }

    const QJsonObject report{
        {QStringLiteral("case"), QStringLiteral("sigkill_worker")},
        {QStringLiteral("mode"), longRun ? QStringLiteral("long") : QStringLiteral("ci")},
        {QStringLiteral("seed"), qint64(m_seed)},
        {QStringLiteral("kills"), killed},
        {QStringLiteral("kills_aimed_at_create_window"), aimedKills},
        {QStringLiteral("kills_inside_held_create"), aimedHits},
        {QStringLiteral("runs_that_ended_before_their_kill"), exitedEarly},
        {QStringLiteral("final_worker_exit_code"), last.exitCode},
        {QStringLiteral("jobs"), static_cast<int>(jobs->size())},
        {QStringLiteral("lost_jobs"), lost},
        {QStringLiteral("provider_call_rows"), callRows},
        {QStringLiteral("call_rows_with_prediction"), rowsWithPrediction},
        {QStringLiteral("call_rows_not_created"), notCreated},
        {QStringLiteral("sandbox_predictions_created"), created},
        {QStringLiteral("duplicate_predictions"), duplicates},
        {QStringLiteral("prediction_ids_unknown_to_sandbox"), unknownIds},
        {QStringLiteral("integrity_check_failures"), integrityFailures},
        {QStringLiteral("stray_partial_files"), strays},
        {QStringLiteral("stray_temporary_files"), strayTemporaries},
        {QStringLiteral("outputs_checked"), outputsChecked},
        {QStringLiteral("output_sha256_mismatches"), outputMismatches},
        {QStringLiteral("elapsed_ms"), elapsed.elapsed()},
    };
    std::printf("FAULTS %s\n", QJsonDocument(report).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
    for (const QString &p : std::as_const(problems))
        qWarning("%s", qPrintable(p));
    if (!problems.isEmpty() || last.exitCode != 0) {
        QFile log(m_log);
        if (log.open(QIODevice::ReadOnly)) {
            const QByteArray text = log.readAll();
            qWarning("last worker output:\n%s", text.right(4000).constData());
        }
    }

    QCOMPARE(lost, 0);
    QCOMPARE(duplicates, 0);
    QCOMPARE(created, rowsWithPrediction);
    QCOMPARE(unknownIds, 0);
    QCOMPARE(integrityFailures, 0);
    QCOMPARE(strays, 0);
    QCOMPARE(strayTemporaries, 0);
    QCOMPARE(outputMismatches, 0);
    QVERIFY(outputsChecked > 0);
    QCOMPARE(last.exitCode, 0);
    QVERIFY(aimedHits > 0);
}

QTEST_GUILESS_MAIN(TestEngineCrash)
#include "tst_enginecrash.moc"
