// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QTest>

#include "core/store/jobstore.h"
#include "tests/core/store/storetestutil.h"
#include "tests/support/tempdatadir.h"
#include "tests/support/teststore.h"

using namespace brieflow;

namespace {

// Payloads a real pipeline produces: non-ASCII prompts, escapes, emoji, deep nesting.
const QByteArray unicodeJson = QByteArrayLiteral(
    "{\"prompt\":\"Gr\xc3\xbc\xc3\x9f"
    "e aus K\xc3\xb6ln \xe2\x80\x94 \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e \xf0\x9f\x9a\x80\","
    "\"quote\":\"\\\"a\\\\b\\u0000c\\n\",\"n\":[1,2.5,null,true,{\"x\":{}}]}");
// JSON text with a raw NUL, a DEL and tabs/newlines inside: still UTF-8, not valid JSON.
constexpr char binaryishBytes[] = "{\"a\":\"x\0y\x7f\t\r\n\"}";
const QByteArray binaryishJson(binaryishBytes, sizeof(binaryishBytes) - 1);

QByteArray allBytes()
{
    QByteArray bytes;
    for (int i = 0; i < 256; ++i)
        bytes.append(static_cast<char>(i));
    return bytes;
}

QDateTime utcMs(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}

} // namespace

class TestJobStore : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void createJobMakesPendingStepsAndCreatedEvent();
    void queuePositionsIncrease();
    void jobRoundTrip_data();
    void jobRoundTrip();
    void stepRoundTrip();
    void callRoundTrip();
    void outputRoundTrip();
    void eventsRoundTripInAppendOrder();
    void listing_data();
    void listing();
    void countsCoverEveryStatus();
    void runnableJobsFollowQueueOrderAndRunAfter();
    void recentRunTimesOfAModel();
    void missingRowsAreNotFound_data();
    void missingRowsAreNotFound();
    void intentForStepOfAnotherJobIsRefused();
    void sameAttemptTwiceIsRefused();
    void unsettledCallsAreTheOnesToFollow();
    void callAndOutputLookups();
    void deleteCascadesToEverything();
    void readerSeesDataAndRefusesWrites_data();
    void readerSeesDataAndRefusesWrites();

private:
    JobRecord makeJob(const QByteArray &payload = {}, const QStringList &steps = {});

    std::unique_ptr<test::TempDataDir> m_dir;
    std::unique_ptr<JobStore> m_store;
};

void TestJobStore::runnableJobsFollowQueueOrderAndRunAfter()
{
    const QDateTime now = utcMs(1767225600000);
    QList<JobRecord> made;
    for (int i = 0; i < 5; ++i)
        made << makeJob();
    // 0 pending, 1 waits until now + 1 s, 2 succeeded, 3 processing, 4 waits until now + 5 s.
    VERIFY_OK(m_store->updateJobState(made[1].id, {JobStatus::Processing, QStringLiteral("s"),
                                                   QStringLiteral("server_error"),
                                                   QStringLiteral("retrying"), now.addSecs(1)}));
    VERIFY_OK(m_store->updateJobState(made[2].id, {JobStatus::Succeeded, {}, {}, {}, {}}));
    VERIFY_OK(m_store->updateJobState(made[3].id, {JobStatus::Processing, {}, {}, {}, now}));
    VERIFY_OK(
        m_store->updateJobState(made[4].id, {JobStatus::Pending, {}, {}, {}, now.addSecs(5)}));

    const auto ids = [](const QList<JobRecord> &jobs) {
        QStringList out;
        for (const JobRecord &job : jobs)
            out << job.id.toString();
        return out;
    };
    auto runnable = m_store->runnableJobs(now, 0);
    VERIFY_OK(runnable);
    QCOMPARE(ids(*runnable), (QStringList{made[0].id.toString(), made[3].id.toString()}));
    runnable = m_store->runnableJobs(now.addSecs(1), 2);
    VERIFY_OK(runnable);
    QCOMPARE(ids(*runnable), (QStringList{made[0].id.toString(), made[1].id.toString()}));

    auto next = m_store->nextRunAfter(now);
    VERIFY_OK(next);
    QCOMPARE(*next, now.addSecs(1));
    next = m_store->nextRunAfter(now.addSecs(5));
    VERIFY_OK(next);
    QVERIFY(!next->isValid());

    const auto read = m_store->job(made[1].id);
    VERIFY_OK(read);
    QCOMPARE((*read)->runAfter, now.addSecs(1));
    QCOMPARE((*read)->errorType, QStringLiteral("server_error"));
}

