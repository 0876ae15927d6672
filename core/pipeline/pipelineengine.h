// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <random>

#include <QDate>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include "core/pipeline/engineoptions.h"
#include "core/pipeline/enginetypes.h"
#include "core/pipeline/jobactions.h"
#include "core/pipeline/jobledger.h"
#include "core/provider/modelprovider.h"
#include "core/replicate/predictionfollower.h"
#include "core/workflow/workflow.h"

namespace brieflow {

class OutputDownloader;
struct StoredOutput;
struct OutputError;

/**
 * The durable pipeline: runs the jobs of the queue through their workflow's steps. The queue is
 * the database — the engine keeps only what is in flight in memory and rebuilds that from the
 * store on start: predictions with a known id are followed again, creates with an unknown
 * outcome are reconciled by listing the provider's recent predictions (matching the canonical
 * input's SHA-256) before anything is sent again, and a succeeded step never runs again.
 *
 * Jobs start in queue order, at most maxConcurrentJobs at once; predictions between intent and
 * final state are limited app-wide to maxPredictionsInFlight. Every state change goes through a
 * JobLedger (one transaction each). Authentication and billing problems pause the queue (the
 * job waits in needs_attention) until tokenChanged(). Lives on one thread with the store, the
 * provider and the downloader it is given, which must outlive it.
 */
class PipelineEngine final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PipelineEngine)

public:
    PipelineEngine(JobStore &store, ModelProvider &provider, OutputDownloader &downloader,
                   Workflow workflow, EngineOptions options, const MonotonicClock &clock,
                   QObject *parent = nullptr);
    ~PipelineEngine() override;

    /** Recovers in-flight work, then runs the queue. */
    void start();
    /** Stops: aborts what is in flight locally (the database keeps everything needed to resume)
     *  and takes no new work. */
    void stop();
    bool isRunning() const { return m_running; }
    /** Nothing running and nothing runnable now or later (retries waiting count as work). */
    bool isIdle() const;

    /** Looks at the queue now (new jobs were queued). */
    void wake();
    Result<JobRecord, ActionError> retry(const RetryRequest &request);
    Result<CancelOutcome, ActionError> cancel(const JobId &job);
    /** "Keep waiting" on a stuck job: its flag clears and stays off for another threshold. */
    Result<int, ActionError> keepWaiting(const JobId &job);
    /** Looks at the running predictions now and flags or unflags stuck ones (also on a timer,
     *  every EngineOptions::stuckCheckInterval), then serves retry requests from other
     *  processes. */
    void checkStuck();
    /** The token changed: jobs paused for authentication or credit run again. */
    void tokenChanged();
    /** The price table or the daily budget changed (the settings): used from the next attempt
     *  on; jobs waiting at the budget run again when the new one allows it. */
    void setCostSettings(const PriceTable &prices, double dailyBudgetUsd);
    void setConcurrency(int maxJobs, int maxPredictionsInFlight);
    /** Models per step (the settings' choices); used from the next attempt on. */
    void setModelOverrides(const QHash<QString, QString> &overrides);
    void setPollBudget(double perSecond);
    /** Paused: no job or step starts; what is in flight finishes (and its outputs are kept). */
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }

    EngineProblem problem() const { return m_problem; }
    int activeJobs() const { return static_cast<int>(m_active.size()); }
    int predictionsInFlight() const { return m_inFlight; }
    const Workflow &workflow() const { return m_workflow; }
    PredictionFollower &follower() { return m_follower; }

Q_SIGNALS:
    void jobsChanged(const QList<brieflow::JobId> &jobs);
    void jobSettled(const brieflow::JobId &job, brieflow::JobStatus status);
    void stepTextUpdated(const brieflow::JobId &job, const QString &step, const QString &text);
    void attentionChanged(const brieflow::EngineProblem &problem);
    /** Replicate asked us to slow down (@p reason); work continues by itself after
     *  @p retryInMs. */
    void rateLimited(qint64 retryInMs, brieflow::RateLimitReason reason);
    void idle();
    /** Something happened to @p job that the user should know about although the job goes
     *  on (duplicate predictions found and canceled); also in the job's event log as
     *  "incident". */
    void incident(const brieflow::JobId &job, const QString &message);

