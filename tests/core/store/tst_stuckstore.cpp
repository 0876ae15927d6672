// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Stuck steps in the store (schema 6): the flag, its copy on the job, the snooze, retry
// requests, the triggers that clear a flag when the step moves on, the 5 → 6 migration of a
// real file, and the store-level actions (keep waiting, retry of a stuck step without engine).
#include <QTest>

#include "core/pipeline/jobactions.h"
#include "core/store/jobstore.h"
#include "core/store/schema.h"
#include "tests/core/store/rawdatabase.h"
#include "tests/core/store/storetestutil.h"
#include "tests/support/tempdatadir.h"
#include "tests/support/teststore.h"

using namespace brieflow;

class TestStuckStore : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void flagIsSetOnAProcessingStepAndCopiedToTheJob();
    void flagClearsWhenTheStepStatusChanges();
    void newAttemptClearsFlagAndSnooze();
    void callStateChangeClearsFlag();
    void providerStatusChangeClearsOnlyTheReason();
    void keepWaitingSnoozesForTheThreshold();
    void retryRequestsAreListedAndCleared();
    void stuckJobsListsLongestStuckFirst();
    void migrationFrom5KeepsDataAndAddsTheFlag();
    void keepWaitingActionRefusesAJobThatIsNotStuck();
    void stuckRetryWithoutEngineEndsTheCallAndRequeues();

private:
    /** A job whose first step is processing with one submitted call; returns the step. */
    StepRecord processingStep(JobRecord *job = nullptr, ProviderCallRecord *call = nullptr);
    StepRecord readStep(const StepId &id) { return m_store->step(id).value().value(); }
    JobRecord readJob(const JobId &id) { return m_store->job(id).value().value(); }

    std::unique_ptr<test::TempDataDir> m_dir;
    std::unique_ptr<JobStore> m_store;
};

void TestStuckStore::init()
{
    m_dir = std::make_unique<test::TempDataDir>();
    QVERIFY(m_dir->isValid());
    m_store = test::openTestStore(*m_dir);
    QVERIFY(m_store);
}

void TestStuckStore::cleanup()
{
    m_store.reset();
    m_dir.reset();
}

StepRecord TestStuckStore::processingStep(JobRecord *jobOut, ProviderCallRecord *callOut)
{
    const auto job = m_store->createJob({QStringLiteral("campaign_asset"),
                                         QByteArrayLiteral("{\"product_name\":\"Stuck\"}"),
                                         {QStringLiteral("concept"), QStringLiteral("image")}});
    if (!job)
        return {};
    StepRecord step = m_store->steps(job->id).value().first();
    step.status = StepStatus::Processing;
    step.attemptCount = 1;
    step.startedAt = QDateTime::currentDateTimeUtc();
    if (!m_store->updateStep(step))
        return {};
    if (!m_store->updateJobStatus(job->id, JobStatus::Processing, step.name))
        return {};
    auto call = m_store->recordCallIntent(job->id, step.id, 1, QStringLiteral("owner/model"),
                                          QStringLiteral("abc"));
    if (!call)
        return {};
    call->state = CallState::Submitted;
    call->predictionId = QStringLiteral("pred-1");
    call->providerStatus = QStringLiteral("processing");
    call->submittedAt = QDateTime::currentDateTimeUtc();
    if (!m_store->updateCall(*call))
        return {};
    if (jobOut)
        *jobOut = readJob(job->id);
    if (callOut)
        *callOut = *call;
    return readStep(step.id);
}

void TestStuckStore::flagIsSetOnAProcessingStepAndCopiedToTheJob()
{
    JobRecord job;
    const StepRecord step = processingStep(&job);
    QVERIFY(!step.id.isNull());
    QVERIFY(!job.isStuck());
    QVERIFY(!step.isStuck());

    const QDateTime before = QDateTime::currentDateTimeUtc().addMSecs(-1);
    const auto flagged = m_store->setStepStuck(step.id, QStringLiteral("first reason"), 9000);
    VERIFY_OK(flagged);
    QVERIFY(*flagged);
    StepRecord read = readStep(step.id);
    QCOMPARE(read.stuckReason, QStringLiteral("first reason"));
    QCOMPARE(read.stuckThresholdMs, 9000);
    QVERIFY(read.stuckSince >= before);
    const QDateTime since = read.stuckSince;
    QCOMPARE(readJob(job.id).stuckReason, QStringLiteral("first reason"));
    QCOMPARE(readJob(job.id).stuckSince, since);

    // A new reason (the time grew) keeps the time it was first flagged.
    QTest::qWait(5);
    VERIFY_OK(m_store->setStepStuck(step.id, QStringLiteral("second reason"), 9000));
    read = readStep(step.id);
    QCOMPARE(read.stuckReason, QStringLiteral("second reason"));
    QCOMPARE(read.stuckSince, since);
    QCOMPARE(readJob(job.id).stuckReason, QStringLiteral("second reason"));

    // A step that isn't processing is never flagged.
    const StepRecord pending = m_store->steps(job.id).value().at(1);
    COMPARE_ENUM(pending.status, StepStatus::Pending);
    const auto notFlagged = m_store->setStepStuck(pending.id, QStringLiteral("no"), 1);
    VERIFY_OK(notFlagged);
    QVERIFY(!*notFlagged);
    QVERIFY(!readStep(pending.id).isStuck());

    // Clearing clears the job's copy too.
    VERIFY_OK(m_store->clearStepStuck(step.id));
    QVERIFY(!readStep(step.id).isStuck());
    QVERIFY(!readJob(job.id).isStuck());
    QVERIFY(!readJob(job.id).stuckSince.isValid());
}

