// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <memory>
#include <optional>

#include <QHash>
#include <QList>
#include <QString>

#include "core/monitoring/figures.h"
#include "core/store/records.h"
#include "core/store/storeerror.h"
#include "core/util/result.h"

class QThread;

namespace brieflow {

class SchemaMigrator;
class SqliteConnection;
class WriteTransaction;

/**
 * The durable job queue: jobs, their steps, provider calls, downloaded outputs and an
 * append-only event log in one SQLite file (WAL mode). A JobStore is thread-affine: it belongs
 * to the thread that opened it and must be used and destroyed there. One thread owns the
 * Writer; other threads read through their own Reader, which never blocks on the writer and
 * sees the last committed state.
 *
 * Durability: every write is one `BEGIN IMMEDIATE` transaction. The connection runs at
 * `synchronous=NORMAL`: a commit survives the app being killed, but the last few may roll back
 * after a power loss or OS crash (the database stays consistent). recordCallIntent() instead
 * commits at `synchronous=FULL`, so the "about to create a prediction" record survives power
 * loss too: without it a restart could not know that a paid prediction may exist.
 *
 * A damaged, foreign or newer-version file is refused with an error naming it, and is never
 * modified, overwritten or deleted.
 */
class JobStore {
public:
    enum class Mode {
        Writer, ///< creates the file if needed and migrates it to schemaVersion
        Reader, ///< read-only; the file must exist at schemaVersion
    };
    /** Normal: synchronous=NORMAL. Full: synchronous=FULL, durable across power loss. */
    enum class Durability { Normal, Full };

    static constexpr int schemaVersion = 7;

    /**
     * Groups writes into one transaction: every JobStore write made while a Batch is open joins
     * it, and they commit together or not at all. The first failing write rolls the whole batch
     * back at once; later writes and commit() then fail. Destroying an uncommitted Batch rolls
     * it back. Open a batch that will record a call intent with Durability::Full. A Batch must
     * end before its JobStore does.
     */
    class Batch {
    public:
        Batch(Batch &&other) noexcept;
        Batch &operator=(Batch &&other) noexcept;
        ~Batch();
        Result<void, StoreError> commit();
        void rollback();

    private:
        friend class JobStore;
        explicit Batch(std::unique_ptr<WriteTransaction> transaction);
        std::unique_ptr<WriteTransaction> m_transaction;
    };

    static Result<std::unique_ptr<JobStore>, StoreError> open(const QString &file, Mode mode);
    /** Opens with another migration list than the standard one; for tests of migrations. */
    static Result<std::unique_ptr<JobStore>, StoreError> open(const QString &file, Mode mode,
                                                              const SchemaMigrator &migrator);
    ~JobStore();
    JobStore(const JobStore &) = delete;
    JobStore &operator=(const JobStore &) = delete;

    Mode mode() const { return m_mode; }
    QString fileName() const;
    /** The schema version of the file as opened (after migrating, for a Writer). */
    int fileSchemaVersion() const { return m_fileSchemaVersion; }

    Result<Batch, StoreError> beginBatch(Durability durability = Durability::Normal);

