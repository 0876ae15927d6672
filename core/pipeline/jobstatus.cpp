// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobstatus.h"

#include <algorithm>

namespace brieflow {

namespace {

bool any(const QList<StepRecord> &steps, StepStatus status)
{
    return std::any_of(steps.cbegin(), steps.cend(),
                       [status](const StepRecord &s) { return s.status == status; });
}

bool all(const QList<StepRecord> &steps, StepStatus status)
{
    return std::all_of(steps.cbegin(), steps.cend(),
                       [status](const StepRecord &s) { return s.status == status; });
}

} // namespace

JobStatus deriveJobStatus(const QList<StepRecord> &steps)
{
    if (any(steps, StepStatus::NeedsAttention))
        return JobStatus::NeedsAttention;
    if (any(steps, StepStatus::Failed))
        return JobStatus::Failed;
    if (any(steps, StepStatus::Canceled))
        return JobStatus::Canceled;
    if (all(steps, StepStatus::Succeeded))
        return JobStatus::Succeeded;
    // Waiting in the queue, also after a retry that kept the earlier steps' outputs.
    if (!any(steps, StepStatus::Processing))
        return JobStatus::Pending;
    return JobStatus::Processing;
}

QString currentStepName(const QList<StepRecord> &steps)
{
    for (const StepRecord &step : steps) {
        if (step.status != StepStatus::Succeeded)
            return step.name;
    }
    return {};
}

JobState deriveJobState(const QList<StepRecord> &steps)
{
    JobState state;
    state.status = deriveJobStatus(steps);
    state.currentStep = currentStepName(steps);
    // The error shown for the job: the step that stopped it, else the last error seen on the
    // current step (a retry in progress keeps saying why it is retrying).
    for (const StepRecord &step : steps) {
        if (step.status == StepStatus::Failed || step.status == StepStatus::NeedsAttention
            || (step.status == StepStatus::Canceled && !step.errorType.isEmpty())
            || (step.name == state.currentStep && !step.errorType.isEmpty())) {
            state.errorType = step.errorType;
            state.errorMessage = step.errorMessage;
            break;
        }
    }
    return state;
}

bool isFinal(JobStatus status)
{
    return status == JobStatus::Succeeded || status == JobStatus::Failed
           || status == JobStatus::Canceled;
}

bool isFinal(StepStatus status)
{
    return status == StepStatus::Succeeded || status == StepStatus::Failed
           || status == StepStatus::Canceled;
}

} // namespace brieflow
