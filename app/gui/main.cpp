// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// The desktop app's composition root: works out the mode (demo or real) and the token, then runs
// a GuiSession (settings, stores, sandbox, engine, window) for it.
#include <memory>

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>
#include <QPointer>
#include <QStyle>

#include "app/gui/guisession.h"
#include "core/log/processlog.h"
#include "core/logging.h"
#include "core/paths.h"
#include "core/settings.h"
#include "core/version.h"
#include "ui/shell/firstrundialog.h"
#include "ui/shell/tokenstore.h"

using namespace brieflow;

namespace {

void showFatal(const QString &title, const QString &text)
{
    qCCritical(lcApp).noquote() << text;
    QMessageBox box(QMessageBox::Critical, title, text, QMessageBox::Close);
    box.exec();
}

/** Decides the mode, asks the keychain for the token and (re)starts the session. */
class Launcher final : public QObject {
public:
    struct Options {
        QString dataDir;
        bool forceDemo = false;
        QUrl apiBase;
        bool lagMonitor = false;
        QString lagReport;
    };

    explicit Launcher(Options options)
        : m_options(std::move(options))
        , m_tokens(QStringLiteral("Brieflow"))
        , m_token(std::make_shared<ui::SharedToken>())
    {
        // Real mode's locations; a data folder chosen in Settings lives in the standard
        // settings file and applies unless --data-dir or BRIEFLOW_DATA_DIR say otherwise.
        m_realPaths = Paths::resolve({m_options.dataDir, false, true});
        m_realSettingsFile = m_realPaths.settingsFile();
        if (!m_realPaths.isOverridden()) {
            Settings standard(m_realSettingsFile);
            if (const QString folder = standard.value(Settings::DataFolder); !folder.isEmpty())
                m_realPaths = Paths::resolve({folder, false, false});
        }
    }

    void begin()
    {
        if (m_options.forceDemo) {
            decide(); // the demo needs no token: don't wake the keychain
            return;
        }
        const QString fromEnvironment = qEnvironmentVariable("REPLICATE_API_TOKEN").trimmed();
        if (!fromEnvironment.isEmpty()) {
            m_token->set(fromEnvironment, ui::SharedToken::Source::Environment);
            decide();
            return;
        }
        m_tokens.read(this, [this](const ui::TokenStore::Outcome &outcome) {
            if (outcome.status == ui::TokenStore::Status::Ok)
                m_token->set(outcome.token, ui::SharedToken::Source::Keychain);
            else if (outcome.status == ui::TokenStore::Status::Failed)
                qCWarning(lcApp).noquote() << "keychain:" << outcome.message;
            decide();
        });
    }

private:
    void decide()
    {
        if (m_options.forceDemo) {
            run(true, false);
            return;
        }
        if (!m_token->isEmpty()) {
            run(false, false);
            return;
        }
        Settings settings(m_realSettingsFile);
        const QString choice = settings.value(Settings::FirstRunChoice);
        if (choice == QLatin1String("demo")) {
            run(true, false);
            return;
        }
        if (choice == QLatin1String("token")) {
            run(false, true);
            return;
        }
        auto *dialog = new ui::FirstRunDialog;
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        QObject::connect(dialog, &QDialog::finished, this, [this, dialog] {
            const auto picked = dialog->choice();
            if (picked == ui::FirstRunDialog::Choice::None) {
                QApplication::quit();
                return;
            }
            const bool demo = picked == ui::FirstRunDialog::Choice::Demo;
            Settings s(m_realSettingsFile);
            s.setValue(Settings::FirstRunChoice,
                       demo ? QStringLiteral("demo") : QStringLiteral("token"));
            s.sync();
            run(demo, !demo);
        });
        dialog->open();
    }