    // --- jobs and steps ---------------------------------------------------------------------
    /** The job, its steps (pending, ordinals 0..n-1) and a "created" event, in one transaction.
     *  queue_position is one past the largest so far. */
    Result<JobRecord, StoreError> createJob(const NewJob &job);
    /** createJob() for a copy of @p sourceJob ("use again"): the "created" event names it, in
     *  its message and as "source_job" in its data. */
    Result<JobRecord, StoreError> createJob(const NewJob &job, const JobId &sourceJob);
    Result<std::optional<JobRecord>, StoreError> job(const JobId &id) const;
    /**
     * Jobs matching @p query. With no status filter: pending and processing jobs first in queue
     * order, then all others newest first. Filtered on pending or processing: queue order;
     * filtered on any other status: newest first.
     */
    Result<QList<JobRecord>, StoreError> jobs(const JobQuery &query) const;
    /** The number of jobs jobs(@p query) would list without its limit and offset. */
    Result<int, StoreError> countJobs(const JobQuery &query) const;
    /** The jobs with these ids that exist, in no particular order. */
    Result<QList<JobRecord>, StoreError> jobsWithIds(const QList<JobId> &ids) const;
    /** Step totals of each of these jobs that has steps (one query). */
    Result<QHash<JobId, JobProgress>, StoreError> jobProgress(const QList<JobId> &ids) const;
    /** The first image output (oldest, by mime image/...) of each of these jobs that has one
     *  (one query): the queue's thumbnails. */
    Result<QHash<JobId, OutputRecord>, StoreError> firstImageOutputs(const QList<JobId> &ids) const;
    /**
     * Moves these jobs ahead of every other job in the queue, keeping their order among
     * themselves (by queue position). One transaction; ids that don't exist are ignored.
     */
    Result<void, StoreError> moveJobsToTop(const QList<JobId> &ids);
    /**
     * Moves these jobs (keeping their order among themselves) to just before @p before in the
     * queue, or to its end when @p before is null; later jobs shift back. One transaction.
     * NotFound if @p before doesn't exist; Constraint if it is one of @p ids.
     */
    Result<void, StoreError> moveJobsBefore(const QList<JobId> &ids, const JobId &before);
    /** Deletes these jobs like deleteJob(), in one transaction; ids that don't exist are
     *  ignored. Returns how many were deleted. */
    Result<int, StoreError> deleteJobs(const QList<JobId> &ids);
    /** The number of jobs in each status; every status is present, zero when none. Reads
     *  every job: for a status bar that updates often, use jobCountsFor(). */
    Result<QHash<JobStatus, int>, StoreError> jobCounts() const;
    /**
     * The number of jobs in each of @p statuses (each present, zero when none), as index
     * ranges: pending and processing through jobs_runnable, any other status through
     * jobs_status_queue. The cost follows the jobs counted, not the size of the table.
     */
    Result<QHash<JobStatus, int>, StoreError> jobCountsFor(const QList<JobStatus> &statuses) const;
    /** Sets status, current step and error; updated_at becomes now. NotFound if no such job. */
    Result<void, StoreError> updateJobStatus(const JobId &id, JobStatus status,
                                             const QString &currentStep,
                                             const QString &errorType = {},
                                             const QString &errorMessage = {});
    /** Sets status, current step, error and runAfter; updated_at becomes now. NotFound if none. */
    Result<void, StoreError> updateJobState(const JobId &id, const JobState &state);
    /**
     * The engine's "what runs next": pending and processing jobs whose runAfter is null or not
     * after @p now, in queue order, at most @p limit (<= 0: all).
     */
    Result<QList<JobRecord>, StoreError> runnableJobs(const QDateTime &now, int limit) const;
    /** The earliest runAfter after @p now among pending and processing jobs; null if none. */
    Result<QDateTime, StoreError> nextRunAfter(const QDateTime &now) const;
    /** Sets the job's output payload; updated_at becomes now. NotFound if no such job. */
    Result<void, StoreError> setJobOutput(const JobId &id, const QByteArray &outputPayload);
    /** Deletes the job with its steps, calls, outputs and events (the files stay on disk). */
    Result<void, StoreError> deleteJob(const JobId &id);

    Result<QList<StepRecord>, StoreError> steps(const JobId &id) const; ///< by ordinal
    Result<std::optional<StepRecord>, StoreError> step(const StepId &id) const;
    /** Writes status, attempt count, payloads, errors and times of step.id. NotFound if none. */
    Result<void, StoreError> updateStep(const StepRecord &step);

    // --- provider calls ---------------------------------------------------------------------
    /**
     * Records the intent to create a prediction (state Creating, created_at = now) BEFORE the
     * request is sent, committed at synchronous=FULL. One row per (step, attempt): recording
     * the same attempt twice is a Constraint error. NotFound if the step doesn't exist;
     * Constraint if it belongs to another job.
     */
    Result<ProviderCallRecord, StoreError> recordCallIntent(const JobId &job, const StepId &step,
                                                            int attempt, const QString &modelRef,
                                                            const QString &inputSha256);
    /** Writes prediction id, state, provider status, raw response, metrics and times; updated_at
     *  becomes now. NotFound if no such call. */
    Result<void, StoreError> updateCall(const ProviderCallRecord &call);
    Result<QList<ProviderCallRecord>, StoreError> calls(const StepId &step) const; ///< by attempt
    /** Creating, Submitted and Unknown calls, oldest intent first: what a restart must follow
     *  or reconcile. */
    Result<QList<ProviderCallRecord>, StoreError> unsettledCalls() const;
    /**
     * How long the last @p limit successful predictions of @p modelRef took, newest first, in
     * milliseconds from submission to completion: the engine's "usual run time" of a model.
     */
    Result<QList<qint64>, StoreError> recentRunTimes(const QString &modelRef, int limit) const;
    /** The call that owns @p predictionId (e.g. for a webhook), if any. */
    Result<std::optional<ProviderCallRecord>, StoreError>
    callForPrediction(const QString &predictionId) const;

