// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>

#include <QObject>
#include <QUrl>

#include "core/paths.h"
#include "core/pipeline/enginehost.h"

namespace brieflow {
class JobStore;
class Settings;
namespace sandbox {
class SandboxServer;
}
namespace ui {
class MainWindow;
class SharedToken;
class TokenStore;
} // namespace ui
} // namespace brieflow

namespace brieflow::gui {

/** Webhooks from the settings ("Webhooks (advanced)") into @p config; invalid ones are logged
 *  and left off (polling alone). */
void applyWebhookSettings(const Settings &settings, EngineHost::Config &config);

/** The price table and the daily budget from the settings into @p config; a price table that
 *  can't be read is logged and the defaults are used. */
void applyCostSettings(const Settings &settings, EngineHost::Config &config);

/** The placeholder token the in-process demo sandbox is called with (any non-empty one works). */
inline constexpr char demoToken[] = "sandbox-demo";

/**
 * One run of the app in one mode (demo or real): settings, the GUI thread's two job stores (a
 * Writer for submitting and deleting, a Reader for display), the demo sandbox when in demo
 * mode, the engine on its own thread and the main window. Built in that order, torn down in
 * reverse. The engine starts right after the window is shown, so the window is usable at once.
 */
class GuiSession final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GuiSession)

public:
    struct Options {
        Paths paths;
        QString settingsFile; ///< empty: paths.settingsFile()
        QUrl apiBase;         ///< real mode: empty for Replicate (or --api-base)
        bool openSettingsOnStart = false;
        bool lagMonitor = false;
        QString lagReportFile; ///< the lag monitor's JSON is written here on exit
    };

    GuiSession(Options options, ui::TokenStore *tokens, std::shared_ptr<ui::SharedToken> token,
               QObject *parent = nullptr);
    ~GuiSession() override;

    /** Opens everything and shows the window; false with *error when it can't. */
    bool start(QString *error);
    ui::MainWindow *window() const { return m_window.get(); }

Q_SIGNALS:
    /** Demo mode: the user saved a token and asked to run for real. */
    void switchToRealModeRequested();

private:
    void startEngine();

    Options m_options;
    ui::TokenStore *m_tokens;
    std::shared_ptr<ui::SharedToken> m_token;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<JobStore> m_writer;
    std::unique_ptr<JobStore> m_reader;
    std::unique_ptr<sandbox::SandboxServer> m_sandbox;
    std::unique_ptr<EngineHost> m_engine;
    std::unique_ptr<ui::MainWindow> m_window;
};

} // namespace brieflow::gui