void TestJobStore::recentRunTimesOfAModel()
{
    const JobRecord job = makeJob({}, {QStringLiteral("a"), QStringLiteral("b")});
    const auto steps = m_store->steps(job.id).value();
    const QString flux = QStringLiteral("black-forest-labs/flux-schnell");
    const QString llama = QStringLiteral("meta/meta-llama-3-8b-instruct");
    const qint64 t0 = 1767225600000;
    struct Row {
        int step;
        QString model;
        CallState state;
        qint64 submitted;
        qint64 completed;
    };
    const Row rows[] = {
        {0, flux, CallState::Succeeded, t0, t0 + 3000},         // oldest flux: 3 s
        {0, flux, CallState::Failed, t0, t0 + 100},             // failed: ignored
        {0, flux, CallState::Succeeded, t0 + 5000, t0 + 6500},  // 1.5 s
        {1, llama, CallState::Succeeded, t0, t0 + 800},         // other model
        {1, flux, CallState::Succeeded, t0 + 9000, t0 + 11000}, // newest flux: 2 s
    };
    int attempt = 0;
    for (const Row &row : rows) {
        auto call = m_store->recordCallIntent(job.id, steps.at(row.step).id, ++attempt, row.model,
                                              QStringLiteral("ab").repeated(32));
        VERIFY_OK(call);
        call->state = row.state;
        call->submittedAt = utcMs(row.submitted);
        call->completedAt = utcMs(row.completed);
        VERIFY_OK(m_store->updateCall(*call));
    }
    auto times = m_store->recentRunTimes(flux, 10);
    VERIFY_OK(times);
    QCOMPARE(*times, (QList<qint64>{2000, 1500, 3000}));
    times = m_store->recentRunTimes(flux, 2);
    VERIFY_OK(times);
    QCOMPARE(*times, (QList<qint64>{2000, 1500}));
    times = m_store->recentRunTimes(QStringLiteral("no/model"), 10);
    VERIFY_OK(times);
    QVERIFY(times->isEmpty());
}

void TestJobStore::init()
{
    m_dir = std::make_unique<test::TempDataDir>();
    QVERIFY(m_dir->isValid());
    m_store = test::openTestStore(*m_dir);
    QVERIFY(m_store);
}

void TestJobStore::cleanup()
{
    m_store.reset();
    m_dir.reset();
}

JobRecord TestJobStore::makeJob(const QByteArray &payload, const QStringList &steps)
{
    const auto job = m_store->createJob(
        {QStringLiteral("campaign"), payload,
         steps.isEmpty() ? QStringList{QStringLiteral("concept"), QStringLiteral("image")}
                         : steps});
    if (!job) {
        qWarning().noquote() << job.error().logText();
        return {};
    }
    return *job;
}

void TestJobStore::createJobMakesPendingStepsAndCreatedEvent()
{
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    const JobRecord job = makeJob(unicodeJson, {QStringLiteral("concept"), QStringLiteral("prompt"),
                                                QStringLiteral("image")});
    QVERIFY(isSortableId(job.id.toString()));
    COMPARE_ENUM(job.status, JobStatus::Pending);
    QVERIFY(job.createdAt.toMSecsSinceEpoch() >= before);
    QCOMPARE(job.updatedAt, job.createdAt);

    const auto stored = m_store->job(job.id);
    VERIFY_OK(stored);
    QVERIFY(stored->has_value());
    QVERIFY(**stored == job);

    const auto steps = m_store->steps(job.id);
    VERIFY_OK(steps);
    QCOMPARE(steps->size(), 3);
    const QStringList names{QStringLiteral("concept"), QStringLiteral("prompt"),
                            QStringLiteral("image")};
    for (int i = 0; i < 3; ++i) {
        const StepRecord &step = steps->at(i);
        QCOMPARE(step.name, names.at(i));
        QCOMPARE(step.ordinal, i);
        COMPARE_ENUM(step.status, StepStatus::Pending);
        QCOMPARE(step.jobId, job.id);
        QCOMPARE(step.attemptCount, 0);
    }

    const auto events = m_store->events(job.id);
    VERIFY_OK(events);
    QCOMPARE(events->size(), 1);
    QCOMPARE(events->first().kind, QStringLiteral("created"));
    QVERIFY(events->first().stepId.isNull());
    QVERIFY(events->first().data.contains("\"steps\":[\"concept\",\"prompt\",\"image\"]"));
}

