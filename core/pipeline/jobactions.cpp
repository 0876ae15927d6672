// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobactions.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

#include "core/pipeline/jobledger.h"
#include "core/pipeline/jobstatus.h"
#include "core/pipeline/stepoutput.h"
#include "core/store/jobstore.h"
#include "core/workflow/workflow.h"

namespace brieflow {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("JobActions", text);
}

ActionError storageError(const StoreError &error)
{
    return {ActionError::Kind::Storage, error.message};
}

ActionError refused(const QString &message)
{
    return {ActionError::Kind::NotAllowed, message};
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

/** The job, or NotFound in the user's words. */
Result<JobRecord, ActionError> existingJob(JobStore &store, const JobId &jobId)
{
    const auto found = store.job(jobId);
    if (!found)
        return fail(storageError(found.error()));
    if (!*found) {
        return fail(ActionError{ActionError::Kind::NotFound,
                                tr("There is no job %1.").arg(jobId.toString())});
    }
    return **found;
}

} // namespace

Result<JobRecord, ActionError> prepareRetry(JobStore &store, const Workflow &workflow,
                                            const RetryRequest &request)
{
    const auto found = existingJob(store, request.job);
    if (!found)
        return fail(found.error());
    const JobRecord job = *found;
    auto stepsRead = store.steps(job.id);
    if (!stepsRead)
        return fail(storageError(stepsRead.error()));
    QList<StepRecord> *steps = &stepsRead.value();

    if (job.status == JobStatus::Pending || job.status == JobStatus::Processing) {
        return fail(
            refused(tr("The job is still %1; cancel it first to run it again.")
                        .arg(job.status == JobStatus::Pending ? tr("queued") : tr("running"))));
    }
    qsizetype from = -1;
    if (request.fromStep.isEmpty()) {
        if (job.status == JobStatus::Succeeded) {
            return fail(refused(tr("The job already succeeded. Name the step to run again "
                                   "from (for example --from image).")));
        }
        for (qsizetype i = 0; i < steps->size(); ++i) {
            if (steps->at(i).status != StepStatus::Succeeded) {
                from = i;
                break;
            }
        }
    } else {
        for (qsizetype i = 0; i < steps->size(); ++i) {
            if (steps->at(i).name == request.fromStep)
                from = i;
        }
        if (from < 0) {
            QStringList names;
            for (const StepRecord &s : *steps)
                names << s.name;
            return fail(ActionError{ActionError::Kind::InvalidInput,
                                    tr("The job has no step \"%1\"; its steps are %2.")
                                        .arg(request.fromStep, names.join(QStringLiteral(", ")))});
        }
        for (qsizetype i = 0; i < from; ++i) {
            if (steps->at(i).status != StepStatus::Succeeded) {
                return fail(refused(tr("Step \"%1\" comes after \"%2\", which has not "
                                       "succeeded; retry from \"%2\" instead.")
                                        .arg(request.fromStep, steps->at(i).name)));
            }
        }
    }
    if (from < 0)
        return fail(refused(tr("Every step of the job has succeeded; nothing to retry.")));

    auto batch = store.beginBatch();
    if (!batch)
        return fail(storageError(batch.error()));
    JobLedger ledger(store);
    StepRecord &first = (*steps)[from];

    if (request.editedInput) {
        const QString edited = request.editedInput->trimmed();
        if (from == 0) {
            return fail(ActionError{ActionError::Kind::InvalidInput,
                                    tr("The first step reads the brief itself; duplicate the "
                                       "brief to change it.")});
        }
        const StepDefinition *previous = workflow.step(steps->at(from - 1).name);
        if (!previous || previous->kind != StepKind::Text) {
            return fail(ActionError{ActionError::Kind::InvalidInput,
                                    tr("Step \"%1\" reads files, not text, so its input can't "
                                       "be edited.")
                                        .arg(first.name)});
        }
        if (edited.isEmpty()) {
            return fail(
                ActionError{ActionError::Kind::InvalidInput, tr("The edited text is empty.")});
        }
        StepRecord &source = (*steps)[from - 1];
        const QString original = textOfStepOutput(source.outputPayload);
        source.outputPayload = textStepOutput(edited, true);
        if (auto written = store.updateStep(source); !written)
            return fail(storageError(written.error()));
        if (auto logged = ledger.note(job.id, source.id, QStringLiteral("input_edited"),
                                      tr("The output of %1 was edited before running %2 again")
                                          .arg(source.name, first.name),
                                      compact({{QStringLiteral("step"), source.name},
                                               {QStringLiteral("for_step"), first.name},
                                               {QStringLiteral("previous"), original},
                                               {QStringLiteral("edited"), edited}}));
            !logged)
            return fail(storageError(logged.error()));
    }

    for (qsizetype i = from; i < steps->size(); ++i) {
        StepRecord &step = (*steps)[i];
        step.status = StepStatus::Pending;
        step.outputPayload.clear();
        step.errorType.clear();
        step.errorMessage.clear();
        step.startedAt = {};
        step.completedAt = {};
        // attemptCount stays: attempt numbers keep counting up across retries.
        if (auto written = store.updateStep(step); !written)
            return fail(storageError(written.error()));
    }
    if (auto synced = ledger.syncJob(job.id); !synced)
        return fail(storageError(synced.error()));
    if (auto logged = ledger.note(
            job.id, first.id, QStringLiteral("retry"), tr("Retry from %1").arg(first.name),
            compact({{QStringLiteral("from_step"), first.name},
                     {QStringLiteral("edited"), request.editedInput.has_value()}}));
        !logged)
        return fail(storageError(logged.error()));
    if (auto committed = batch->commit(); !committed)
        return fail(storageError(committed.error()));
    const auto reread = store.job(job.id);
    if (!reread || !*reread)
        return fail(storageError(reread ? StoreError{} : reread.error()));
    return **reread;
}

