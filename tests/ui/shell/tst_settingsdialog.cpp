// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

#include "core/sandbox/sandboxserver.h"
#include "core/settings.h"
#include "tests/support/tempdatadir.h"
#include "ui/shell/settingsdialog.h"
#include "ui/shell/tokenstore.h"
#include "ui/widgets/fieldmessage.h"

using namespace brieflow;
using ui::SettingsDialog;

namespace {
const QString secret = QStringLiteral("r8_TopSecretToken0123456789");
}

class TestSettingsDialog : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void tokenGoesOnlyToTheTokenStore();
    void environmentTokenIsShownAsTheSource();
    void withoutKeychainTheTokenIsUsedForTheSessionOnly();
    void testConnectionShowsTheAccount();
    void testConnectionWithABadTokenShowsTheProblem();
    void modelCheckFlagsAnUnknownModel();
    void engineSettingsAreSavedAndAnnounced();

private:
    SettingsDialog::Context context(const QUrl &apiBase = {});

    std::unique_ptr<test::TempDataDir> m_dir;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<ui::InMemoryTokenStore> m_store;
    std::unique_ptr<ui::SharedToken> m_token;
    std::unique_ptr<sandbox::SandboxServer> m_sandbox;
};

void TestSettingsDialog::init()
{
    m_dir = std::make_unique<test::TempDataDir>();
    QCOMPARE(m_dir->paths().ensureExists(), QString());
    m_settings = std::make_unique<Settings>(m_dir->paths().settingsFile());
    m_store = std::make_unique<ui::InMemoryTokenStore>();
    m_token = std::make_unique<ui::SharedToken>();
    m_sandbox = std::make_unique<sandbox::SandboxServer>(sandbox::SandboxConfig::forTests());
    QVERIFY(m_sandbox->start());
}

void TestSettingsDialog::cleanup()
{
    m_sandbox.reset();
    m_token.reset();
    m_store.reset();
    m_settings.reset();
    m_dir.reset();
}

SettingsDialog::Context TestSettingsDialog::context(const QUrl &apiBase)
{
    SettingsDialog::Context c;
    c.settings = m_settings.get();
    c.paths = m_dir->paths();
    c.tokens = m_store.get();
    c.token = m_token.get();
    c.apiBase = apiBase.isEmpty() ? m_sandbox->baseUrl() : apiBase;
    return c;
}

void TestSettingsDialog::tokenGoesOnlyToTheTokenStore()
{
    SettingsDialog dialog(context());
    dialog.show();
    QSignalSpy changed(&dialog, &SettingsDialog::tokenChanged);
    QTRY_VERIFY(dialog.tokenSourceLabel()->text().contains(QLatin1String("No token")));
    dialog.tokenField()->setText(secret);
    QTest::mouseClick(dialog.saveTokenButton(), Qt::LeftButton);
    QTRY_COMPARE(changed.size(), 1);
    QCOMPARE(m_store->storedToken(), secret);
    QCOMPARE(m_token->token(), secret);
    QCOMPARE(m_token->source(), ui::SharedToken::Source::Keychain);
    QVERIFY(dialog.tokenField()->text().isEmpty()); // not left on screen
    QVERIFY(dialog.removeTokenButton()->isEnabled());
    dialog.accept(); // writes every other setting

    QVERIFY(m_settings->sync());
    QFile ini(m_settings->fileName());
    QVERIFY(ini.open(QIODevice::ReadOnly));
    const QByteArray content = ini.readAll();
    QVERIFY(content.contains("maxConcurrentJobs")); // the file was written...
    QVERIFY(!content.contains(secret.toUtf8()));    // ...without the token
    QVERIFY(!content.contains("r8_"));
}

void TestSettingsDialog::environmentTokenIsShownAsTheSource()
{
    m_token->set(secret, ui::SharedToken::Source::Environment);
    SettingsDialog dialog(context());
    dialog.show();
    QTRY_VERIFY(dialog.tokenSourceLabel()->text().contains(
        QLatin1String("Using REPLICATE_API_TOKEN from the environment")));
    QVERIFY(!dialog.tokenField()->isEnabled());
    QVERIFY(!dialog.saveTokenButton()->isEnabled());
    QVERIFY(!dialog.removeTokenButton()->isEnabled());
    // Test connection uses the environment's token.
    QTest::mouseClick(dialog.testConnectionButton(), Qt::LeftButton);
    QTRY_VERIFY(dialog.connectionResult()->text().contains(QLatin1String("Connected as")));
}

void TestSettingsDialog::withoutKeychainTheTokenIsUsedForTheSessionOnly()
{
    m_store->setAvailable(false);
    SettingsDialog dialog(context());
    dialog.show();
    QTRY_VERIFY(dialog.tokenSourceLabel()->text().contains(QLatin1String("No system keychain")));
    QCOMPARE(dialog.saveTokenButton()->text(), QStringLiteral("Use for this session"));
    dialog.tokenField()->setText(secret);
    QTest::mouseClick(dialog.saveTokenButton(), Qt::LeftButton);
    QTRY_COMPARE(m_token->token(), secret);
    QCOMPARE(m_token->source(), ui::SharedToken::Source::Session);
    QCOMPARE(m_store->writeCount(), 0);
    QVERIFY(m_store->storedToken().isEmpty());
    dialog.accept();
    QFile ini(m_settings->fileName());
    QVERIFY(ini.open(QIODevice::ReadOnly));
    QVERIFY(!ini.readAll().contains(secret.toUtf8()));
}