void TestJobStore::queuePositionsIncrease()
{
    const JobRecord a = makeJob();
    const JobRecord b = makeJob();
    const JobRecord c = makeJob();
    QCOMPARE(a.queuePosition, qint64(1));
    QCOMPARE(b.queuePosition, qint64(2));
    QCOMPARE(c.queuePosition, qint64(3));
    VERIFY_OK(m_store->deleteJob(c.id));
    QCOMPARE(makeJob().queuePosition, qint64(3));
}

void TestJobStore::jobRoundTrip_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("output");
    QTest::addColumn<QString>("text");

    QTest::newRow("ascii") << QByteArray("{\"brief\":\"plain\"}") << QByteArray("{\"ok\":true}")
                           << QStringLiteral("plain text");
    QTest::newRow("non-ascii text and json")
        << unicodeJson << unicodeJson << QStringLiteral("Grüße 日本語 🚀 עברית\ttab\nnewline");
    QTest::newRow("binary-ish json with raw NUL and DEL")
        << binaryishJson << binaryishJson << QStringLiteral("x");
    QTest::newRow("empty payloads") << QByteArray() << QByteArray() << QString();
    QTest::newRow("one megabyte payload")
        << QByteArray(1 << 20, 'j') << QByteArray(1000, 'o') << QString(5000, u'é');
}

void TestJobStore::jobRoundTrip()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, output);
    QFETCH(QString, text);

    JobRecord job = makeJob(input);
    QCOMPARE(job.inputPayload, input);
    VERIFY_OK(m_store->updateJobStatus(job.id, JobStatus::NeedsAttention, text, text, text));
    VERIFY_OK(m_store->setJobOutput(job.id, output));

    const auto stored = m_store->job(job.id);
    VERIFY_OK(stored);
    const JobRecord &read = stored->value();
    QCOMPARE(read.id, job.id);
    QCOMPARE(read.workflowType, QStringLiteral("campaign"));
    COMPARE_ENUM(read.status, JobStatus::NeedsAttention);
    QCOMPARE(read.currentStep, text);
    QCOMPARE(read.errorType, text);
    QCOMPARE(read.errorMessage, text);
    QCOMPARE(read.inputPayload, input);
    QCOMPARE(read.outputPayload, output);
    QCOMPARE(read.queuePosition, job.queuePosition);
    QCOMPARE(read.createdAt, job.createdAt);
    QVERIFY(read.updatedAt >= job.createdAt);
    QCOMPARE(read.createdAt.timeSpec(), Qt::UTC);
}

void TestJobStore::stepRoundTrip()
{
    const JobRecord job = makeJob();
    StepRecord step = m_store->steps(job.id)->first();
    step.status = StepStatus::Processing;
    step.attemptCount = 3;
    step.inputPayload = unicodeJson;
    step.outputPayload = binaryishJson;
    step.errorType = QStringLiteral("rate_limited");
    step.errorMessage = QStringLiteral("Zu viele Anfragen — später erneut versuchen 🙏");
    step.startedAt = utcMs(1767225600123);
    step.completedAt = QDateTime::fromMSecsSinceEpoch(1767225609999, Qt::LocalTime);
    VERIFY_OK(m_store->updateStep(step));

    const auto read = m_store->step(step.id);
    VERIFY_OK(read);
    QVERIFY(read->has_value());
    QVERIFY(**read == step);
    QCOMPARE((*read)->completedAt.toMSecsSinceEpoch(), 1767225609999);

    step.completedAt = QDateTime(); // back to NULL
    VERIFY_OK(m_store->updateStep(step));
    QVERIFY(!(*m_store->step(step.id))->completedAt.isValid());
}