Result<CancelOutcome, ActionError> markCanceled(JobStore &store, const JobId &jobId)
{
    const auto found = existingJob(store, jobId);
    if (!found)
        return fail(found.error());
    CancelOutcome outcome;
    outcome.job = *found;
    if (isFinal(outcome.job.status)) {
        outcome.alreadyFinal = true;
        return outcome;
    }
    auto stepsRead = store.steps(jobId);
    if (!stepsRead)
        return fail(storageError(stepsRead.error()));
    QList<StepRecord> *steps = &stepsRead.value();

    auto batch = store.beginBatch();
    if (!batch)
        return fail(storageError(batch.error()));
    JobLedger ledger(store);
    for (StepRecord &step : *steps) {
        const auto calls = store.calls(step.id);
        if (!calls)
            return fail(storageError(calls.error()));
        for (const ProviderCallRecord &call : *calls) {
            if (isUnsettled(call.state) && !call.predictionId.isEmpty())
                outcome.predictionsToCancel << call.predictionId;
        }
        if (isFinal(step.status))
            continue;
        step.status = StepStatus::Canceled;
        step.errorType.clear();
        step.errorMessage.clear();
        step.completedAt = QDateTime::currentDateTimeUtc();
        if (auto written = store.updateStep(step); !written)
            return fail(storageError(written.error()));
    }
    const auto state = ledger.syncJob(jobId);
    if (!state)
        return fail(storageError(state.error()));
    if (auto logged = ledger.note(
            jobId, StepId(), QStringLiteral("canceled"), tr("Canceled by the user"),
            compact({{QStringLiteral("predictions"), outcome.predictionsToCancel.join(u',')}}));
        !logged)
        return fail(storageError(logged.error()));
    if (auto committed = batch->commit(); !committed)
        return fail(storageError(committed.error()));
    outcome.job.status = state->status;
    outcome.job.currentStep = state->currentStep;
    return outcome;
}

namespace {

/** The job, or NotFound; refused unless it is stuck. */
Result<JobRecord, ActionError> stuckJob(JobStore &store, const JobId &jobId)
{
    auto found = existingJob(store, jobId);
    if (!found)
        return fail(found.error());
    if (!found->isStuck())
        return fail(refused(tr("Job %1 is not stuck.").arg(jobId.toString())));
    return found;
}

} // namespace

