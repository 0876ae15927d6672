// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// The engine's user actions (retry, cancel), the settings applied while it runs (concurrency,
// models, polling budget, pause) and what it learns from history (each model's usual run
// time, to poll near the expected finish).
#include <algorithm>

#include <QLoggingCategory>

#include "core/pipeline/engineactive_p.h"
#include "pipelineengine.h"

Q_DECLARE_LOGGING_CATEGORY(lcEngine)

namespace brieflow {

std::optional<std::chrono::milliseconds> PipelineEngine::expectedRunTime(const QString &model)
{
    constexpr int window = 15;
    auto it = m_runTimes.find(model);
    if (it == m_runTimes.end()) {
        const auto history = m_store.recentRunTimes(model, window);
        it = m_runTimes.insert(model, history ? *history : QList<qint64>());
    }
    if (it->isEmpty())
        return std::nullopt;
    QList<qint64> sorted = *it;
    std::sort(sorted.begin(), sorted.end());
    return std::chrono::milliseconds(sorted.at(sorted.size() / 2));
}

void PipelineEngine::learnRunTime(const QString &model, const Prediction &prediction)
{
    if (!prediction.createdAt.isValid() || !prediction.completedAt.isValid())
        return;
    const qint64 ms = prediction.createdAt.msecsTo(prediction.completedAt);
    if (ms < 0)
        return;
    expectedRunTime(model); // loads the history first
    QList<qint64> &times = m_runTimes[model];
    times.prepend(ms);
    if (times.size() > 15)
        times.removeLast();
}

// --- user actions ------------------------------------------------------------------------------

Result<JobRecord, ActionError> PipelineEngine::retry(const RetryRequest &request)
{
    // A running job can be retried only when its step is stuck (enginestuck.cpp).
    if (const ActivePtr a = m_active.value(request.job);
        a && request.fromStep.isEmpty() && !request.editedInput)
        return retryStuck(a);
    if (m_active.contains(request.job)) {
        return fail(ActionError{ActionError::Kind::NotAllowed,
                                tr("The job is running; cancel it first to run it again.")});
    }
    auto prepared = prepareRetry(m_store, m_workflow, request);
    if (prepared) {
        markDirty(request.job);
        schedulePump();
    }
    return prepared;
}

Result<CancelOutcome, ActionError> PipelineEngine::cancel(const JobId &job)
{
    auto outcome = markCanceled(m_store, job);
    if (!outcome || outcome->alreadyFinal)
        return outcome;
    markDirty(job);
    const ActivePtr a = m_active.value(job);
    QStringList toCancel = outcome->predictionsToCancel;
    if (a) {
        a->canceling = true;
        if (!a->predictionId.isEmpty() && !toCancel.contains(a->predictionId))
            toCancel << a->predictionId;
        // Not following anything (waiting for a slot, or between steps): nothing can race.
        if (a->predictionId.isEmpty() && a->create.isNull() && a->list.isNull()
            && a->downloads.isEmpty())
            settle(a);
    } else {
        Q_EMIT jobSettled(job, JobStatus::Canceled);
    }
    for (const QString &id : std::as_const(toCancel)) {
        m_provider.cancelPrediction(id, this, [id](const ProviderResult<Prediction> &result) {
            if (!result) {
                qCWarning(lcEngine)
                    << "cancelling prediction" << id << "failed:" << result.error().describe();
            }
        });
    }
    return outcome;
}

// --- settings applied while running --------------------------------------------------------

void PipelineEngine::setConcurrency(int maxJobs, int maxPredictionsInFlight)
{
    m_options.maxConcurrentJobs = qMax(1, maxJobs);
    m_options.maxPredictionsInFlight = qMax(1, maxPredictionsInFlight);
    schedulePump();
}

void PipelineEngine::setModelOverrides(const QHash<QString, QString> &overrides)
{
    m_options.modelOverrides = overrides;
}

void PipelineEngine::setPollBudget(double perSecond)
{
    m_options.pollBudgetPerSecond = qMax(1.0, perSecond);
    m_follower.poller().setBudget(m_options.pollBudgetPerSecond);
}

void PipelineEngine::setPaused(bool paused)
{
    if (m_paused == paused)
        return;
    m_paused = paused;
    qCInfo(lcEngine) << (paused ? "queue paused" : "queue resumed");
    schedulePump();
}

} // namespace brieflow