void TestJobStore::callRoundTrip()
{
    const JobRecord job = makeJob();
    const StepRecord step = m_store->steps(job.id)->first();
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    const auto intent = m_store->recordCallIntent(job.id, step.id, 1,
                                                  QStringLiteral("black-forest-labs/flux-schnell"),
                                                  QStringLiteral("ab12").repeated(16));
    VERIFY_OK(intent);
    COMPARE_ENUM(intent->state, CallState::Creating);
    QVERIFY(intent->createdAt.toMSecsSinceEpoch() >= before);
    QVERIFY(intent->predictionId.isEmpty());

    ProviderCallRecord call = *intent;
    call.predictionId = QStringLiteral("gm3qorzdhgbfurvjtvhg6dckhu");
    call.state = CallState::Succeeded;
    call.providerStatus = QStringLiteral("succeeded");
    call.rawLastResponse = allBytes() + unicodeJson;
    call.metrics = QByteArray("{\"predict_time\":1.25,\"total_time\":2.5}");
    call.submittedAt = utcMs(1767225600001);
    call.completedAt = utcMs(1767225602502);
    call.errorType = QStringLiteral("server_error");
    call.errorMessage = QStringLiteral("Replicate had a problem (HTTP 503)");
    VERIFY_OK(m_store->updateCall(call));

    const auto calls = m_store->calls(step.id);
    VERIFY_OK(calls);
    QCOMPARE(calls->size(), 1);
    ProviderCallRecord read = calls->first();
    QVERIFY(read.updatedAt >= intent->updatedAt);
    QCOMPARE(read.rawLastResponse, call.rawLastResponse);
    read.updatedAt = call.updatedAt; // set by the store
    QVERIFY(read == call);
}

