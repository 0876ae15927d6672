// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Stuck jobs from the command line, as real brieflow-cli processes against a real job database:
// `stuck` lists them with the reason, `keep-waiting` snoozes them, and `retry` on a stuck job
// either asks the running worker (it holds the queue's engine lock) through the database, or,
// with no worker, cancels the stuck prediction at the provider (a sandbox in this process, over
// loopback) before requeueing the step — and refuses when it can't cancel.
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QProcess>
#include <QTest>

#include "core/app/jobsubmission.h"
#include "core/brief/briefjson.h"
#include "core/pipeline/jobactions.h"
#include "core/replicate/replicateclient.h"
#include "core/sandbox/prediction.h"
#include "core/sandbox/sandboxserver.h"
#include "core/store/jobstore.h"
#include "tests/support/tempdatadir.h"
#include "tests/support/teststore.h"

using namespace brieflow;

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

QProcessEnvironment cliEnvironment(const QString &token = {})
{
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    e.remove(QStringLiteral("BRIEFLOW_DATA_DIR"));
    e.remove(QStringLiteral("REPLICATE_API_TOKEN"));
    if (!token.isEmpty())
        e.insert(QStringLiteral("REPLICATE_API_TOKEN"), token);
    return e;
}

/** Runs the CLI while this thread's event loop keeps turning (the sandbox lives on it). */
Run runCli(const QStringList &args, const QProcessEnvironment &env = cliEnvironment())
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(BRIEFLOW_CLI_BINARY), args);
    if (!p.waitForStarted(10000))
        return {};
    p.closeWriteChannel();
    QElapsedTimer timer;
    timer.start();
    while (p.state() != QProcess::NotRunning && timer.elapsed() < 60000)
        QTest::qWait(10);
    if (p.state() != QProcess::NotRunning) {
        p.kill();
        p.waitForFinished(5000);
        return {-3, {}, QString::fromUtf8(p.readAllStandardError())};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2,
            QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

const QString stuckReason = QStringLiteral(
    "Running for 6 min 10 s, past this step's 5 min limit; Replicate should have stopped it.");

} // namespace

class TestCliStuck : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void stuckListsReasonsAndKeepWaitingSnoozes();
    void keepWaitingRefusesAJobThatIsNotStuck();
    void retryWithAWorkerRunningAsksTheWorker();
    void retryWithoutAWorkerCancelsAtTheProviderFirst();
    void retryWithoutATokenChangesNothing();
    void showTellsWhatToDo();

private:
    /** A job whose image step runs prediction @p predictionId and is flagged stuck. */
    JobId stuckJob(const QString &predictionId = QStringLiteral("pred-stuck"));
    QStringList data() const { return {QStringLiteral("--data-dir"), m_dir->path()}; }

    std::unique_ptr<test::TempDataDir> m_dir;
    std::unique_ptr<JobStore> m_store;
    QString m_product;
};

void TestCliStuck::init()
{
    m_dir = std::make_unique<test::TempDataDir>();
    QVERIFY(m_dir->isValid());
    m_store = test::openTestStore(*m_dir);
    QVERIFY(m_store);
}

void TestCliStuck::cleanup()
{
    m_store.reset();
    m_dir.reset();
}

