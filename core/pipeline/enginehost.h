// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <memory>

#include <QObject>
#include <QString>
#include <QUrl>

#include "core/pipeline/engineoptions.h"
#include "core/pipeline/enginetypes.h"
#include "core/provider/providertypes.h"
#include "core/webhooks/webhookservice.h"

class QThread;

namespace brieflow {

/**
 * Runs a PipelineEngine on a thread of its own, with everything it needs built on that thread:
 * the job store (the one Writer), the Replicate client, the output downloader. The GUI and the
 * CLI talk to the engine only through this object; every call is safe from the thread that
 * created the host and returns at once, and every signal arrives on that thread (queued).
 *
 * Life: start() → started(ok, error) → work → destroy (or stop()) to shut down cleanly. The
 * queue is the database: nothing runnable lives only in the host or the engine.
 */
class EngineHost final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EngineHost)

public:
    struct Config {
        QString databaseFile; ///< opened as the Writer on the engine thread
        QString outputsDir;   ///< downloaded outputs go below it (see OutputStorage)
        QUrl apiBaseUrl;      ///< empty: https://api.replicate.com/v1
        /// Asked on the engine thread before every request; must be thread-safe.
        std::function<QString()> token;
        EngineOptions options;
        /// Receive the provider's webhooks (polling stays on as the safety net): a
        /// WebhookService on webhooks.receiver.address/port, started before the engine; creates
        /// then carry its public URL (options.webhookUrl is set from it). Off by default.
        bool webhooksEnabled = false;
        WebhookServiceOptions webhooks;
        /// With webhooksEnabled: when the receiver can't start, the engine doesn't either
        /// (started(false, why)) instead of running on polling alone.
        bool webhooksRequired = false;
    };

    explicit EngineHost(Config config, QObject *parent = nullptr);
    /** Stops the engine and joins its thread. */
    ~EngineHost() override;

    /** Starts the thread, opens the store, recovers in-flight work, then runs the queue. */
    void start();
    /** Stops taking new work and joins the thread; predictions already created keep running at
     *  the provider and are followed again on the next start. */
    void stop();
    bool isRunning() const;

    /** New jobs were queued (by this process or another): look at the queue now. */
    void wake();
    /** Retries a failed or canceled job; the result arrives as actionFinished(). */
    void retry(const RetryRequest &request);
    /** Cancels a job: its prediction at the provider, its step and the job. */
    void cancel(const JobId &job);
    /** "Keep waiting" on a stuck job: its flag clears and stays off for another threshold; the
     *  result arrives as actionFinished() with action "keep_waiting". (Retry now is retry():
     *  for a stuck running job it cancels the stuck prediction first.) */
    void keepWaiting(const JobId &job);
    /** The token changed: jobs waiting for attention because of it run again. */
    void tokenChanged();
    /** Models per step (step name → model ref), used from each step's next attempt on. */
    void setModelOverrides(const QHash<QString, QString> &overrides);
    /** GETs per second shared by every prediction being followed. */
    void setPollBudget(double perSecond);
    /** Pauses or resumes the queue: while paused nothing new starts; running steps finish. */
    void setPaused(bool paused);
    /** Changes jobs-at-once and predictions-in-flight while running. */
    void setConcurrency(int maxJobs, int maxPredictionsInFlight);
    /** The price table and the daily budget (0: none), applied at once: a queue paused at the
     *  budget runs again when the new one allows it. */
    void setCostSettings(const PriceTable &prices, double dailyBudgetUsd);
    /** Asks for the webhook counters; they arrive as webhookStats() (zeros when off). */
    void requestWebhookStats();

Q_SIGNALS:
    /** After start(): ok, or why the engine could not start (database, image plugins, ...). */
    void started(bool ok, const QString &error);
    /** Emitted just before started(false): another process's engine runs this queue (it will
     *  run the jobs; a front end may simply watch the database). */
    void queueBusy(const QString &message);
    /** Jobs whose state changed, batched (at most every EngineOptions::notifyInterval). */
    void jobsChanged(const QList<brieflow::JobId> &jobs);
    /** A job reached a final state (succeeded, failed, canceled) or needs attention. */
    void jobSettled(const brieflow::JobId &job, brieflow::JobStatus status);
    /** Live text of a streaming step (the whole text so far), for the job detail view. */
    void stepTextUpdated(const brieflow::JobId &job, const QString &step, const QString &text);
    /** The queue paused (401/402, the daily budget: @p problem says which) or resumed
     *  (problem.isNull()). */
    void attentionChanged(const brieflow::EngineProblem &problem);
    /** Replicate asked us to slow down (@p reason); work continues by itself after
     *  @p retryInMs. */
    void rateLimited(qint64 retryInMs, brieflow::RateLimitReason reason);
    /** Something the user should know although @p job goes on (duplicate predictions found
     *  and canceled); also in the job's event log as "incident". */
    void incident(const brieflow::JobId &job, const QString &message);
    /** Nothing runnable and nothing in flight (also emitted once after start if idle). */
    void idle();
    /** After start() and before started(), when webhooks are enabled: ok with the URL creates
     *  carry and the one listened on, or why the receiver could not start (the engine then
     *  runs on polling alone). */
    void webhooksStarted(bool ok, const QUrl &publicUrl, const QUrl &localUrl,
                         const QString &error);
    /** The webhook signing secret could not be fetched; deliveries are refused until it is. */
    void webhooksProblem(const QString &message);
    /** The answer to requestWebhookStats(). */
    void webhookStats(const brieflow::WebhookServiceStats &stats);
    /** The outcome of retry() or cancel(). */
    void actionFinished(const brieflow::JobId &job, const QString &action, bool ok,
                        const QString &message);

private:
    class Worker;
    Config m_config;
    std::unique_ptr<QThread> m_thread;
    Worker *m_worker = nullptr; ///< lives on m_thread
};

} // namespace brieflow
