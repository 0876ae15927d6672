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
    /** The queue paused (401/402: @p problem says which) or resumed (problem.isNull()). */
    void attentionChanged(const brieflow::EngineProblem &problem);
    /** Replicate asked us to slow down; work continues by itself after @p retryInMs. */
    void rateLimited(qint64 retryInMs);
    /** Nothing runnable and nothing in flight (also emitted once after start if idle). */
    void idle();
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