JobId TestCliStuck::stuckJob(const QString &predictionId)
{
    QFile file(QStringLiteral(BRIEFLOW_EXAMPLES_DIR "/brief.json"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const auto brief = briefFromJson(file.readAll());
    if (!brief)
        return {};
    m_product = brief->productName;
    const auto job = submitBrief(*m_store, *brief, QStringLiteral("test"));
    if (!job)
        return {};
    QList<StepRecord> steps = m_store->steps(job->id).value();
    for (int i = 0; i < 2; ++i) {
        steps[i].status = StepStatus::Succeeded;
        if (!m_store->updateStep(steps[i]))
            return {};
    }
    StepRecord &image = steps[2];
    image.status = StepStatus::Processing;
    image.attemptCount = 1;
    image.startedAt = QDateTime::currentDateTimeUtc();
    if (!m_store->updateStep(image)
        || !m_store->updateJobStatus(job->id, JobStatus::Processing, image.name))
        return {};
    auto call = m_store->recordCallIntent(job->id, image.id, 1,
                                          QStringLiteral("black-forest-labs/flux-schnell"),
                                          QStringLiteral("abc"));
    if (!call)
        return {};
    call->state = CallState::Submitted;
    call->predictionId = predictionId;
    call->providerStatus = QStringLiteral("processing");
    call->submittedAt = QDateTime::currentDateTimeUtc();
    if (!m_store->updateCall(*call))
        return {};
    if (!m_store->setStepStuck(image.id, stuckReason, 60'000).valueOr(false))
        return {};
    return job->id;
}

void TestCliStuck::stuckListsReasonsAndKeepWaitingSnoozes()
{
    const Run empty = runCli(data() + QStringList{QStringLiteral("stuck")});
    QCOMPARE(empty.exitCode, 0);
    QVERIFY(empty.out.contains(QStringLiteral("No stuck jobs.")));

    const JobId id = stuckJob();
    QVERIFY(!id.isNull());
    const Run text = runCli(data() + QStringList{QStringLiteral("stuck")});
    QCOMPARE(text.exitCode, 0);
    QVERIFY2(text.out.contains(id.toString()), qPrintable(text.out));
    QVERIFY(text.out.contains(stuckReason));
    QVERIFY(text.out.contains(m_product));
    QVERIFY(text.out.contains(QStringLiteral("keep-waiting")));

    const Run json =
        runCli(data() + QStringList{QStringLiteral("stuck"), QStringLiteral("--json")});
    QCOMPARE(json.exitCode, 0);
    const QJsonArray array = QJsonDocument::fromJson(json.out.toUtf8()).array();
    QCOMPARE(array.size(), 1);
    const QJsonObject entry = array.first().toObject();
    QCOMPARE(entry.value(QStringLiteral("id")).toString(), id.toString());
    QCOMPARE(entry.value(QStringLiteral("stuck")).toBool(), true);
    QCOMPARE(entry.value(QStringLiteral("stuck_reason")).toString(), stuckReason);
    QCOMPARE(entry.value(QStringLiteral("current_step")).toString(), QStringLiteral("image"));
    QVERIFY(!entry.value(QStringLiteral("stuck_since")).toString().isEmpty());

    // `list` shows the state too.
    const Run list = runCli(data() + QStringList{QStringLiteral("list")});
    QVERIFY(list.out.contains(QStringLiteral("stuck")));

    const QDateTime before = QDateTime::currentDateTimeUtc();
    const Run kept = runCli(data() + QStringList{QStringLiteral("keep-waiting"), id.toString()});
    QCOMPARE(kept.exitCode, 0);
    QVERIFY(kept.out.contains(QStringLiteral("keep waiting")));
    const StepRecord image = m_store->steps(id).value().at(2);
    QVERIFY(!image.isStuck());
    QVERIFY(image.stuckSnoozedUntil >= before.addMSecs(60'000));
    QVERIFY(!m_store->job(id).value()->isStuck());
    const Run after =
        runCli(data() + QStringList{QStringLiteral("stuck"), QStringLiteral("--json")});
    QCOMPARE(QJsonDocument::fromJson(after.out.toUtf8()).array().size(), 0);
}

void TestCliStuck::keepWaitingRefusesAJobThatIsNotStuck()
{
    const JobId id = stuckJob();
    QVERIFY(!id.isNull());
    const JobId other = JobId::generate();
    const Run r = runCli(data()
                         + QStringList{QStringLiteral("--json"), QStringLiteral("keep-waiting"),
                                       id.toString(), other.toString()});
    QCOMPARE(r.exitCode, 2);
    const QJsonArray report = QJsonDocument::fromJson(r.out.toUtf8()).array();
    QCOMPARE(report.size(), 2);
    QCOMPARE(report.at(0).toObject().value(QStringLiteral("ok")).toBool(), true);
    QCOMPARE(report.at(1).toObject().value(QStringLiteral("ok")).toBool(), false);
    QVERIFY(r.err.contains(QStringLiteral("There is no job")));

    const Run again = runCli(data() + QStringList{QStringLiteral("keep-waiting"), id.toString()});
    QCOMPARE(again.exitCode, 2);
    QVERIFY2(again.err.contains(QStringLiteral("is not stuck")), qPrintable(again.err));
}

void TestCliStuck::retryWithAWorkerRunningAsksTheWorker()
{
    const JobId id = stuckJob();
    QVERIFY(!id.isNull());
    // A worker (or the app) holds the queue's engine lock while it runs.
    QLockFile engineLock(m_dir->paths().databaseFile() + QStringLiteral(".engine.lock"));
    QVERIFY(engineLock.tryLock(0));
    const Run r = runCli(data() + QStringList{QStringLiteral("retry"), id.toString()});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(QStringLiteral("the running worker cancels")), qPrintable(r.out));
    const auto requests = m_store->stuckRetryRequests().value();
    QCOMPARE(requests.size(), 1);
    QCOMPARE(requests.first().jobId, id);
    // Nothing else changed: the worker does the rest.
    const StepRecord image = m_store->steps(id).value().at(2);
    QCOMPARE(toString(m_store->calls(image.id).value().first().state), QStringLiteral("submitted"));
}

void TestCliStuck::retryWithoutAWorkerCancelsAtTheProviderFirst()
{
    sandbox::SandboxConfig config = sandbox::SandboxConfig::forTests();
    config.imageLatency = sandbox::LatencyDistribution::fixed(0, 60'000);
    sandbox::SandboxServer server(config);
    QVERIFY(server.start());

    // A real prediction at the sandbox that runs for a minute: the stuck one.
    replicate::ReplicateClient::Options options;
    options.baseUrl = server.baseUrl();
    options.token = [] { return QStringLiteral("sandbox-test-token"); };
    replicate::ReplicateClient client(options);
    CreateRequest request;
    request.model = ModelRef::parse(QStringLiteral("black-forest-labs/flux-schnell")).value();
    request.input = QByteArrayLiteral("{\"prompt\":\"a slow lighthouse\"}");
    request.cancelAfter = std::chrono::seconds(300);
    QString predictionId;
    QObject context;
    client.createPrediction(request, &context, [&](const ProviderResult<Prediction> &created) {
        QVERIFY(created);
        predictionId = created->id;
    });
    QTRY_VERIFY_WITH_TIMEOUT(!predictionId.isEmpty(), 10000);
    QVERIFY(!sandbox::isTerminal(server.prediction(predictionId)->status));

    const JobId id = stuckJob(predictionId);
    QVERIFY(!id.isNull());
    const Run r =
        runCli(data()
                   + QStringList{QStringLiteral("--api-base"), server.baseUrl().toString(),
                                 QStringLiteral("--json"), QStringLiteral("retry"), id.toString()},
               cliEnvironment(QStringLiteral("sandbox-test-token")));
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QJsonObject report = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(report.value(QStringLiteral("stuck_retry")).toString(), QStringLiteral("queued"));
    QCOMPARE(report.value(QStringLiteral("stuck_prediction")).toString(),
             QStringLiteral("canceled"));

    QCOMPARE(server.prediction(predictionId)->status, sandbox::Status::Canceled);
    const StepRecord image = m_store->steps(id).value().at(2);
    QCOMPARE(toString(image.status), QStringLiteral("processing"));
    QVERIFY(!image.isStuck());
    const auto calls = m_store->calls(image.id).value();
    QCOMPARE(calls.size(), 1);
    QCOMPARE(toString(calls.first().state), QStringLiteral("canceled"));
    QCOMPARE(calls.first().errorType, QString(StuckRetryErrorType));
    const JobRecord job = m_store->job(id).value().value();
    QVERIFY(!job.isStuck());
    QVERIFY(!job.runAfter.isValid()); // the next worker starts a new attempt at once
    // Only the one prediction exists at the sandbox: the CLI created nothing.
    QCOMPARE(server.predictions().size(), 1);
}

void TestCliStuck::retryWithoutATokenChangesNothing()
{
    const JobId id = stuckJob();
    QVERIFY(!id.isNull());
    const Run r = runCli(data() + QStringList{QStringLiteral("retry"), id.toString()});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("REPLICATE_API_TOKEN")), qPrintable(r.err));
    const StepRecord image = m_store->steps(id).value().at(2);
    QVERIFY(image.isStuck());
    QCOMPARE(toString(m_store->calls(image.id).value().first().state), QStringLiteral("submitted"));
}

void TestCliStuck::showTellsWhatToDo()
{
    const JobId id = stuckJob();
    QVERIFY(!id.isNull());
    const Run text = runCli(data() + QStringList{QStringLiteral("show"), id.toString()});
    QCOMPARE(text.exitCode, 0);
    QVERIFY(text.out.contains(QStringLiteral("Stuck    ") + stuckReason));
    const Run json = runCli(
        data() + QStringList{QStringLiteral("show"), id.toString(), QStringLiteral("--json")});
    const QJsonObject object = QJsonDocument::fromJson(json.out.toUtf8()).object();
    QCOMPARE(object.value(QStringLiteral("stuck_reason")).toString(), stuckReason);
    QCOMPARE(object.value(QStringLiteral("steps"))
                 .toArray()
                 .at(2)
                 .toObject()
                 .value(QStringLiteral("stuck_reason"))
                 .toString(),
             stuckReason);
}

QTEST_GUILESS_MAIN(TestCliStuck)
#include "tst_clistuck.moc"