void TestJobStore::outputRoundTrip()
{
    const JobRecord job = makeJob();
    const StepRecord step = m_store->steps(job.id)->last();
    OutputRecord output;
    output.jobId = job.id;
    output.stepId = step.id;
    output.kind = QStringLiteral("image");
    output.filePath = QStringLiteral("/data/outputs/ab/Café 日本 🚀.png");
    output.sha256 =
        QStringLiteral("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    output.mime = QStringLiteral("image/png");
    output.width = 1024;
    output.height = 768;
    output.bytes = 5'000'000'000LL;
    output.sourceUrl = QStringLiteral("https://replicate.delivery/pbxt/abc/out-0.png");
    const auto added = m_store->addOutput(output);
    VERIFY_OK(added);
    QVERIFY(isSortableId(added->id.toString()));
    QVERIFY(added->createdAt.isValid());

    OutputRecord jobLevel;
    jobLevel.id = OutputId(QStringLiteral("explicit-id"));
    jobLevel.jobId = job.id;
    jobLevel.kind = QStringLiteral("report");
    jobLevel.createdAt = utcMs(1767225600000);
    VERIFY_OK(m_store->addOutput(jobLevel));

    const auto outputs = m_store->outputs(job.id);
    VERIFY_OK(outputs);
    QCOMPARE(outputs->size(), 2);
    QVERIFY(outputs->at(0) == jobLevel); // older createdAt first
    QVERIFY(outputs->at(0).stepId.isNull());
    QVERIFY(outputs->at(1) == *added);
}

void TestJobStore::eventsRoundTripInAppendOrder()
{
    QCOMPARE(binaryishJson.indexOf('\0'), 7); // the raw NUL really is in the payload
    const JobRecord job = makeJob();
    const StepRecord step = m_store->steps(job.id)->first();
    VERIFY_OK(m_store->appendEvent(job.id, step.id, QStringLiteral("step_started"),
                                   QStringLiteral("Schritt „concept“ gestartet"), unicodeJson));
    VERIFY_OK(m_store->appendEvent(job.id, StepId(), QStringLiteral("note"), QString()));
    VERIFY_OK(m_store->appendEvent(job.id, step.id, QStringLiteral("raw"), QStringLiteral("r"),
                                   binaryishJson));
    const auto events = m_store->events(job.id);
    VERIFY_OK(events);
    QCOMPARE(events->size(), 4); // "created" first
    QCOMPARE(events->at(1).stepId, step.id);
    QCOMPARE(events->at(1).message, QStringLiteral("Schritt „concept“ gestartet"));
    QCOMPARE(events->at(1).data, unicodeJson);
    QVERIFY(events->at(2).stepId.isNull());
    QVERIFY(events->at(2).data.isEmpty());
    QCOMPARE(events->at(3).data, binaryishJson);
    for (int i = 1; i < events->size(); ++i) {
        QVERIFY(events->at(i).seq > events->at(i - 1).seq);
        QVERIFY(events->at(i).time >= events->at(i - 1).time);
        QCOMPARE(events->at(i).jobId, job.id);
    }
}

void TestJobStore::listing_data()
{
    QTest::addColumn<std::optional<JobStatus>>("status");
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("limit");
    QTest::addColumn<int>("offset");
    QTest::addColumn<QList<int>>("expected"); // indexes of the jobs made below

    // Jobs 0..5 are created in order; statuses: 0 succeeded, 1 pending, 2 failed, 3 processing,
    // 4 pending, 5 succeeded.
    const std::optional<JobStatus> any;
    QTest::newRow("all: queued in queue order, then the rest newest first")
        << any << QString() << 200 << 0 << QList<int>{1, 3, 4, 5, 2, 0};
    QTest::newRow("pending in queue order")
        << std::optional(JobStatus::Pending) << QString() << 200 << 0 << QList<int>{1, 4};
    QTest::newRow("succeeded newest first")
        << std::optional(JobStatus::Succeeded) << QString() << 200 << 0 << QList<int>{5, 0};
    QTest::newRow("text matches a substring of the payload")
        << any << QStringLiteral("köln") << 200 << 0 << QList<int>{3};
    QTest::newRow("text is case-insensitive for ascii")
        << any << QStringLiteral("SUMMER") << 200 << 0 << QList<int>{1, 2};
    QTest::newRow("like wildcards are literal")
        << any << QStringLiteral("50%_off") << 200 << 0 << QList<int>{4};
    QTest::newRow("status and text together")
        << std::optional(JobStatus::Failed) << QStringLiteral("summer") << 200 << 0
        << QList<int>{2};
    QTest::newRow("limit and offset page through")
        << any << QString() << 2 << 2 << QList<int>{4, 5};
    QTest::newRow("no limit") << any << QString() << 0 << 0 << QList<int>{1, 3, 4, 5, 2, 0};
}

void TestJobStore::listing()
{
    QFETCH(std::optional<JobStatus>, status);
    QFETCH(QString, text);
    QFETCH(int, limit);
    QFETCH(int, offset);
    QFETCH(QList<int>, expected);

    const QList<QByteArray> payloads{"{\"t\":\"winter\"}",      "{\"t\":\"Summer sale\"}",
                                     "{\"t\":\"summer end\"}",  "{\"t\":\"Köln\"}",
                                     "{\"t\":\"50%_off now\"}", "{\"t\":\"50%Xoff\"}"};
    const QList<JobStatus> statuses{JobStatus::Succeeded, JobStatus::Pending,
                                    JobStatus::Failed,    JobStatus::Processing,
                                    JobStatus::Pending,   JobStatus::Succeeded};
    QList<JobId> ids;
    for (int i = 0; i < payloads.size(); ++i) {
        ids << makeJob(payloads.at(i)).id;
        VERIFY_OK(m_store->updateJobStatus(ids.last(), statuses.at(i), QString()));
    }
    const auto jobs = m_store->jobs(JobQuery{status, text, limit, offset});
    VERIFY_OK(jobs);
    QList<int> got;
    for (const JobRecord &job : *jobs)
        got << static_cast<int>(ids.indexOf(job.id));
    QCOMPARE(got, expected);
}

void TestJobStore::countsCoverEveryStatus()
{
    const auto empty = m_store->jobCounts();
    VERIFY_OK(empty);
    QCOMPARE(empty->size(), 6);
    for (int count : *empty)
        QCOMPARE(count, 0);
    const JobRecord a = makeJob();
    makeJob();
    VERIFY_OK(m_store->updateJobStatus(a.id, JobStatus::Failed, QString()));
    const auto counts = m_store->jobCounts();
    VERIFY_OK(counts);
    QCOMPARE(counts->value(JobStatus::Pending), 1);
    QCOMPARE(counts->value(JobStatus::Failed), 1);
    QCOMPARE(counts->value(JobStatus::Succeeded), 0);
}

void TestJobStore::missingRowsAreNotFound_data()
{
    QTest::addColumn<int>("operation");
    QTest::newRow("updateJobStatus") << 0;
    QTest::newRow("setJobOutput") << 1;
    QTest::newRow("deleteJob") << 2;
    QTest::newRow("updateStep") << 3;
    QTest::newRow("recordCallIntent for an unknown step") << 4;
    QTest::newRow("updateCall") << 5;
    QTest::newRow("appendEvent for an unknown job") << 6;
    QTest::newRow("addOutput for an unknown job") << 7;
}

void TestJobStore::missingRowsAreNotFound()
{
    QFETCH(int, operation);
    const JobId nobody = JobId::generate();
    StoreError error;
    auto capture = [&](const auto &result) {
        QVERIFY(!result.ok());
        error = result.error();
    };
    switch (operation) {
    case 0:
        capture(m_store->updateJobStatus(nobody, JobStatus::Failed, QString()));
        break;
    case 1:
        capture(m_store->setJobOutput(nobody, "{}"));
        break;
    case 2:
        capture(m_store->deleteJob(nobody));
        break;
    case 3: {
        StepRecord step;
        step.id = StepId::generate();
        capture(m_store->updateStep(step));
        break;
    }
    case 4:
        capture(m_store->recordCallIntent(nobody, StepId::generate(), 1, QStringLiteral("m"),
                                          QStringLiteral("h")));
        break;
    case 5: {
        ProviderCallRecord call;
        call.id = ProviderCallId::generate();
        capture(m_store->updateCall(call));
        break;
    }
    case 6:
        capture(m_store->appendEvent(nobody, StepId(), QStringLiteral("k"), QStringLiteral("m")));
        break;
    case 7: {
        OutputRecord output;
        output.jobId = nobody;
        capture(m_store->addOutput(output));
        break;
    }
    }
    COMPARE_ENUM(error.kind, StoreError::Kind::NotFound);
    QCOMPARE(error.file, m_store->fileName());
    QVERIFY(error.message.contains(m_store->fileName()));
}

void TestJobStore::intentForStepOfAnotherJobIsRefused()
{
    const JobRecord a = makeJob();
    const JobRecord b = makeJob();
    const auto r = m_store->recordCallIntent(a.id, m_store->steps(b.id)->first().id, 1,
                                             QStringLiteral("m"), QStringLiteral("h"));
    QVERIFY(!r);
    COMPARE_ENUM(r.error().kind, StoreError::Kind::Constraint);
}

void TestJobStore::sameAttemptTwiceIsRefused()
{
    const JobRecord job = makeJob();
    const StepId step = m_store->steps(job.id)->first().id;
    VERIFY_OK(m_store->recordCallIntent(job.id, step, 1, QStringLiteral("m"), QStringLiteral("h")));
    const auto again =
        m_store->recordCallIntent(job.id, step, 1, QStringLiteral("m"), QStringLiteral("h"));
    QVERIFY(!again);
    COMPARE_ENUM(again.error().kind, StoreError::Kind::Constraint);
    VERIFY_OK(m_store->recordCallIntent(job.id, step, 2, QStringLiteral("m"), QStringLiteral("h")));
    QCOMPARE(m_store->calls(step)->size(), 2);
    // The failed attempt left the store usable and its statement cache healthy.
    VERIFY_OK(m_store->recordCallIntent(job.id, step, 3, QStringLiteral("m"), QStringLiteral("h")));
}

void TestJobStore::unsettledCallsAreTheOnesToFollow()
{
    const JobRecord job = makeJob();
    const StepId step = m_store->steps(job.id)->first().id;
    const QList<CallState> states{CallState::Creating,  CallState::Submitted, CallState::Unknown,
                                  CallState::Succeeded, CallState::Failed,    CallState::Canceled};
    QList<ProviderCallId> ids;
    for (int i = 0; i < states.size(); ++i) {
        auto call = m_store->recordCallIntent(job.id, step, i + 1, QStringLiteral("m"),
                                              QStringLiteral("h"));
        VERIFY_OK(call);
        call->state = states.at(i);
        VERIFY_OK(m_store->updateCall(*call));
        ids << call->id;
    }
    const auto unsettled = m_store->unsettledCalls();
    VERIFY_OK(unsettled);
    QCOMPARE(unsettled->size(), 3);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(unsettled->at(i).id, ids.at(i));
        QVERIFY(isUnsettled(unsettled->at(i).state));
    }
}

