// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/gui/guisession.h"

#include <QFile>
#include <QHostAddress>
#include <QTimer>

#include "core/app/jobsubmission.h"
#include "core/logging.h"
#include "core/pipeline/enginehost.h"
#include "core/sandbox/sandboxserver.h"
#include "core/settings.h"
#include "core/store/jobstore.h"
#include "ui/mainwindow.h"
#include "ui/shell/lagmonitor.h"
#include "ui/shell/tokenstore.h"

namespace brieflow::gui {

namespace {

bool isLoopback(const QUrl &url)
{
    const QString host = url.host().toLower();
    if (host == QLatin1String("localhost"))
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

std::unique_ptr<sandbox::SandboxServer> startDemoSandbox(QString *error)
{
    sandbox::SandboxConfig config; // demo speed: a few seconds per step
    bool ok = false;
    // Test aid, as in the CLI: every model's time in ms (0: instant).
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

} // namespace

void applyWebhookSettings(const Settings &settings, EngineHost::Config &config)
{
    if (!settings.value(Settings::WebhooksEnabled))
        return;
    auto options = webhookOptionsFromUser(settings.value(Settings::WebhooksListenAddress),
                                          settings.value(Settings::WebhooksPort),
                                          settings.value(Settings::WebhooksPublicUrl));
    if (!options) {
        qCWarning(lcApp).noquote()
            << "webhooks are off; their settings can't be used:" << options.error();
        return;
    }
    config.webhooksEnabled = true;
    config.webhooks = std::move(options).value();
}

void applyCostSettings(const Settings &settings, EngineHost::Config &config)
{
    QString problem;
    config.options.prices = modelPrices(settings, &problem);
    if (!problem.isEmpty())
        qCWarning(lcApp).noquote() << problem;
    config.options.dailyBudgetUsd = dailyBudgetUsd(settings);
    if (config.options.dailyBudgetUsd > 0)
        qCInfo(lcApp).noquote() << "daily budget:" << formatUsd(config.options.dailyBudgetUsd);
}

GuiSession::GuiSession(Options options, ui::TokenStore *tokens,
                       std::shared_ptr<ui::SharedToken> token, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_tokens(tokens)
    , m_token(std::move(token))
{}

GuiSession::~GuiSession()
{
    if (m_window && m_options.lagMonitor && !m_options.lagReportFile.isEmpty()) {
        QFile report(m_options.lagReportFile);
        if (report.open(QIODevice::WriteOnly | QIODevice::Truncate))
            report.write(m_window->lagMonitor()->toJson() + '\n');
    }
    // Reverse order of construction: the window first (it holds pointers to all the rest), then
    // the engine (joins its thread), the sandbox it talked to, the stores, the settings.
    m_window.reset();
    m_engine.reset();
    m_sandbox.reset();
    m_reader.reset();
    m_writer.reset();
    m_settings.reset();
}

bool GuiSession::start(QString *error)
{
    const Paths &paths = m_options.paths;
    if (const QString failed = paths.ensureExists(); !failed.isEmpty()) {
        *error = tr("Brieflow can't create its folder %1. Check that the disk isn't full and that "
                    "you may write there, or start it with --data-dir pointing somewhere else.")
                     .arg(failed);
        return false;
    }
    m_settings = std::make_unique<Settings>(
        m_options.settingsFile.isEmpty() ? paths.settingsFile() : m_options.settingsFile);
    auto writer = JobStore::open(paths.databaseFile(), JobStore::Mode::Writer);
    if (!writer) {
        *error = writer.error().message;
        return false;
    }
    m_writer = std::move(writer).value();
    auto reader = JobStore::open(paths.databaseFile(), JobStore::Mode::Reader);
    if (!reader) {
        *error = reader.error().message;
        return false;
    }
    m_reader = std::move(reader).value();

    QUrl engineApi = m_options.apiBase;
    if (paths.isDemo()) {
        QString sandboxError;
        m_sandbox = startDemoSandbox(&sandboxError);
        if (!m_sandbox) {
            *error = tr("The demo's built-in sandbox could not start: %1").arg(sandboxError);
            return false;
        }
        engineApi = m_sandbox->baseUrl();
        m_token->set(QString::fromLatin1(demoToken), ui::SharedToken::Source::Demo);
    }

    EngineHost::Config config;
    config.databaseFile = paths.databaseFile();
    config.outputsDir = paths.outputsDir();
    config.apiBaseUrl = engineApi;
    config.token = [token = m_token] { return token->token(); };
    config.options.outputPolicy.allowLoopback = paths.isDemo() || isLoopback(engineApi);
    if (config.options.outputPolicy.allowLoopback && engineApi.port() > 0) {
        // The sandbox serves its files from its own port: no other local service is reachable
        // through an output URL.
        config.options.outputPolicy.loopbackPorts = {static_cast<quint16>(engineApi.port())};
    }
    config.options.maxConcurrentJobs = m_settings->value(Settings::MaxConcurrentJobs);
    config.options.maxPredictionsInFlight = m_settings->value(Settings::MaxPredictionsInFlight);
    config.options.pollBudgetPerSecond = m_settings->value(Settings::PollBudgetPerSecond);
    config.options.modelOverrides = modelOverrides(*m_settings);
    applyCostSettings(*m_settings, config);
    applyWebhookSettings(*m_settings, config);
    m_engine = std::make_unique<EngineHost>(std::move(config));
    connect(m_engine.get(), &EngineHost::webhooksStarted, this,
            [](bool ok, const QUrl &publicUrl, const QUrl &localUrl, const QString &problem) {
                if (ok)
                    qCInfo(lcApp).noquote() << "receiving webhooks on" << localUrl.toString()
                                            << "(Replicate is told" << publicUrl.toString() << ")";
                else
                    qCWarning(lcApp).noquote() << "webhooks are off:" << problem;
            });
    connect(m_engine.get(), &EngineHost::webhooksProblem, this,
            [](const QString &problem) { qCWarning(lcApp).noquote() << "webhooks:" << problem; });

    ui::MainWindow::Services services;
    services.writer = m_writer.get();
    services.reader = m_reader.get();
    services.settings = m_settings.get();
    services.paths = paths;
    services.engine = m_engine.get();
    services.tokens = m_tokens;
    services.token = m_token.get();
    // A token typed in Settings is tested against Replicate even in demo mode.
    services.providerApiBase = paths.isDemo() ? QUrl() : m_options.apiBase;
    m_window = std::make_unique<ui::MainWindow>(services);
    connect(m_window.get(), &ui::MainWindow::switchToRealModeRequested, this,
            &GuiSession::switchToRealModeRequested);
    if (m_options.lagMonitor)
        m_window->lagMonitor()->start();
    m_window->show();
    // Start the engine once the window has painted: recovering in-flight work may take a
    // moment and must not delay a usable window.
    QTimer::singleShot(0, this, &GuiSession::startEngine);
    if (m_options.openSettingsOnStart)
        QTimer::singleShot(0, m_window.get(), [w = m_window.get()] {
            w->openSettings(ui::SettingsDialog::Page::Connection);
        });
    return true;
}

void GuiSession::startEngine()
{
    qCInfo(lcApp).noquote() << "starting the engine on" << m_options.paths.databaseFile()
                            << (m_options.paths.isDemo() ? "(demo)" : "");
    m_engine->start();
}

} // namespace brieflow::gui
