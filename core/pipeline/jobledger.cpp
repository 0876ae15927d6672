// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobledger.h"

#include <QJsonDocument>
#include <QJsonObject>

#include "core/pipeline/jobstatus.h"
#include "core/provider/providertypes.h"

namespace brieflow {

namespace {

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray metricsOf(const Prediction &p)
{
    QJsonObject metrics;
    if (p.predictTime)
        metrics.insert(QStringLiteral("predict_time"), *p.predictTime);
    if (p.totalTime)
        metrics.insert(QStringLiteral("total_time"), *p.totalTime);
    if (p.startedAt.isValid())
        metrics.insert(QStringLiteral("started_at"), p.startedAt.toString(Qt::ISODateWithMs));
    if (p.createdAt.isValid())
        metrics.insert(QStringLiteral("created_at"), p.createdAt.toString(Qt::ISODateWithMs));
    return metrics.isEmpty() ? QByteArray() : compact(metrics);
}

QJsonObject errorData(const StepError &error)
{
    return {{QStringLiteral("error_type"), error.type}, {QStringLiteral("detail"), error.detail}};
}

} // namespace

Result<JobState, StoreError> JobLedger::syncJob(const JobId &job, const QDateTime &runAfter)
{
    const auto steps = m_store.steps(job);
    if (!steps)
        return fail(steps.error());
    JobState state = deriveJobState(*steps);
    if (state.status == JobStatus::Processing || state.status == JobStatus::Pending)
        state.runAfter = runAfter;
    if (auto written = m_store.updateJobState(job, state); !written)
        return fail(written.error());
    return state;
}

Result<void, StoreError> JobLedger::note(const JobId &job, const StepId &step, const QString &kind,
                                         const QString &message, const QByteArray &data)
{
    return m_store.appendEvent(job, step, kind, message, data);
}

Result<ProviderCallRecord, StoreError> JobLedger::beginAttempt(StepRecord &step,
                                                               const QByteArray &input,
                                                               const QString &modelRef,
                                                               const QString &inputSha256)
{
    auto batch = m_store.beginBatch(JobStore::Durability::Full);
    if (!batch)
        return fail(batch.error());
    StepRecord next = step;
    next.status = StepStatus::Processing;
    next.attemptCount = step.attemptCount + 1;
    next.inputPayload = input;
    if (!next.startedAt.isValid())
        next.startedAt = QDateTime::currentDateTimeUtc();
    next.completedAt = {};
    if (auto written = m_store.updateStep(next); !written)
        return fail(written.error());
    auto call =
        m_store.recordCallIntent(step.jobId, step.id, next.attemptCount, modelRef, inputSha256);
    if (!call)
        return call;
    if (auto synced = syncJob(step.jobId); !synced)
        return fail(synced.error());
    if (auto logged = note(step.jobId, step.id, QStringLiteral("attempt_started"),
                           QStringLiteral("Attempt %1 of %2 with %3")
                               .arg(next.attemptCount)
                               .arg(step.name, modelRef),
                           compact({{QStringLiteral("attempt"), next.attemptCount},
                                    {QStringLiteral("model"), modelRef},
                                    {QStringLiteral("input_sha256"), inputSha256}}));
        !logged)
        return fail(logged.error());
    if (auto committed = batch->commit(); !committed)
        return fail(committed.error());
    step = next;
    return call;
}

Result<void, StoreError> JobLedger::predictionCreated(ProviderCallRecord &call,
                                                      const Prediction &prediction)
{
    ProviderCallRecord next = call;
    next.predictionId = prediction.id;
    next.state = isTerminal(prediction.status) ? call.state : CallState::Submitted;
    if (next.state == CallState::Creating || next.state == CallState::Unknown)
        next.state = CallState::Submitted;
    next.providerStatus = toString(prediction.status);
    next.rawLastResponse = prediction.raw;
    next.submittedAt = QDateTime::currentDateTimeUtc();
    // The id at once, with its event in the same commit: from here a restart follows it
    // instead of guessing.
    return writeCall(call, next, QStringLiteral("prediction_created"),
                     QStringLiteral("Prediction %1 created").arg(prediction.id),
                     compact({{QStringLiteral("prediction_id"), prediction.id},
                              {QStringLiteral("attempt"), call.attempt}}));
}

Result<void, StoreError> JobLedger::createOutcomeUnknown(ProviderCallRecord &call,
                                                         const StepError &error)
{
    ProviderCallRecord next = call;
    next.state = CallState::Unknown;
    next.errorType = error.type;
    next.errorMessage = error.detail;
    return writeCall(call, next, QStringLiteral("create_outcome_unknown"), error.message,
                     compact(errorData(error)));
}

Result<void, StoreError> JobLedger::predictionAdopted(ProviderCallRecord &call, const QString &id,
                                                      const QString &message)
{
    ProviderCallRecord next = call;
    next.predictionId = id;
    next.state = CallState::Submitted;
    next.submittedAt = QDateTime::currentDateTimeUtc();
    return writeCall(call, next, QStringLiteral("prediction_adopted"), message,
                     compact({{QStringLiteral("prediction_id"), id},
                              {QStringLiteral("attempt"), call.attempt}}));
}

Result<void, StoreError> JobLedger::predictionProgressed(ProviderCallRecord &call,
                                                         const Prediction &prediction)
{
    ProviderCallRecord next = call;
    next.providerStatus = toString(prediction.status);
    next.rawLastResponse = prediction.raw;
    if (const QByteArray metrics = metricsOf(prediction); !metrics.isEmpty())
        next.metrics = metrics;
    if (auto written = m_store.updateCall(next); !written)
        return written;
    call = next;
    return {};
}

Result<void, StoreError> JobLedger::callFinished(ProviderCallRecord &call,
                                                 const Prediction &prediction,
                                                 const StepError *error)
{
    ProviderCallRecord next = call;
    if (next.predictionId.isEmpty())
        next.predictionId = prediction.id;
    next.providerStatus = toString(prediction.status);
    next.rawLastResponse = prediction.raw;
    if (const QByteArray metrics = metricsOf(prediction); !metrics.isEmpty())
        next.metrics = metrics;
    next.completedAt =
        prediction.completedAt.isValid() ? prediction.completedAt : QDateTime::currentDateTimeUtc();
    switch (prediction.status) {
    case PredictionStatus::Succeeded:
        next.state = CallState::Succeeded;
        next.errorType.clear();
        next.errorMessage.clear();
        break;
    case PredictionStatus::Canceled:
        next.state = CallState::Canceled;
        break;
    default:
        next.state = CallState::Failed;
        break;
    }
    if (error) {
        next.errorType = error->type;
        next.errorMessage = error->message;
    }
    if (auto written = m_store.updateCall(next); !written)
        return written;
    call = next;
    return {};
}

Result<void, StoreError> JobLedger::callFailed(ProviderCallRecord &call, const StepError &error)
{
    ProviderCallRecord next = call;
    next.state = CallState::Failed;
    next.errorType = error.type;
    next.errorMessage = error.message;
    next.completedAt = QDateTime::currentDateTimeUtc();
    if (auto written = m_store.updateCall(next); !written)
        return written;
    call = next;
    return {};
}

Result<void, StoreError> JobLedger::finishStep(StepRecord &step, StepStatus status,
                                               const StepError *error, const QString &eventKind,
                                               const QString &message, const QDateTime &runAfter)
{
    StepRecord next = step;
    next.status = status;
    next.errorType = error ? error->type : QString();
    next.errorMessage = error ? error->message : QString();
    if (isFinal(status))
        next.completedAt = QDateTime::currentDateTimeUtc();
    if (auto written = m_store.updateStep(next); !written)
        return written;
    if (auto synced = syncJob(step.jobId, runAfter); !synced)
        return fail(synced.error());
    QJsonObject data = error ? errorData(*error) : QJsonObject();
    if (runAfter.isValid())
        data.insert(QStringLiteral("retry_at"), runAfter.toString(Qt::ISODateWithMs));
    if (auto logged = note(step.jobId, step.id, eventKind, message, compact(data)); !logged)
        return logged;
    step = next;
    return {};
}

Result<void, StoreError> JobLedger::writeCall(ProviderCallRecord &call,
                                              const ProviderCallRecord &next,
                                              const QString &eventKind, const QString &message,
                                              const QByteArray &data)
{
    auto batch = m_store.beginBatch();
    if (!batch)
        return fail(batch.error());
    if (auto written = m_store.updateCall(next); !written)
        return written;
    if (auto logged = note(call.jobId, call.stepId, eventKind, message, data); !logged)
        return logged;
    if (auto committed = batch->commit(); !committed)
        return committed;
    call = next;
    return {};
}

Result<void, StoreError> JobLedger::endStep(StepRecord &step, StepStatus status,
                                            const StepError &error, const QString &eventKind,
                                            const QDateTime &runAfter)
{
    auto batch = m_store.beginBatch();
    if (!batch)
        return fail(batch.error());
    StepRecord next = step;
    if (auto done = finishStep(next, status, &error, eventKind, error.message, runAfter); !done)
        return done;
    if (auto committed = batch->commit(); !committed)
        return committed;
    step = next;
    return {};
}

Result<void, StoreError> JobLedger::stepSucceeded(StepRecord &step, const QByteArray &output,
                                                  QList<OutputRecord> outputs,
                                                  const QByteArray &jobOutput)
{
    auto batch = m_store.beginBatch();
    if (!batch)
        return fail(batch.error());
    for (OutputRecord &record : outputs) {
        record.jobId = step.jobId;
        record.stepId = step.id;
        if (auto added = m_store.addOutput(record); !added)
            return fail(added.error());
    }
    if (!jobOutput.isEmpty()) {
        if (auto written = m_store.setJobOutput(step.jobId, jobOutput); !written)
            return written;
    }
    StepRecord next = step;
    next.outputPayload = output;
    if (auto done = finishStep(
            next, StepStatus::Succeeded, nullptr, QStringLiteral("step_succeeded"),
            outputs.isEmpty()
                ? QStringLiteral("%1 done").arg(step.name)
                : QStringLiteral("%1 done: %2 file(s) stored").arg(step.name).arg(outputs.size()));
        !done)
        return done;
    if (auto committed = batch->commit(); !committed)
        return committed;
    step = next;
    return {};
}

Result<void, StoreError> JobLedger::retryScheduled(StepRecord &step, const StepError &error,
                                                   const QDateTime &retryAt)
{
    return endStep(step, StepStatus::Processing, error, QStringLiteral("retry_scheduled"), retryAt);
}

Result<void, StoreError> JobLedger::stepFailed(StepRecord &step, const StepError &error)
{
    return endStep(step, StepStatus::Failed, error, QStringLiteral("step_failed"));
}

Result<void, StoreError> JobLedger::stepNeedsAttention(StepRecord &step, const StepError &error)
{
    return endStep(step, StepStatus::NeedsAttention, error, QStringLiteral("needs_attention"));
}

Result<QList<JobId>, StoreError> JobLedger::clearAttention(const QStringList &errorTypes)
{
    JobQuery query;
    query.status = JobStatus::NeedsAttention;
    query.limit = 0;
    const auto waiting = m_store.jobs(query);
    if (!waiting)
        return fail(waiting.error());
    QList<JobId> changed;
    auto batch = m_store.beginBatch();
    if (!batch)
        return fail(batch.error());
    for (const JobRecord &job : *waiting) {
        const auto steps = m_store.steps(job.id);
        if (!steps)
            return fail(steps.error());
        for (StepRecord step : *steps) {
            if (step.status != StepStatus::NeedsAttention || !errorTypes.contains(step.errorType))
                continue;
            step.status = step.attemptCount > 0 ? StepStatus::Processing : StepStatus::Pending;
            if (auto written = m_store.updateStep(step); !written)
                return fail(written.error());
            if (auto synced = syncJob(job.id); !synced)
                return fail(synced.error());
            if (auto logged =
                    note(job.id, step.id, QStringLiteral("resumed"),
                         QStringLiteral("Resumed after %1 was fixed").arg(step.errorType));
                !logged)
                return fail(logged.error());
            changed << job.id;
        }
    }
    if (auto committed = batch->commit(); !committed)
        return fail(committed.error());
    return changed;
}

} // namespace brieflow