void TestJobStore::callAndOutputLookups()
{
    const JobRecord job = makeJob();
    const StepId step = m_store->steps(job.id)->first().id;
    auto call =
        m_store->recordCallIntent(job.id, step, 1, QStringLiteral("m"), QStringLiteral("h"));
    VERIFY_OK(call);
    call->predictionId = QStringLiteral("pred-1");
    call->state = CallState::Submitted;
    VERIFY_OK(m_store->updateCall(*call));
    const auto found = m_store->callForPrediction(QStringLiteral("pred-1"));
    VERIFY_OK(found);
    QVERIFY(found->has_value());
    QCOMPARE((*found)->id, call->id);
    QVERIFY(!m_store->callForPrediction(QStringLiteral("pred-2"))->has_value());

    OutputRecord output;
    output.jobId = job.id;
    output.sha256 = QStringLiteral("aa");
    VERIFY_OK(m_store->addOutput(output));
    VERIFY_OK(m_store->addOutput(output));
    QCOMPARE(m_store->outputsWithSha256(QStringLiteral("aa"))->size(), 2);
    QCOMPARE(m_store->outputsWithSha256(QStringLiteral("bb"))->size(), 0);
}

void TestJobStore::deleteCascadesToEverything()
{
    const JobRecord doomed = makeJob();
    const JobRecord kept = makeJob();
    for (const JobRecord &job : {doomed, kept}) {
        const StepId step = m_store->steps(job.id)->first().id;
        VERIFY_OK(
            m_store->recordCallIntent(job.id, step, 1, QStringLiteral("m"), QStringLiteral("h")));
        OutputRecord output;
        output.jobId = job.id;
        output.stepId = step;
        VERIFY_OK(m_store->addOutput(output));
        VERIFY_OK(m_store->appendEvent(job.id, step, QStringLiteral("k"), QStringLiteral("m")));
    }
    const StepId doomedStep = m_store->steps(doomed.id)->first().id;
    VERIFY_OK(m_store->deleteJob(doomed.id));

    QVERIFY(!m_store->job(doomed.id)->has_value());
    QVERIFY(m_store->steps(doomed.id)->isEmpty());
    QVERIFY(!m_store->step(doomedStep)->has_value());
    QVERIFY(m_store->calls(doomedStep)->isEmpty());
    QVERIFY(m_store->outputs(doomed.id)->isEmpty());
    QVERIFY(m_store->events(doomed.id)->isEmpty());
    QCOMPARE(m_store->unsettledCalls()->size(), 1);

    QVERIFY(m_store->job(kept.id)->has_value());
    QCOMPARE(m_store->steps(kept.id)->size(), 2);
    QCOMPARE(m_store->outputs(kept.id)->size(), 1);
    QCOMPARE(m_store->events(kept.id)->size(), 2);
    VERIFY_OK(m_store->integrityCheck());
}

