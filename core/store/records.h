// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>
#include <QStringView>

#include "core/util/ids.h"

// Plain values read from and written to the JobStore. Conventions shared by every record:
// - Times are stored as INTEGER milliseconds since the epoch (UTC); a null QDateTime is NULL.
//   Values read back are UTC QDateTimes with millisecond precision.
// - Payloads (input/output payloads, metrics, event data) are UTF-8 JSON text, kept as TEXT so
//   SQLite's json functions work on them; an empty QByteArray is stored as NULL.
//   rawLastResponse is a provider's raw body and is stored byte for byte as a BLOB.
// - Empty strings and null strings both read back as empty.

namespace brieflow {

/** Where a job is in its life. needs_attention: stopped and waiting for the user. */
enum class JobStatus { Pending, Processing, Succeeded, Failed, Canceled, NeedsAttention };

/**
 * Where one step of a job is: the same words as a job's status. Processing covers a step that
 * is running at the provider and one waiting to retry (its job's runAfter says until when).
 */
enum class StepStatus { Pending, Processing, Succeeded, Failed, Canceled, NeedsAttention };

/**
 * Local state of one provider call (one prediction attempt). Creating: the intent is recorded
 * and the create request may or may not have reached the provider; Submitted: the provider
 * answered with a prediction id; Unknown: the create outcome is ambiguous and must be
 * reconciled before anything is re-sent.
 */
enum class CallState { Creating, Submitted, Unknown, Succeeded, Failed, Canceled };

// The database strings: lowercase snake_case ("needs_attention", "waiting_retry", ...).
QString toString(JobStatus status);
QString toString(StepStatus status);
QString toString(CallState state);
std::optional<JobStatus> jobStatusFromString(QStringView text);
std::optional<StepStatus> stepStatusFromString(QStringView text);
std::optional<CallState> callStateFromString(QStringView text);

/** True for the states a restart must follow or reconcile: Creating, Submitted, Unknown. */
bool isUnsettled(CallState state);

/** One row of `jobs`. queuePosition orders the queue (smaller runs first). */
struct JobRecord {
    JobId id;
    QString workflowType;
    JobStatus status = JobStatus::Pending;
    QString currentStep;
    QByteArray inputPayload;
    QByteArray outputPayload;
    QString errorType;
    QString errorMessage;
    qint64 queuePosition = 0;
    QDateTime createdAt;
    QDateTime updatedAt;
    /// The engine leaves the job alone until then (a step waiting to retry); null: at once.
    QDateTime runAfter;
    /// Set while one of its steps is flagged stuck (see StepRecord::stuckReason); a copy kept
    /// in step with that step by the store. Empty: not stuck.
    QString stuckReason;
    QDateTime stuckSince;

    bool isStuck() const { return !stuckReason.isEmpty(); }

    friend bool operator==(const JobRecord &, const JobRecord &) = default;
};

/** One row of `job_steps`. ordinal is the 0-based position of the step in its job. */
struct StepRecord {
    StepId id;
    JobId jobId;
    QString name;
    int ordinal = 0;
    StepStatus status = StepStatus::Pending;
    int attemptCount = 0;
    QByteArray inputPayload;
    QByteArray outputPayload;
    QString errorType;
    QString errorMessage;
    QDateTime startedAt;
    QDateTime completedAt;
    /// Why the engine thinks the step's running prediction is stuck, in plain words; empty when
    /// it isn't. The store clears the flag (and the fields below) when the step moves on: its
    /// status changes, a new attempt starts, or its prediction changes state.
    QString stuckReason;
    QDateTime stuckSince;        ///< when it was first flagged
    qint64 stuckThresholdMs = 0; ///< how long "keep waiting" snoozes the flag
    QDateTime stuckSnoozedUntil; ///< "keep waiting": not flagged again before then
    QDateTime retryRequestedAt;  ///< a "retry now" for the engine that runs the job

    bool isStuck() const { return !stuckReason.isEmpty(); }

    friend bool operator==(const StepRecord &, const StepRecord &) = default;
};

/**
 * One row of `provider_calls`: one attempt at one prediction. createdAt is the intent time
 * (written before the create request is sent), the lower bound for reconciliation.
 */
struct ProviderCallRecord {
    ProviderCallId id;
    JobId jobId;
    StepId stepId;
    int attempt = 0;
    QString modelRef;
    QString inputSha256; ///< of the canonical input JSON
    QString predictionId;
    CallState state = CallState::Creating;
    QString providerStatus; ///< the provider's own status string, as last seen
    QByteArray rawLastResponse;
    QByteArray metrics;
    QDateTime createdAt;
    QDateTime submittedAt;
    QDateTime updatedAt;
    QDateTime completedAt;
    QString errorType; ///< why the attempt failed (ProviderError/engine error_type strings)
    QString errorMessage;

