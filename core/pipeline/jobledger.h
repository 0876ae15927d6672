// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QList>

#include "core/pipeline/steperror.h"
#include "core/store/jobstore.h"

namespace brieflow {

struct Prediction;

/**
 * The one place where steps, provider calls and jobs change state. Every method is one
 * transaction that writes the step (and call), re-derives the job's state from its steps
 * (deriveJobState) and appends an event, so the database never shows a step and its job
 * disagreeing. Records passed by reference are updated to what was written.
 *
 * Step states: pending → processing → succeeded | failed | canceled | needs_attention; a
 * processing step whose attempt failed stays processing while its job waits (run_after) for
 * the next attempt.
 */
class JobLedger {
public:
    explicit JobLedger(JobStore &store)
        : m_store(store)
    {}

    JobStore &store() { return m_store; }

    /**
     * A new attempt: the step becomes processing (attempt count + 1, rendered input kept) and
     * the intent to create a prediction is recorded, committed at synchronous=FULL, before
     * anything is sent.
     */
    Result<ProviderCallRecord, StoreError> beginAttempt(StepRecord &step, const QByteArray &input,
                                                        const QString &modelRef,
                                                        const QString &inputSha256);
    /** The provider answered the create: the prediction id is stored at once (submitted). */
    Result<void, StoreError> predictionCreated(ProviderCallRecord &call,
                                               const Prediction &prediction);
    /** The create may or may not have reached the provider: reconcile before re-sending. */
    Result<void, StoreError> createOutcomeUnknown(ProviderCallRecord &call, const StepError &error);
    /** Reconciliation found the prediction an unknown create made. */
    Result<void, StoreError> predictionAdopted(ProviderCallRecord &call, const QString &id,
                                               const QString &note);
    /** The prediction moved (status, logs, metrics) but is not final. */
    Result<void, StoreError> predictionProgressed(ProviderCallRecord &call,
                                                  const Prediction &prediction);
    /** The prediction is final; @p error is set unless it succeeded. Call only, no step change. */
    Result<void, StoreError> callFinished(ProviderCallRecord &call, const Prediction &prediction,
                                          const StepError *error);
    /** The create failed for certain (nothing was created), or no prediction was found. */
    Result<void, StoreError> callFailed(ProviderCallRecord &call, const StepError &error);

    /** The step's output (and files) are stored; the step succeeded. @p jobOutput: set on the
     *  job as well (the last step). */
    Result<void, StoreError> stepSucceeded(StepRecord &step, const QByteArray &output,
                                           QList<OutputRecord> outputs,
                                           const QByteArray &jobOutput = {});
    /** The attempt failed and another follows at @p retryAt (the job waits until then). */
    Result<void, StoreError> retryScheduled(StepRecord &step, const StepError &error,
                                            const QDateTime &retryAt);
    Result<void, StoreError> stepFailed(StepRecord &step, const StepError &error);
    Result<void, StoreError> stepNeedsAttention(StepRecord &step, const StepError &error);

    /** Steps that need attention because of @p errorTypes become processing again (a call to
     *  resume) or pending; returns the jobs that changed. */
    Result<QList<JobId>, StoreError> clearAttention(const QStringList &errorTypes);

    /** Appends an event to the job's log on its own. */
    Result<void, StoreError> note(const JobId &job, const StepId &step, const QString &kind,
                                  const QString &message, const QByteArray &data = {});

    /** Re-derives and writes the job's state from its steps (inside the caller's batch). */
    Result<JobState, StoreError> syncJob(const JobId &job, const QDateTime &runAfter = {});

private:
    /** Writes @p next over @p call with an event, in one transaction; @p call becomes @p next. */
    Result<void, StoreError> writeCall(ProviderCallRecord &call, const ProviderCallRecord &next,
                                       const QString &eventKind, const QString &message,
                                       const QByteArray &data);
    /** Ends an attempt or a step with @p error, in one transaction (see finishStep). */
    Result<void, StoreError> endStep(StepRecord &step, StepStatus status, const StepError &error,
                                     const QString &eventKind, const QDateTime &runAfter = {});
    Result<void, StoreError> finishStep(StepRecord &step, StepStatus status, const StepError *error,
                                        const QString &eventKind, const QString &message,
                                        const QDateTime &runAfter = {});

    JobStore &m_store;
};

} // namespace brieflow
