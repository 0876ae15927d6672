// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Stuck steps: now and then the engine looks at the predictions it follows and flags a step
// stuck, with a reason in plain words, when its prediction runs past the step's timeout (the
// provider should have stopped it) or far past the model's usual run time (learned from
// history; never guessed without it). The user (or the CLI, through the database) can keep
// waiting (a snooze) or retry now: the stuck prediction is cancelled at the provider and its
// end recorded before a new attempt starts, so one step never has two live predictions.
#include <algorithm>
#include <cmath>

#include <QLoggingCategory>

#include "core/pipeline/engineactive_p.h"
#include "core/pipeline/jobstatus.h"
#include "pipelineengine.h"

Q_DECLARE_LOGGING_CATEGORY(lcEngine)

namespace brieflow {

namespace {

/** "40 s", "2.5 s", "6 min 10 s", "1 h 5 min": a duration as people say it. */
QString spoken(qint64 ms)
{
    ms = qMax<qint64>(0, ms);
    if (ms < 10'000) {
        const double s = std::round(double(ms) / 100.0) / 10.0;
        return PipelineEngine::tr("%1 s").arg(s, 0, 'g', 2);
    }
    const qint64 s = (ms + 500) / 1000;
    if (s < 60)
        return PipelineEngine::tr("%1 s").arg(s);
    if (s < 3600) {
        return s % 60 ? PipelineEngine::tr("%1 min %2 s").arg(s / 60).arg(s % 60)
                      : PipelineEngine::tr("%1 min").arg(s / 60);
    }
    const qint64 min = (s % 3600) / 60;
    return min ? PipelineEngine::tr("%1 h %2 min").arg(s / 3600).arg(min)
               : PipelineEngine::tr("%1 h").arg(s / 3600);
}

} // namespace

QString PipelineEngine::stuckReason(const ActivePtr &a, const QDateTime &now, qint64 *thresholdMs)
{
    const ProviderCallRecord &call = *a->call;
    const QDateTime since = call.submittedAt.isValid() ? call.submittedAt : call.createdAt;
    if (!since.isValid())
        return {};
    const qint64 elapsed = since.msecsTo(now);

    // The provider enforces Cancel-After; a prediction running on past it is stuck for certain.
    const qint64 limit =
        std::chrono::duration_cast<std::chrono::milliseconds>(a->definition->timeout).count();
    if (limit > 0 && elapsed > limit + m_options.stuckTimeoutGrace.count()) {
        *thresholdMs = limit + m_options.stuckTimeoutGrace.count();
        return tr("Running for %1, past this step's %2 limit; Replicate should have stopped it.")
            .arg(spoken(elapsed), spoken(limit));
    }

    // Far past the usual run time: only with history to compare with.
    const auto usual = expectedRunTime(call.modelRef);
    if (!usual)
        return {};
    const bool starting = call.providerStatus == toString(PredictionStatus::Starting);
    const qint64 floor =
        (starting ? m_options.stuckStartingFloor : m_options.stuckRunTimeFloor).count();
    const qint64 threshold =
        std::max(static_cast<qint64>(m_options.stuckRunTimeFactor * double(usual->count())), floor);
    if (elapsed <= threshold)
        return {};
    *thresholdMs = threshold;
    if (starting) {
        return tr("Waiting at Replicate for %1 without starting; this model usually finishes in "
                  "about %2.")
            .arg(spoken(elapsed), spoken(usual->count()));
    }
    return tr("Running for %1; this model usually takes about %2.")
        .arg(spoken(elapsed), spoken(usual->count()));
}

void PipelineEngine::checkStuck()
{
    if (!m_running)
        return;

    // "Retry now" asked by another process (the CLI) for a job this engine runs.
    if (const auto requests = m_store.stuckRetryRequests(); requests) {
        for (const StepRecord &step : *requests) {
            const ActivePtr a = m_active.value(step.jobId);
            if (a && a->index >= 0 && a->step().id == step.id) {
                if (auto started = retryStuck(a); !started) {
                    qCWarning(lcEngine) << "retry of stuck job" << step.jobId.toString()
                                        << "refused:" << started.error().message;
                }
            }
            if (auto cleared = m_store.clearStuckRetryRequest(step.id); !cleared)
                qCWarning(lcEngine)
                    << "could not clear a retry request:" << cleared.error().message;
        }
    } else {
        qCWarning(lcEngine) << "cannot read retry requests:" << requests.error().message;
    }

    const QDateTime now = QDateTime::currentDateTimeUtc();
    const auto active = m_active.values();
    for (const ActivePtr &a : active) {
        if (a->generation == 0 || a->index < 0 || !a->call || !a->definition
            || a->predictionId.isEmpty() || a->canceling || m_restarting.contains(a->predictionId))
            continue;
        const auto stored = m_store.step(a->step().id);
        if (!stored || !*stored)
            continue;
        const StepRecord &step = **stored;
        qint64 threshold = 0;
        QString reason = stuckReason(a, now, &threshold);
        if (!reason.isEmpty() && step.stuckSnoozedUntil.isValid() && now < step.stuckSnoozedUntil)
            reason.clear(); // the user chose to keep waiting
        if (reason.isEmpty()) {
            if (step.isStuck()) {
                if (auto cleared = m_store.clearStepStuck(step.id); !cleared) {
                    storeFailed(a, cleared.error());
                    continue;
                }
                markDirty(a->job.id);
            }
            continue;
        }
        if (reason == step.stuckReason)
            continue;
        const auto flagged = m_store.setStepStuck(step.id, reason, threshold);
        if (!flagged) {
            storeFailed(a, flagged.error());
            continue;
        }
        if (*flagged && !step.isStuck()) {
            qCInfo(lcEngine) << "job" << a->job.id.toString() << step.name << "prediction"
                             << a->predictionId << "looks stuck:" << reason;
            if (auto logged = m_ledger.note(a->job.id, step.id, QStringLiteral("stuck"), reason);
                !logged)
                qCWarning(lcEngine) << "could not log a stuck step:" << logged.error().message;
        }
        markDirty(a->job.id);
    }
}

Result<int, ActionError> PipelineEngine::keepWaiting(const JobId &job)
{
    auto snoozed = brieflow::keepWaiting(m_store, job);
    if (snoozed)
        markDirty(job);
    return snoozed;
}

Result<JobRecord, ActionError> PipelineEngine::retryStuck(const ActivePtr &a)
{
    const ActionError running{ActionError::Kind::NotAllowed,
                              tr("The job is running; cancel it first to run it again.")};
    if (a->index < 0 || !a->call || a->predictionId.isEmpty() || a->canceling)
        return fail(running);
    const auto stored = m_store.step(a->step().id);
    if (!stored)
        return fail(ActionError{ActionError::Kind::Storage, stored.error().message});
    if (!*stored || !(*stored)->isStuck())
        return fail(running);
    const auto job = m_store.job(a->job.id);
    if (!job || !*job)
        return fail(ActionError{ActionError::Kind::Storage,
                                job ? tr("The job is gone.") : job.error().message});
    const QString id = a->predictionId;
    if (m_restarting.contains(id))
        return **job; // already on its way
    m_restarting.insert(id);
    if (auto logged =
            m_ledger.note(a->job.id, a->step().id, QStringLiteral("stuck_retry"),
                          tr("Retry now: cancelling the stuck prediction %1 first").arg(id));
        !logged)
        qCWarning(lcEngine) << "could not log a retry:" << logged.error().message;
    qCInfo(lcEngine) << "job" << a->job.id.toString() << "retry now: cancelling stuck prediction"
                     << id;
    const JobId jobId = a->job.id;
    const quint64 generation = a->generation;
    m_provider.cancelPrediction(
        id, this, [this, jobId, generation, id](const ProviderResult<Prediction> &result) {
            if (const ActivePtr active = activeFor(jobId, generation))
                onStuckCanceled(active, id, result);
            else
                m_restarting.remove(id);
        });
    markDirty(a->job.id);
    return **job;
}

void PipelineEngine::onStuckCanceled(const ActivePtr &a, const QString &id,
                                     const ProviderResult<Prediction> &result)
{
    if (a->predictionId != id) {
        m_restarting.remove(id); // it ended meanwhile and went its usual way
        return;
    }
    if (!result) {
        // Not cancelled: no new attempt (that could make two live predictions); keep following.
        m_restarting.remove(id);
        qCWarning(lcEngine) << "could not cancel stuck prediction" << id << ':'
                            << result.error().describe();
        if (auto logged =
                m_ledger.note(a->job.id, a->step().id, QStringLiteral("stuck_retry_failed"),
                              tr("Couldn't cancel the stuck prediction at Replicate (%1); "
                                 "still waiting for it.")
                                  .arg(result.error().describe()));
            !logged)
            qCWarning(lcEngine) << "could not log:" << logged.error().message;
        markDirty(a->job.id);
        return;
    }
    if (isTerminal(result->status)) {
        // Its end is known now: handle it at once (onFinished starts the new attempt, or keeps
        // a success that won the race).
        m_follower.stop(id);
        onFinished(*result);
    }
    // Otherwise the provider is still stopping it: the follower reports the end.
}

void PipelineEngine::restartAfterCancel(const ActivePtr &a, const Prediction &prediction)
{
    const StepError error{QString(StuckRetryErrorType),
                          tr("Cancelled at Replicate to try again: it was stuck."),
                          QStringLiteral("prediction %1 ended %2 after a cancel for retry now")
                              .arg(prediction.id, toString(prediction.status))};
    if (auto stored = m_ledger.callFinished(*a->call, prediction, &error); !stored) {
        storeFailed(a, stored.error());
        return;
    }
    // A new run of the step: the attempts before no longer count against its retry policy.
    const auto current = m_store.step(a->step().id);
    if (!current || !*current) {
        storeFailed(a, current ? StoreError{} : current.error());
        return;
    }
    a->step() = **current;
    a->step().startedAt = QDateTime::currentDateTimeUtc();
    if (auto stored = m_store.updateStep(a->step()); !stored) {
        storeFailed(a, stored.error());
        return;
    }
    qCInfo(lcEngine) << "job" << a->job.id.toString() << a->step().name
                     << "stuck prediction ended (" << toString(prediction.status)
                     << "); starting a new attempt";
    markDirty(a->job.id);
    newAttempt(a);
}

} // namespace brieflow
