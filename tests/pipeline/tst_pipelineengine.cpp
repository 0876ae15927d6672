// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QCryptographicHash>
#include <QFile>
#include <QImageReader>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "core/pipeline/jobstatus.h"
#include "core/pipeline/stepoutput.h"
#include "tests/pipeline/enginerig.h"

using namespace brieflow;
using namespace brieflow::test;
using sandbox::FaultKind;
using sandbox::FaultRule;

namespace {

const QString textCreate = QStringLiteral("/v1/models/meta/meta-llama-3-8b-instruct/predictions");
const QString imageCreate = QStringLiteral("/v1/models/black-forest-labs/flux-schnell/predictions");

FaultRule rule(FaultKind kind, const QString &path, int count = 1)
{
    FaultRule r;
    r.kind = kind;
    r.method = QStringLiteral("POST");
    r.path = path;
    r.count = count;
    return r;
}

QString fileSha256(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromLatin1(
        QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256).toHex());
}

QStringList eventKinds(const JobStore &store, const JobId &job)
{
    QStringList kinds;
    const auto events = store.events(job);
    for (const EventRecord &e : *events)
        kinds << e.kind;
    return kinds;
}

} // namespace

class TestPipelineEngine : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void happyPathStoresEverything();
    void severalJobsRespectTheWindows();
    void modelFailureIsRetriedAndRecovers();
    void policyRefusalFailsWithoutRetry();
    void failureKeepsEarlierOutputs();
    void rejectedImagePromptSpendsNothingOnImages();
    void createServerErrorIsReconciledThenSentOnce();
    void connectionResetAfterCreateAdoptsThePrediction();
    void expiredOutputMarksTheStep();
    void failingDownloadsGiveUpAfterFiveRounds();
    void unauthenticatedPausesTheQueueUntilTheTokenChanges();
    void outOfCreditPausesTheQueue();
    void retryFromAStepWithAnEditedInput();
    void cancelMidStep();
    void pausedQueueStartsNothing();
    void rateLimitsAreReportedAndSurvived();
    void restartFollowsKnownPredictions();
    void restartReconcilesAnUnknownCreate();
};

void TestPipelineEngine::happyPathStoresEverything()
{
    EngineRig rig;
    const JobId id = rig.submit();
    QVERIFY(!id.isNull());
    QVERIFY(rig.runUntilIdle());
    QCOMPARE(rig.status(id), QStringLiteral("succeeded"));
    for (const StepRecord &s : rig.steps(id)) {
        QCOMPARE(toString(s.status), QStringLiteral("succeeded"));
        QVERIFY(s.completedAt.isValid());
    }
    const QString conceptText =
        textOfStepOutput(rig.step(id, QStringLiteral("concept")).outputPayload);
    const QString prompt =
        textOfStepOutput(rig.step(id, QStringLiteral("image_prompt")).outputPayload);
    QVERIFY2(conceptText.contains(QStringLiteral("TrailLite")), qPrintable(conceptText));
    QVERIFY(!prompt.isEmpty());

    // Each model step made exactly one prediction, stored with its id.
    int creates = 0;
    for (const QString &name :
         {QStringLiteral("concept"), QStringLiteral("image_prompt"), QStringLiteral("image")}) {
        const auto calls = rig.calls(id, name);
        QCOMPARE(calls.size(), 1);
        QCOMPARE(toString(calls.first().state), QStringLiteral("succeeded"));
        QVERIFY(!calls.first().predictionId.isEmpty());
        QVERIFY(rig.server->prediction(calls.first().predictionId));
        ++creates;
    }
    QCOMPARE(rig.server->stats().predictionsCreated, creates);

    // The images are on disk, decode, and are byte for byte what the sandbox served.
    const auto outputs = rig.store->outputs(id).value();
    const auto imageCall = rig.calls(id, QStringLiteral("image")).first();
    const auto *served = rig.server->prediction(imageCall.predictionId);
    QVERIFY(served);
    QCOMPARE(outputs.size(), served->files.size());
    QVERIFY(!outputs.isEmpty());
    for (qsizetype i = 0; i < outputs.size(); ++i) {
        const OutputRecord &o = outputs.at(i);
        QCOMPARE(o.sha256, served->files.at(i).sha256);
        QCOMPARE(fileSha256(o.filePath), o.sha256);
        QImageReader reader(o.filePath);
        const QImage image = reader.read();
        QVERIFY2(!image.isNull(), qPrintable(reader.errorString()));
        QCOMPARE(image.width(), o.width);
        QCOMPARE(image.height(), o.height);
        QVERIFY(o.mime.startsWith(QStringLiteral("image/")));
    }
    // The job's summary tells the story.
    const QJsonObject summary = QJsonDocument::fromJson(rig.job(id).outputPayload).object();
    QCOMPARE(summary.value(QStringLiteral("texts"))
                 .toObject()
                 .value(QStringLiteral("concept"))
                 .toString(),
             conceptText);
    QCOMPARE(summary.value(QStringLiteral("images")).toArray().size(), outputs.size());
    QVERIFY(rig.store->integrityCheck());
}

