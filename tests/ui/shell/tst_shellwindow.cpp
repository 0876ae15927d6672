// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

#include "core/pipeline/enginehost.h"
#include "core/sandbox/sandboxserver.h"
#include "core/settings.h"
#include "core/store/jobstore.h"
#include "tests/support/tempdatadir.h"
#include "ui/mainwindow.h"
#include "ui/shell/banner.h"
#include "ui/shell/statusindicators.h"
#include "ui/shell/tokenstore.h"
#include "ui/widgets/briefform.h"

using namespace brieflow;
using ui::MainWindow;

namespace {

QPushButton *buttonNamed(QWidget *parent, const QString &text)
{
    const auto buttons = parent->findChildren<QPushButton *>();
    for (QPushButton *b : buttons) {
        if (b->text() == text)
            return b;
    }
    return nullptr;
}

} // namespace

class TestShellWindow : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void demoBannerShowsOnlyInDemoMode();
    void attentionBannerOpensTheTokenPage();
    void creditBannerOpensTheBillingPage();
    void engineThatCannotStartSaysWhy();
    void demoBriefBecomesImages();

private:
    void openStores(bool demo);
    MainWindow::Services services(EngineHost *engine);

    std::unique_ptr<test::TempDataDir> m_dir;
    Paths m_paths;
    std::unique_ptr<JobStore> m_writer;
    std::unique_ptr<JobStore> m_reader;
    std::unique_ptr<Settings> m_settings;
    ui::InMemoryTokenStore m_tokens;
    ui::SharedToken m_token;
};

void TestShellWindow::init()
{
    m_dir = std::make_unique<test::TempDataDir>();
}

void TestShellWindow::cleanup()
{
    m_settings.reset();
    m_reader.reset();
    m_writer.reset();
    m_dir.reset();
}

void TestShellWindow::openStores(bool demo)
{
    m_paths = m_dir->paths(demo);
    QCOMPARE(m_paths.ensureExists(), QString());
    auto writer = JobStore::open(m_paths.databaseFile(), JobStore::Mode::Writer);
    QVERIFY(writer.ok());
    m_writer = std::move(writer).value();
    auto reader = JobStore::open(m_paths.databaseFile(), JobStore::Mode::Reader);
    QVERIFY(reader.ok());
    m_reader = std::move(reader).value();
    m_settings = std::make_unique<Settings>(m_paths.settingsFile());
}

MainWindow::Services TestShellWindow::services(EngineHost *engine)
{
    MainWindow::Services s;
    s.writer = m_writer.get();
    s.reader = m_reader.get();
    s.settings = m_settings.get();
    s.paths = m_paths;
    s.engine = engine;
    s.tokens = &m_tokens;
    s.token = &m_token;
    return s;
}

void TestShellWindow::demoBannerShowsOnlyInDemoMode()
{
    openStores(true);
    {
        MainWindow window(services(nullptr));
        window.show();
        QVERIFY(window.demoBanner()->isVisible());
        QVERIFY(window.demoBanner()->text().startsWith(
            QStringLiteral("Demo — images come from the built-in sandbox")));
        QVERIFY(buttonNamed(window.demoBanner(), QStringLiteral("Add API token")));
        QCOMPARE(window.statusIndicators()->connection(), ui::StatusIndicators::Connection::Demo);
        QVERIFY(window.windowTitle().contains(QLatin1String("Demo")));
        QTest::mouseClick(buttonNamed(window.demoBanner(), QStringLiteral("Add API token")),
                          Qt::LeftButton);
        QVERIFY(window.settingsDialog());
        QCOMPARE(window.settingsDialog()->currentPage(), ui::SettingsDialog::Page::Connection);
    }
    cleanup();
    init();
    openStores(false);
    MainWindow real(services(nullptr));
    real.show();
    QVERIFY(!real.demoBanner()->isVisible());
}

void TestShellWindow::attentionBannerOpensTheTokenPage()
{
    openStores(false);
    EngineHost engine({m_paths.databaseFile(),
                       m_paths.outputsDir(),
                       {},
                       [] { return QString(); },
                       {},
                       false,
                       {},
                       false});
    MainWindow window(services(&engine));
    window.show();
    QVERIFY(!window.attentionBanner()->isVisible());
    Q_EMIT engine.attentionChanged(
        {QStringLiteral("unauthenticated"), QStringLiteral("Replicate answered 401.")});
    QVERIFY(window.attentionBanner()->isVisible());
    QVERIFY(
        window.attentionBanner()->text().contains(QLatin1String("didn't accept your API token")));
    QCOMPARE(window.statusIndicators()->connection(),
             ui::StatusIndicators::Connection::AuthProblem);
    QPushButton *open = buttonNamed(window.attentionBanner(), QStringLiteral("Open settings"));
    QVERIFY(open);
    QTest::mouseClick(open, Qt::LeftButton);
    QVERIFY(window.settingsDialog());
    QVERIFY(window.settingsDialog()->isVisible());
    QCOMPARE(window.settingsDialog()->currentPage(), ui::SettingsDialog::Page::Connection);
    window.settingsDialog()->reject();

    Q_EMIT engine.attentionChanged({}); // resolved
    QVERIFY(!window.attentionBanner()->isVisible());
}

