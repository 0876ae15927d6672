// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>
#include <optional>

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>
#include <QTimer>
#include <QUrl>

#include "app/cli/cli.h"
#include "app/cli/progressdisplay.h"
#include "core/monitoring/pricetable.h"
#include "core/store/records.h"
#include "core/webhooks/webhookservice.h"

class QEventLoop;

namespace brieflow {
class EngineHost;
class JobStore;
struct EngineProblem;
namespace sandbox {
class SandboxServer;
}
} // namespace brieflow

namespace brieflow::cli {

/** Where predictions go and with which token, from --demo, --api-base and the environment. */
struct ProviderSetup {
    QUrl apiBase;  ///< empty: Replicate's API; filled in from the sandbox in demo mode
    QString token; ///< never printed or logged
    bool allowLoopback = false;
    bool inProcessSandbox = false; ///< --demo: run the sandbox in this process
};

/** The token the in-process demo sandbox is called with (any non-empty token works there). */
inline constexpr char demoToken[] = "sandbox-demo";

/**
 * Works out the provider for a command that runs the engine. Without --demo and without
 * REPLICATE_API_TOKEN, says plainly how to set one (or use --demo) and returns std::nullopt
 * with *exitCode = UsageOrInvalid.
 */
std::optional<ProviderSetup> providerSetup(const Context &context, int *exitCode);

/** True for 127.0.0.0/8, ::1 and localhost. */
bool isLoopbackHost(const QUrl &url);

/**
 * The demo's sandbox on 127.0.0.1 with its default (demo-speed) config. Test aid: the
 * environment variable BRIEFLOW_SANDBOX_LATENCY_MS sets every model's time (0: instant).
 */
std::unique_ptr<sandbox::SandboxServer> startDemoSandbox(QString *error);

/**
 * Runs the pipeline engine (an EngineHost on its own thread) from the CLI's main thread until a
 * goal is reached, showing progress on standard error. The in-process demo sandbox, when there
 * is one, lives on this thread and is served by the same event loop.
 */
class EngineSession {
public:
    enum class Goal {
        JobsSettled, ///< every job in Options::jobs succeeded, failed, was canceled or needs
                     ///< attention
        Idle,        ///< the engine has nothing runnable and nothing in flight
        Signal,      ///< SIGINT or SIGTERM
    };
    struct Options {
        Goal goal = Goal::JobsSettled;
        QList<JobId> jobs;
        int concurrency = 0;        ///< jobs at once; 0: the engine's default
        bool reportSettled = false; ///< print a line on standard output per job that settles
        /// Receive webhooks (--webhooks): the receiver's URL is printed on standard error at
        /// start; when it can't listen the session fails (DataUnavailable) before running.
        std::optional<WebhookServiceOptions> webhooks;
    };

    EngineSession(const Context &context, ProviderSetup provider, Options options);
    ~EngineSession();
    EngineSession(const EngineSession &) = delete;
    EngineSession &operator=(const EngineSession &) = delete;

    /**
     * Runs until the goal: Success. JobFailed when interrupted before it (jobs stay queued) or
     * when the queue paused for a token or billing problem or the daily budget (a worker waits
     * at the budget instead); DataUnavailable when the engine or
     * the sandbox could not start. Says why on standard error.
     */
    int exec();

    /** The jobs that settled while the engine ran, with their status. */
    const QHash<JobId, JobStatus> &settledJobs() const { return m_settled; }

private:
    void onStarted(bool ok, const QString &error);
    void onWebhooksStarted(bool ok, const QUrl &publicUrl, const QUrl &localUrl,
                           const QString &error);
    void onJobsChanged(const QList<JobId> &jobs);
    void onJobSettled(const JobId &job, JobStatus status);
    void onAttention(const EngineProblem &problem);
    /** The price table and the daily budget from the settings file. */
    void readCostSettings();
    void onIdle();
    void onSignal();
    void refresh(const QList<JobId> &jobs);
    void checkGoal();
    void finish(int code);

    Context m_context;
    ProviderSetup m_provider;
    Options m_options;
    QSet<JobId> m_watched;
    QHash<JobId, JobStatus> m_settled;
    QHash<JobId, JobStatus> m_watchedStatus;
    QSet<JobId> m_shownFinal; ///< worker: settled jobs already taken off the display
    std::unique_ptr<sandbox::SandboxServer> m_sandbox;
    std::unique_ptr<EngineHost> m_host;
    std::unique_ptr<JobStore> m_reader; ///< this thread's read-only view of the queue
    QObject m_receiver;                 ///< context of every connection, dies first
    QTimer m_pollTimer;                 ///< re-reads the jobs (other processes write too)
    QTimer m_wakeTimer;                 ///< worker: look for jobs queued by other processes
    QTimer m_spinTimer;                 ///< live display animation
    QTimer m_costTimer;                 ///< worker at the budget: re-reads the cost settings
    PriceTable m_prices;
    double m_dailyBudgetUsd = 0;
    QString m_pricesProblem; ///< why the settings' price table can't be used (said once)
    ProgressDisplay m_display;
    QEventLoop *m_loop = nullptr;
    bool m_finished = false;
    QString m_queueBusy; ///< another process runs this queue (EngineHost::queueBusy)
};

/**
 * Prints the end state of @p jobs (--json: an array of `show --json` objects) and returns
 * Success when all of them succeeded, JobFailed when not, DataUnavailable on a store error.
 */
int reportJobs(const Context &context, const QList<JobId> &jobs);

} // namespace brieflow::cli