void TestSettingsDialog::testConnectionShowsTheAccount()
{
    SettingsDialog dialog(context());
    dialog.show();
    QSignalSpy tested(&dialog, &SettingsDialog::connectionTested);
    dialog.tokenField()->setText(QStringLiteral("r8_sandbox_good"));
    QTest::mouseClick(dialog.testConnectionButton(), Qt::LeftButton);
    QTRY_COMPARE(tested.size(), 1);
    QVERIFY(tested.first().at(0).toBool());
    QVERIFY2(
        dialog.connectionResult()->text().contains(QLatin1String("Connected as brieflow-sandbox")),
        qPrintable(dialog.connectionResult()->text()));
    QVERIFY(m_token->token().isEmpty()); // testing doesn't save
}

void TestSettingsDialog::testConnectionWithABadTokenShowsTheProblem()
{
    SettingsDialog dialog(context());
    dialog.show();
    QSignalSpy tested(&dialog, &SettingsDialog::connectionTested);
    dialog.tokenField()->setText(QStringLiteral("r8_invalid_abc"));
    QTest::mouseClick(dialog.testConnectionButton(), Qt::LeftButton);
    QTRY_COMPARE(tested.size(), 1);
    QVERIFY(!tested.first().at(0).toBool());
    QVERIFY2(dialog.connectionResult()->text().contains(
                 QLatin1String("Replicate didn't accept this API token")),
             qPrintable(dialog.connectionResult()->text()));
    QVERIFY(!dialog.connectionResult()->text().contains(QLatin1String("r8_invalid_abc")));
}

void TestSettingsDialog::modelCheckFlagsAnUnknownModel()
{
    m_token->set(QStringLiteral("r8_sandbox_good"), ui::SharedToken::Source::Keychain);
    SettingsDialog dialog(context());
    dialog.showPage(SettingsDialog::Page::Models);
    dialog.show();
    QCOMPARE(dialog.currentPage(), SettingsDialog::Page::Models);
    QLineEdit *conceptField = dialog.modelField(QStringLiteral("concept"));
    QVERIFY(conceptField);
    conceptField->setText(QStringLiteral("nobody/no-such-model"));
    QSignalSpy checked(&dialog, &SettingsDialog::modelsChecked);
    QTest::mouseClick(dialog.checkModelsButton(), Qt::LeftButton);
    QTRY_COMPARE(checked.size(), 1);
    QVERIFY(!checked.first().at(0).toBool());
    ui::FieldMessage *conceptMessage = dialog.modelMessage(QStringLiteral("concept"));
    QVERIFY(conceptMessage->hasProblem());
    QVERIFY2(conceptMessage->text().contains(QLatin1String("No such model")),
             qPrintable(conceptMessage->text()));
    ui::FieldMessage *imageMessage = dialog.modelMessage(QStringLiteral("image"));
    QVERIFY2(!imageMessage->hasProblem(), qPrintable(imageMessage->text()));
    QVERIFY(imageMessage->text().contains(QLatin1String("black-forest-labs/flux-schnell")));

    // A text model where images are wanted is caught by the schema check.
    dialog.modelField(QStringLiteral("image"))
        ->setText(QStringLiteral("meta/meta-llama-3-8b-instruct"));
    conceptField->clear(); // the default
    QTest::mouseClick(dialog.checkModelsButton(), Qt::LeftButton);
    QTRY_COMPARE(checked.size(), 2);
    QVERIFY(imageMessage->hasProblem());
    QVERIFY(!conceptMessage->hasProblem());
}

void TestSettingsDialog::engineSettingsAreSavedAndAnnounced()
{
    SettingsDialog dialog(context());
    QSignalSpy concurrency(&dialog, &SettingsDialog::concurrencyChanged);
    dialog.jobsAtOnce()->setValue(2);
    dialog.predictionsInFlight()->setValue(5);
    dialog.pollBudget()->setValue(20);
    dialog.apply();
    QCOMPARE(concurrency.size(), 1);
    QCOMPARE(concurrency.first().at(0).toInt(), 2);
    QCOMPARE(concurrency.first().at(1).toInt(), 5);
    QCOMPARE(m_settings->value(Settings::MaxConcurrentJobs), 2);
    QCOMPARE(m_settings->value(Settings::PollBudgetPerSecond), 20);
    dialog.apply(); // nothing changed: no second announcement
    QCOMPARE(concurrency.size(), 1);
}

QTEST_MAIN(TestSettingsDialog)
#include "tst_settingsdialog.moc"