    friend bool operator==(const ProviderCallRecord &, const ProviderCallRecord &) = default;
};

/** One row of `outputs`: a downloaded file. stepId may be null. */
struct OutputRecord {
    OutputId id;
    JobId jobId;
    StepId stepId;
    QString kind;
    QString filePath;
    QString sha256;
    QString mime;
    int width = 0;
    int height = 0;
    qint64 bytes = 0;
    QString sourceUrl;
    QDateTime createdAt;

    friend bool operator==(const OutputRecord &, const OutputRecord &) = default;
};

/** One row of the append-only `events` log. seq grows with every append (SQLite AUTOINCREMENT). */
struct EventRecord {
    qint64 seq = 0;
    JobId jobId;
    StepId stepId; ///< null for job-level events
    QDateTime time;
    QString kind;
    QString message;
    QByteArray data;

    friend bool operator==(const EventRecord &, const EventRecord &) = default;
};

/**
 * One webhook delivery as the receiver and the service saw it (`webhook_deliveries`), or a
 * prediction that ended while webhooks were on but was seen final by polling alone
 * (outcome "dropped_polled"): the Monitoring view's webhook figures.
 */
struct WebhookDeliveryRecord {
    QDateTime receivedAt;
    /// "verified", "duplicate", "late", "rejected" or "dropped_polled"
    QString outcome;
    QString reason;       ///< why it was rejected ("bad_signature", "stale", "too_large", …)
    QString predictionId; ///< when known
    QString webhookId;    ///< the webhook-id header, when there was one
};

inline constexpr QLatin1String WebhookOutcomeVerified{"verified"};
inline constexpr QLatin1String WebhookOutcomeDuplicate{"duplicate"};
inline constexpr QLatin1String WebhookOutcomeLate{"late"};
inline constexpr QLatin1String WebhookOutcomeRejected{"rejected"};
inline constexpr QLatin1String WebhookOutcomeDroppedPolled{"dropped_polled"};

/** What recent successes of one step × model took: ETAs and cost estimates. */
struct StepHistory {
    QString step;
    QString model;
    int samples = 0;
    qint64 medianTotalMs = 0;       ///< step could start → attempt completed (see DurationRow)
    double medianPredictSeconds = 0; ///< 0 when no sample had a predict_time
};

/** The fields of a job the engine changes together (JobStore::updateJobState). */
struct JobState {
    JobStatus status = JobStatus::Pending;
    QString currentStep;
    QString errorType;
    QString errorMessage;
    QDateTime runAfter;
};

/** What createJob needs: the job's steps are created pending, in this order. */
struct NewJob {
    QString workflowType;
    QByteArray inputPayload;
    QStringList stepNames;
};

/**
 * How JobStore::jobs() orders jobs. Default: pending and processing jobs first in queue order,
 * then all others newest first (descending is ignored). Created: by creation time. Product: by
 * the brief's product name (case-insensitively). Status: processing, pending, needs attention,
 * failed, canceled, succeeded (then queue order). QueuePosition: by queue position. Ties are
 * broken so that the order is total (paging never repeats or skips a job).
 */
enum class JobSort { Default, Created, Product, Status, QueuePosition };

/**
 * A filter for JobStore::jobs(). text matches a substring of the input payload (ASCII letters
 * case-insensitively). limit <= 0 means no limit.
 */
struct JobQuery {
    std::optional<JobStatus> status;
    QString text;
    int limit = 200;
    int offset = 0;
    JobSort sort = JobSort::Default;
    bool descending = false;
    /// Only these jobs (the Monitoring view's "show these jobs"); empty: no such filter.
    QList<JobId> ids = {};
};

/** A job's steps summed up for the queue (JobStore::jobProgress()). */
struct JobProgress {
    int steps = 0;
    int stepsSucceeded = 0;
    int attempts = 0;    ///< provider attempts over all steps
    int maxAttempts = 0; ///< the most attempts any one step needed
    QDateTime firstStartedAt;
    QDateTime lastCompletedAt;

    friend bool operator==(const JobProgress &, const JobProgress &) = default;
};

/**
 * A filter for JobStore::galleryImages(): image outputs (mime image/...), newest first.
 * text matches a substring (ASCII letters case-insensitively) of the job's brief, its concept
 * or its image prompt; product matches the brief's product name exactly (case-insensitively);
 * model matches the model ref of the step that made the image; [from, to) bounds the image's
 * created_at (null: open). limit <= 0 means no limit.
 */
struct GalleryQuery {
    QString text;
    QString product;
    QString model;
    QDateTime from;
    QDateTime to;
    std::optional<JobStatus> status; ///< the job's status
    bool starredOnly = false;
    int limit = 200;
    int offset = 0;
};

/** One image of the gallery with what the grid shows about it. */
struct GalleryItem {
    OutputRecord output;
    JobStatus jobStatus = JobStatus::Pending;
    QString productName;
    QString modelRef; ///< the model of the step that made the image; empty when unknown
    bool starred = false;
    int indexInJob = 1; ///< 1-based position among the job's images (by created_at, id)

    friend bool operator==(const GalleryItem &, const GalleryItem &) = default;
};

} // namespace brieflow
