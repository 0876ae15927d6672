// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>

#include "core/store/records.h"

namespace brieflow {

/**
 * A job's status, derived from its steps — the only place that decides it:
 * any step needs attention → needs_attention; else any failed → failed; else any canceled →
 * canceled; else all succeeded → succeeded; else any processing → processing; else pending
 * (queued, possibly with earlier steps done, as after a retry).
 */
JobStatus deriveJobStatus(const QList<StepRecord> &steps);

/** The step a job is at: the first one that has not succeeded; empty when all have. */
QString currentStepName(const QList<StepRecord> &steps);

/** The job's state as derived from @p steps: status, current step and the last error. */
JobState deriveJobState(const QList<StepRecord> &steps);

/** True for succeeded, failed and canceled. */
bool isFinal(JobStatus status);
bool isFinal(StepStatus status);

} // namespace brieflow
