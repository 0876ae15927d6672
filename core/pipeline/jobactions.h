// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLatin1String>
#include <QString>
#include <QStringList>

#include "core/pipeline/enginetypes.h"
#include "core/store/records.h"
#include "core/util/result.h"

namespace brieflow {

class JobStore;
struct Workflow;

/** Why a user action on a job was refused; message is plain words for the user. */
struct ActionError {
    enum class Kind { NotFound, NotAllowed, InvalidInput, Storage };
    Kind kind = Kind::NotAllowed;
    QString message;
};

/**
 * Puts a failed, canceled or needs-attention job back in the queue from a step (see
 * RetryRequest): that step and every later one become pending again with their outputs
 * cleared, earlier outputs are kept, the job becomes pending, and a "retry" event records the
 * step and any edit (with the text it replaced). One transaction. Refused for a job that is
 * pending, processing or succeeded unless a step is named (re-running a succeeded job from a
 * step is allowed: "edit the image prompt and re-run").
 */
Result<JobRecord, ActionError> prepareRetry(JobStore &store, const Workflow &workflow,
                                            const RetryRequest &request);

/** What cancelling changed, and which predictions must still be cancelled at the provider. */
struct CancelOutcome {
    JobRecord job;
    QStringList predictionsToCancel; ///< ids of the job's predictions not yet final
    bool alreadyFinal = false;       ///< the job had ended before: nothing changed
};

/**
 * Marks a job and its unfinished steps canceled (one transaction, with an event) and returns
 * the predictions to cancel at the provider. Cancelling twice, or cancelling a job that has
 * already ended, is harmless: alreadyFinal and nothing changes.
 */
Result<CancelOutcome, ActionError> markCanceled(JobStore &store, const JobId &job);

// --- stuck steps ------------------------------------------------------------------------------

/** The error_type of an attempt cancelled at the provider because the user retried it stuck. */
inline constexpr QLatin1String StuckRetryErrorType{"stuck_retry"};

/**
 * "Keep waiting" on a stuck job: the flag clears and the step is not flagged again before
 * another full threshold has passed (the engine's detection honours the snooze). An event
 * records it. Refused (NotAllowed) when the job isn't stuck. Returns the steps snoozed.
 */
Result<int, ActionError> keepWaiting(JobStore &store, const JobId &job);

/** What a retry of a stuck job needs: the flagged step and its attempt still running. */
struct StuckRetryPlan {
    JobRecord job;
    StepRecord step;
    ProviderCallRecord call; ///< the stuck attempt (its prediction must be cancelled first)
};

/**
 * The stuck step of @p job and its unsettled attempt, for a retry made without the engine that
 * runs the job (the CLI when no worker runs). Refused (NotAllowed) when the job is not stuck.
 */
Result<StuckRetryPlan, ActionError> planStuckRetry(JobStore &store, const JobId &job);

/**
 * Records that the stuck attempt of @p plan ended at the provider (cancelled there first, its
 * status now @p providerStatus): the call becomes canceled with StuckRetryErrorType, the step's
 * attempt count starts again (a new run) and the job is runnable at once, so the next engine
 * starts a new attempt. One transaction, with a "stuck_retry" event.
 */
Result<JobRecord, ActionError> finishStuckRetry(JobStore &store, const StuckRetryPlan &plan,
                                                const QString &providerStatus);

/**
 * Asks the engine that runs @p job (another process) to retry its stuck step: it cancels the
 * stuck prediction and starts a new attempt at its next look (EngineOptions::
 * stuckCheckInterval). Refused (NotAllowed) when the job is not stuck.
 */
Result<JobRecord, ActionError> requestStuckRetry(JobStore &store, const JobId &job);

} // namespace brieflow
