// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>
#include <optional>

#include <QJsonObject>
#include <QList>

#include "core/store/records.h"
#include "core/store/storeerror.h"
#include "core/util/result.h"

namespace brieflow {
class JobStore;
}

namespace brieflow::cli {

struct Context;

/** Everything the store knows about one job, read at one moment. */
struct JobView {
    JobRecord job;
    QList<StepRecord> steps;
    QList<QList<ProviderCallRecord>> calls; ///< per step, by attempt
    QList<OutputRecord> outputs;
    QList<EventRecord> events;
};

/**
 * Opens the job database read-only. A data folder without a database yet is an empty queue,
 * not an error: returns nullptr and leaves *exitCode at Success. Otherwise prints the problem
 * and sets *exitCode to DataUnavailable.
 */
std::unique_ptr<JobStore> openForReading(const Context &context, int *exitCode);

Result<std::optional<JobView>, StoreError> loadJobView(const JobStore &store, const JobId &id);

/** jobToJson() with "stuck", "stuck_reason" and "stuck_since" (`stuck --json`). */
QJsonObject stuckJobToJson(const JobRecord &job);

/** The `show --json` object: the job with steps[], their attempts[], outputs[] and events[]. */
QJsonObject jobViewToJson(const JobView &view);

/** The `show` text: the brief, then the job's story step by step, calls, outputs, events. */
void printJobStory(const JobView &view);

/** A few lines for the end of `run --wait`: status, id, product, texts, image paths, error. */
void printJobResult(const JobView &view);

/** True for the states `--wait` stops at: succeeded, failed, canceled, needs_attention. */
bool isSettled(JobStatus status);

/** The text a step produced ({"text": ...} payloads), or empty. */
QString stepText(const StepRecord &step);

} // namespace brieflow::cli
