// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

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

} // namespace brieflow