void TestStuckStore::flagClearsWhenTheStepStatusChanges()
{
    JobRecord job;
    StepRecord step = processingStep(&job);
    VERIFY_OK(m_store->setStepStuck(step.id, QStringLiteral("slow"), 1000));
    VERIFY_OK(m_store->requestStuckRetry(job.id));

    // Writing the step without changing its status keeps the flag.
    step = readStep(step.id);
    step.errorMessage = QStringLiteral("still going");
    VERIFY_OK(m_store->updateStep(step));
    QCOMPARE(readStep(step.id).stuckReason, QStringLiteral("slow"));

    step.status = StepStatus::Succeeded;
    step.completedAt = QDateTime::currentDateTimeUtc();
    VERIFY_OK(m_store->updateStep(step));
    const StepRecord read = readStep(step.id);
    QVERIFY(!read.isStuck());
    QVERIFY(!read.stuckSince.isValid());
    QVERIFY(!read.retryRequestedAt.isValid());
    QCOMPARE(read.stuckThresholdMs, 0);
    QVERIFY(!readJob(job.id).isStuck());
}

void TestStuckStore::newAttemptClearsFlagAndSnooze()
{
    JobRecord job;
    const StepRecord step = processingStep(&job);
    VERIFY_OK(m_store->setStepStuck(step.id, QStringLiteral("slow"), 60'000));
    QCOMPARE(m_store->snoozeStuck(job.id).value(), 1);
    QVERIFY(readStep(step.id).stuckSnoozedUntil.isValid());
    // Flag again (the snooze is the engine's business), then a new attempt starts.
    VERIFY_OK(m_store->setStepStuck(step.id, QStringLiteral("slow again"), 60'000));
    VERIFY_OK(m_store->recordCallIntent(job.id, step.id, 2, QStringLiteral("owner/model"),
                                        QStringLiteral("abc")));
    const StepRecord read = readStep(step.id);
    QVERIFY(!read.isStuck());
    QVERIFY(!read.stuckSnoozedUntil.isValid());
    QVERIFY(!readJob(job.id).isStuck());
}

void TestStuckStore::callStateChangeClearsFlag()
{
    JobRecord job;
    ProviderCallRecord call;
    const StepRecord step = processingStep(&job, &call);
    VERIFY_OK(m_store->setStepStuck(step.id, QStringLiteral("slow"), 1000));
    // The same state written again (logs, metrics) is no change.
    call.metrics = QByteArrayLiteral("{\"predict_time\":1}");
    VERIFY_OK(m_store->updateCall(call));
    QVERIFY(readStep(step.id).isStuck());

    call.state = CallState::Succeeded;
    call.providerStatus = QStringLiteral("succeeded");
    VERIFY_OK(m_store->updateCall(call));
    QVERIFY(!readStep(step.id).isStuck());
    QVERIFY(!readJob(job.id).isStuck());
}

void TestStuckStore::providerStatusChangeClearsOnlyTheReason()
{
    JobRecord job;
    ProviderCallRecord call;
    const StepRecord step = processingStep(&job, &call);
    call.providerStatus = QStringLiteral("starting");
    VERIFY_OK(m_store->updateCall(call));
    VERIFY_OK(m_store->setStepStuck(step.id, QStringLiteral("waiting to start"), 1000));
    VERIFY_OK(m_store->snoozeStuck(job.id));
    VERIFY_OK(m_store->setStepStuck(step.id, QStringLiteral("waiting to start"), 1000));
    const QDateTime snoozed = readStep(step.id).stuckSnoozedUntil;
    QVERIFY(snoozed.isValid());

    call.providerStatus = QStringLiteral("processing");
    VERIFY_OK(m_store->updateCall(call));
    const StepRecord read = readStep(step.id);
    QVERIFY(!read.isStuck());
    QVERIFY(!readJob(job.id).isStuck());
    QCOMPARE(read.stuckSnoozedUntil, snoozed);
}

void TestStuckStore::keepWaitingSnoozesForTheThreshold()
{
    JobRecord job;
    const StepRecord step = processingStep(&job);
    QCOMPARE(m_store->snoozeStuck(job.id).value(), 0); // not stuck: nothing to snooze
    QVERIFY(!readStep(step.id).stuckSnoozedUntil.isValid());

    VERIFY_OK(m_store->setStepStuck(step.id, QStringLiteral("slow"), 90'000));
    const QDateTime before = QDateTime::currentDateTimeUtc();
    QCOMPARE(m_store->snoozeStuck(job.id).value(), 1);
    const QDateTime after = QDateTime::currentDateTimeUtc();
    const StepRecord read = readStep(step.id);
    QVERIFY(!read.isStuck());
    QVERIFY(read.stuckSnoozedUntil >= before.addMSecs(90'000));
    QVERIFY(read.stuckSnoozedUntil <= after.addMSecs(90'000));
    QVERIFY(!readJob(job.id).isStuck());
}

void TestStuckStore::retryRequestsAreListedAndCleared()
{
    JobRecord job;
    const StepRecord step = processingStep(&job);
    QCOMPARE(m_store->requestStuckRetry(job.id).value(), 0); // not stuck
    QVERIFY(m_store->stuckRetryRequests().value().isEmpty());

    VERIFY_OK(m_store->setStepStuck(step.id, QStringLiteral("slow"), 1000));
    QCOMPARE(m_store->requestStuckRetry(job.id).value(), 1);
    const auto requests = m_store->stuckRetryRequests();
    VERIFY_OK(requests);
    QCOMPARE(requests->size(), 1);
    QCOMPARE(requests->first().id, step.id);
    QCOMPARE(requests->first().jobId, job.id);
    QVERIFY(requests->first().retryRequestedAt.isValid());

    VERIFY_OK(m_store->clearStuckRetryRequest(step.id));
    QVERIFY(m_store->stuckRetryRequests().value().isEmpty());
    QVERIFY(readStep(step.id).isStuck()); // the flag itself stays
}

void TestStuckStore::stuckJobsListsLongestStuckFirst()
{
    JobRecord first;
    JobRecord second;
    JobRecord calm;
    const StepRecord a = processingStep(&first);
    const StepRecord b = processingStep(&second);
    processingStep(&calm);
    VERIFY_OK(m_store->setStepStuck(a.id, QStringLiteral("a"), 1));
    QTest::qWait(3);
    VERIFY_OK(m_store->setStepStuck(b.id, QStringLiteral("b"), 1));
    const auto stuck = m_store->stuckJobs();
    VERIFY_OK(stuck);
    QCOMPARE(stuck->size(), 2);
    QCOMPARE(stuck->at(0).id, first.id);
    QCOMPARE(stuck->at(0).stuckReason, QStringLiteral("a"));
    QCOMPARE(stuck->at(1).id, second.id);
    QCOMPARE(m_store->stuckJobs(1).value().size(), 1);
}

void TestStuckStore::migrationFrom5KeepsDataAndAddsTheFlag()
{
    const QString file = m_dir->paths().databaseFile() + QStringLiteral(".v5");
    const JobId jobId = JobId::generate();
    const StepId stepId = StepId::generate();
    {
        const SchemaMigrator v5(SchemaMigrator::standard().migrations().mid(0, 5));
        auto store = JobStore::open(file, JobStore::Mode::Writer, v5);
        VERIFY_OK(store);
        QCOMPARE((*store)->fileSchemaVersion(), 5);
    }
    {
        test::RawDatabase raw(file);
        QVERIFY(raw.exec(QStringLiteral("INSERT INTO jobs (id, workflow_type, status, "
                                        "current_step, queue_position, created_at, updated_at) "
                                        "VALUES ('%1', 'w', 'processing', 'concept', 1, 0, 0)")
                             .arg(jobId.toString())));
        QVERIFY(raw.exec(QStringLiteral("INSERT INTO job_steps (id, job_id, step_name, ordinal, "
                                        "status, attempt_count) VALUES ('%1', '%2', 'concept', "
                                        "0, 'processing', 1)")
                             .arg(stepId.toString(), jobId.toString())));
    }
    auto opened = JobStore::open(file, JobStore::Mode::Writer);
    VERIFY_OK(opened);
    JobStore &store = **opened;
    QCOMPARE(store.fileSchemaVersion(), JobStore::schemaVersion);
    const JobRecord job = store.job(jobId).value().value();
    COMPARE_ENUM(job.status, JobStatus::Processing);
    QVERIFY(!job.isStuck());
    const StepRecord step = store.step(stepId).value().value();
    QCOMPARE(step.name, QStringLiteral("concept"));
    QVERIFY(!step.isStuck());
    QVERIFY(!step.stuckSnoozedUntil.isValid());

    QVERIFY(store.setStepStuck(stepId, QStringLiteral("old job, stuck"), 500).value());
    QCOMPARE(store.job(jobId).value()->stuckReason, QStringLiteral("old job, stuck"));
    VERIFY_OK(store.integrityCheck());
    opened->reset();

    test::RawDatabase raw(file);
    QCOMPARE(raw.column(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = "
                                       "'trigger' AND name LIKE '%stuck%'")),
             QStringList{QStringLiteral("4")});
    QCOMPARE(raw.column(QStringLiteral("SELECT stuck_reason FROM jobs")),
             QStringList{QStringLiteral("old job, stuck")});
}

void TestStuckStore::keepWaitingActionRefusesAJobThatIsNotStuck()
{
    JobRecord job;
    const StepRecord step = processingStep(&job);
    const auto notStuck = keepWaiting(*m_store, job.id);
    QVERIFY(!notStuck);
    QCOMPARE(notStuck.error().kind, ActionError::Kind::NotAllowed);
    const auto missing = keepWaiting(*m_store, JobId::generate());
    QVERIFY(!missing);
    QCOMPARE(missing.error().kind, ActionError::Kind::NotFound);

    VERIFY_OK(m_store->setStepStuck(step.id, QStringLiteral("Running for 9 s"), 4000));
    const auto snoozed = keepWaiting(*m_store, job.id);
    QVERIFY(snoozed);
    QCOMPARE(*snoozed, 1);
    QVERIFY(!readJob(job.id).isStuck());
    QVERIFY(readStep(step.id).stuckSnoozedUntil.isValid());
    const auto events = m_store->events(job.id).value();
    QCOMPARE(events.constLast().kind, QStringLiteral("keep_waiting"));
    QVERIFY(events.constLast().message.contains(QStringLiteral("Running for 9 s")));
}

void TestStuckStore::stuckRetryWithoutEngineEndsTheCallAndRequeues()
{
    JobRecord job;
    ProviderCallRecord call;
    const StepRecord step = processingStep(&job, &call);
    QVERIFY(!planStuckRetry(*m_store, job.id)); // not stuck: refused
    VERIFY_OK(m_store->setStepStuck(step.id, QStringLiteral("way too long"), 1000));

    const auto plan = planStuckRetry(*m_store, job.id);
    QVERIFY(plan);
    QCOMPARE(plan->step.id, step.id);
    QCOMPARE(plan->call.id, call.id);
    QCOMPARE(plan->call.predictionId, QStringLiteral("pred-1"));

    const auto done = finishStuckRetry(*m_store, *plan, QStringLiteral("canceled"));
    QVERIFY2(done, done ? "" : qPrintable(done.error().message));
    COMPARE_ENUM(done->status, JobStatus::Processing);
    QVERIFY(!done->runAfter.isValid());
    QVERIFY(!done->isStuck());
    const auto calls = m_store->calls(step.id).value();
    QCOMPARE(calls.size(), 1);
    COMPARE_ENUM(calls.first().state, CallState::Canceled);
    QCOMPARE(calls.first().errorType, QString(StuckRetryErrorType));
    QCOMPARE(calls.first().providerStatus, QStringLiteral("canceled"));
    const StepRecord read = readStep(step.id);
    COMPARE_ENUM(read.status, StepStatus::Processing);
    QVERIFY(!read.isStuck());
    QVERIFY(read.startedAt >= calls.first().createdAt);
    QCOMPARE(m_store->events(job.id).value().constLast().kind, QStringLiteral("stuck_retry"));
    // The engine picks the job up again at once.
    const auto runnable = m_store->runnableJobs(QDateTime::currentDateTimeUtc(), 0).value();
    QVERIFY(std::any_of(runnable.begin(), runnable.end(),
                        [&](const JobRecord &j) { return j.id == job.id; }));
    // The same plan can't end the call twice.
    QVERIFY(!finishStuckRetry(*m_store, *plan, QStringLiteral("canceled")));
}

QTEST_GUILESS_MAIN(TestStuckStore)
#include "tst_stuckstore.moc"