Result<int, ActionError> keepWaiting(JobStore &store, const JobId &jobId)
{
    const auto job = stuckJob(store, jobId);
    if (!job)
        return fail(job.error());
    auto batch = store.beginBatch();
    if (!batch)
        return fail(storageError(batch.error()));
    const auto snoozed = store.snoozeStuck(jobId);
    if (!snoozed)
        return fail(storageError(snoozed.error()));
    if (*snoozed == 0)
        return fail(refused(tr("Job %1 is not stuck.").arg(jobId.toString())));
    JobLedger ledger(store);
    if (auto logged = ledger.note(jobId, StepId(), QStringLiteral("keep_waiting"),
                                  tr("Keep waiting: %1").arg(job->stuckReason));
        !logged)
        return fail(storageError(logged.error()));
    if (auto committed = batch->commit(); !committed)
        return fail(storageError(committed.error()));
    return *snoozed;
}

Result<StuckRetryPlan, ActionError> planStuckRetry(JobStore &store, const JobId &jobId)
{
    const auto job = stuckJob(store, jobId);
    if (!job)
        return fail(job.error());
    const auto steps = store.steps(jobId);
    if (!steps)
        return fail(storageError(steps.error()));
    for (const StepRecord &step : *steps) {
        if (!step.isStuck())
            continue;
        const auto calls = store.calls(step.id);
        if (!calls)
            return fail(storageError(calls.error()));
        if (calls->isEmpty() || !isUnsettled(calls->constLast().state)
            || calls->constLast().predictionId.isEmpty())
            break;
        return StuckRetryPlan{*job, step, calls->constLast()};
    }
    return fail(refused(tr("Job %1 has no stuck prediction to retry.").arg(jobId.toString())));
}

Result<JobRecord, ActionError> finishStuckRetry(JobStore &store, const StuckRetryPlan &plan,
                                                const QString &providerStatus)
{
    auto batch = store.beginBatch();
    if (!batch)
        return fail(storageError(batch.error()));
    const auto current = store.calls(plan.step.id);
    if (!current)
        return fail(storageError(current.error()));
    if (current->isEmpty() || current->constLast().id != plan.call.id
        || !isUnsettled(current->constLast().state)) {
        return fail(refused(
            tr("Job %1 moved on meanwhile; nothing was changed.").arg(plan.job.id.toString())));
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    ProviderCallRecord call = current->constLast();
    call.state = CallState::Canceled;
    call.providerStatus = providerStatus;
    call.completedAt = now;
    call.errorType = StuckRetryErrorType;
    call.errorMessage =
        tr("Cancelled at Replicate to try again: it was stuck (%1)").arg(plan.step.stuckReason);
    if (auto written = store.updateCall(call); !written)
        return fail(storageError(written.error()));
    auto step = store.step(plan.step.id);
    if (!step || !*step)
        return fail(storageError(step ? StoreError{} : step.error()));
    StepRecord fresh = **step;
    fresh.startedAt = now; // a new run: earlier attempts no longer count against its policy
    if (auto written = store.updateStep(fresh); !written)
        return fail(storageError(written.error()));
    JobLedger ledger(store);
    if (auto synced = ledger.syncJob(plan.job.id); !synced)
        return fail(storageError(synced.error()));
    if (auto logged =
            ledger.note(plan.job.id, plan.step.id, QStringLiteral("stuck_retry"),
                        tr("Retry now: the stuck prediction %1 was cancelled; %2 starts again")
                            .arg(plan.call.predictionId, plan.step.name),
                        compact({{QStringLiteral("prediction"), plan.call.predictionId},
                                 {QStringLiteral("status"), providerStatus},
                                 {QStringLiteral("reason"), plan.step.stuckReason}}));
        !logged)
        return fail(storageError(logged.error()));
    if (auto committed = batch->commit(); !committed)
        return fail(storageError(committed.error()));
    const auto reread = store.job(plan.job.id);
    if (!reread || !*reread)
        return fail(storageError(reread ? StoreError{} : reread.error()));
    return **reread;
}

Result<JobRecord, ActionError> requestStuckRetry(JobStore &store, const JobId &jobId)
{
    const auto job = stuckJob(store, jobId);
    if (!job)
        return fail(job.error());
    const auto marked = store.requestStuckRetry(jobId);
    if (!marked)
        return fail(storageError(marked.error()));
    if (*marked == 0)
        return fail(refused(tr("Job %1 has no stuck step to retry.").arg(jobId.toString())));
    return *job;
}

} // namespace brieflow