    // --- stuck steps (jobstorestuck.cpp) ----------------------------------------------------
    /**
     * Flags @p step stuck with @p reason (plain words), keeping the time it was first flagged;
     * "keep waiting" will snooze it for @p thresholdMs. The job row gets a copy for the queue.
     * Only a processing step is flagged: returns false (nothing written) for any other, or when
     * the step does not exist. The flag clears by itself when the step moves on (see schema 6).
     */
    Result<bool, StoreError> setStepStuck(const StepId &step, const QString &reason,
                                          qint64 thresholdMs);
    /** Clears @p step's stuck reason (and the job's copy); a snooze or retry request stays. */
    Result<void, StoreError> clearStepStuck(const StepId &step);
    /**
     * "Keep waiting": every flagged step of @p job loses its flag and is not flagged again
     * before now + its threshold. Returns the number of steps snoozed (0: the job wasn't stuck).
     */
    Result<int, StoreError> snoozeStuck(const JobId &job);
    /** Asks the engine running @p job to retry its flagged step now (cancelling the stuck
     *  prediction first). Returns the number of steps marked (0: the job wasn't stuck). */
    Result<int, StoreError> requestStuckRetry(const JobId &job);
    /** Steps with a pending retry request, oldest request first. */
    Result<QList<StepRecord>, StoreError> stuckRetryRequests() const;
    /** Forgets @p step's retry request (done, or no longer possible). */
    Result<void, StoreError> clearStuckRetryRequest(const StepId &step);
    /** Jobs with a step flagged stuck, longest stuck first; at most @p limit (<= 0: all). */
    Result<QList<JobRecord>, StoreError> stuckJobs(int limit = 0) const;

    // --- outputs and events -----------------------------------------------------------------
    /** Adds an output; a null id is generated and a null createdAt becomes now. */
    Result<OutputRecord, StoreError> addOutput(OutputRecord output);
    Result<QList<OutputRecord>, StoreError> outputs(const JobId &id) const; ///< oldest first
    Result<QList<OutputRecord>, StoreError> outputsWithSha256(const QString &sha256) const;

    /** The output with this id, if any. */
    Result<std::optional<OutputRecord>, StoreError> output(const OutputId &id) const;

    // --- gallery ----------------------------------------------------------------------------
    /** Image outputs matching @p query, newest first (created_at, then id). */
    Result<QList<GalleryItem>, StoreError> galleryImages(const GalleryQuery &query) const;
    /** How many images galleryImages(@p query) would list without its limit and offset. */
    Result<int, StoreError> countGalleryImages(const GalleryQuery &query) const;
    /** The distinct product names of jobs with images, sorted case-insensitively. */
    Result<QStringList, StoreError> galleryProducts() const;
    /** The distinct models that made images, sorted. */
    Result<QStringList, StoreError> galleryModels() const;
    /** Stars or unstars these outputs; ids that don't exist are ignored. One transaction. */
    Result<void, StoreError> setOutputsStarred(const QList<OutputId> &ids, bool starred);
    /**
     * Deletes these output rows (and their entries in their steps' and jobs' output payloads)
     * in one transaction, with an "output_deleted" event per job. Returns the file paths that
     * no remaining output row refers to (outputs are content-addressed: two rows can share a
     * file), which the caller may now remove. Ids that don't exist are ignored.
     */
    Result<QStringList, StoreError> deleteOutputs(const QList<OutputId> &ids);