void TestJobStore::readerSeesDataAndRefusesWrites_data()
{
    QTest::addColumn<int>("operation");
    QTest::newRow("createJob") << 0;
    QTest::newRow("updateJobStatus") << 1;
    QTest::newRow("updateStep") << 2;
    QTest::newRow("recordCallIntent") << 3;
    QTest::newRow("appendEvent") << 4;
    QTest::newRow("addOutput") << 5;
    QTest::newRow("deleteJob") << 6;
    QTest::newRow("beginBatch") << 7;
}

void TestJobStore::readerSeesDataAndRefusesWrites()
{
    QFETCH(int, operation);
    const JobRecord job = makeJob();
    auto reader = test::openTestStore(*m_dir, JobStore::Mode::Reader);
    QVERIFY(reader);
    QCOMPARE(reader->mode(), JobStore::Mode::Reader);
    QVERIFY(reader->job(job.id)->has_value());
    const StepRecord step = reader->steps(job.id)->first();

    StoreError error;
    auto capture = [&](const auto &result) {
        QVERIFY(!result.ok());
        error = result.error();
    };
    switch (operation) {
    case 0:
        capture(reader->createJob({QStringLiteral("w"), {}, {}}));
        break;
    case 1:
        capture(reader->updateJobStatus(job.id, JobStatus::Failed, QString()));
        break;
    case 2:
        capture(reader->updateStep(step));
        break;
    case 3:
        capture(
            reader->recordCallIntent(job.id, step.id, 1, QStringLiteral("m"), QStringLiteral("h")));
        break;
    case 4:
        capture(reader->appendEvent(job.id, StepId(), QStringLiteral("k"), QStringLiteral("m")));
        break;
    case 5: {
        OutputRecord output;
        output.jobId = job.id;
        capture(reader->addOutput(output));
        break;
    }
    case 6:
        capture(reader->deleteJob(job.id));
        break;
    case 7:
        capture(reader->beginBatch());
        break;
    }
    COMPARE_ENUM(error.kind, StoreError::Kind::ReadOnly);
    QCOMPARE(m_store->jobs({})->size(), 1);
    QCOMPARE(m_store->events(job.id)->size(), 1);
}

QTEST_GUILESS_MAIN(TestJobStore)
#include "tst_jobstore.moc"