void TestShellWindow::creditBannerOpensTheBillingPage()
{
    openStores(false);
    EngineHost engine({m_paths.databaseFile(),
                       m_paths.outputsDir(),
                       {},
                       [] { return QString(); },
                       {},
                       false,
                       {},
                       false});
    MainWindow window(services(&engine));
    QList<QUrl> opened;
    window.setUrlOpener([&opened](const QUrl &url) { opened << url; });
    window.show();
    Q_EMIT engine.attentionChanged(
        {QStringLiteral("insufficient_credit"), QStringLiteral("402: out of credit")});
    QVERIFY(window.attentionBanner()->text().contains(QLatin1String("out of credit")));
    QPushButton *billing =
        buttonNamed(window.attentionBanner(), QStringLiteral("Open billing page"));
    QVERIFY(billing);
    QTest::mouseClick(billing, Qt::LeftButton);
    QCOMPARE(opened.size(), 1);
    QCOMPARE(opened.first().host(), QStringLiteral("replicate.com"));
    QVERIFY(opened.first().path().contains(QLatin1String("billing")));
}

void TestShellWindow::engineThatCannotStartSaysWhy()
{
    openStores(false);
    EngineHost engine({m_paths.databaseFile(),
                       m_paths.outputsDir(),
                       {},
                       [] { return QString(); },
                       {},
                       false,
                       {},
                       false});
    MainWindow window(services(&engine));
    window.show();
    Q_EMIT engine.started(false, QStringLiteral("Qt can't read WebP images: install "
                                                "qt6-image-formats-plugins."));
    QVERIFY(window.engineBanner()->isVisible());
    QVERIFY(window.engineBanner()->text().contains(QLatin1String("qt6-image-formats-plugins")));
    QCOMPARE(window.statusIndicators()->connection(), ui::StatusIndicators::Connection::Offline);
}

void TestShellWindow::demoBriefBecomesImages()
{
    openStores(true);
    sandbox::SandboxServer sandbox(sandbox::SandboxConfig::forTests());
    QVERIFY(sandbox.start());
    EngineHost::Config config;
    config.databaseFile = m_paths.databaseFile();
    config.outputsDir = m_paths.outputsDir();
    config.apiBaseUrl = sandbox.baseUrl();
    config.token = [] { return QStringLiteral("sandbox-demo"); };
    config.options.outputPolicy.allowLoopback = true;
    EngineHost engine(std::move(config));
    m_token.set(QStringLiteral("sandbox-demo"), ui::SharedToken::Source::Demo);

    MainWindow window(services(&engine));
    QSignalSpy batch(&window, &MainWindow::batchFinished);
    QSignalSpy started(&engine, &EngineHost::started);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    engine.start();
    QTRY_COMPARE(started.size(), 1);
    QVERIFY2(started.first().at(0).toBool(), qPrintable(started.first().at(1).toString()));

    window.briefForm()->loadExample();
    QPushButton *generate = buttonNamed(window.briefForm(), QStringLiteral("Generate"));
    QVERIFY(generate);
    QTest::mouseClick(generate, Qt::LeftButton);
    const auto jobs = m_writer->jobs(JobQuery());
    QCOMPARE(jobs->size(), 1);
    const JobId id = jobs->first().id;
    QVERIFY2(window.statusIndicators()->countsText().contains(QLatin1String("1 queued"))
                 || window.statusIndicators()->countsText().contains(QLatin1String("1 running")),
             qPrintable(window.statusIndicators()->countsText()));

    QTRY_VERIFY_WITH_TIMEOUT(m_reader->job(id).value()->status == JobStatus::Succeeded, 60000);
    QTRY_COMPARE_WITH_TIMEOUT(window.statusIndicators()->countsText(),
                              QStringLiteral("0 running · 0 queued · 0 failed"), 5000);
    QTRY_COMPARE(batch.size(), 1);
    QCOMPARE(batch.first().at(0).toInt(), 1);
    QCOMPARE(batch.first().at(1).toInt(), 0);
    QVERIFY(window.lastNotification().contains(QLatin1String("finished")));
    QVERIFY(!m_reader->outputs(id).value().isEmpty());
    engine.stop();
}

QTEST_MAIN(TestShellWindow)
#include "tst_shellwindow.moc"
