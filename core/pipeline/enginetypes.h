// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>

#include <QByteArray>
#include <QMetaType>
#include <QString>

#include "core/store/records.h"

namespace brieflow {

/**
 * Retry a job from a step. fromStep empty: the first step that did not succeed. editedInput,
 * when set, replaces what that step reads from the step before it (an edited concept for
 * image_prompt, an edited image prompt for image); for the first step it must be a brief JSON.
 * The edit is recorded in the job's event log with the text it replaced.
 */
struct RetryRequest {
    JobId job;
    QString fromStep;
    std::optional<QString> editedInput;
};

/** Why the queue is paused for the user: a token or billing problem, the daily budget, or a
 *  database that can't be written. Null when it is not. */
struct EngineProblem {
    /// "unauthenticated", "insufficient_credit", "budget_reached" or "storage_failed"; empty:
    /// no problem
    QString errorType;
    QString message;   ///< plain words, with what to do
    bool isNull() const { return errorType.isEmpty(); }
};

} // namespace brieflow

Q_DECLARE_METATYPE(brieflow::EngineProblem)
Q_DECLARE_METATYPE(brieflow::JobStatus)
Q_DECLARE_METATYPE(brieflow::RetryRequest)
