// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include "core/provider/providertypes.h"

namespace brieflow {

/**
 * Why a step attempt did not succeed, as the job database and the user see it: type is a
 * stable error_type string ("policy_refusal", "server_error", ...), message plain words for a
 * marketer, detail the technical description for the "Details" disclosure and the logs.
 */
struct StepError {
    QString type;
    QString message;
    QString detail;

    /** 401/402 and the daily budget: the whole queue waits for the user instead of failing job
     *  after job. */
    bool pausesQueue() const;
};

namespace StepErrorType {
inline constexpr QLatin1String Unauthenticated{"unauthenticated"};
inline constexpr QLatin1String InsufficientCredit{"insufficient_credit"};
inline constexpr QLatin1String InvalidInput{"invalid_input"};
inline constexpr QLatin1String PolicyRefusal{"policy_refusal"};
inline constexpr QLatin1String ModelFailed{"model_failed"};
inline constexpr QLatin1String Timeout{"timeout"};
inline constexpr QLatin1String CanceledAtProvider{"canceled_at_provider"};
inline constexpr QLatin1String OutputRejected{"output_rejected"};
inline constexpr QLatin1String OutputExpired{"output_expired"};
inline constexpr QLatin1String OutputMissing{"output_missing"};
inline constexpr QLatin1String OutcomeUnknown{"outcome_unknown"};
inline constexpr QLatin1String NotCreated{"not_created"};
inline constexpr QLatin1String RateLimited{"rate_limited"}; ///< a 429 that outlasted the client
inline constexpr QLatin1String PredictionLost{"prediction_lost"};
inline constexpr QLatin1String WorkflowError{"workflow_error"};
inline constexpr QLatin1String StorageFailed{"storage_failed"};
/// The daily budget (EngineOptions::dailyBudgetUsd) is spent: no attempt was made, nothing
/// failed; the step waits until the budget is raised or the day ends.
inline constexpr QLatin1String BudgetReached{"budget_reached"};
} // namespace StepErrorType

/** A provider call that failed (create, read or list). */
StepError stepErrorFrom(const ProviderError &error);

/**
 * A prediction that ended without success: failed (a policy refusal when the model's error says
 * so, else model_failed), aborted (it never started before its deadline: timeout) or canceled
 * at the provider by someone else.
 */
StepError stepErrorFrom(const Prediction &prediction);

/** True when the model's error text is a content or safety refusal (NSFW, flagged, ...). */
bool isPolicyRefusal(const QString &modelError);

} // namespace brieflow
