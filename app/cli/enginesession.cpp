// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/enginesession.h"

#include <QEventLoop>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>

#include "app/cli/clioutput.h"
#include "app/cli/jobview.h"
#include "app/cli/signals.h"
#include "core/pipeline/enginehost.h"
#include "core/pipeline/steperror.h"
#include "core/sandbox/sandboxserver.h"
#include "core/settings.h"
#include "core/store/jobstore.h"

namespace brieflow::cli {

namespace {

constexpr int pollIntervalMs = 1000;
constexpr int wakeIntervalMs = 2000;
constexpr int spinIntervalMs = 120;
/** While the queue waits at the daily budget, the settings are read this often: the budget may
 *  be raised in the app (or the INI file) while a worker runs. */
constexpr int costRecheckMs = 5000;

} // namespace

bool isLoopbackHost(const QUrl &url)
{
    const QString host = url.host().toLower();
    if (host == QLatin1String("localhost") || host.endsWith(QLatin1String(".localhost")))
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

std::optional<ProviderSetup> providerSetup(const Context &context, int *exitCode)
{
    *exitCode = Success;
    ProviderSetup setup;
    if (context.demo) {
        setup.token = QString::fromLatin1(demoToken);
        setup.allowLoopback = true;
        setup.inProcessSandbox = true;
        return setup;
    }
    setup.apiBase = context.apiBase;
    setup.allowLoopback = !context.apiBase.isEmpty() && isLoopbackHost(context.apiBase);
    setup.token = qEnvironmentVariable("REPLICATE_API_TOKEN").trimmed();
    if (setup.token.isEmpty()) {
        *exitCode =
            fail(UsageOrInvalid,
                 QStringLiteral(
                     "no Replicate API token is configured, so nothing was queued or sent.\n"
                     "Set one in the environment: export REPLICATE_API_TOKEN=r8_... (create it at "
                     "https://replicate.com/account/api-tokens),\nor try Brieflow offline against "
                     "its built-in sandbox with --demo."));
        return std::nullopt;
    }
    return setup;
}

std::unique_ptr<sandbox::SandboxServer> startDemoSandbox(QString *error)
{
    sandbox::SandboxConfig config;
    bool ok = false;
    const int latency = qEnvironmentVariableIntValue("BRIEFLOW_SANDBOX_LATENCY_MS", &ok);
    if (ok && latency >= 0) {
        const sandbox::LatencyDistribution spread{latency / 10, latency * 3 / 10, latency * 7 / 10,
                                                  latency};
        config.textLatency = spread;
        config.imageLatency = spread;
    }
    auto server = std::make_unique<sandbox::SandboxServer>(config);
    if (!server->start()) {
        *error = server->errorString();
        return nullptr;
    }
    return server;
}

EngineSession::EngineSession(const Context &context, ProviderSetup provider, Options options)
    : m_context(context)
    , m_provider(std::move(provider))
    , m_options(std::move(options))
    , m_display(ProgressDisplay::terminalAvailable())
{
    for (const JobId &id : std::as_const(m_options.jobs))
        m_watched.insert(id);
    m_display.setLogsSettledJobs(!m_options.reportSettled);
}

EngineSession::~EngineSession()
{
    m_display.clear();
}

int EngineSession::exec()
{
    if (const QString dir = m_context.paths.ensureExists(); !dir.isEmpty())
        return fail(DataUnavailable, QStringLiteral("can't create the folder %1").arg(dir));

    QUrl apiBase = m_provider.apiBase;
    if (m_provider.inProcessSandbox) {
        QString error;
        m_sandbox = startDemoSandbox(&error);
        if (!m_sandbox)
            return fail(DataUnavailable,
                        QStringLiteral("the demo sandbox could not start: %1").arg(error));
        apiBase = m_sandbox->baseUrl();
    }

    EngineHost::Config config;
    config.databaseFile = m_context.paths.databaseFile();
    config.outputsDir = m_context.paths.outputsDir();
    config.apiBaseUrl = apiBase;
    config.token = [token = m_provider.token] { return token; };
    config.options.outputPolicy.allowLoopback = m_provider.allowLoopback;
    if (m_provider.allowLoopback && apiBase.port() > 0) {
        // The sandbox serves its files from its own port: no other local service is reachable
        // through an output URL.
        config.options.outputPolicy.loopbackPorts = {static_cast<quint16>(apiBase.port())};
    }
    if (m_options.concurrency > 0)
        config.options.maxConcurrentJobs = m_options.concurrency;
    readCostSettings();
    config.options.prices = m_prices;
    config.options.dailyBudgetUsd = m_dailyBudgetUsd;
    if (m_options.webhooks) {
        config.webhooksEnabled = true;
        config.webhooksRequired = true; // asked for explicitly: no quiet fallback to polling
        config.webhooks = *m_options.webhooks;
    }
    if (m_provider.allowLoopback) {
        // Test aid (tests/pipeline/tst_enginecrash): a shorter wait before a create whose
        // outcome is unknown is looked up. Read only against a loopback API (the sandbox).
        bool ok = false;
        const int settleMs = qEnvironmentVariableIntValue("BRIEFLOW_RECONCILE_SETTLE_MS", &ok);
        if (ok && settleMs >= 0)
            config.options.reconcileSettle = std::chrono::milliseconds(settleMs);
    }
    m_host = std::make_unique<EngineHost>(std::move(config));

    EngineHost *host = m_host.get();
    QObject::connect(host, &EngineHost::queueBusy, &m_receiver,
                     [this](const QString &message) { m_queueBusy = message; });
    QObject::connect(host, &EngineHost::started, &m_receiver,
                     [this](bool ok, const QString &error) { onStarted(ok, error); });
    QObject::connect(
        host, &EngineHost::webhooksStarted, &m_receiver,
        [this](bool ok, const QUrl &publicUrl, const QUrl &localUrl, const QString &error) {
            onWebhooksStarted(ok, publicUrl, localUrl, error);
        });
    QObject::connect(host, &EngineHost::webhooksProblem, &m_receiver, [](const QString &problem) {
        err(QStringLiteral("brieflow-cli: webhooks: %1 (polling continues)").arg(problem));
    });
    QObject::connect(host, &EngineHost::jobsChanged, &m_receiver,
                     [this](const QList<JobId> &jobs) { onJobsChanged(jobs); });
    QObject::connect(host, &EngineHost::jobSettled, &m_receiver,
                     [this](const JobId &job, JobStatus status) { onJobSettled(job, status); });
    QObject::connect(host, &EngineHost::stepTextUpdated, &m_receiver,
                     [this](const JobId &job, const QString &step, const QString &text) {
                         m_display.setStreamingText(job, step, text);
                     });
    QObject::connect(host, &EngineHost::attentionChanged, &m_receiver,
                     [this](const EngineProblem &problem) { onAttention(problem); });
    QObject::connect(host, &EngineHost::idle, &m_receiver, [this] { onIdle(); });

    QObject::connect(&m_pollTimer, &QTimer::timeout, &m_receiver, [this] {
        refresh(m_options.goal == Goal::JobsSettled ? m_options.jobs : QList<JobId>());
    });
    QObject::connect(&m_wakeTimer, &QTimer::timeout, &m_receiver, [this] {
        if (m_host)
            m_host->wake();
    });
    QObject::connect(&m_spinTimer, &QTimer::timeout, &m_receiver, [this] { m_display.redraw(); });
    QObject::connect(&m_costTimer, &QTimer::timeout, &m_receiver, [this] {
        // Waiting at the budget: a budget raised in the settings applies without a restart.
        const PriceTable prices = m_prices;
        const double budget = m_dailyBudgetUsd;
        readCostSettings();
        if (m_host && (!(prices == m_prices) || budget != m_dailyBudgetUsd))
            m_host->setCostSettings(m_prices, m_dailyBudgetUsd);
    });
    onTerminationSignals(&m_receiver, [this] { onSignal(); });

    QEventLoop loop;
    m_loop = &loop;
    host->start();
    const int code = loop.exec();
    m_loop = nullptr;

    m_pollTimer.stop();
    m_wakeTimer.stop();
    m_spinTimer.stop();
    m_costTimer.stop();
    m_display.clear();
    m_host->stop();
    m_host.reset();
    m_reader.reset();
    m_sandbox.reset();
    return code;
}

void EngineSession::onWebhooksStarted(bool ok, const QUrl &publicUrl, const QUrl &localUrl,
                                      const QString & /*error*/)
{
    if (!ok)
        return; // the engine does not start either: onStarted() reports why
    if (publicUrl == localUrl)
        err(QStringLiteral("Receiving webhooks on %1").arg(localUrl.toString()));
    else
        err(QStringLiteral("Receiving webhooks on %1 (Replicate is told %2)")
                .arg(localUrl.toString(), publicUrl.toString()));
}

void EngineSession::onStarted(bool ok, const QString &error)
{
    if (!ok && !m_queueBusy.isEmpty() && m_options.goal == Goal::JobsSettled) {
        // The app (or another worker) runs this queue and will run our jobs too: watch them
        // through the database instead of failing.
        if (!m_context.json)
            err(QStringLiteral("%1 Waiting for it to finish these jobs.").arg(m_queueBusy));
        ok = true;
    }
    if (!ok) {
        finish(fail(DataUnavailable, QStringLiteral("the engine could not start: %1").arg(error)));
        return;
    }
    auto reader = JobStore::open(m_context.paths.databaseFile(), JobStore::Mode::Reader);
    if (!reader) {
        finish(fail(DataUnavailable, reader.error().message));
        return;
    }
    m_reader = std::move(reader).value();
    m_pollTimer.start(pollIntervalMs);
    if (m_options.goal != Goal::JobsSettled)
        m_wakeTimer.start(wakeIntervalMs);
    if (m_display.isLive())
        m_spinTimer.start(spinIntervalMs);
    if (m_options.goal == Goal::Signal && !m_context.json) {
        err(QStringLiteral("Worker running on %1. Stop it with Ctrl+C.")
                .arg(m_context.paths.databaseFile()));
        if (m_dailyBudgetUsd > 0)
            err(QStringLiteral("Daily budget: %1 (Settings ▸ Cost).")
                    .arg(formatUsd(m_dailyBudgetUsd)));
    }
    refresh(m_options.jobs);
}

void EngineSession::onJobsChanged(const QList<JobId> &jobs)
{
    if (m_options.goal != Goal::JobsSettled) {
        refresh(jobs);
        return;
    }
    QList<JobId> mine;
    for (const JobId &id : jobs) {
        if (m_watched.contains(id))
            mine.append(id);
    }
    refresh(mine);
}

void EngineSession::onJobSettled(const JobId &job, JobStatus status)
{
    const bool first = !m_settled.contains(job) || m_settled.value(job) != status;
    m_settled.insert(job, status);
    if (m_options.goal != Goal::JobsSettled || m_watched.contains(job))
        refresh({job});
    if (first && m_options.reportSettled) {
        m_display.clear();
        QString product;
        if (m_reader) {
            if (auto record = m_reader->job(job); record && record.value()) {
                const QJsonObject object = jobToJson(*record.value());
                product = object.value(QStringLiteral("product_name")).toString();
            }
        }
        if (m_context.json)
            out(QString::fromUtf8(
                QJsonDocument(QJsonObject{{QStringLiteral("id"), job.toString()},
                                          {QStringLiteral("status"), toString(status)},
                                          {QStringLiteral("product_name"), product}})
                    .toJson(QJsonDocument::Compact)));
        else
            out(QStringLiteral("%1  %2  %3")
                    .arg(toString(status), -15)
                    .arg(job.toString(), product));
        std::fflush(stdout);
        m_display.remove(job);
        m_display.redraw();
    }
}

void EngineSession::readCostSettings()
{
    const Settings settings(m_context.paths.settingsFile());
    QString problem;
    m_prices = modelPrices(settings, &problem);
    if (!problem.isEmpty() && problem != m_pricesProblem)
        err(QStringLiteral("brieflow-cli: %1").arg(problem));
    m_pricesProblem = problem;
    m_dailyBudgetUsd = dailyBudgetUsd(settings);
}

void EngineSession::onAttention(const EngineProblem &problem)
{
    if (problem.isNull()) {
        m_costTimer.stop();
        err(QStringLiteral("The queue runs again."));
        return;
    }
    m_display.clear();
    if (problem.errorType == StepErrorType::BudgetReached) {
        // Not a failure: nothing new starts until the budget is raised or the day ends.
        err(QStringLiteral("brieflow-cli: the queue is paused at the daily budget: %1")
                .arg(problem.message));
        if (m_options.goal == Goal::Signal) {
            err(QStringLiteral("The worker waits and carries on by itself after midnight, or as "
                               "soon as the daily budget is raised in Settings ▸ Cost "
                               "(cost/dailyBudgetUsd in %1).")
                    .arg(m_context.paths.settingsFile()));
            m_costTimer.start(costRecheckMs);
        } else {
            err(QStringLiteral("The jobs stay queued (none failed); brieflow-cli worker runs them "
                               "once the daily budget allows it."));
            finish(JobFailed);
        }
        return;
    }
    err(QStringLiteral("brieflow-cli: the queue is paused (%1): %2")
            .arg(problem.errorType, problem.message));
    if (m_options.goal != Goal::Signal) {
        err(QStringLiteral("The jobs stay queued; fix the problem, then run brieflow-cli "
                           "worker."));
        finish(JobFailed);
    }
}

void EngineSession::onIdle()
{
    if (m_options.goal == Goal::Idle)
        finish(Success);
    else if (m_options.goal == Goal::JobsSettled)
        refresh(m_options.jobs); // a last look: idle with our jobs unsettled would be a hang
}

void EngineSession::onSignal()
{
    if (m_options.goal == Goal::Signal) {
        finish(Success);
        return;
    }
    m_display.clear();
    err(QStringLiteral("Stopped. Unfinished jobs stay queued: brieflow-cli worker (or run "
                       "--wait again) carries on where this left off."));
    finish(JobFailed);
}

void EngineSession::refresh(const QList<JobId> &jobs)
{
    if (!m_reader || m_finished)
        return;
    for (const JobId &id : jobs) {
        auto job = m_reader->job(id);
        if (!job) {
            finish(fail(DataUnavailable, job.error().message));
            return;
        }
        if (!job.value()) {
            m_watchedStatus.insert(id, JobStatus::Canceled); // deleted meanwhile: nothing to wait
            m_display.remove(id);
            continue;
        }
        auto steps = m_reader->steps(id);
        if (!steps) {
            finish(fail(DataUnavailable, steps.error().message));
            return;
        }
        const JobRecord &record = *job.value();
        if (m_watched.contains(id))
            m_watchedStatus.insert(id, record.status);
        if (m_options.reportSettled && isSettled(record.status)) {
            // Its last steps once, then off the display: onJobSettled prints the job.
            if (!m_shownFinal.contains(id))
                m_display.update(record, steps.value());
            m_display.remove(id);
            m_shownFinal.insert(id);
            continue;
        }
        m_shownFinal.remove(id);
        m_display.update(record, steps.value());
    }
    m_display.redraw();
    checkGoal();
}

void EngineSession::checkGoal()
{
    if (m_options.goal != Goal::JobsSettled || m_finished)
        return;
    for (const JobId &id : std::as_const(m_options.jobs)) {
        if (!isSettled(m_watchedStatus.value(id, JobStatus::Pending)))
            return;
    }
    finish(Success);
}

void EngineSession::finish(int code)
{
    if (m_finished)
        return;
    m_finished = true;
    m_display.clear();
    if (m_loop)
        m_loop->exit(code);
}

int reportJobs(const Context &context, const QList<JobId> &jobs)
{
    int code = Success;
    auto store = openForReading(context, &code);
    if (code != Success)
        return code;
    if (!store)
        return fail(
            DataUnavailable,
            QStringLiteral("the job database %1 is gone").arg(context.paths.databaseFile()));
    QList<JobView> views;
    for (const JobId &id : jobs) {
        auto view = loadJobView(*store, id);
        if (!view)
            return fail(DataUnavailable, view.error().message);
        if (view.value())
            views.append(*view.value());
    }
    bool allSucceeded = views.size() == jobs.size();
    for (const JobView &view : std::as_const(views))
        allSucceeded = allSucceeded && view.job.status == JobStatus::Succeeded;
    if (context.json) {
        QJsonArray array;
        for (const JobView &view : std::as_const(views))
            array.append(jobViewToJson(view));
        outJson(array);
    } else {
        for (const JobView &view : std::as_const(views))
            printJobResult(view);
    }
    return allSucceeded ? Success : JobFailed;
}

} // namespace brieflow::cli