    void run(bool demo, bool openSettings)
    {
        QApplication::setQuitOnLastWindowClosed(false);
        m_session.reset();
        gui::GuiSession::Options options;
        options.paths = demo ? Paths::resolve({m_options.dataDir, true, true}) : m_realPaths;
        if (!demo && !m_realPaths.isOverridden())
            options.settingsFile = m_realSettingsFile;
        options.apiBase = m_options.apiBase;
        options.openSettingsOnStart = openSettings;
        options.lagMonitor = m_options.lagMonitor;
        options.lagReportFile = m_options.lagReport;
        if (!demo && m_token->source() == ui::SharedToken::Source::Demo)
            m_token->set({}, ui::SharedToken::Source::None);
        // The structured log (brieflow.jsonl) in this mode's log folder: job events and the
        // warnings worth keeping. Demo and real work each keep their own.
        m_log.reset();
        m_log = std::make_unique<ScopedProcessLog>(options.paths.logDir());
        qCInfo(lcApp).noquote() << "Brieflow" << applicationVersion() << "starting,"
                                << (demo ? "demo mode," : "real mode,") << "data folder"
                                << options.paths.dataDir();
        m_session = std::make_unique<gui::GuiSession>(options, &m_tokens, m_token);
        QString error;
        if (!m_session->start(&error)) {
            m_session.reset();
            showFatal(QObject::tr("Brieflow can't start"), error);
            QApplication::exit(3);
            return;
        }
        QObject::connect(m_session.get(), &gui::GuiSession::switchToRealModeRequested, this,
                         [this] {
                             Settings s(m_realSettingsFile);
                             s.setValue(Settings::FirstRunChoice, QStringLiteral("token"));
                             s.sync();
                             m_options.forceDemo = false;
                             // Later, from the event loop: the session is being called now.
                             QMetaObject::invokeMethod(
                                 this, [this] { restartReal(); }, Qt::QueuedConnection);
                         });
        QApplication::setQuitOnLastWindowClosed(true);
    }

    void restartReal()
    {
        m_session.reset();
        m_token->set({}, ui::SharedToken::Source::None);
        begin();
    }

    Options m_options;
    Paths m_realPaths;
    QString m_realSettingsFile;
    ui::KeychainTokenStore m_tokens;
    std::shared_ptr<ui::SharedToken> m_token;
    std::unique_ptr<ScopedProcessLog> m_log; // outlives the session: its last events are logged
    std::unique_ptr<gui::GuiSession> m_session;
};

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    // Where no desktop theme supplies a style, Qt falls back to "Windows", which looks dated;
    // Fusion follows the palette (light or dark) and reads as current.
    if (QApplication::style()->name().compare(QLatin1String("windows"), Qt::CaseInsensitive) == 0)
        QApplication::setStyle(QStringLiteral("Fusion"));
    QApplication::setApplicationName(QStringLiteral("Brieflow"));
    QApplication::setApplicationDisplayName(QStringLiteral("Brieflow"));
    QApplication::setOrganizationName(QStringLiteral("Brieflow"));
    QApplication::setApplicationVersion(applicationVersion());
    QApplication::setDesktopFileName(QStringLiteral("io.github.brieflow.Brieflow"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Turn marketing briefs into campaign assets."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption dataDir(
        QStringLiteral("data-dir"),
        QStringLiteral("Keep everything under DIR (also: BRIEFLOW_DATA_DIR)."),
        QStringLiteral("DIR"));
    const QCommandLineOption demo(
        QStringLiteral("demo"),
        QStringLiteral("Run offline against the built-in sandbox, in the separate demo folder."));
    const QCommandLineOption apiBase(
        QStringLiteral("api-base"),
        QStringLiteral("Send requests to another Replicate-compatible API (testing)."),
        QStringLiteral("URL"));
    const QCommandLineOption lagReport(
        QStringLiteral("lag-report"),
        QStringLiteral("Measure GUI-thread lateness and write it as JSON to FILE on exit."),
        QStringLiteral("FILE"));
    parser.addOptions({dataDir, demo, apiBase, lagReport});
    parser.process(app);

    Launcher::Options options;
    options.dataDir = parser.value(dataDir);
    options.forceDemo = parser.isSet(demo);
    options.apiBase = QUrl(parser.value(apiBase));
    options.lagReport = parser.value(lagReport);
    options.lagMonitor =
        parser.isSet(lagReport) || qEnvironmentVariableIsSet("BRIEFLOW_LAG_MONITOR");
    Launcher launcher(options);
    QApplication::setQuitOnLastWindowClosed(false);
    QMetaObject::invokeMethod(
        &launcher, [&launcher] { launcher.begin(); }, Qt::QueuedConnection);
    return QApplication::exec();
}
