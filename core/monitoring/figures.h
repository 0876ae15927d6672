// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>

#include <QDate>
#include <QDateTime>
#include <QList>
#include <QString>

#include "core/monitoring/pricetable.h"
#include "core/store/storeerror.h"
#include "core/util/ids.h"
#include "core/util/result.h"

// The figures of the Monitoring view and `brieflow-cli stats`: plain values computed in SQL by
// JobStore::monitoringFigures() over a time range. Definitions (the tests compute them by hand):
// - A job belongs to the range when it was created in it; a provider call when its intent was
//   recorded in it; a webhook delivery when it was received in it; an event when appended in it.
// - Percentiles are nearest-rank: the value at 1-based rank ceil(p × n) of the sorted samples.
// - Money is predict_time (seconds, from the provider's metrics) × PriceTable::usdPerSecond of
//   the call's model. Calls without a predict_time cost nothing and are counted as unpriced.

namespace brieflow {

/** The figures a query computes (all of them by default): lets two connections share the work
 *  (readMonitoringFigures()). */
enum MonitoringPart {
    CountFigures = 0x1,    ///< jobs, days, calls, failures, retries, webhooks, cost but top jobs
    DurationFigures = 0x2, ///< the durations' percentiles
    CostliestJobs = 0x4,   ///< CostFigures::topJobs
    AllFigures = 0x7,
};

/** What a report covers: [from, to), with local days starting utcOffsetSeconds after UTC's. */
struct MonitoringQuery {
    QDateTime from;
    QDateTime to;
    int utcOffsetSeconds = 0; ///< for the per-day figures (the local time zone at `to`)
    PriceTable prices;
    int topJobs = 10;       ///< costliest jobs listed
    int topBriefs = 10;     ///< costliest briefs listed
    int parts = AllFigures; ///< MonitoringPart flags
};

/** Jobs created in the range by where they are now. */
struct CompletionFigures {
    int jobs = 0;
    int succeeded = 0;
    int failed = 0;
    int canceled = 0;
    int needsAttention = 0;
    int active = 0; ///< pending or processing
    /** succeeded ÷ (succeeded + failed): canceled, waiting and running jobs are not counted;
     *  nullopt when no job has ended. */
    std::optional<double> rate() const;
};

/** Per local day of the range (days with nothing are absent). */
struct DayFigures {
    QDate day;
    int created = 0;    ///< jobs created that day
    int succeeded = 0;  ///< of those, succeeded by now
    int failed = 0;     ///< of those, failed by now
    double costUsd = 0; ///< calls whose intent was recorded that day
};

/**
 * Failed attempts grouped by step × error type × model (a provider call with an error type; a
 * step that failed without any call, such as the store step, counts with an empty model).
 */
struct FailureRow {
    QString step;
    QString errorType;
    QString model;
    int attempts = 0;   ///< failed attempts in the group
    int jobs = 0;       ///< distinct jobs they belong to
    int jobsFailed = 0; ///< of those, jobs whose status is failed now
    QDateTime last;     ///< the latest such attempt
};

/** Nearest-rank median and 95th percentile of one kind of duration, in milliseconds. */
struct DurationStat {
    int samples = 0;
    qint64 p50Ms = 0;
    qint64 p95Ms = 0;
};

/**
 * Durations of succeeded attempts per step × model (the attempt that produced the step's
 * output). Kept apart:
 * - queue: from when the step could start (the job's creation for the first step, the previous
 *   step's end otherwise) to the attempt's intent — time waiting in our own queue and windows;
 * - starting: the provider's created_at → started_at (queued at the provider, cold boots);
 * - running: predict_time;
 * - total: from when the step could start to the attempt's completion as we saw it.
 */
struct DurationRow {
    QString step;
    QString model;
    DurationStat queue;
    DurationStat starting;
    DurationStat running;
    DurationStat total;
};

struct RetryFigures {
    int stepsRetried = 0;     ///< steps whose second (or later) attempt was recorded in the range
    int retriedSucceeded = 0; ///< of those, succeeded
    std::optional<double> rate() const; ///< retriedSucceeded ÷ stepsRetried
};

/** Provider calls whose intent was recorded in the range. */
struct PredictionFigures {
    int intents = 0; ///< attempts recorded (with or without a prediction)
    int created = 0; ///< of those, with a prediction id at the provider
    int succeeded = 0;
    int failed = 0;
    int canceled = 0;
    int inFlight = 0; ///< creating, submitted or unknown now
};

/** Webhook deliveries received in the range (see JobStore::recordWebhookDelivery()). */
struct WebhookFigures {
    struct Reason {
        QString reason; ///< the receiver's outcome word: "bad_signature", "stale", "too_large", …
        int count = 0;
    };
    int received = 0; ///< every delivery, whatever happened to it
    int verified = 0; ///< authentic and acted on (or held until its prediction was followed)
    int duplicates = 0;
    int late = 0; ///< authentic, about a prediction that had already finished
    int rejected = 0;
    QList<Reason> rejectedBy;  ///< most frequent first
    int droppedThenPolled = 0; ///< predictions that ended while webhooks were on, seen by polling
};

struct OutputFigures {
    int validationFailures = 0; ///< attempts whose output failed its check (output_rejected)
    int missing = 0;            ///< succeeded without the output the step needs (output_missing)
    int expired = 0;            ///< outputs gone at the provider before we fetched them
};

struct CostFigures {
    struct JobCost {
        JobId job;
        QString product;
        double usd = 0;
    };
    struct BriefCost {
        QString product;  ///< the brief's product name
        QString audience; ///< and audience, to tell briefs of one product apart
        int jobs = 0;
        double usd = 0;
    };
    double totalUsd = 0;
    double predictSeconds = 0;
    int pricedCalls = 0;
    int unpricedCalls = 0; ///< calls that ended without a predict_time (no cost known)
    /// totalUsd ÷ jobsWithCost: what a job of the range costs on average, failures included.
    std::optional<double> perJobUsd() const;
    int jobsWithCost = 0;       ///< the range's jobs that have ended (succeeded, failed, canceled)
    QList<JobCost> topJobs;     ///< costliest first
    QList<BriefCost> topBriefs; ///< costliest first
};

struct MonitoringFigures {
    MonitoringQuery query;
    CompletionFigures completion;
    QList<DayFigures> days;       ///< oldest first
    QList<FailureRow> failures;   ///< most attempts first
    QList<DurationRow> durations; ///< by the workflow's step order, then model
    RetryFigures retries;
    PredictionFigures predictions;
    int jobsRecovered = 0; ///< distinct jobs taken up again after a restart ("recovered" events)
    int stuckNow = 0;      ///< jobs flagged stuck right now (whatever the range)
    WebhookFigures webhooks;
    OutputFigures outputs;
    CostFigures cost;
};

/**
 * The figures of @p query read from the job database @p databaseFile on two read-only
 * connections at once (counts on one; durations and the costliest jobs on the other), the
 * calling thread waiting for both: what the Monitoring view and `brieflow-cli stats` use.
 */
Result<MonitoringFigures, StoreError> readMonitoringFigures(const QString &databaseFile,
                                                            const MonitoringQuery &query);

} // namespace brieflow
