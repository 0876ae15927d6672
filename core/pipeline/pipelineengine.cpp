// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipelineengine.h"

#include <algorithm>
#include <utility>

#include <QLoggingCategory>

#include "core/outputs/outputdownloader.h"
#include "core/pipeline/engineactive_p.h"
#include "core/pipeline/jobstatus.h"
#include "core/pipeline/stepoutput.h"
#include "core/util/canonicaljson.h"
#include "core/workflow/steptemplate.h"

Q_LOGGING_CATEGORY(lcEngine, "brieflow.core.engine")

namespace brieflow {

namespace {

/** Failures that say nothing about the step: they never use up its attempts. */
bool countsAsAttempt(const QString &errorType)
{
    // A 429 that outlasted the client's own patience is Replicate saying "not now": waiting
    // longer is the answer, not giving up on the step.
    return errorType != StepErrorType::Unauthenticated
           && errorType != StepErrorType::InsufficientCredit
           && errorType != StepErrorType::NotCreated && errorType != StepErrorType::RateLimited
           && errorType != StepErrorType::BudgetReached && !errorType.isEmpty();
}

} // namespace

PipelineEngine::PipelineEngine(JobStore &store, ModelProvider &provider,
                               OutputDownloader &downloader, Workflow workflow,
                               EngineOptions options, const MonotonicClock &clock, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_ledger(store)
    , m_provider(provider)
    , m_downloader(downloader)
    , m_workflow(std::move(workflow))
    , m_options(std::move(options))
    , m_follower(provider, clock)
    , m_random(m_options.jitterSeed ? m_options.jitterSeed : std::random_device{}())
{
    m_options.maxConcurrentJobs = qMax(1, m_options.maxConcurrentJobs);
    m_options.maxPredictionsInFlight = qMax(1, m_options.maxPredictionsInFlight);
    m_follower.poller().setBudget(qMax(1.0, m_options.pollBudgetPerSecond));
    m_wakeTimer.setSingleShot(true);
    connect(&m_wakeTimer, &QTimer::timeout, this, &PipelineEngine::schedulePump);
    // Other processes (the CLI) queue jobs too: look at the queue now and then.
    m_pollTimer.setInterval(static_cast<int>(m_options.queuePollInterval.count()));
    connect(&m_pollTimer, &QTimer::timeout, this, &PipelineEngine::schedulePump);
    // Predictions that run far longer than they should are flagged stuck (enginestuck.cpp).
    m_stuckTimer.setInterval(static_cast<int>(m_options.stuckCheckInterval.count()));
    connect(&m_stuckTimer, &QTimer::timeout, this, &PipelineEngine::checkStuck);
    // The daily budget's day ends at local midnight (enginebudget.cpp).
    m_budgetTimer.setSingleShot(true);
    connect(&m_budgetTimer, &QTimer::timeout, this, &PipelineEngine::resumeIfBudgetAllows);
    m_notifyTimer.setSingleShot(true);
    connect(&m_notifyTimer, &QTimer::timeout, this, [this] {
        if (m_dirty.isEmpty())
            return;
        const QList<JobId> jobs = m_dirty.values();
        m_dirty.clear();
        Q_EMIT jobsChanged(jobs);
    });
    connect(&m_provider, &ModelProvider::rateLimited, this, &PipelineEngine::rateLimited);
    connect(&m_follower, &PredictionFollower::updated, this, &PipelineEngine::onUpdated);
    connect(&m_follower, &PredictionFollower::finished, this, &PipelineEngine::onFinished);
    connect(&m_follower, &PredictionFollower::lost, this, &PipelineEngine::onLost);
}

PipelineEngine::~PipelineEngine()
{
    stop();
}

void PipelineEngine::start()
{
    if (m_running)
        return;
    m_running = true;
    m_idleReported = false;
    if (m_options.queuePollInterval.count() > 0)
        m_pollTimer.start();
    if (m_options.stuckCheckInterval.count() > 0)
        m_stuckTimer.start();
    // A restart is the natural moment to try a token or account again.
    const auto resumed = m_ledger.clearAttention(
        {StepErrorType::Unauthenticated, StepErrorType::InsufficientCredit});
    if (resumed) {
        for (const JobId &job : *resumed)
            markDirty(job);
    } else {
        qCWarning(lcEngine) << "could not resume paused jobs:" << resumed.error().message;
    }
    m_takenUp.clear();
    // Jobs that waited at the daily budget run again if it allows it now; while it is still
    // spent the queue stays paused (work already in flight is taken up and finishes).
    if (const auto reached = budgetReached()) {
        m_problem = {reached->type, reached->message};
        m_budgetDay = budgetNow().date();
        armBudgetTimer();
        Q_EMIT attentionChanged(m_problem);
    } else {
        resumeIfBudgetAllows();
    }
    schedulePump();
}

void PipelineEngine::stop()
{
    if (!m_running)
        return;
    m_running = false;
    const auto active = m_active.values();
    for (const ActivePtr &a : active) {
        a->create.abort();
        a->list.abort();
        a->stream.abort();
        for (const quint64 id : std::as_const(a->downloads))
            m_downloader.abort(id);
        if (!a->predictionId.isEmpty())
            m_follower.stop(a->predictionId);
        a->timer.reset();
    }
    m_active.clear();
    m_byPrediction.clear();
    m_slotWaiters.clear();
    m_inFlight = 0;
    m_wakeTimer.stop();
    m_pollTimer.stop();
    m_stuckTimer.stop();
    m_budgetTimer.stop();
    m_restarting.clear();
}

bool PipelineEngine::isIdle() const
{
    if (!m_active.isEmpty())
        return false;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const auto runnable = m_store.runnableJobs(now, 1);
    if (!runnable || !runnable->isEmpty())
        return false;
    const auto next = m_store.nextRunAfter(now);
    return next && !next->isValid();
}

void PipelineEngine::wake()
{
    schedulePump();
}

void PipelineEngine::tokenChanged()
{
    const auto resumed = m_ledger.clearAttention(
        {StepErrorType::Unauthenticated, StepErrorType::InsufficientCredit});
    if (!resumed) {
        qCWarning(lcEngine) << "could not resume paused jobs:" << resumed.error().message;
        return;
    }
    for (const JobId &job : *resumed)
        markDirty(job);
    if (!m_problem.isNull()) {
        m_problem = {};
        Q_EMIT attentionChanged(m_problem);
    }
    schedulePump();
}

// --- scheduling ----------------------------------------------------------------------------

void PipelineEngine::schedulePump()
{
    if (m_pumpScheduled || !m_running)
        return;
    m_pumpScheduled = true;
    QMetaObject::invokeMethod(this, &PipelineEngine::pump, Qt::QueuedConnection);
}

void PipelineEngine::pump()
{
    m_pumpScheduled = false;
    if (!m_running)
        return;
    if (m_problem.errorType == StepErrorType::BudgetReached && budgetNow().date() != m_budgetDay)
        resumeIfBudgetAllows(); // a new day
    const bool atBudget = m_problem.errorType == StepErrorType::BudgetReached;
    if ((m_problem.isNull() || atBudget) && !m_paused) {
        const int free = m_options.maxConcurrentJobs - static_cast<int>(m_active.size());
        if (free > 0) {
            const QDateTime now = QDateTime::currentDateTimeUtc();
            const auto runnable =
                m_store.runnableJobs(now, static_cast<int>(m_active.size()) + free);
            if (!runnable) {
                qCWarning(lcEngine) << "cannot read the queue:" << runnable.error().message;
                m_wakeTimer.start(5000);
                return;
            }
            int started = 0;
            for (const JobRecord &job : *runnable) {
                if (started == free)
                    break;
                if (m_active.contains(job.id))
                    continue;
                // At the budget only jobs already under way are taken up: what they have in
                // flight finishes, and their next attempt waits like the rest.
                if (atBudget && job.status != JobStatus::Processing)
                    continue;
                startJob(job);
                ++started;
            }
        }
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (const auto next = m_store.nextRunAfter(now); next && next->isValid()) {
        const qint64 ms = qMax<qint64>(0, now.msecsTo(*next)) + 1;
        if (!m_wakeTimer.isActive() || m_wakeTimer.remainingTime() > ms)
            m_wakeTimer.start(static_cast<int>(qMin<qint64>(ms, 24 * 3600 * 1000)));
    }
    checkIdle();
}

void PipelineEngine::checkIdle()
{
    if (!m_active.isEmpty() || m_pumpScheduled) {
        m_idleReported = false;
        return;
    }
    if (m_idleReported || !isIdle())
        return;
    m_idleReported = true;
    // Flush pending change notifications first, so listeners see the final states.
    if (!m_dirty.isEmpty()) {
        m_notifyTimer.stop();
        const QList<JobId> jobs = m_dirty.values();
        m_dirty.clear();
        Q_EMIT jobsChanged(jobs);
    }
    Q_EMIT idle();
}

void PipelineEngine::markDirty(const JobId &job)
{
    m_dirty.insert(job);
    if (!m_notifyTimer.isActive())
        m_notifyTimer.start(static_cast<int>(m_options.notifyInterval.count()));
}

PipelineEngine::ActivePtr PipelineEngine::activeFor(const JobId &job, quint64 generation) const
{
    const ActivePtr a = m_active.value(job);
    return a && a->generation == generation ? a : nullptr;
}

void PipelineEngine::startJob(const JobRecord &job)
{
    auto a = std::make_shared<Active>();
    a->generation = ++m_generation;
    a->job = job;
    // Its first take-up since start(): work in flight then is left from before (a restart).
    a->firstTakeUp = !m_takenUp.contains(job.id);
    m_takenUp.insert(job.id);
    m_active.insert(job.id, a);
    m_idleReported = false;
    advance(a);
}

void PipelineEngine::drop(const ActivePtr &a)
{
    releaseSlot(a);
    a->create.abort();
    a->list.abort();
    a->stream.abort();
    a->timer.reset();
    if (!a->predictionId.isEmpty()) {
        m_follower.stop(a->predictionId);
        m_byPrediction.remove(a->predictionId);
    }
    if (m_active.value(a->job.id) == a)
        m_active.remove(a->job.id);
    a->generation = 0; // any callback still on its way finds nothing
    markDirty(a->job.id);
    schedulePump();
}

void PipelineEngine::settle(const ActivePtr &a)
{
    const auto job = m_store.job(a->job.id);
    const JobId id = a->job.id;
    drop(a);
    if (job && *job && isFinal((*job)->status))
        m_takenUp.remove(id);
    if (job && *job && (isFinal((*job)->status) || (*job)->status == JobStatus::NeedsAttention))
        Q_EMIT jobSettled(id, (*job)->status);
}

bool PipelineEngine::storeFailed(const ActivePtr &a, const StoreError &error)
{
    // The database refused a write (disk full, I/O): what is committed stays true, so drop
    // the job from memory; it resumes from the store once writes work again.
    qCWarning(lcEngine) << "job" << a->job.id.toString()
                        << "paused: database write failed:" << error.message << error.detail;
    m_problem = {StepErrorType::StorageFailed,
                 error.kind == StoreError::Kind::DiskFull
                     ? tr("The disk is full, so Brieflow could not save its job database (%1). "
                          "Free some space: work resumes by itself.")
                           .arg(error.file)
                     : tr("Brieflow could not write to its job database (%1). Free some disk "
                          "space; work resumes by itself.")
                           .arg(error.message)};
    Q_EMIT attentionChanged(m_problem);
    drop(a);
    const auto recheck = std::max(std::chrono::milliseconds(50), m_options.storeRecheck);
    QTimer::singleShot(recheck, this, [this] {
        if (m_problem.errorType == StepErrorType::StorageFailed) {
            m_problem = {};
            Q_EMIT attentionChanged(m_problem);
            schedulePump();
        }
    });
    return false;
}

void PipelineEngine::acquireSlot(const ActivePtr &a, std::function<void()> then)
{
    if (a->holdsSlot) {
        then();
        return;
    }
    if (m_inFlight < m_options.maxPredictionsInFlight) {
        ++m_inFlight;
        a->holdsSlot = true;
        then();
        return;
    }
    a->onSlot = std::move(then);
    m_slotWaiters.append(a);
}

void PipelineEngine::releaseSlot(const ActivePtr &a)
{
    if (!a->holdsSlot)
        return;
    a->holdsSlot = false;
    --m_inFlight;
    while (!m_slotWaiters.isEmpty() && m_inFlight < m_options.maxPredictionsInFlight) {
        const ActivePtr next = m_slotWaiters.takeFirst().lock();
        if (!next || next->generation == 0 || !next->onSlot)
            continue;
        ++m_inFlight;
        next->holdsSlot = true;
        auto then = std::move(next->onSlot);
        next->onSlot = nullptr;
        // Not from inside the releasing code path: the releaser may still be unwinding.
        QMetaObject::invokeMethod(
            this, [then = std::move(then)] { then(); }, Qt::QueuedConnection);
    }
}

// --- one step at a time ----------------------------------------------------------------------

void PipelineEngine::advance(const ActivePtr &a)
{
    if (!m_running || a->generation == 0)
        return;
    auto steps = m_store.steps(a->job.id);
    if (!steps) {
        storeFailed(a, steps.error());
        return;
    }
    a->steps = *steps;
    a->call.reset();
    a->finished.reset();
    a->downloads.clear();
    a->fetched.clear();
    a->reconcileRound = 0;
    a->reconcileErrors = 0;
    a->downloadRounds = 0;
    a->streamedText.clear();
    if (!a->predictionId.isEmpty()) {
        m_byPrediction.remove(a->predictionId);
        a->predictionId.clear();
    }

    a->index = -1;
    for (qsizetype i = 0; i < a->steps.size(); ++i) {
        if (a->steps.at(i).status != StepStatus::Succeeded) {
            a->index = i;
            break;
        }
    }
    const JobStatus status = deriveJobStatus(a->steps);
    if (a->index < 0 || a->canceling || isFinal(status) || status == JobStatus::NeedsAttention) {
        // Done, or stopped from outside (cancelled by another process, say): make the job row
        // agree with its steps and let it go.
        if (auto synced = m_ledger.syncJob(a->job.id); !synced) {
            storeFailed(a, synced.error());
            return;
        }
        settle(a);
        return;
    }
    StepRecord &step = a->step();
    a->definition = m_workflow.step(step.name);
    if (!a->definition) {
        const StepError error{QString(StepErrorType::WorkflowError),
                              tr("This job has a step \"%1\" that the workflow \"%2\" does not "
                                 "know; it can't run.")
                                  .arg(step.name, m_workflow.id),
                              {}};
        if (auto failed = m_ledger.stepFailed(step, error); !failed)
            storeFailed(a, failed.error());
        else
            settle(a);
        return;
    }
    markDirty(a->job.id);
    if (m_paused && step.status == StepStatus::Pending) {
        // Paused between steps: the next step waits; the job stays in the queue.
        if (auto synced = m_ledger.syncJob(a->job.id); !synced) {
            storeFailed(a, synced.error());
            return;
        }
        drop(a);
        return;
    }
    const bool recovering = std::exchange(a->firstTakeUp, false);
    if (a->definition->kind == StepKind::Store) {
        runStoreStep(a);
        return;
    }
    if (step.status == StepStatus::Processing) {
        // Resume what the store says was going on.
        const auto calls = m_store.calls(step.id);
        if (!calls) {
            storeFailed(a, calls.error());
            return;
        }
        if (!calls->isEmpty()) {
            const ProviderCallRecord &last = calls->constLast();
            switch (last.state) {
            case CallState::Submitted:
            case CallState::Succeeded:
                // Known prediction: follow it (a succeeded one is read again for its outputs).
                a->call = last;
                if (recovering)
                    noteRecovered(a, last);
                acquireSlot(a, [this, a] { follow(a, nullptr, a->call->predictionId); });
                return;
            case CallState::Creating:
            case CallState::Unknown:
                a->call = last;
                if (recovering)
                    noteRecovered(a, last);
                acquireSlot(a, [this, a] { reconcile(a); });
                return;
            case CallState::Failed:
            case CallState::Canceled:
                break; // waiting for the next attempt, which is due now
            }
        }
    }
    newAttempt(a);
}

QHash<QString, QString> PipelineEngine::textOutputs(const ActivePtr &a) const
{
    QHash<QString, QString> texts;
    for (qsizetype i = 0; i < a->index; ++i) {
        const StepRecord &s = a->steps.at(i);
        const StepDefinition *d = m_workflow.step(s.name);
        if (d && d->kind == StepKind::Text)
            texts.insert(s.name, textOfStepOutput(s.outputPayload));
    }
    return texts;
}

int PipelineEngine::failedAttempts(const StepRecord &step) const
{
    const auto calls = m_store.calls(step.id);
    if (!calls)
        return 0;
    int failed = 0;
    for (const ProviderCallRecord &call : *calls) {
        // Only this run's attempts: a user's retry starts the count again.
        if (step.startedAt.isValid() && call.createdAt < step.startedAt)
            continue;
        if ((call.state == CallState::Failed || call.state == CallState::Canceled
             || call.state == CallState::Succeeded)
            && countsAsAttempt(call.errorType))
            ++failed;
    }
    return failed;
}

void PipelineEngine::newAttempt(const ActivePtr &a)
{
    const StepDefinition &def = *a->definition;
    TemplateContext context;
    context.briefJson = a->job.inputPayload;
    context.stepOutputs = textOutputs(a);
    const auto input = renderStepInput(def, context);
    if (!input) {
        const StepError error{QString(StepErrorType::WorkflowError),
                              tr("The input for %1 could not be prepared: %2")
                                  .arg(def.title.isEmpty() ? def.name : def.title, input.error()),
                              {}};
        if (auto failed = m_ledger.stepFailed(a->step(), error); !failed)
            storeFailed(a, failed.error());
        else
            settle(a);
        return;
    }
    const QString modelText = m_options.modelOverrides.value(def.name, def.model);
    const auto model = ModelRef::parse(modelText);
    if (!model) {
        const StepError error{QString(StepErrorType::InvalidInput),
                              tr("\"%1\" is not a model reference (owner/name or "
                                 "owner/name:version). Fix the model for %2 in Settings.")
                                  .arg(modelText, def.name),
                              {}};
        if (auto failed = m_ledger.stepFailed(a->step(), error); !failed)
            storeFailed(a, failed.error());
        else
            settle(a);
        return;
    }
    acquireSlot(a, [this, a, bytes = *input, ref = *model] {
        if (a->generation != 0)
            createNow(a, bytes, ref);
    });
}

void PipelineEngine::createNow(const ActivePtr &a, const QByteArray &input, const ModelRef &model)
{
    if (!m_running)
        return;
    if (const auto reached = budgetReached()) {
        // No intent, no attempt used up: the step waits for the budget (enginebudget.cpp).
        qCInfo(lcEngine) << "job" << a->job.id.toString() << a->step().name
                         << "waits: the daily budget is reached";
        m_budgetDay = budgetNow().date();
        pauseForAttention(a, *reached);
        armBudgetTimer();
        return;
    }
    // The intent is durable (synchronous=FULL) before a byte goes out.
    auto call = m_ledger.beginAttempt(a->step(), input, model.toString(), sha256Hex(input));
    if (!call) {
        storeFailed(a, call.error());
        return;
    }
    a->call = *call;
    markDirty(a->job.id);

    CreateRequest request;
    request.model = model;
    request.input = input;
    request.cancelAfter = a->definition->timeout;
    request.stream = a->definition->stream && a->definition->kind == StepKind::Text;
    if (m_options.webhookUrl.isValid()) {
        request.webhook = m_options.webhookUrl;
        request.webhookEventsFilter = m_options.webhookEvents;
    }
    const JobId job = a->job.id;
    const quint64 generation = a->generation;
    a->create = m_provider.createPrediction(
        request, this, [this, job, generation](const ProviderResult<Prediction> &result) {
            if (const ActivePtr active = activeFor(job, generation))
                onCreated(active, result);
        });
}

bool PipelineEngine::canceledElsewhere(const ActivePtr &a)
{
    if (a->canceling)
        return true;
    // Another process (the CLI's cancel, say) may have cancelled the job meanwhile.
    const auto job = m_store.job(a->job.id);
    if (job && *job && (*job)->status == JobStatus::Canceled)
        a->canceling = true;
    return a->canceling;
}

void PipelineEngine::onCreated(const ActivePtr &a, const ProviderResult<Prediction> &result)
{
    a->create = {};
    canceledElsewhere(a);
    if (result) {
        if (auto stored = m_ledger.predictionCreated(*a->call, *result); !stored) {
            storeFailed(a, stored.error());
            return;
        }
        markDirty(a->job.id);
        follow(a, &*result, result->id);
        return;
    }
    const ProviderError &error = result.error();
    const StepError stepError = stepErrorFrom(error);
    if (error.kind == ProviderError::Kind::OutcomeUnknown) {
        if (auto stored = m_ledger.createOutcomeUnknown(*a->call, stepError); !stored) {
            storeFailed(a, stored.error());
            return;
        }
        reconcile(a);
        return;
    }
    // Provably nothing was created.
    if (auto stored = m_ledger.callFailed(*a->call, stepError); !stored) {
        storeFailed(a, stored.error());
        return;
    }
    releaseSlot(a);
    if (stepError.pausesQueue())
        pauseForAttention(a, stepError);
    else
        attemptFailed(a, stepError);
}

void PipelineEngine::follow(const ActivePtr &a, const Prediction *known, const QString &id)
{
    if (a->generation == 0 || !m_running)
        return;
    if (a->canceling) {
        // Cancelled while the create was on its way: cancel what it made, keep following.
        m_provider.cancelPrediction(id, this, [](const ProviderResult<Prediction> &) {});
    }
    a->predictionId = id;
    m_byPrediction.insert(id, a->job.id);
    // Polls cluster around the model's usual finish time instead of a blind interval.
    const auto expected = expectedRunTime(a->call->modelRef);
    if (known)
        m_follower.follow(*known, expected);
    else
        m_follower.follow(id, expected);
    if (known && a->definition->stream && a->definition->kind == StepKind::Text
        && known->streamUrl.isValid()) {
        const JobId job = a->job.id;
        const quint64 generation = a->generation;
        a->stream = m_provider.streamPrediction(
            *known, this,
            [this, job, generation](const QList<StreamChunk> &chunks) {
                const ActivePtr active = activeFor(job, generation);
                if (!active)
                    return;
                for (const StreamChunk &chunk : chunks) {
                    if (chunk.kind == StreamChunk::Kind::Text)
                        active->streamedText += chunk.value;
                }
                Q_EMIT stepTextUpdated(job, active->step().name, active->streamedText);
            },
            [](const ProviderResult<StreamEnd> &) {
                // Polling stays the source of truth; the stream only shows progress.
            });
    }
}

void PipelineEngine::onUpdated(const Prediction &prediction)
{
    const ActivePtr a = m_active.value(m_byPrediction.value(prediction.id));
    if (!a || !a->call)
        return;
    // A final state is written once, with its outcome, when the follower reports it finished.
    if (!isTerminal(prediction.status) && a->call->providerStatus != toString(prediction.status)) {
        if (auto stored = m_ledger.predictionProgressed(*a->call, prediction); !stored) {
            storeFailed(a, stored.error());
            return;
        }
        markDirty(a->job.id);
    }
    if (a->definition->kind == StepKind::Text && a->stream.isNull()
        && !prediction.outputText.isEmpty())
        Q_EMIT stepTextUpdated(a->job.id, a->step().name, prediction.outputText);
}

void PipelineEngine::onFinished(const Prediction &prediction)
{
    const ActivePtr a = m_active.value(m_byPrediction.take(prediction.id));
    if (!a || !a->call || a->predictionId != prediction.id)
        return;
    a->predictionId.clear();
    a->stream.abort();
    a->stream = {};
    releaseSlot(a);
    canceledElsewhere(a);
    if (m_restarting.remove(prediction.id) && prediction.status != PredictionStatus::Succeeded
        && !a->canceling) {
        restartAfterCancel(a, prediction); // a stuck prediction cancelled for "retry now"
        return;
    }
    if (prediction.status == PredictionStatus::Succeeded) {
        learnRunTime(a->call->modelRef, prediction);
        markDirty(a->job.id);
        // Also when the job was cancelled meanwhile: a success that won the race is kept.
        if (a->definition->kind == StepKind::Text) {
            finishText(a, prediction); // records the call with the step's outcome
            return;
        }
        if (auto stored = m_ledger.callFinished(*a->call, prediction, nullptr); !stored) {
            storeFailed(a, stored.error());
            return;
        }
        downloadImages(a, prediction);
        return;
    }
    const StepError error = stepErrorFrom(prediction);
    if (auto stored = m_ledger.callFinished(*a->call, prediction, &error); !stored) {
        storeFailed(a, stored.error());
        return;
    }
    if (a->canceling) {
        settle(a);
        return;
    }
    attemptFailed(a, error);
}

void PipelineEngine::onLost(const QString &id, const ProviderError &providerError)
{
    const ActivePtr a = m_active.value(m_byPrediction.take(id));
    if (!a || !a->call || a->predictionId != id)
        return;
    a->predictionId.clear();
    releaseSlot(a);
    if (canceledElsewhere(a)) {
        settle(a);
        return;
    }
    StepError error = stepErrorFrom(providerError);
    if (error.pausesQueue()) {
        // The prediction is still there; it is followed again once the token works.
        pauseForAttention(a, error);
        return;
    }
    error.type = StepErrorType::PredictionLost;
    error.message = tr("Replicate no longer knows prediction %1; Brieflow will start the step "
                       "again.")
                        .arg(id);
    if (auto stored = m_ledger.callFailed(*a->call, error); !stored) {
        storeFailed(a, stored.error());
        return;
    }
    attemptFailed(a, error);
}

void PipelineEngine::attemptFailed(const ActivePtr &a, const StepError &error)
{
    StepRecord &step = a->step();
    if (canceledElsewhere(a)) {
        settle(a);
        return;
    }
    const RetryPolicy &policy = a->definition->retry;
    const int failed = failedAttempts(step);
    const bool throttled = error.type == StepErrorType::RateLimited;
    if (!throttled && (!policy.retries(error.type) || failed >= policy.maxAttempts)) {
        StepError final = error;
        if (policy.retries(error.type)) {
            final.message =
                tr("%1 (gave up after %n attempt(s))", nullptr, failed).arg(error.message);
        }
        if (auto stored = m_ledger.stepFailed(step, final); !stored) {
            storeFailed(a, stored.error());
            return;
        }
        settle(a);
        return;
    }
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    const auto wait = policy.backoff(qMax(1, failed), unit(m_random));
    const QDateTime at = QDateTime::currentDateTimeUtc().addMSecs(wait.count());
    if (auto stored = m_ledger.retryScheduled(step, error, at); !stored) {
        storeFailed(a, stored.error());
        return;
    }
    qCInfo(lcEngine) << "job" << a->job.id.toString() << step.name << "retries in" << wait.count()
                     << "ms:" << error.type;
    drop(a);
}

void PipelineEngine::pauseForAttention(const ActivePtr &a, const StepError &error)
{
    if (auto stored = m_ledger.stepNeedsAttention(a->step(), error); !stored) {
        storeFailed(a, stored.error());
        return;
    }
    if (m_problem.errorType != error.type) {
        m_problem = {error.type, error.message};
        Q_EMIT attentionChanged(m_problem);
    }
    settle(a);
}

} // namespace brieflow