void TestPipelineEngine::severalJobsRespectTheWindows()
{
    EngineRig rig;
    rig.server->setLatency(QStringLiteral("*"), sandbox::LatencyDistribution::fixed(10, 30));
    rig.options.maxConcurrentJobs = 2;
    rig.options.maxPredictionsInFlight = 1;
    QList<JobId> ids;
    for (int i = 0; i < 5; ++i)
        ids << rig.submit(i % 2 ? QStringLiteral("brief-cafe-nandu.json")
                                : QStringLiteral("brief.json"));
    rig.makeEngine();
    int maxActive = 0;
    int maxInFlight = 0;
    QTimer probe;
    QObject::connect(&probe, &QTimer::timeout, [&] {
        maxActive = qMax(maxActive, rig.engine->activeJobs());
        maxInFlight = qMax(maxInFlight, rig.engine->predictionsInFlight());
    });
    probe.start(1);
    QVERIFY(rig.runUntilIdle(60'000));
    for (const JobId &id : ids)
        QCOMPARE(rig.status(id), QStringLiteral("succeeded"));
    QCOMPARE(maxActive, 2);
    QCOMPARE(maxInFlight, 1);
    QCOMPARE(rig.server->stats().peakInFlight <= 2, true);
    QCOMPARE(rig.server->stats().predictionsCreated, 15);
}

void TestPipelineEngine::modelFailureIsRetriedAndRecovers()
{
    EngineRig rig;
    FaultRule failing = rule(FaultKind::FailPrediction, imageCreate);
    failing.errorText = QStringLiteral("CUDA error: out of memory");
    rig.server->addFault(failing);
    const JobId id = rig.submit();
    QVERIFY(rig.runUntilIdle());
    QCOMPARE(rig.status(id), QStringLiteral("succeeded"));
    const auto calls = rig.calls(id, QStringLiteral("image"));
    QCOMPARE(calls.size(), 2);
    QCOMPARE(calls.at(0).errorType, QStringLiteral("model_failed"));
    QCOMPARE(toString(calls.at(0).state), QStringLiteral("failed"));
    QCOMPARE(toString(calls.at(1).state), QStringLiteral("succeeded"));
    QVERIFY(eventKinds(*rig.store, id).contains(QStringLiteral("retry_scheduled")));
}

void TestPipelineEngine::policyRefusalFailsWithoutRetry()
{
    EngineRig rig;
    rig.server->addFault(rule(FaultKind::FailPrediction, imageCreate)); // NSFW by default
    const JobId id = rig.submit();
    QVERIFY(rig.runUntilIdle());
    QCOMPARE(rig.status(id), QStringLiteral("failed"));
    const StepRecord image = rig.step(id, QStringLiteral("image"));
    QCOMPARE(toString(image.status), QStringLiteral("failed"));
    QCOMPARE(image.errorType, QStringLiteral("policy_refusal"));
    QVERIFY(image.errorMessage.contains(QStringLiteral("safety")));
    QCOMPARE(rig.calls(id, QStringLiteral("image")).size(), 1);
    QCOMPARE(rig.job(id).errorType, QStringLiteral("policy_refusal"));
    QCOMPARE(rig.stepStatus(id, QStringLiteral("store")), QStringLiteral("pending"));
}

void TestPipelineEngine::failureKeepsEarlierOutputs()
{
    EngineRig rig;
    rig.makeEngine();
    // Run the image prompt by version (POST /v1/predictions), so a fault can single it out.
    std::optional<ProviderResult<ModelInfo>> model;
    rig.client->getModel(QStringLiteral("meta"), QStringLiteral("meta-llama-3-8b-instruct"),
                         rig.engine.get(),
                         [&](const ProviderResult<ModelInfo> &result) { model = result; });
    QTRY_VERIFY(model.has_value());
    QVERIFY(*model && (*model)->latestVersion);
    rig.options.modelOverrides.insert(QStringLiteral("image_prompt"),
                                      QStringLiteral("meta/meta-llama-3-8b-instruct:")
                                          + (*model)->latestVersion->id);
    FaultRule failing = rule(FaultKind::FailPrediction, QStringLiteral("/v1/predictions"), -1);
    failing.errorText = QStringLiteral("The model crashed");
    rig.server->addFault(failing);
    rig.makeEngine();
    const JobId id = rig.submit();
    QVERIFY(rig.runUntilIdle());
    QCOMPARE(rig.status(id), QStringLiteral("failed"));
    QCOMPARE(rig.stepStatus(id, QStringLiteral("concept")), QStringLiteral("succeeded"));
    QVERIFY(!textOfStepOutput(rig.step(id, QStringLiteral("concept")).outputPayload).isEmpty());
    const StepRecord prompt = rig.step(id, QStringLiteral("image_prompt"));
    QCOMPARE(toString(prompt.status), QStringLiteral("failed"));
    QCOMPARE(prompt.errorType, QStringLiteral("model_failed"));
    QVERIFY(prompt.errorMessage.contains(QStringLiteral("The model crashed")));
    QCOMPARE(rig.calls(id, QStringLiteral("image_prompt")).size(), 3); // max_attempts
    QVERIFY(rig.calls(id, QStringLiteral("image")).isEmpty());
    QCOMPARE(rig.job(id).errorType, QStringLiteral("model_failed"));
}

void TestPipelineEngine::rejectedImagePromptSpendsNothingOnImages()
{
    EngineRig rig;
    for (StepDefinition &step : rig.workflow.steps) {
        if (step.name == QStringLiteral("image_prompt"))
            step.check.maxChars = 20; // every real prompt is longer
    }
    const JobId id = rig.submit();
    QVERIFY(rig.runUntilIdle());
    QCOMPARE(rig.status(id), QStringLiteral("failed"));
    const StepRecord prompt = rig.step(id, QStringLiteral("image_prompt"));
    QCOMPARE(prompt.errorType, QStringLiteral("output_rejected"));
    QCOMPARE(rig.calls(id, QStringLiteral("image_prompt")).size(), 1);
    QVERIFY(rig.calls(id, QStringLiteral("image")).isEmpty());
    QCOMPARE(rig.server->stats().predictionsCreated, 2);
}

void TestPipelineEngine::createServerErrorIsReconciledThenSentOnce()
{
    EngineRig rig;
    FaultRule error = rule(FaultKind::HttpError, imageCreate);
    error.status = 503; // answered instead of handled: nothing was created
    rig.server->addFault(error);
    const JobId id = rig.submit();
    QVERIFY(rig.runUntilIdle());
    QCOMPARE(rig.status(id), QStringLiteral("succeeded"));
    const auto calls = rig.calls(id, QStringLiteral("image"));
    QCOMPARE(calls.size(), 2);
    QCOMPARE(calls.at(0).errorType, QStringLiteral("not_created"));
    QVERIFY(calls.at(0).predictionId.isEmpty());
    QCOMPARE(rig.server->stats().predictionsCreated, 3);
}

void TestPipelineEngine::connectionResetAfterCreateAdoptsThePrediction()
{
    EngineRig rig;
    rig.server->addFault(rule(FaultKind::ConnectionReset, imageCreate));
    const JobId id = rig.submit();
    QVERIFY(rig.runUntilIdle());
    QCOMPARE(rig.status(id), QStringLiteral("succeeded"));
    const auto calls = rig.calls(id, QStringLiteral("image"));
    QCOMPARE(calls.size(), 1);
    QVERIFY(!calls.first().predictionId.isEmpty());
    QVERIFY(eventKinds(*rig.store, id).contains(QStringLiteral("prediction_adopted")));
    // One intent, one paid prediction: no duplicate.
    QCOMPARE(rig.server->stats().predictionsCreated, 3);
    for (const int n : rig.server->stats().createsPerInput)
        QCOMPARE(n, 1);
}

void TestPipelineEngine::failingDownloadsGiveUpAfterFiveRounds()
{
    // Every file GET fails with a 500: each round re-reads the prediction and fetches again
    // (never re-creating it), the waits double, and after five rounds the step fails — also
    // although every round drops the job and takes it up afresh.
    EngineRig rig;
    rig.options.downloadRetryDelay = std::chrono::milliseconds(20);
    FaultRule broken;
    broken.kind = FaultKind::HttpError;
    broken.method = QStringLiteral("GET");
    broken.path = QStringLiteral("/files/*");
    broken.count = -1;
    broken.status = 500;
    rig.server->addFault(broken);
    const JobId id = rig.submit();
    QVERIFY(rig.runUntilIdle(30'000));
    QCOMPARE(rig.status(id), QStringLiteral("failed"));
    QCOMPARE(rig.calls(id, QStringLiteral("image")).size(), 1); // never re-created
    QCOMPARE(rig.server->stats().predictionsCreated, 3);
    int retries = 0;
    const QList<EventRecord> events = rig.store->events(id).value();
    for (const EventRecord &event : events)
        retries += event.kind == QStringLiteral("retry_scheduled") ? 1 : 0;
    QCOMPARE(retries, 4); // rounds 1–4 scheduled another; round 5 gave up
}

void TestPipelineEngine::expiredOutputMarksTheStep()
{
    EngineRig rig;
    FaultRule expire = rule(FaultKind::ExpireOutputs, imageCreate);
    rig.server->addFault(expire);
    const JobId id = rig.submit();
    QVERIFY(rig.runUntilIdle());
    QCOMPARE(rig.status(id), QStringLiteral("failed"));
    const StepRecord image = rig.step(id, QStringLiteral("image"));
    QCOMPARE(image.errorType, QStringLiteral("output_expired"));
    QVERIFY(rig.store->outputs(id).value().isEmpty());
    QCOMPARE(rig.calls(id, QStringLiteral("image")).size(), 1); // never re-created by itself
    QCOMPARE(rig.stepStatus(id, QStringLiteral("concept")), QStringLiteral("succeeded"));
}

void TestPipelineEngine::unauthenticatedPausesTheQueueUntilTheTokenChanges()
{
    EngineRig rig;
    rig.token = QStringLiteral("r8_invalid_token");
    const JobId first = rig.submit();
    const JobId second = rig.submit(QStringLiteral("brief-cafe-nandu.json"));
    rig.makeEngine();
    QSignalSpy attention(rig.engine.get(), &PipelineEngine::attentionChanged);
    QVERIFY(rig.runUntilIdle());
    QCOMPARE(rig.status(first), QStringLiteral("needs_attention"));
    QCOMPARE(rig.job(first).errorType, QStringLiteral("unauthenticated"));
    QVERIFY(!attention.isEmpty());
    QCOMPARE(attention.last().at(0).value<EngineProblem>().errorType,
             QStringLiteral("unauthenticated"));
    // The queue paused rather than failing job after job.
    QVERIFY(rig.status(second) == QStringLiteral("pending")
            || rig.status(second) == QStringLiteral("needs_attention"));
    QCOMPARE(rig.server->stats().predictionsCreated, 0);

    rig.token = QStringLiteral("sandbox-good-token");
    rig.engine->tokenChanged();
    QVERIFY(rig.runUntilIdle());
    QCOMPARE(rig.status(first), QStringLiteral("succeeded"));
    QCOMPARE(rig.status(second), QStringLiteral("succeeded"));
    QVERIFY(attention.last().at(0).value<EngineProblem>().isNull());
}

void TestPipelineEngine::outOfCreditPausesTheQueue()
{
    EngineRig rig;
    rig.server->setCredit(sandbox::CreditState::Exhausted);
    const JobId id = rig.submit();
    QVERIFY(rig.runUntilIdle());
    QCOMPARE(rig.status(id), QStringLiteral("needs_attention"));
    QCOMPARE(rig.job(id).errorType, QStringLiteral("insufficient_credit"));
    QVERIFY(rig.job(id).errorMessage.contains(QStringLiteral("credit")));
    rig.server->setCredit(sandbox::CreditState::Ok);
    rig.engine->tokenChanged();
    QVERIFY(rig.runUntilIdle());
    QCOMPARE(rig.status(id), QStringLiteral("succeeded"));
}

void TestPipelineEngine::retryFromAStepWithAnEditedInput()
{
    EngineRig rig;
    const JobId id = rig.submit();
    QVERIFY(rig.runUntilIdle());
    QCOMPARE(rig.status(id), QStringLiteral("succeeded"));
    const QString conceptText =
        textOfStepOutput(rig.step(id, QStringLiteral("concept")).outputPayload);
    const int before = rig.server->stats().predictionsCreated;

    // Without a step a succeeded job is refused, with a reason.
    const auto refused = rig.engine->retry({id, {}, std::nullopt});
    QVERIFY(!refused);
    QVERIFY(refused.error().message.contains(QStringLiteral("already succeeded")));

    const QString edited = QStringLiteral("A lone hiker on a misty ridge at dawn, wide shot");
    const auto prepared = rig.engine->retry({id, QStringLiteral("image"), edited});
    QVERIFY2(prepared, prepared ? "" : qPrintable(prepared.error().message));
    QCOMPARE(rig.status(id), QStringLiteral("pending"));
    QVERIFY(rig.runUntilIdle());
    QCOMPARE(rig.status(id), QStringLiteral("succeeded"));
    // Only the image step ran again, with the edited prompt; earlier outputs are kept.
    QCOMPARE(rig.server->stats().predictionsCreated, before + 1);
    QCOMPARE(textOfStepOutput(rig.step(id, QStringLiteral("concept")).outputPayload), conceptText);
    QCOMPARE(textOfStepOutput(rig.step(id, QStringLiteral("image_prompt")).outputPayload), edited);
    const auto calls = rig.calls(id, QStringLiteral("image"));
    QCOMPARE(calls.size(), 2);
    const auto *served = rig.server->prediction(calls.last().predictionId);
    QVERIFY(served);
    QVERIFY(QString::fromUtf8(served->input).contains(edited));
    const QStringList kinds = eventKinds(*rig.store, id);
    QVERIFY(kinds.contains(QStringLiteral("input_edited")));
    QVERIFY(kinds.contains(QStringLiteral("retry")));
}

void TestPipelineEngine::cancelMidStep()
{
    EngineRig rig;
    rig.server->setLatency(QStringLiteral("image"), sandbox::LatencyDistribution::fixed(0, 5000));
    const JobId id = rig.submit();
    rig.makeEngine();
    QString prediction;
    QObject::connect(rig.engine.get(), &PipelineEngine::jobsChanged, [&] {
        if (!prediction.isEmpty())
            return;
        const auto calls = rig.calls(id, QStringLiteral("image"));
        if (!calls.isEmpty() && !calls.first().predictionId.isEmpty()) {
            prediction = calls.first().predictionId;
            QVERIFY(rig.engine->cancel(id));
            const auto again = rig.engine->cancel(id);
            QVERIFY(again && again->alreadyFinal);
        }
    });
    QVERIFY(rig.runUntilIdle());
    QVERIFY(!prediction.isEmpty());
    QCOMPARE(rig.status(id), QStringLiteral("canceled"));
    QCOMPARE(rig.stepStatus(id, QStringLiteral("image")), QStringLiteral("canceled"));
    QCOMPARE(rig.stepStatus(id, QStringLiteral("concept")), QStringLiteral("succeeded"));
    QTRY_VERIFY(rig.server->prediction(prediction)->status == sandbox::Status::Canceled);
    QTRY_COMPARE(toString(rig.calls(id, QStringLiteral("image")).first().state),
                 QStringLiteral("canceled"));
}

void TestPipelineEngine::pausedQueueStartsNothing()
{
    EngineRig rig;
    rig.server->setLatency(QStringLiteral("text"), sandbox::LatencyDistribution::fixed(0, 300));
    const JobId first = rig.submit();
    rig.makeEngine();
    rig.engine->start();
    // Pause while the concept runs: it finishes and is kept, nothing after it starts.
    QTRY_VERIFY(!rig.calls(first, QStringLiteral("concept")).isEmpty());
    rig.engine->setPaused(true);
    const JobId second = rig.submit(QStringLiteral("brief-cafe-nandu.json"));
    rig.engine->wake();
    QTRY_COMPARE(rig.stepStatus(first, QStringLiteral("concept")), QStringLiteral("succeeded"));
    QTest::qWait(300);
    QCOMPARE(rig.engine->activeJobs(), 0);
    QCOMPARE(rig.server->stats().predictionsCreated, 1);
    QCOMPARE(rig.status(first), QStringLiteral("pending"));
    QCOMPARE(rig.status(second), QStringLiteral("pending"));

    rig.engine->setPaused(false);
    QVERIFY(rig.runUntilIdle());
    QCOMPARE(rig.status(first), QStringLiteral("succeeded"));
    QCOMPARE(rig.status(second), QStringLiteral("succeeded"));
    QCOMPARE(rig.calls(first, QStringLiteral("concept")).size(), 1);
}

void TestPipelineEngine::rateLimitsAreReportedAndSurvived()
{
    EngineRig rig;
    FaultRule storm = rule(FaultKind::RateLimitStorm, imageCreate, 2);
    storm.retryAfterSeconds = 1;
    rig.server->addFault(storm);
    const JobId id = rig.submit();
    rig.makeEngine();
    QSignalSpy limited(rig.engine.get(), &PipelineEngine::rateLimited);
    QVERIFY(rig.runUntilIdle());
    QCOMPARE(rig.status(id), QStringLiteral("succeeded"));
    QVERIFY(!limited.isEmpty());
    QVERIFY(limited.first().at(0).toLongLong() >= 1000); // the server's Retry-After, honoured
    QCOMPARE(limited.first().at(1).value<RateLimitReason>(), RateLimitReason::Throttled);
    QCOMPARE(rig.calls(id, QStringLiteral("image")).size(), 1); // a 429 is not an attempt
    QCOMPARE(rig.server->stats().predictionsCreated, 3);
}

void TestPipelineEngine::restartFollowsKnownPredictions()
{
    EngineRig rig;
    rig.server->setLatency(QStringLiteral("image"), sandbox::LatencyDistribution::fixed(0, 600));
    const JobId id = rig.submit();
    rig.makeEngine();
    QSignalSpy changed(rig.engine.get(), &PipelineEngine::jobsChanged);
    rig.engine->start();
    QTRY_VERIFY_WITH_TIMEOUT(
        !rig.calls(id, QStringLiteral("image")).isEmpty()
            && !rig.calls(id, QStringLiteral("image")).first().predictionId.isEmpty(),
        10'000);
    rig.engine->stop(); // as if the app quit with the prediction running
    rig.engine.reset();
    QCOMPARE(rig.status(id), QStringLiteral("processing"));
    QVERIFY(rig.runUntilIdle()); // a new engine on the same store
    QCOMPARE(rig.status(id), QStringLiteral("succeeded"));
    QCOMPARE(rig.calls(id, QStringLiteral("image")).size(), 1);
    QCOMPARE(rig.server->stats().predictionsCreated, 3);
}

void TestPipelineEngine::restartReconcilesAnUnknownCreate()
{
    EngineRig rig;
    // The image create reaches the sandbox but its answer is held back: the app "dies" while
    // waiting, with the intent recorded and no id.
    FaultRule hold = rule(FaultKind::Delay, imageCreate);
    hold.delayMs = 3000;
    rig.server->addFault(hold);
    const JobId id = rig.submit();
    rig.makeEngine();
    rig.engine->start();
    QTRY_VERIFY_WITH_TIMEOUT(rig.server->stats().predictionsCreated == 3, 10'000);
    rig.engine->stop();
    rig.engine.reset();
    const auto calls = rig.calls(id, QStringLiteral("image"));
    QCOMPARE(calls.size(), 1);
    QVERIFY(calls.first().predictionId.isEmpty());
    QVERIFY(isUnsettled(calls.first().state));

    QVERIFY(rig.runUntilIdle());
    QCOMPARE(rig.status(id), QStringLiteral("succeeded"));
    const auto after = rig.calls(id, QStringLiteral("image"));
    QCOMPARE(after.size(), 1);
    QVERIFY(!after.first().predictionId.isEmpty());
    QCOMPARE(rig.server->stats().predictionsCreated, 3);
}

QTEST_GUILESS_MAIN(TestPipelineEngine)
#include "tst_pipelineengine.moc"