private:
    struct Active;
    using ActivePtr = std::shared_ptr<Active>;

    // scheduling (pipelineengine.cpp)
    void schedulePump();
    void pump();
    void checkIdle();
    void startJob(const JobRecord &job);
    void advance(const ActivePtr &a);
    void drop(const ActivePtr &a);
    void settle(const ActivePtr &a);
    void markDirty(const JobId &job);
    void acquireSlot(const ActivePtr &a, std::function<void()> then);
    void releaseSlot(const ActivePtr &a);
    bool storeFailed(const ActivePtr &a, const StoreError &error);
    ActivePtr activeFor(const JobId &job, quint64 generation) const;

    // attempts (pipelineengine.cpp)
    void newAttempt(const ActivePtr &a);
    void createNow(const ActivePtr &a, const QByteArray &input, const ModelRef &model);
    void onCreated(const ActivePtr &a, const ProviderResult<Prediction> &result);
    void follow(const ActivePtr &a, const Prediction *known, const QString &id);
    void onUpdated(const Prediction &prediction);
    void onFinished(const Prediction &prediction);
    void onLost(const QString &id, const ProviderError &error);
    void attemptFailed(const ActivePtr &a, const StepError &error);
    /** True when the job was cancelled, here or by another process (then remembered). */
    bool canceledElsewhere(const ActivePtr &a);
    void pauseForAttention(const ActivePtr &a, const StepError &error);
    int failedAttempts(const StepRecord &step) const;
    QHash<QString, QString> textOutputs(const ActivePtr &a) const;
    /** The usual run time of @p model: the median of its recent successes, if any. */
    std::optional<std::chrono::milliseconds> expectedRunTime(const QString &model);
    void learnRunTime(const QString &model, const Prediction &prediction);

    // the daily budget and restarts (enginebudget.cpp)
    /** The budget error when today's calls cost the daily budget or more; nullopt when there
     *  is no budget or some of it is left. */
    std::optional<StepError> budgetReached();
    /** Jobs waiting at the budget run again when it allows it now (raised, or a new day). */
    void resumeIfBudgetAllows();
    /** Wakes up just after the next local midnight (at most an hour from now) to look again. */
    void armBudgetTimer();
    QDateTime budgetNow() const;
    /** A job taken up with work in flight from before this start: one "recovered" event. */
    void noteRecovered(const ActivePtr &a, const ProviderCallRecord &call);

    // stuck steps (enginestuck.cpp)
    /** Why @p a's prediction looks stuck now (empty: it doesn't) and the threshold it passed. */
    QString stuckReason(const ActivePtr &a, const QDateTime &now, qint64 *thresholdMs);
    /** Retry of a stuck step: cancel its prediction at the provider, record its end, then a
     *  new attempt (never two live predictions for one step). */
    Result<JobRecord, ActionError> retryStuck(const ActivePtr &a);
    void onStuckCanceled(const ActivePtr &a, const QString &id,
                         const ProviderResult<Prediction> &result);
    /** The stuck prediction @p prediction ended after our cancel: record it, start again. */
    void restartAfterCancel(const ActivePtr &a, const Prediction &prediction);

    // reconciliation (enginereconcile.cpp)
    void reconcile(const ActivePtr &a);
    void listForReconcile(const ActivePtr &a);
    void onListed(const ActivePtr &a, const ProviderResult<PredictionPage> &result);
    /** How many of the matches for @p call's input are ours to keep: this call and every other
     *  open call with the same input and no prediction id yet (identical briefs). */
    qsizetype unownedClaims(const ProviderCallRecord &call);
    /** Several predictions match one intent: keep @p adopted, cancel the rest, tell the user. */
    void cancelDuplicates(const ActivePtr &a, const Prediction &adopted,
                          const QList<Prediction> &duplicates);

    // outputs and the store step (enginefinish.cpp)
    void finishText(const ActivePtr &a, const Prediction &prediction);
    void downloadImages(const ActivePtr &a, const Prediction &prediction);
    void onImagesFetched(const ActivePtr &a);
    void runStoreStep(const ActivePtr &a);
    /** The outputs could not be written (disk full): keep the prediction, show the error once,
     *  download again once there is space (OutputPolicy::diskFullRecheck). */
    void waitForSpace(const ActivePtr &a, const OutputError &problem);

    JobStore &m_store;
    JobLedger m_ledger;
    ModelProvider &m_provider;
    OutputDownloader &m_downloader;
    Workflow m_workflow;
    EngineOptions m_options;
    PredictionFollower m_follower;

    QHash<JobId, ActivePtr> m_active;
    QHash<QString, JobId> m_byPrediction;
    QHash<QString, QList<qint64>> m_runTimes; ///< model → recent run times (ms), newest first
    QHash<QString, int> m_downloadRounds; ///< prediction → rounds of fetching its files so far
    QList<std::weak_ptr<Active>> m_slotWaiters;
    int m_inFlight = 0;
    quint64 m_generation = 0;

    EngineProblem m_problem;
    bool m_running = false;
    bool m_paused = false;
    bool m_pumpScheduled = false;
    bool m_idleReported = false;
    QTimer m_wakeTimer;
    QTimer m_pollTimer;
    QTimer m_notifyTimer;
    QTimer m_stuckTimer;
    QTimer m_budgetTimer;
    QDate m_budgetDay; ///< the local day the budget was reached on
    QSet<JobId> m_takenUp; ///< jobs started since start() (those not final yet)
    QSet<QString> m_restarting; ///< stuck predictions cancelled for a retry, until they end
    QSet<JobId> m_dirty;
    std::mt19937_64 m_random;
};

} // namespace brieflow
