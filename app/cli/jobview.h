// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>
#include <optional>

#include <QHash>
#include <QJsonObject>
#include <QList>

#include "core/monitoring/pricetable.h"
#include "core/store/records.h"
#include "core/store/storeerror.h"
#include "core/util/result.h"

namespace brieflow {
class JobStore;
class Settings;
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
    /// estimateJobView() ran: etaMs (for a pending or processing job) and costUsd are known
    bool estimated = false;
    std::optional<qint64> etaMs; ///< nullopt: no estimate yet (or the job is not queued)
    double costUsd = 0;          ///< what its priced predictions cost so far
};

/** True for the jobs that get an ETA: pending and processing. */
bool hasEta(JobStatus status);

/**
 * The price table in @p settings (Settings::ModelPrices): the defaults when none is set, and
 * when the one set can't be read (then with a warning on standard error). @p fromSettings (if
 * given) says whether the settings' table was used.
 */
PriceTable priceTableOf(const Settings &settings, bool *fromSettings = nullptr);

/**
 * The ETA of every pending or processing job of @p jobs (EtaEstimator over the store's step
 * history, the settings' models and concurrency, each job's place in the queue); nullopt in the
 * hash: no estimate yet. @p knownSteps: steps already read, by job (the others are read here).
 */
Result<QHash<JobId, std::optional<qint64>>, StoreError>
jobEtas(const JobStore &store, const Settings &settings, const QList<JobRecord> &jobs,
        const QHash<JobId, QList<StepRecord>> &knownSteps = {});

/** Fills in @p view's ETA and cost so far (estimated = true). */
Result<void, StoreError> estimateJobView(const JobStore &store, const Settings &settings,
                                         JobView &view);

/**
 * Opens the job database read-only. A data folder without a database yet is an empty queue,
 * not an error: returns nullptr and leaves *exitCode at Success. Otherwise prints the problem
 * and sets *exitCode to DataUnavailable.
 */
std::unique_ptr<JobStore> openForReading(const Context &context, int *exitCode);

Result<std::optional<JobView>, StoreError> loadJobView(const JobStore &store, const JobId &id);

/** jobToJson() with "stuck", "stuck_reason" and "stuck_since" (`stuck --json`). */
QJsonObject stuckJobToJson(const JobRecord &job);

/** The `show --json` object: the job with steps[], their attempts[], outputs[] and events[];
 *  once estimated, "cost_usd" and (pending or processing jobs) "eta_ms" (null: no estimate). */
QJsonObject jobViewToJson(const JobView &view);

/** The `show` text: the brief (with the ETA and cost so far once estimated), then the job's
 *  story step by step, calls, outputs, events. */
void printJobStory(const JobView &view);

/** A few lines for the end of `run --wait`: status, id, product, texts, image paths, error. */
void printJobResult(const JobView &view);

/** True for the states `--wait` stops at: succeeded, failed, canceled, needs_attention. */
bool isSettled(JobStatus status);

/** The text a step produced ({"text": ...} payloads), or empty. */
QString stepText(const StepRecord &step);

} // namespace brieflow::cli