    /** Appends to the job's event log (time = now). @p step may be null. There is no way to
     *  change or remove an event except deleting its job. */
    Result<void, StoreError> appendEvent(const JobId &job, const StepId &step, const QString &kind,
                                         const QString &message, const QByteArray &data = {});
    Result<QList<EventRecord>, StoreError> events(const JobId &id) const; ///< in append order
    /** What the event sink receives: an event whose transaction committed, and the name of its
     *  step (empty for a job-level event). */
    using EventSink = std::function<void(const EventRecord &event, const QString &stepName)>;
    /**
     * Installs the process-wide event sink (an empty function removes it). Every JobStore in
     * the process hands it each appended event once the event's transaction has COMMITTED, in
     * append order, on the store's thread: a rolled-back batch reaches it with nothing. Events
     * appended while no sink is installed are not queued. Thread-safe; the sink must be too.
     */
    static void setEventSink(EventSink sink);

    // --- monitoring (jobstoremonitoring.cpp) ------------------------------------------------
    /** Every figure of the Monitoring view over @p query's range (see core/monitoring/figures.h
     *  for the definitions). Read-only; meant for a Reader on a worker thread. */
    Result<MonitoringFigures, StoreError> monitoringFigures(const MonitoringQuery &query) const;
    /** The jobs behind one FailureRow of @p query's range, newest first, at most @p limit
     *  (<= 0: all). An empty @p model matches failures without a call. */
    Result<QList<JobId>, StoreError> jobsWithFailure(const MonitoringQuery &query,
                                                     const QString &step, const QString &errorType,
                                                     const QString &model, int limit = 0) const;
    /** What the provider calls whose intent was recorded at or after @p since cost: the daily
     *  budget's "spent today". */
    Result<double, StoreError> spendSince(const QDateTime &since, const PriceTable &prices) const;
    /** What each of these jobs cost so far (jobs without a priced call are absent). */
    Result<QHash<JobId, double>, StoreError> jobCosts(const QList<JobId> &ids,
                                                      const PriceTable &prices) const;
    /** Medians of the last @p samples successes of every step × model: ETAs and estimates. */
    Result<QList<StepHistory>, StoreError> stepHistory(int samples = 20) const;
    /** For each of these jobs that is pending or processing: how many pending or processing
     *  jobs are ahead of it in the queue. */
    Result<QHash<JobId, int>, StoreError> jobsAhead(const QList<JobId> &ids) const;
    /** Records one webhook delivery (or a "dropped_polled" prediction); a null receivedAt
     *  becomes now. */
    Result<void, StoreError> recordWebhookDelivery(const WebhookDeliveryRecord &delivery);

    // --- maintenance and tests --------------------------------------------------------------
    /** PRAGMA integrity_check; Corrupt with SQLite's report unless it is "ok". */
    Result<void, StoreError> integrityCheck() const;
    /** PRAGMA synchronous as read inside the last committed transaction (1 NORMAL, 2 FULL);
     *  -1 before the first commit. */
    int lastCommitSynchronous() const;
    /** The statements of the gallery, for galleryQueryPlan(). */
    enum class GalleryStatement { List, Count };
    /** SQLite's EXPLAIN QUERY PLAN lines (their detail text) for the statement that
     *  galleryImages() (List) or countGalleryImages() (Count) runs for @p query: lets tests
     *  check that the gallery reads its indexes. */
    Result<QStringList, StoreError> galleryQueryPlan(const GalleryQuery &query,
                                                     GalleryStatement statement) const;
    /** Test hook: caps the file at @p pages pages (SQLite max_page_count), so that writes
     *  beyond it fail exactly like on a full disk. */
    Result<void, StoreError> limitDatabaseSize(qint64 pages);

private:
    JobStore(std::unique_ptr<SqliteConnection> connection, Mode mode, int fileSchemaVersion);
    Result<QList<JobRecord>, StoreError> queueThenHistory(const JobQuery &query) const;
    void assertOwnerThread() const;
    /** The transaction observer: hands committed events to the sink, forgets rolled-back ones. */
    void settleEvents(bool committed);
    static bool hasEventSink();

    std::unique_ptr<SqliteConnection> m_db;
    Mode m_mode;
    int m_fileSchemaVersion;
    QThread *m_thread;
    /** Appended events waiting for their transaction to end (only while a sink is installed). */
    QList<std::pair<EventRecord, QString>> m_pendingEvents;
};

} // namespace brieflow
